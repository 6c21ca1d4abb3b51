"""Readers of page dumps: the bytes a user saved -> the papers in them.

One module per input form, a shared judge of what reads as a paper, the
dispatcher that sniffs the form, and what they share: decoding, HTML text,
dates, titles. Pure functions, no I/O; imports only the base (papers,
errors, paths, version), never the library, the index, export or Qt.
"""

from readinglist.dumps.dispatch import (
    EMPTY,
    NO_PAPERS,
    SUPPORTED_SUFFIXES,
    parse_dump,
    parse_text,
    read_dump,
    read_text,
)
from readinglist.dumps.result import FORM_NAMES, ParseResult, SkippedBlock

__all__ = [
    "EMPTY",
    "FORM_NAMES",
    "NO_PAPERS",
    "SUPPORTED_SUFFIXES",
    "ParseResult",
    "SkippedBlock",
    "parse_dump",
    "parse_text",
    "read_dump",
    "read_text",
]
