"""The shapes of a paper as the core hands it around.

`ParsedPaper` is what the dump parser finds in a file; `Paper` is a paper of
the library with the reader's status, note and tags. Both are plain
dataclasses: the GUI, the CLI, export and the index take them without
knowing about SQL or Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Status = Literal["unread", "read"]
STATUSES: tuple[Status, ...] = ("unread", "read")


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


@dataclass(slots=True)
class Paper:
    """A paper of the library."""

    id: int
    title: str
    abstract: str
    authors: int | None = None
    organisation: str | None = None
    published: date | None = None
    published_text: str | None = None
    year_inferred: bool = False
    upvotes: int | None = None
    status: Status = "unread"
    read_at: datetime | None = None
    note: str = ""
    note_updated_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    added_at: datetime | None = None

    @property
    def byline(self) -> str:
        """Author count or organisation, as a listing shows it."""
        if self.organisation:
            return self.organisation
        if self.authors is not None:
            return f"{self.authors} author" + ("" if self.authors == 1 else "s")
        return ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the CLI contract."""
        return {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": self.authors,
            "organisation": self.organisation,
            "published": self.published.isoformat() if self.published else None,
            "published_text": self.published_text,
            "year_inferred": self.year_inferred,
            "upvotes": self.upvotes,
            "status": self.status,
            "read_at": _iso(self.read_at),
            "tags": list(self.tags),
            "note": self.note,
            "added_at": _iso(self.added_at),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
