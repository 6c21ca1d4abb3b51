"""Reading the library with the standard library's sqlite3.

Reads are the hot path (the table at 100k rows, `readinglist search`), and
plain sqlite3 costs no import time, where sqlmodel costs ~0.6 s. Writes go
through `readinglist.library`. Each thread gets its own connection.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from readinglist.errors import LibraryError, NotFoundError
from readinglist.papers import Paper, Status

# The schema this code reads and writes; readinglist.schema upgrades older files.
SCHEMA_VERSION = 2

SortKey = Literal["title", "byline", "published", "upvotes", "status", "tags", "added"]
SORT_KEYS: tuple[SortKey, ...] = (
    "title",
    "byline",
    "published",
    "upvotes",
    "status",
    "tags",
    "added",
)

_SORT_SQL: dict[str, str] = {
    "title": "p.title COLLATE NOCASE",
    "byline": "coalesce(p.organisation, printf('%06d authors', p.authors), '') COLLATE NOCASE",
    "published": "p.published",
    "upvotes": "coalesce(p.upvotes, -1)",
    "status": "p.status",
    "tags": "(SELECT group_concat(t.name, ', ') FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
    "WHERE pt.paper_id = p.id) COLLATE NOCASE",
    "added": "p.added_at",
}

_PAPER_COLUMNS = (
    "p.id, p.title, p.abstract, p.authors, p.organisation, p.published, p.published_text, "
    "p.year_inferred, p.upvotes, p.status, p.read_at, p.note, p.note_updated_at, p.added_at"
)

_CHUNK = 900  # below SQLite's default limit of host parameters


@dataclass(frozen=True, slots=True)
class PaperFilter:
    """Which papers a view shows. Empty filter: all papers."""

    status: Status | None = None
    tags: tuple[str, ...] = ()
    with_notes: bool = False
    last_import: bool = False
    years: tuple[int, int] | None = None


ALL_PAPERS = PaperFilter()


@dataclass(frozen=True, slots=True)
class KnownPaper:
    """What an import needs to know of a paper already in the library."""

    id: int
    authors: int | None
    organisation: str | None
    published: date | None
    published_text: str | None
    year_inferred: bool
    upvotes: int | None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class Source:
    """A file a paper was seen in."""

    name: str
    path: str
    sha256: str
    imported_at: datetime
    outcome: str


@dataclass(slots=True)
class LibraryStats:
    papers: int = 0
    unread: int = 0
    read: int = 0
    with_notes: int = 0
    last_import: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LibraryReader:
    """Read-only queries on a library file; safe to share between threads."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._local = threading.local()
        self._all_ids: tuple[int, frozenset[int]] | None = None  # (generation, ids)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self._db_path, timeout=30)
            except sqlite3.Error as exc:
                raise LibraryError(f"Cannot open the library file {self._db_path}: {exc}") from exc
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- facts -----------------------------------------------------------

    def generation(self) -> int:
        """The change counter, bumped by every write."""
        row = self._conn().execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def schema_version(self) -> int:
        """The schema version recorded in the file."""
        return self._conn().execute("PRAGMA user_version").fetchone()[0]

    def count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM paper").fetchone()[0]

    def stats(self) -> LibraryStats:
        """Counts for the sidebar views and tags."""
        conn = self._conn()
        papers, unread, with_notes = conn.execute(
            "SELECT count(*), coalesce(sum(status='unread'), 0), coalesce(sum(note != ''), 0) "
            "FROM paper"
        ).fetchone()
        last = conn.execute(
            f"SELECT count(DISTINCT paper_id) FROM paper_source WHERE {_LAST_IMPORT_SQL}"
        ).fetchone()[0]
        return LibraryStats(
            papers=papers,
            unread=unread,
            read=papers - unread,
            with_notes=with_notes,
            last_import=last,
            tags=self.tag_counts(),
        )

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of papers carrying it, by name."""
        return (
            self._conn()
            .execute(
                "SELECT t.name, count(pt.paper_id) FROM tag t LEFT JOIN paper_tag pt "
                "ON pt.tag_id = t.id GROUP BY t.id HAVING count(pt.paper_id) > 0 "
                "ORDER BY t.name COLLATE NOCASE"
            )
            .fetchall()
        )

    # -- papers ----------------------------------------------------------

    def get(self, paper_id: int) -> Paper:
        """One paper; NotFoundError if the id is not in the library."""
        papers = self.get_many([paper_id])
        if not papers:
            raise NotFoundError(f"No paper with id {paper_id} in the library.")
        return papers[0]

    def get_many(self, ids: Sequence[int]) -> list[Paper]:
        """The papers with these ids, in the order given; unknown ids are left out."""
        found: dict[int, Paper] = {}
        conn = self._conn()
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                f"SELECT {_PAPER_COLUMNS} FROM paper p WHERE p.id IN ({marks})", chunk
            ):
                found[row[0]] = _paper(row)
            for paper_id, name in conn.execute(
                f"SELECT pt.paper_id, t.name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
                f"WHERE pt.paper_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
                chunk,
            ):
                found[paper_id].tags.append(name)
        return [found[i] for i in ids if i in found]

    def iter_papers(self, batch: int = 2000) -> Iterator[Paper]:
        """Every paper, by id, in batches (for index rebuilds and export)."""
        last = 0
        conn = self._conn()
        while True:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM paper WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
                )
            ]
            if not ids:
                return
            yield from self.get_many(ids)
            last = ids[-1]

    def list_ids(
        self,
        view: PaperFilter = ALL_PAPERS,
        *,
        sort: SortKey | None = "added",
        descending: bool = False,
        within: Sequence[int] | None = None,
    ) -> list[int]:
        """Ids of the papers in `view`, sorted in SQL.

        With `within` (e.g. ranked search hits) only those ids are kept, and
        `sort=None` keeps their order.
        """
        if within is not None and sort is None:
            # Faster in Python than through json_each: ~85 ms for 60,000 ids.
            present = self._ids_in(view)
            return [paper_id for paper_id in within if paper_id in present]
        where, params = _where(view)
        joins = ""
        order = ""
        if within is not None:
            joins = "JOIN json_each(?) w ON w.value = p.id"
            params.insert(0, json.dumps(list(within)))
            order = "w.key"
        if sort is not None:
            if sort not in _SORT_SQL:
                raise ValueError(f"unknown sort key {sort!r}")
            direction = "DESC" if descending else "ASC"
            order = f"{_SORT_SQL[sort]} {direction}, p.id {direction}"
        elif not order:
            order = "p.id"
        sql = f"SELECT p.id FROM paper p {joins} {where} ORDER BY {order}"
        return [r[0] for r in self._conn().execute(sql, params)]

    def _ids_in(self, view: PaperFilter) -> frozenset[int]:
        """The ids of a view; those of all papers are kept until the next write."""
        if view != ALL_PAPERS:
            where, params = _where(view)
            rows = self._conn().execute(f"SELECT p.id FROM paper p {where}", params)
            return frozenset(r[0] for r in rows)
        generation = self.generation()  # read first: a write after it only makes this stale
        cached = self._all_ids
        if cached is None or cached[0] != generation:
            rows = self._conn().execute("SELECT id FROM paper")
            cached = (generation, frozenset(r[0] for r in rows))
            self._all_ids = cached
        return cached[1]

    def find_known(self, title_keys: Sequence[str]) -> dict[str, KnownPaper]:
        """Papers already in the library, by title key."""
        found: dict[str, KnownPaper] = {}
        conn = self._conn()
        for start in range(0, len(title_keys), _CHUNK):
            chunk = list(title_keys[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                "SELECT title_key, id, authors, organisation, published, published_text, "
                f"year_inferred, upvotes FROM paper WHERE title_key IN ({marks})",
                chunk,
            ):
                found[row[0]] = KnownPaper(
                    id=row[1],
                    authors=row[2],
                    organisation=row[3],
                    published=_date(row[4]),
                    published_text=row[5],
                    year_inferred=bool(row[6]),
                    upvotes=row[7],
                )
        return found

    def all_tags(self) -> list[str]:
        """Every tag name, for completion."""
        return [
            r[0] for r in self._conn().execute("SELECT name FROM tag ORDER BY name COLLATE NOCASE")
        ]

    def sources(self, paper_id: int) -> list[Source]:
        """The files this paper was seen in, oldest first."""
        return [
            Source(name=r[0], path=r[1], sha256=r[2], imported_at=_moment(r[3]), outcome=r[4])
            for r in self._conn().execute(
                "SELECT f.name, f.path, f.sha256, f.imported_at, s.outcome FROM paper_source s "
                "JOIN import_file f ON f.id = s.import_file_id WHERE s.paper_id = ? "
                "ORDER BY f.imported_at, s.id",
                (paper_id,),
            )
        ]

    def saved_searches(self) -> list[SavedSearch]:
        return [
            SavedSearch(*r)
            for r in self._conn().execute(
                "SELECT id, name, query FROM saved_search ORDER BY name COLLATE NOCASE"
            )
        ]


_LAST_IMPORT_SQL = (
    "import_file_id IN (SELECT id FROM import_file WHERE batch = "
    "(SELECT max(batch) FROM import_file))"
)


def _where(view: PaperFilter) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if view.status is not None:
        clauses.append("p.status = ?")
        params.append(view.status)
    if view.with_notes:
        clauses.append("p.note != ''")
    if view.last_import:
        clauses.append(f"p.id IN (SELECT paper_id FROM paper_source WHERE {_LAST_IMPORT_SQL})")
    if view.years is not None:
        clauses.append("CAST(strftime('%Y', p.published) AS INTEGER) BETWEEN ? AND ?")
        params.extend(view.years)
    for tag in view.tags:
        clauses.append(
            "EXISTS (SELECT 1 FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
            "WHERE pt.paper_id = p.id AND t.name = ? COLLATE NOCASE)"
        )
        params.append(tag)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _paper(row: tuple) -> Paper:
    return Paper(
        id=row[0],
        title=row[1],
        abstract=row[2],
        authors=row[3],
        organisation=row[4],
        published=_date(row[5]),
        published_text=row[6],
        year_inferred=bool(row[7]),
        upvotes=row[8],
        status=row[9],
        read_at=_moment(row[10]),
        note=row[11] or "",
        note_updated_at=_moment(row[12]),
        tags=[],
        added_at=_moment(row[13]),
    )
