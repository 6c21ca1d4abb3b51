"""The records the library's writes take and give back.

Plain dataclasses, kept apart from `readinglist.library` so that the importer,
the GUI's undo and the read path use them without importing SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Where an import's papers came from."""

    path: str
    name: str
    size: int
    sha256: str
    modified_at: datetime


@dataclass(frozen=True, slots=True)
class PaperUpdate:
    """Metadata an import adds to a known paper."""

    paper_id: int
    values: dict


@dataclass(slots=True)
class FileWrite:
    """What one file's import did, by paper id."""

    added: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PaperState:
    """The reader's part of a paper, for undo of mark, tag and note edits."""

    id: int
    status: str
    read_at: datetime | None
    note: str
    note_updated_at: datetime | None
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeletedPapers:
    """Everything needed to bring deleted papers back exactly."""

    papers: tuple[dict, ...]
    tags: tuple[tuple[int, str], ...]
    sources: tuple[dict, ...]

    @property
    def ids(self) -> list[int]:
        return [p["id"] for p in self.papers]
