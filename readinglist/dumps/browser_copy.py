"""The reader of browser copies: the visible text of the site's current pages.

Select all and copy (or "Save as text") gives the page's `innerText`: one
field per line, the site's navigation around the cards, lines indented or
trailed by stray spaces, blank lines here and there:

    Daily Papers
    by AK and the research community
    Search by arxiv id or title
    Submit a paper
     Aug 1
    Submitted by  akhaliq
    94
    The Llama 3 Herd of Models
    ·
    533 authors
     5
    Submitted by  akhaliq
    ...
    Previous Next

Each line is normalised and classified, and the cards are read by the
shared state machine of `site_text`. The page's date ("Aug 1", "Aug 1,
2024") gives the result's page_date.
"""

from __future__ import annotations

from datetime import datetime

from readinglist.dumps.result import ParseResult
from readinglist.dumps.site_text import CardReader, classify, normalise


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Read a browser copy of the site's listing pages.

    Args:
        text: the copied text with LF line ends.
        snapshot: when it was copied; dates without a year resolve against the
            page's own date where it states its year, else against this.

    Returns:
        The cards that read as papers in page order, and the doubtful blocks
        (text outside any card, an entry cut off by the end of the capture).
    """
    lines = [classify(normalise(raw)) for raw in text.split("\n")]
    return CardReader(snapshot, form="browser-copy").read(lines)
