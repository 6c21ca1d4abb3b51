"""The shapes of a paper as the core hands it around.

A paper has three shapes, each for a reason: `ParsedPaper` is what a reader
of a page dump found in a file; `Paper` is what the library holds, with the
reader's status, note and tags, and declares the library's `paper` table
(see `Stored`); `readinglist.index.index.IndexDoc` is what the search index
keeps. All are plain dataclasses: the GUI, the CLI, export and the index
take them without knowing about SQL or Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal

Status = Literal["unread", "read"]
STATUSES: tuple[Status, ...] = ("unread", "read")

# Where the year of a date came from: written in the date itself ("Jul 16,
# 2023"), the page's own date (a daily page's header, a capture's "Captured"
# line, the JSON's dates), the file's modification time (a guess), or the
# user, who corrected it (an import never overwrites that).
YearSource = Literal["text", "page", "file", "user"]
# What the user did with a paper of the Inbox besides reading it.
Triage = Literal["later", "dismissed"]
TRIAGES: tuple[Triage, ...] = ("later", "dismissed")

SITE_PAPER_URL = "https://huggingface.co/papers/{}"
ARXIV_URL = "https://arxiv.org/abs/{}"


def site_url(arxiv_id: str | None) -> str | None:
    """The paper's page on the daily-papers site."""
    return SITE_PAPER_URL.format(arxiv_id) if arxiv_id else None


def arxiv_url(arxiv_id: str | None) -> str | None:
    """The paper's abstract page on arXiv."""
    return ARXIV_URL.format(arxiv_id) if arxiv_id else None


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One entry of a page dump, as found in the file."""

    title: str
    abstract: str
    authors: int | None = None
    organisation: str | None = None
    published: date | None = None
    published_text: str | None = None
    year_inferred: bool = False
    upvotes: int | None = None
    # What the site's own pages carry beyond the sample dumps (saved HTML,
    # its JSON, captures with links). Appended after the fields above, which
    # the sample reader passes positionally.
    arxiv_id: str | None = None
    author_names: tuple[str, ...] = ()
    comments: int | None = None
    submitter: str | None = None
    github_url: str | None = None
    github_stars: int | None = None
    summary: str | None = None  # the site's one-sentence AI summary, kept apart from the abstract
    year_source: YearSource | None = None  # who said the year of `published`
    incomplete: bool = False  # cut off: the capture ended inside this entry

    @property
    def url(self) -> str | None:
        """The paper's page on the site, when its arXiv id is known."""
        return site_url(self.arxiv_id)


Writer = Literal["identity", "import", "reader"]


@dataclass(frozen=True, slots=True)
class Stored:
    """How the library's `paper` table stores a field of `Paper`.

    The table, its column lists and the conversions to and from SQL are all
    derived from `Paper`'s fields and this (see `readinglist.library.columns`
    and `readinglist.library.tables`): a new field is one edit here, plus a
    schema upgrade.

    Attributes:
        writer: who writes the column. "identity": set once when the paper is
            added; "import": metadata an import adds to a known paper (a field
            of `ParsedPaper` too, of the same name); "reader": what the person
            made of the paper, which no import ever writes.
        undo: an edit of the reader's part (mark, note, tags, triage, the
            year) is undone by putting this column back as it was.
        indexed: the table has an index on the column (lists sort by it).
        required: NOT NULL, although a `Paper` built outside the library may
            leave it None.
        server_default: the SQL default of a NOT NULL column added by a
            schema upgrade (ALTER TABLE needs one for the papers already there).
    """

    writer: Writer
    undo: bool = False
    indexed: bool = False
    required: bool = False
    server_default: str | None = None


STORED = "stored"  # the key of `Stored` in a field's metadata


def stored(writer: Writer, **how: Any) -> dict[str, Stored]:
    """A field's metadata saying how the library stores it (see `Stored`)."""
    return {STORED: Stored(writer, **how)}


@dataclass(slots=True)
class Paper:
    """A paper of the library: what the pages said of it, and what the reader made of it.

    Each field but `tags` (its own table) is a column of the `paper` table,
    in the table's order; the table also holds the title's dedup key, which
    only the importer uses. Fields added by a schema upgrade come last.
    """

    id: int = field(metadata=stored("identity"))
    title: str = field(metadata=stored("identity"))
    abstract: str = field(metadata=stored("import"))
    authors: int | None = field(default=None, metadata=stored("import"))
    organisation: str | None = field(default=None, metadata=stored("import"))
    published: date | None = field(default=None, metadata=stored("import", undo=True, indexed=True))
    published_text: str | None = field(default=None, metadata=stored("import", undo=True))
    year_inferred: bool = field(default=False, metadata=stored("import", undo=True))
    upvotes: int | None = field(default=None, metadata=stored("import", indexed=True))
    status: Status = field(default="unread", metadata=stored("reader", undo=True, indexed=True))
    read_at: datetime | None = field(default=None, metadata=stored("reader", undo=True))
    note: str = field(default="", metadata=stored("reader", undo=True))
    note_updated_at: datetime | None = field(default=None, metadata=stored("reader", undo=True))
    tags: list[str] = field(default_factory=list)
    added_at: datetime | None = field(
        default=None, metadata=stored("identity", indexed=True, required=True)
    )
    # Schema version 3: what the site's own pages carry.
    arxiv_id: str | None = field(default=None, metadata=stored("import"))
    # Stored as JSON text of a list; NULL when empty (the names are unknown).
    author_names: tuple[str, ...] = field(default=(), metadata=stored("import"))
    comments: int | None = field(default=None, metadata=stored("import"))
    submitter: str | None = field(default=None, metadata=stored("import"))
    github_url: str | None = field(default=None, metadata=stored("import"))
    github_stars: int | None = field(default=None, metadata=stored("import"))
    summary: str | None = field(default=None, metadata=stored("import"))
    year_source: YearSource | None = field(default=None, metadata=stored("import", undo=True))
    incomplete: bool = field(default=False, metadata=stored("import", server_default="0"))
    # Schema version 4: the Inbox's triage, and how long the paper was open
    # (time spent is not undone: an undo of a mark keeps the reading time).
    triage: Triage | None = field(default=None, metadata=stored("reader", undo=True))
    triaged_at: datetime | None = field(default=None, metadata=stored("reader", undo=True))
    opened_seconds: float = field(default=0.0, metadata=stored("reader", server_default="0"))

    @property
    def url(self) -> str | None:
        """The paper's page on the site, when its arXiv id is known."""
        return site_url(self.arxiv_id)

    @property
    def year_guessed(self) -> bool:
        """True when the year of `published` was guessed from a file's time."""
        return self.published is not None and self.year_source == "file"

    @property
    def arxiv_url(self) -> str | None:
        """The paper on arXiv, when its id is known."""
        return arxiv_url(self.arxiv_id)

    @property
    def byline(self) -> str:
        """Author count or organisation, as a listing shows it."""
        if self.organisation:
            return self.organisation
        if self.authors is not None:
            return f"{self.authors} author" + ("" if self.authors == 1 else "s")
        return ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the CLI contract: every field, then the links and the year's guess."""
        values = {f.name: _json_value(getattr(self, f.name)) for f in fields(self)}
        return values | {
            "url": self.url,
            "arxiv_url": self.arxiv_url,
            "year_guessed": self.year_guessed,
        }


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return list(value)
    return value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
