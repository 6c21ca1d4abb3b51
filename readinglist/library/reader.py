"""Reading the library with the standard library's sqlite3.

Reads are the hot path (the table at 100k rows, `readinglist search`), and
plain sqlite3 costs no import time, where sqlmodel costs ~0.6 s. Writes go
through `readinglist.library.writes`. Each thread gets its own connection.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from readinglist.errors import LibraryError, NotFoundError, library_problem
from readinglist.library.columns import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    JSON_COLUMNS,
    MOMENT_COLUMNS,
    PAPER_COLUMNS,
    TITLE_KEY,
)
from readinglist.papers import Paper, Status

# The schema this code reads and writes; readinglist.library.schema upgrades older files.
SCHEMA_VERSION = 4
# SQLite's application_id of every library file readinglist creates ("rlib"):
# a file is known for ours by it, whatever tables it holds. Files made before
# it was written are known by their tables and version (see inspect_library_file).
APPLICATION_ID = 0x726C6962

FileState = Literal["missing", "library", "empty", "not-sqlite", "foreign", "unversioned", "newer"]


@dataclass(frozen=True, slots=True)
class LibraryFile:
    """What the file at a library's place is, found without writing to it.

    `state`: "missing" (a new library may be created there), "library" (ours,
    `version` is its schema), "newer" (ours, from a newer readinglist), or a
    file readinglist must never write into: "empty" (0 bytes), "not-sqlite",
    "foreign" (another program's SQLite database, its `tables` named) and
    "unversioned" (readinglist's tables without a schema version).
    """

    path: Path
    state: FileState
    version: int = 0
    tables: tuple[str, ...] = ()

    @property
    def refusal(self) -> str | None:
        """Why readinglist must not open or write this file; None when it may."""
        path, folder = self.path, self.path.parent
        if self.state == "empty":
            return (
                f"The library file {path} is empty (0 bytes), so it is not a readinglist "
                "library, and readinglist leaves it alone: move it away to start a new "
                f"library in {folder}, or put a copy of your library in its place."
            )
        if self.state == "not-sqlite":
            return (
                f"Cannot open the library file {path}: it is not a readinglist library (not "
                "an SQLite database), and readinglist leaves it alone; if it was your library, "
                "it is damaged beyond repair: put a copy of your library in its place."
            )
        if self.state == "foreign":
            held = f"tables: {', '.join(self.tables[:5])}" if self.tables else "no tables"
            more = f" and {len(self.tables) - 5} more" if len(self.tables) > 5 else ""
            return (
                f"The library file {path} is an SQLite database of another program "
                f"({held}{more}), not a readinglist library; readinglist will not write "
                "into it: point --library at another folder, or move the file away."
            )
        if self.state == "unversioned":
            return (
                f"The library file {path} has no schema version; it is not a readinglist "
                "library, and readinglist leaves it alone."
            )
        if self.state == "newer":
            return (
                f"This library was written by a newer readinglist (schema {self.version}); "
                "update readinglist to open it."
            )
        return None


def inspect_library_file(db_path: Path) -> LibraryFile:
    """Tell what the file at `db_path` is, reading it only.

    Raises:
        DamagedLibraryError: the file is readinglist's (or SQLite's) but its
            schema cannot be read.
        LibraryError: the path is a folder, or cannot be read.
    """
    db_path = Path(db_path)
    # The file is only ever opened through SQLite. Closing any descriptor of it
    # opened otherwise (a plain open() to read its header) would drop every
    # lock this process's SQLite connections hold on it: another process would
    # then take itself for the file's last user and delete the -wal and -shm
    # files under those connections, which damages the library.
    try:
        size = db_path.stat().st_size
    except FileNotFoundError:
        return LibraryFile(db_path, "missing")
    except OSError as exc:
        raise library_problem(exc, db_path) from exc
    if db_path.is_dir():
        raise LibraryError(f"The library file {db_path} is a folder, not a file.")
    has_wal = _wal_size(db_path) > 0
    if size == 0 and not has_wal:
        return LibraryFile(db_path, "empty")
    if not os.access(db_path, os.R_OK):
        denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(db_path))
        raise library_problem(denied, db_path)
    identity = _identity(db_path, has_wal)
    if identity is None:
        return LibraryFile(db_path, "not-sqlite")
    application_id, version, tables = identity
    ours = application_id == APPLICATION_ID or {"paper", "meta"} <= set(tables)
    if application_id not in (0, APPLICATION_ID) or not ours:
        return LibraryFile(db_path, "foreign", version, tables)
    if version == 0:
        return LibraryFile(db_path, "unversioned", version, tables)
    if version > SCHEMA_VERSION:
        return LibraryFile(db_path, "newer", version, tables)
    return LibraryFile(db_path, "library", version, tables)


def _wal_size(db_path: Path) -> int:
    try:
        return db_path.with_name(db_path.name + "-wal").stat().st_size
    except OSError:
        return 0


def _identity(db_path: Path, has_wal: bool) -> tuple[int, int, tuple[str, ...]] | None:
    """(application_id, user_version, table names) of an SQLite file, opened read-only.

    None when the file is not an SQLite database at all. Without a
    write-ahead log beside it the file is opened immutable, which creates no
    -wal and -shm files next to somebody else's database. A read that fails
    so (another process began writing meanwhile) is tried again the ordinary
    read-only way before the file is called damaged.
    """
    uri = db_path.absolute().as_uri() + "?mode=ro"
    if not has_wal:
        try:
            return _read_identity(uri + "&immutable=1")
        except sqlite3.Error:
            pass
    try:
        return _read_identity(uri)
    except sqlite3.Error as exc:
        if _not_a_database(exc):
            return None
        raise library_problem(exc, db_path) from exc


def _not_a_database(exc: sqlite3.Error) -> bool:
    """True for SQLite's "file is not a database": the file's header is not SQLite's."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB


def _read_identity(uri: str) -> tuple[int, int, tuple[str, ...]]:
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = tuple(
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY rowid"
            )
        )
    finally:
        conn.close()
    return application_id, version, tables


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

