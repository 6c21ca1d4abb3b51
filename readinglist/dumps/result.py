"""What a reader gives back: the papers it found and the blocks it left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from readinglist.papers import ParsedPaper

# The input forms a dump comes in; each has its reader module in this package.
Form = Literal["sample", "page-html", "site-json", "browser-copy", "text-browser", "markdown"]

FORM_NAMES: dict[str, str] = {
    "sample": "text dump",
    "page-html": "saved web page",
    "site-json": "the site's JSON",
    "browser-copy": "text copied from a browser",
    "text-browser": "text-browser dump",
    "markdown": "Markdown capture",
}


@dataclass(frozen=True, slots=True)
class SkippedBlock:
    """A block that might have been a paper but did not read as one.

    `candidate` is what importing it anyway would add (the preview lets the
    user tick it); None when the block has nothing a paper could be made of.
    """

    first_line: str
    reason: str
    candidate: ParsedPaper | None = None

    def to_json(self) -> dict:
        return {"first_line": self.first_line, "reason": self.reason}


@dataclass(slots=True)
class ParseResult:
    """The papers of one dump in page order, and what was skipped as doubtful.

    A paper listed twice is there twice; the importer folds duplicates.
    """

    papers: list[ParsedPaper]
    skipped: list[SkippedBlock] = field(default_factory=list)
    form: Form = "sample"
    page_date: date | None = None  # the page's own date, where it states one
    replaced_bytes: int = (
        0  # undecodable bytes replaced while decoding (a few, or the file is refused)
    )
