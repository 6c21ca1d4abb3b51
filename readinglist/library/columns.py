"""The columns of the library's `paper` table, by name, in table order.

The one list of them: `readinglist.library.reader` builds its queries from it (reads
never import sqlmodel, so they cannot ask `models.PaperRow`), and a test
holds it equal to the columns `models.PaperRow` declares.
"""

from __future__ import annotations

PAPER_COLUMNS: tuple[str, ...] = (
    "id",
    "title_key",
    "title",
    "abstract",
    "authors",
    "organisation",
    "published",
    "published_text",
    "year_inferred",
    "upvotes",
    "status",
    "read_at",
    "note",
    "note_updated_at",
    "added_at",
    # Schema version 3: what the site's own pages carry.
    "arxiv_id",
    "author_names",  # JSON text of a list of names
    "comments",
    "submitter",
    "github_url",
    "github_stars",
    "summary",
    "year_source",
    "incomplete",
    # Schema version 4: triage, and time spent with the paper open.
    "triage",
    "triaged_at",
    "opened_seconds",
)

# The reader's part of a paper (and its identity): what an import never writes.
READER_COLUMNS: frozenset[str] = frozenset(
    {
        "id",
        "title_key",
        "title",
        "status",
        "read_at",
        "note",
        "note_updated_at",
        "added_at",
        "triage",
        "triaged_at",
        "opened_seconds",
    }
)

# Metadata an import may add to a paper already in the library: every other
# column, in table order.
METADATA_COLUMNS: tuple[str, ...] = tuple(c for c in PAPER_COLUMNS if c not in READER_COLUMNS)
