"""Reader of a saved page (placeholder: its visible text through the sample reader)."""

from __future__ import annotations

from datetime import datetime

from readinglist.dumps import sample_text
from readinglist.dumps.result import ParseResult
from readinglist.htmltext import html_to_text


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Placeholder until the page reader lands: the visible text as a sample dump."""
    return ParseResult(sample_text.parse_lines(html_to_text(text), snapshot), form="page-html")
