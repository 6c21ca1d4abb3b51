"""Whoosh's compound segments are read in place, not copied onto the heap."""

from whoosh.filedb.structfile import BufferFile

from readinglist.index import whoosh_shims


def test_the_patched_whoosh_api_is_still_there():
    # Fails loudly on a Whoosh upgrade that changed what the shim replaces.
    assert whoosh_shims.patched_api_problem() is None


def test_install_is_applied_once():
    whoosh_shims.install()
    patched = BufferFile.__init__
    whoosh_shims.install()
    assert BufferFile.__init__ is patched is whoosh_shims._init_without_copy


def test_buffer_file_reads_without_copying_the_buffer():
    whoosh_shims.install()
    data = bytearray(b"line one\nline two\n" + bytes(range(256)) * 100)
    f = BufferFile(memoryview(data))
    assert not hasattr(f.file, "getvalue")  # not a BytesIO holding a copy
    assert f.read(4) == b"line"
    assert f.tell() == 4
    f.seek(0)
    assert f.file.readline() == b"line one\n"
    f.seek(-2, 2)
    assert f.read() == bytes([254, 255])
    f.seek(9)
    assert f.read(8) == b"line two"
    assert f.get(0, 4) == b"line"
    data[0:4] = b"LINE"  # the file sees the buffer itself
    f.seek(0)
    assert f.read(4) == b"LINE"
