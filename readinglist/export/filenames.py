"""Portable file names made from paper titles.

A name made here is valid on Windows, macOS and Linux: no path separators,
none of Windows' forbidden characters, no control characters, no trailing
dot or space, no reserved device name, at most 120 characters (UTF-16 code
units, which is what Windows counts) and 240 UTF-8 bytes (Linux allows 255),
and unique in a folder whose file system ignores case (macOS, Windows).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

FALLBACK_STEM = "untitled"
MAX_BYTES = 240

# Windows forbids these in names; the replacements keep titles readable
# ("Title: Subtitle" -> "Title - Subtitle"). '#', '^', '[' and ']' are legal
# everywhere but break Obsidian's [[wikilinks]] to the file, so they go too.
_REPLACEMENTS = {
    ":": " - ",
    "/": "-",
    "\\": "-",
    "|": "-",
    '"': "'",
    "<": "",
    ">": "",
    "?": "",
    "*": "",
    "#": "",
    "^": "",
    "[": "(",
    "]": ")",
}
_TABLE = str.maketrans(_REPLACEMENTS)

# Device names Windows reserves whatever the extension ("con.md", "Nul.txt.md").
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
)


class CaseInsensitiveNames(set):
    """A set of file names compared as a case-insensitive file system would.

    Passing one as `taken` to `portable_name` saves folding every name on
    every call, which matters when thousands of papers are named in a row.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__(_fold(name) for name in names)

    def add(self, name: str) -> None:
        """Add a name (stored folded)."""
        super().add(_fold(name))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(_fold(name))


def portable_name(
    title: str, *, taken: set[str], max_length: int = 120, suffix: str = ".md"
) -> str:
    """Make a file name from a title that is safe on every desktop system.

    Args:
        title: Any text; control characters, separators and characters
            Windows forbids are replaced or dropped.
        taken: Names already used in the folder. Compared without regard to
            case or Unicode normalisation; the set is not modified.
        max_length: Upper bound of the whole name, suffix included, in UTF-16
            code units (the name is also kept within 240 UTF-8 bytes).
        suffix: Appended to the name, e.g. ".md".

    Returns:
        A name such as "Title - Subtitle.md", or "Title (2).md" when the first
        choice is taken; "untitled.md" when nothing usable is left of the title.
    """
    stem = _clean(title)
    used = taken if isinstance(taken, CaseInsensitiveNames) else CaseInsensitiveNames(taken)
    counter = 1
    while True:
        extra = "" if counter == 1 else f" ({counter})"
        name = _fit(stem, extra + suffix, max_length)
        if name not in used:
            return name
        counter += 1


def plain_name_problem(name: str) -> str | None:
    """Say why `name` cannot be used as a file name in an export folder.

    Args:
        name: A file name the user typed, e.g. "reading-notes.md".

    Returns:
        None when the name is a plain, portable file name; otherwise a short
        reason meant for the user.
    """
    if not name or not name.strip():
        return "the name is empty"
    if "/" in name or "\\" in name or name in (".", ".."):
        return "it must be a file name, not a path"
    if name.startswith("."):
        return "it must not start with a dot"
    if any(unicodedata.category(ch) == "Cc" for ch in name) or any(ch in name for ch in '<>:"|?*'):
        return 'it must not contain control characters or any of < > : " | ? *'
    if name[-1] in ". ":
        return "it must not end with a dot or a space"
    if _is_reserved(name):
        return "it is a device name reserved by Windows"
    if _utf16_len(name) > 120 or len(name.encode("utf-8")) > MAX_BYTES:
        return "it is too long"
    return None


def _clean(title: str) -> str:
    text = unicodedata.normalize("NFC", title).translate(_TABLE)
    # Control and format characters (newlines, tabs, bidi overrides,
    # zero-width spaces) become spaces; a bidi override in a file name can
    # disguise its extension.
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    text = " ".join(text.split())
    # A leading dot hides the file on Unix, a leading dash reads as an option
    # in a shell; Windows drops trailing dots and spaces. A dash at either
    # end is mostly a replaced colon ("Title:" -> "Title -").
    text = text.strip(". -")
    if not text:
        return FALLBACK_STEM
    if _is_reserved(text):
        text = f"{text}_"
    return text


def _fit(stem: str, tail: str, max_length: int) -> str:
    """Cut `stem` so that stem + tail fits both limits, never mid-character."""
    max_bytes = MAX_BYTES
    # No character is shorter than one UTF-16 unit: cut the bulk at once,
    # then trim one character at a time.
    stem = stem[:max_length]
    while stem and (
        _utf16_len(stem + tail) > max_length or len((stem + tail).encode("utf-8")) > max_bytes
    ):
        stem = stem[:-1]
        # A combining mark without its base character renders oddly.
        while stem and unicodedata.combining(stem[-1]):
            stem = stem[:-1]
    stem = stem.rstrip(". -")
    if not stem or _is_reserved(stem):
        stem = FALLBACK_STEM[: max(1, max_length - _utf16_len(tail))]
    return stem + tail


def _is_reserved(name: str) -> bool:
    # Windows ignores everything from the first dot, and trailing spaces.
    return name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fold(name: str) -> str:
    # APFS ignores normalisation, NTFS and APFS ignore case: compare names
    # the way the strictest of them would. Normalising again after casefold
    # keeps folding idempotent, so folded names can be folded again.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
