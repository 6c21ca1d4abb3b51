"""The records the library's writes take and give back.

Plain dataclasses, kept apart from `readinglist.library.writes` so that the importer,
the GUI's undo and the read path use them without importing SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from readinglist.papers import ParsedPaper


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Where an import's papers came from."""

    path: str
    name: str
    size: int
    sha256: str
    modified_at: datetime
    page_date: date | None = None  # the date the page states of itself, if it does
    form: str | None = None  # the input form its reader took it for

    @property
    def seen_at(self) -> datetime:
        """When the file's upvote counts were seen: the page's date, else the file's time."""
        if self.page_date is not None:
            return datetime(
                self.page_date.year, self.page_date.month, self.page_date.day, tzinfo=UTC
            )
        return self.modified_at


@dataclass(slots=True)
class FileChanges:
    """What writing one file does to the library, decided against its current state."""

    new: list[tuple[int, str, ParsedPaper]] = field(default_factory=list)  # position, key, paper
    # position, paper id, the metadata it gains (named as in ParsedPaper)
    updates: list[tuple[int, int, dict]] = field(default_factory=list)
    unchanged: list[tuple[int, int]] = field(default_factory=list)  # position, paper id
    # The highest upvote count the file shows for each known paper it holds
    # (new papers carry theirs), for the upvote history.
    upvotes_seen: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class FileWrite:
    """What one file's import did, by paper id."""

    added: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DeletedPapers:
    """Everything needed to bring deleted papers back exactly."""

    papers: tuple[dict, ...]
    tags: tuple[tuple[int, str], ...]
    sources: tuple[dict, ...]
    upvotes_seen: tuple[dict, ...] = ()

    @property
    def ids(self) -> list[int]:
        return [p["id"] for p in self.papers]
