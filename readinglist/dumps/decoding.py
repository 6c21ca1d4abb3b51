"""Bytes of a dump -> text: which encoding, and whether it is text at all.

Dumps come from browsers, editors and Windows "Save as": UTF-8 with or
without a BOM, UTF-16 with a BOM (and now and then without one), CRLF or CR
line ends. A file dropped by mistake (an image, a PDF, a zip) must be refused
with a reason, not imported as garbage. A UTF-8 file with a few damaged bytes
(a bad copy, a download cut short, a mis-edited line) is read with those
bytes replaced, and says how many.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from readinglist.errors import DumpError

BINARY = "not a text file (binary data)"
UNDECODABLE = "cannot decode the text (not UTF-8 or UTF-16)"

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# C0 controls other than tab, LF and CR, plus DEL. Text files have next to none.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01

# How much of a file the UTF-16 sniffing and the control count look at.
_SAMPLE = 64 * 1024

# What cp1252 text almost never holds and other encodings do: a two-byte UTF-8
# sequence (é is C3 A9), or three non-ASCII bytes in a row (a longer UTF-8
# sequence such as •, or a word of cp1251, Shift-JIS, GBK...). See _decode_cp1252.
_NOT_CP1252 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\x80-\xff]{3}")

# How much of a UTF-8 file may be undecodable and still be read, the bad bytes
# replaced: under 0.1% of the bytes. More is another encoding, or no text.
_MAX_REPLACED_RATIO = 0.001
# Bytes that did not decode, as the surrogateescape error handler leaves them.
_ESCAPED = re.compile("[\udc80-\udcff]")
# Characters that UTF-8 decoded from more than one byte: the file's own sign of being UTF-8.
_WIDE = re.compile("[^\x00-\x7f\udc80-\udcff]")


@dataclass(frozen=True, slots=True)
class DecodedText:
    """The text of a dump's bytes, and how many bytes were replaced (U+FFFD) to read it."""

    text: str
    replaced: int = 0


def decode_bytes(data: bytes) -> str:
    """Decode the bytes of a dump into text with LF line ends (see `decode_text`)."""
    return decode_text(data).text


def decode_text(data: bytes) -> DecodedText:
    """Decode the bytes of a dump into text with LF line ends.

    Args:
        data: the raw bytes of the file.

    Returns:
        The text, without BOMs at its start, with CRLF and CR turned into LF
        (empty bytes give ""), and the number of bytes replaced: those of a
        UTF-8 file that did not decode, when they are few (see _decode_damaged).

    Raises:
        DumpError: the data is binary, or is not UTF-8, UTF-16, UTF-32 or plain cp1252.
    """
    if not data:
        return DecodedText("")
    encoding = _bom_encoding(data) or _bomless_utf16(data)
    decoded = _decode_8bit(data) if encoding is None else _decode_wide(data, encoding)
    # The codec takes one BOM off; a file saved twice by BOM-writing tools has more.
    text = decoded.text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(text, decoded.replaced)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """Name UTF-16 without a BOM only when it is unmistakable.

    ASCII text in UTF-16 has a NUL in every other byte: the high byte of each
    code unit. Binary data has NULs too, but not in such a strict pattern.
    """
    sample = data[:_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls >= 0.8 * pairs and even_nuls <= 0.02 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.8 * pairs and odd_nuls <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _decode_wide(data: bytes, encoding: str) -> DecodedText:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise DumpError(UNDECODABLE) from None
    # NULs are expected in the bytes of UTF-16, never in its text.
    if "\x00" in text:
        raise DumpError(BINARY)
    sample = text[:_SAMPLE]
    if len(_CONTROL_CHARS.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise DumpError(BINARY)
    return DecodedText(text)


def _decode_8bit(data: bytes) -> DecodedText:
    if b"\x00" in data:
        raise DumpError(BINARY)
    # A sample says it: a file without NULs that is binary is binary from its
    # start, and counting 10 MB would cost a third of the parse.
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_RATIO * len(sample):
        raise DumpError(BINARY)
    try:
        return DecodedText(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return DecodedText(_decode_cp1252(data))
    except DumpError:
        return _decode_damaged(data)


def _decode_damaged(data: bytes) -> DecodedText:
    """Read UTF-8 with a few bad bytes, replaced; refuse anything else as undecodable.

    A file in another encoding has bad bytes all through its non-ASCII text
    (every letter of a Cyrillic word, every Shift-JIS character), so it is
    told apart by two signs: the bad bytes are under 0.1% of the file, and
    the file decodes, elsewhere, more characters as UTF-8 than it has bad
    bytes. Only then is it UTF-8 that was damaged.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    most = int(_MAX_REPLACED_RATIO * len(data))
    bad = _count(_ESCAPED, text, most + 1)
    if bad > most or _count(_WIDE, text, bad) < bad:
        raise DumpError(UNDECODABLE)
    return DecodedText(_ESCAPED.sub("\ufffd", text), replaced=bad)


def _count(pattern: re.Pattern[str], text: str, enough: int) -> int:
    """Matches of `pattern` in `text`, counted up to `enough` (a 60 MB file is not listed)."""
    return sum(1 for _ in itertools.islice(pattern.finditer(text), enough))


def _decode_cp1252(data: bytes) -> str:
    """Accept Windows-1252 ("ANSI" in Notepad) only when it cannot be a mistake.

    Why accept it at all: a listing of English paper titles saved as "ANSI"
    holds a few smart quotes, dashes, bullets or accented names, each a lone
    byte between ASCII letters, and cp1252 reads them right. Why not always:
    cp1252 decodes almost any bytes, so other code pages (Cyrillic cp1251,
    Shift-JIS, GBK) would be imported silently as mojibake, and so would a
    UTF-8 file with one corrupted byte. Those have runs of non-ASCII bytes
    (every letter of a Cyrillic word, every UTF-8 sequence such as the dumps'
    "•" or "·"), which Western cp1252 text has next to never: any such run
    refuses the file. The five bytes cp1252 leaves undefined refuse it too.
    """
    if _NOT_CP1252.search(data):
        raise DumpError(UNDECODABLE)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DumpError(UNDECODABLE) from None
