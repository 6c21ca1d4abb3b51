"""Reading Whoosh's memory-mapped segments in place.

whoosh-reloaded 2.7.5 reads each part of a compound segment through
`BufferFile`, which wraps the memory map in `io.BytesIO(buf)`: a full copy
of every part it opens. At 100k papers that put ~450 MB on the heap at the
first search. A file object that reads slices of the memoryview copies only
what is read. Imported by index/index.py only, before any index is opened.
"""

from __future__ import annotations

import os

from whoosh.filedb import structfile


class _ViewReader:
    """A read-only, seekable file over a buffer, without copying it."""

    def __init__(self, buffer) -> None:
        self._view = memoryview(buffer)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = (
            len(self._view) if size is None or size < 0 else min(self._pos + size, len(self._view))
        )
        data = self._view[self._pos : end].tobytes()
        self._pos = end
        return data

    def readline(self, size: int = -1) -> bytes:
        rest = self._view[self._pos :].tobytes() if size < 0 else self.read(size)
        cut = rest.find(b"\n") + 1 or len(rest)
        line = rest[:cut]
        self._pos = self._pos - len(rest) + cut if size >= 0 else self._pos + cut
        return line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        # The view stays valid: the segment's memory map is closed by its storage.
        pass

    def __iter__(self):
        return iter(self._view.tobytes().splitlines(keepends=True))


def _init_without_copy(self, buf, name=None, onclose=None) -> None:
    self._buf = buf
    self._name = name
    self.file = _ViewReader(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


# What the shim replaces, as whoosh-reloaded 2.7.5 has it: BufferFile's
# constructor, taking these arguments and setting these attributes. A Whoosh
# that changed them would be patched wrongly, so install() refuses it.
PATCHED_SIGNATURE = ("self", "buf", "name", "onclose")
PATCHED_ATTRIBUTES = ("_buf", "_name", "file", "onclose", "is_real", "is_closed")
_ORIGINAL_INIT = structfile.BufferFile.__init__


def patched_api_problem() -> str | None:
    """Why the shim does not fit the installed Whoosh; None when it does.

    Checked by calling the original constructor on an empty buffer, not by
    reading its source: a frozen app (the bundle) has no source to read.
    """
    import inspect

    found = tuple(inspect.signature(_ORIGINAL_INIT).parameters)
    if found != PATCHED_SIGNATURE:
        return f"whoosh BufferFile.__init__ takes {found}, the shim expects {PATCHED_SIGNATURE}"
    probe = structfile.BufferFile.__new__(structfile.BufferFile)
    _ORIGINAL_INIT(probe, memoryview(b""), name="probe")
    missing = [name for name in PATCHED_ATTRIBUTES if name not in vars(probe)]
    if missing:
        return f"whoosh BufferFile.__init__ no longer sets {', '.join(missing)}"
    return None


def install() -> None:
    """Make Whoosh's BufferFile read its buffer in place (once; later calls do nothing).

    Called where the index opens Whoosh (index/index.py).

    Raises:
        RuntimeError: the installed Whoosh's BufferFile is not the one patched.
    """
    if structfile.BufferFile.__init__ is _init_without_copy:
        return
    problem = patched_api_problem()
    if problem is not None:
        raise RuntimeError(f"{problem}: update readinglist/index/whoosh_shims.py")
    structfile.BufferFile.__init__ = _init_without_copy
