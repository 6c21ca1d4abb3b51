"""Reader of the site's JSON: what its API answers, saved to a file.

Accepted shapes: the daily-papers API (a list of `{paper: {...}, numComments,
submittedBy, organization, ...}`), a list of bare paper objects (the search
API), an object wrapping such a list (`{"dailyPapers": [...]}`, `{"papers":
[...]}`, any key), a single paper or entry. `site_records` turns each entry
into a paper. JSON that holds none of these (a config file, a list of
numbers, `{}`) gives no papers; a file cut short gives the entries before
the cut.
"""

from __future__ import annotations

import json
from datetime import datetime

from readinglist.dumps import site_records
from readinglist.dumps.result import ParseResult


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Read the site's JSON from its decoded text.

    Args:
        text: the file's text.
        snapshot: unused: every date in the site's JSON states its year.

    Returns:
        The papers in listing order, the entries without a title as skipped
        blocks, and the listing's own date where it has one.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return _read_cut(text)
    entries = site_records.choose(site_records.find_listings(data))
    papers, skipped = site_records.read_entries(entries)
    return ParseResult(papers, skipped, "site-json", site_records.listing_date(data, entries))


def _read_cut(text: str) -> ParseResult:
    """A file cut short (or not JSON after all): the whole entries before the cut."""
    cut = site_records.salvage(text)
    listings = [found for run in cut.runs for found in site_records.find_listings(run)]
    entries = site_records.choose(listings)
    papers, skipped = site_records.read_entries(entries)
    if cut.rest is not None:
        skipped.append(site_records.cut_entry(text, cut.rest))
    return ParseResult(papers, skipped, "site-json", site_records.listing_date(cut.fields, entries))
