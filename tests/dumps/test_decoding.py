"""decode_bytes: which encodings are read, and what is refused."""

from __future__ import annotations

import pytest

from readinglist.dumps.decoding import BINARY, UNDECODABLE, decode_bytes, decode_text
from readinglist.errors import DumpError

TEXT = "Attention Is All You Need\n  • 8 authors\n·\nJun 12, 2017 42\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with a BOM, native order
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # Windows "Save as" without a BOM
        TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32"],
)
def test_reads_utf_encodings_without_the_bom(data):
    assert decode_bytes(data) == TEXT


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_ends_become_lf(newline):
    data = TEXT.replace("\n", newline).encode("utf-16")
    assert decode_bytes(data) == TEXT


def test_a_doubled_bom_goes_too():
    assert decode_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + TEXT.encode()) == TEXT


def test_empty_bytes_are_empty_text():
    assert decode_bytes(b"") == ""


def test_cp1252_is_read_when_it_can_only_be_cp1252():
    text = "Caf\u00e9 \u2013 \u201cquoted\u201d na\u00efve \u2022 6 authors"
    assert decode_bytes(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    "data",
    [
        "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440".encode("cp1251"),
        "\u65e5\u672c\u8a9e\u306e\u8ad6\u6587".encode("shift_jis"),
        # UTF-8 with one corrupt byte must not turn into mojibake.
        "Caf\u00e9 \u2022 6 authors".encode() + b"\xff",
        "na\u00efve".encode() + b" \x81",
        b"cp1252 leaves 0x81 undefined: \x81",
    ],
    ids=["cp1251", "shift-jis", "utf8-corrupt", "utf8-2byte-corrupt", "undefined-byte"],
)
def test_refuses_what_it_cannot_decode_safely(data):
    with pytest.raises(DumpError) as caught:
        decode_bytes(data)
    assert str(caught.value) == UNDECODABLE


def test_utf16_with_an_odd_byte_count_is_undecodable():
    with pytest.raises(DumpError, match="cannot decode"):
        decode_bytes(b"\xff\xfe" + "Title".encode("utf-16-le") + b"T")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\x00\x01",
        bytes(range(256)),
        b"\x01\x02\x03\x04\x05",
        b"text with a NUL\x00 in it",
        # UTF-16 whose text holds NULs is not text either.
        "a\x00b\x00c".encode("utf-16"),
        "\x01\x02\x03\x04".encode("utf-16"),
    ],
    ids=["png", "zip", "pdf", "all-bytes", "controls", "nul", "utf16-nul", "utf16-controls"],
)
def test_refuses_binary_data(data):
    with pytest.raises(DumpError) as caught:
        decode_bytes(data)
    assert str(caught.value) == BINARY


def test_a_stray_control_character_is_tolerated():
    text = "Title\n" + "An abstract. " * 20 + "\x0c\n"
    assert decode_bytes(text.encode()) == text


def test_bomless_utf16_needs_a_clear_pattern():
    # NULs here and there are binary, not UTF-16.
    data = b"ab\x00cd\x00\x00ef" * 10
    with pytest.raises(DumpError, match="binary"):
        decode_bytes(data)


# -- a UTF-8 file with a few damaged bytes -----------------------------------------

LISTING = (
    "Frozen Transformers in Language Models Are Effective Visual Encoder Layers\n\n"
    "This paper reveals that large language models, despite being trained solely on text, "
    "are surprisingly strong encoders for purely visual tasks.\n\n"
    "  • 6 authors\n·\nOct 19, 2023\n\n"
)


def test_a_few_bad_bytes_in_utf8_are_replaced_and_counted():
    data = (LISTING * 40).encode()
    middle = len(data) // 2
    damaged = data[:middle] + b"\xff\xfe\x80" + data[middle:]
    decoded = decode_text(damaged)
    assert decoded.replaced == 3
    assert decoded.text.count("\ufffd") == 3
    assert decoded.text.replace("\ufffd", "") == (LISTING * 40)


def test_a_cut_sequence_counts_its_bytes():
    data = (LISTING * 40).encode()
    cut = data.index("•".encode()) + 2  # the bullet's third byte is lost
    decoded = decode_text(data[:cut] + data[cut + 1 :])
    assert decoded.replaced == 2
    assert decode_bytes(data[:cut] + data[cut + 1 :]).count("\ufffd") == 2


def test_clean_text_replaces_nothing():
    assert decode_text((LISTING * 3).encode()).replaced == 0
    assert decode_text(LISTING.encode("utf-16")).replaced == 0


@pytest.mark.parametrize(
    "data",
    [
        # More than 0.1% of the bytes bad: another encoding, or damage too wide to guess.
        (LISTING * 2).encode() + b"\xff" * 10,
        # Bad bytes and no UTF-8 around them: a legacy code page, not damaged UTF-8.
        ("Plain ASCII listing text. " * 400).encode() + "Привет".encode("cp1251"),
        ("Plain ASCII listing text. " * 400).encode() + "日本語".encode("shift_jis"),
        # cp1251 text with a few UTF-8 bullets: most of its non-ASCII bytes are bad.
        ("• " + "Привет мир, статья о моделях. " * 50)
        .encode("utf-8")
        .replace("Привет".encode(), "Привет".encode("cp1251")),
    ],
    ids=["too-many", "cp1251-in-ascii", "shift-jis-in-ascii", "cp1251-with-bullets"],
)
def test_other_encodings_are_still_refused(data):
    with pytest.raises(DumpError) as caught:
        decode_text(data)
    assert str(caught.value) == UNDECODABLE