# Orders that are rankings rather than columns (Collection.ordered): learned
# for the person, and upvotes gained per day lately, best first. LIST_SORTS is
# every order a listing takes.
RankingSort = Literal["for-you", "rising"]
RANKING_SORTS: tuple[RankingSort, ...] = ("for-you", "rising")
LIST_SORTS: tuple[str, ...] = (*SORT_KEYS, *RANKING_SORTS)

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

# A Paper is every column but the dedup key (its tags come from their own
# table). They are selected in the order of Paper's fields, so that a row
# becomes a Paper positionally: reading 100k papers is a third faster than
# by name.
_READ_COLUMNS: tuple[str, ...] = tuple(c for c in PAPER_COLUMNS if c != TITLE_KEY)
_PAPER_COLUMNS = ", ".join(f"p.{column}" for column in _READ_COLUMNS)
_TAGS_AT = tuple(Paper.__dataclass_fields__).index("tags")

_CHUNK = 900  # below SQLite's default limit of host parameters


@dataclass(frozen=True, slots=True)
class ReadingSignals:
    """A paper's text and what the user did with it (see `reading_signals`)."""

    id: int
    title: str
    abstract: str
    upvotes: int | None
    published: date | None
    read: bool
    note: bool
    tags: int
    opened_seconds: float
    dismissed: bool


@dataclass(frozen=True, slots=True)
class PaperActivity:
    """When a paper was added, read and put aside (see `activity`)."""

    added_at: datetime | None
    read_at: datetime | None
    triaged_at: datetime | None
    triage: str | None


@dataclass(frozen=True, slots=True)
class PaperFilter:
    """Which papers a view shows. Empty filter: all papers."""

    status: Status | None = None
    tags: tuple[str, ...] = ()
    with_notes: bool = False
    last_import: bool = False
    years: tuple[int, int] | None = None
    inbox: bool = False
    dismissed: bool | None = None  # True: only dismissed papers; False: none of them


ALL_PAPERS = PaperFilter()


@dataclass(slots=True)
class KnownPapers:
    """Papers of the library (and those planned in an import), by both dedup keys.

    Their tags are not read: an import never touches them.

    The arXiv id decides first: a paper carrying one is the library's paper
    with that id. Else the title key decides, unless the paper found under it
    has another arXiv id: two ids are two papers, whatever their titles.
    """

    by_key: dict[str, Paper] = field(default_factory=dict)
    by_arxiv: dict[str, Paper] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)  # paper id -> its title key

    def match(self, key: str, arxiv_id: str | None) -> Paper | None:
        """The known paper a paper with this title key and arXiv id is, or None."""
        if arxiv_id:
            found = self.by_arxiv.get(arxiv_id)
            if found is not None:
                return found
        found = self.by_key.get(key)
        if found is not None and arxiv_id and found.arxiv_id and found.arxiv_id != arxiv_id:
            return None
        return found

    def put(self, paper: Paper, key: str | None = None) -> None:
        """Add a paper under its title key `key`, or replace one known already (key omitted)."""
        key = self.keys[paper.id] if key is None else key
        self.keys[paper.id] = key
        self.by_key[key] = paper
        if paper.arxiv_id:
            self.by_arxiv[paper.arxiv_id] = paper

    def key_of(self, paper: Paper) -> str:
        """The title key a known paper is stored under."""
        return self.keys[paper.id]


@dataclass(frozen=True, slots=True)
class UpvoteSeen:
    """An upvote count seen in an imported file (see `LibraryReader.upvote_history`)."""

    upvotes: int
    seen_at: datetime
    source: str

    def to_json(self) -> dict:
        return {
            "upvotes": self.upvotes,
            "seen_at": self.seen_at.isoformat(timespec="seconds"),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query the reader named and kept in the library."""

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
    """Paper counts for the sidebar: by view, by status, and per tag."""

    papers: int = 0
    unread: int = 0
    read: int = 0
    with_notes: int = 0
    last_import: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)
    inbox: int = 0


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _moment(value: str | None) -> datetime | None:
    return _aware(value) if value else None


def _aware(value: str) -> datetime:
    """A time as the library stores it, made aware: times without a zone are UTC."""
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
                # mode=rw: a reader never creates the file (an empty file left
                # behind would be refused as not a library).
                conn = sqlite3.connect(
                    Path(self._db_path).absolute().as_uri() + "?mode=rw", uri=True, timeout=30
                )
            except sqlite3.Error as exc:
                raise library_problem(exc, self._db_path) from exc
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
            inbox=conn.execute(f"SELECT count(*) FROM paper p WHERE {_INBOX_SQL}").fetchone()[0],
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

    def find_known(self, title_keys: Sequence[str], arxiv_ids: Sequence[str] = ()) -> KnownPapers:
        """Papers already in the library with one of these title keys or arXiv ids."""
        known = KnownPapers()
        conn = self._conn()
        for column, values in (("title_key", title_keys), ("arxiv_id", arxiv_ids)):
            values = list(dict.fromkeys(v for v in values if v))
            for start in range(0, len(values), _CHUNK):
                chunk = values[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT p.title_key, {_PAPER_COLUMNS} FROM paper p "
                    f"WHERE p.{column} IN ({marks})",
                    chunk,
                ):
                    known.put(_paper(row[1:]), row[0])
        return known

    def upvote_history(self, paper_id: int) -> list[UpvoteSeen]:
        """The upvote counts seen for a paper, oldest first."""
        return [
            UpvoteSeen(upvotes=r[0], seen_at=_aware(r[1]), source=r[2])
            for r in self._conn().execute(
                "SELECT upvotes, seen_at, source FROM upvote_seen WHERE paper_id = ? "
                "ORDER BY seen_at, id",
                (paper_id,),
            )
        ]

    def upvote_histories(self, ids: Sequence[int]) -> dict[int, list[UpvoteSeen]]:
        """The upvote history of each of these papers, oldest first (none: left out)."""
        found: dict[int, list[UpvoteSeen]] = {}
        conn = self._conn()
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for paper_id, upvotes, seen_at, source in conn.execute(
                "SELECT paper_id, upvotes, seen_at, source FROM upvote_seen "
                f"WHERE paper_id IN ({marks}) ORDER BY seen_at, id",
                chunk,
            ):
                found.setdefault(paper_id, []).append(UpvoteSeen(upvotes, _aware(seen_at), source))
        return found

    def all_tags(self) -> list[str]:
        """Every tag name, for completion."""
        return [
            r[0] for r in self._conn().execute("SELECT name FROM tag ORDER BY name COLLATE NOCASE")
        ]

    def sources(self, paper_id: int) -> list[Source]:
        """The files this paper was seen in, oldest first."""
        return [
            Source(name=r[0], path=r[1], sha256=r[2], imported_at=_aware(r[3]), outcome=r[4])
            for r in self._conn().execute(
                "SELECT f.name, f.path, f.sha256, f.imported_at, s.outcome FROM paper_source s "
                "JOIN import_file f ON f.id = s.import_file_id WHERE s.paper_id = ? "
                "ORDER BY f.imported_at, s.id",
                (paper_id,),
            )
        ]

    def has_import_file(self, sha256: str) -> bool:
        """True if a file with this content (its SHA-256) was imported before."""
        row = (
            self._conn()
            .execute("SELECT 1 FROM import_file WHERE sha256 = ? LIMIT 1", (sha256,))
            .fetchone()
        )
        return row is not None

    def reading_signals(self) -> list[ReadingSignals]:
        """What the user did with each paper, with its text: the ranking's input."""
        rows = self._conn().execute(
            "SELECT p.id, p.title, p.abstract, p.upvotes, p.published, p.status = 'read', "
            "p.note != '', (SELECT count(*) FROM paper_tag pt WHERE pt.paper_id = p.id), "
            "p.opened_seconds, p.triage = 'dismissed' FROM paper p ORDER BY p.id"
        )
        return [
            ReadingSignals(
                id=r[0],
                title=r[1],
                abstract=r[2],
                upvotes=r[3],
                published=_date(r[4]),
                read=bool(r[5]),
                note=bool(r[6]),
                tags=r[7],
                opened_seconds=r[8],
                dismissed=bool(r[9]),  # NULL, not 0, for a paper without triage
            )
            for r in rows
        ]

    def activity(self) -> list[PaperActivity]:
        """When each paper was added, read and triaged: the Reading view's input."""
        return [
            PaperActivity(_moment(r[0]), _moment(r[1]), _moment(r[2]), r[3])
            for r in self._conn().execute(
                "SELECT added_at, read_at, triaged_at, triage FROM paper ORDER BY added_at"
            )
        ]

    def saved_searches(self) -> list[SavedSearch]:
        return [
            SavedSearch(*r)
            for r in self._conn().execute(
                "SELECT id, name, query FROM saved_search ORDER BY name COLLATE NOCASE"
            )
        ]


# The Inbox: papers added within INBOX_DAYS of the newest addition (not of
# today: a user back from a month away still finds the last pages waiting)
# that the user has not dealt with: unread, not put aside for later nor
# dismissed, and without a note or tags of their own.
INBOX_DAYS = 14
_INBOX_SQL = (
    "p.status = 'unread' AND p.triage IS NULL AND p.note = '' "
    "AND NOT EXISTS (SELECT 1 FROM paper_tag pt WHERE pt.paper_id = p.id) "
    "AND p.added_at >= "
    f"(SELECT datetime(max(added_at), '-{INBOX_DAYS} days') FROM paper)"
)

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
    if view.inbox:
        clauses.append(_INBOX_SQL)
    if view.dismissed is not None:
        clauses.append(
            "p.triage = 'dismissed'" if view.dismissed else "p.triage IS NOT 'dismissed'"
        )
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
    values = list(row)
    for index, convert in _CONVERSIONS:
        values[index] = convert(values[index])
    values.insert(_TAGS_AT, [])
    return Paper(*values)


def names_from_json(text: str | None) -> tuple[str, ...]:
    """Author names as the `author_names` column holds them (JSON text of a list)."""
    if not text:
        return ()
    try:
        names = json.loads(text)
    except ValueError:
        return ()
    return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()


# Each conversion knows its column's SQLite type (by its field's Python
# type); a row's values are untyped.
_FROM_SQL: dict[str, Callable[[Any], object]] = {
    **dict.fromkeys(DATE_COLUMNS, _date),
    **dict.fromkeys(MOMENT_COLUMNS, _moment),
    **dict.fromkeys(BOOL_COLUMNS, bool),
    **dict.fromkeys(JSON_COLUMNS, names_from_json),
    "note": lambda note: note or "",
}
# (position in a row of _PAPER_COLUMNS, conversion from SQL)
_CONVERSIONS = tuple(
    (index, _FROM_SQL[name]) for index, name in enumerate(_READ_COLUMNS) if name in _FROM_SQL
)
