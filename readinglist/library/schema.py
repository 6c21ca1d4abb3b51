"""Creating the library file, upgrading older ones on open, and saving damaged ones.

The version is SQLite's `user_version`. Version 1 was the first release's
schema; each later version has one upgrade step below, run in order inside
one transaction, so a file from any earlier version opens. Every transaction
starts with BEGIN IMMEDIATE (see `create_engine`), so DDL is transactional
and a second process waits for the first one's upgrade, then finds it done.
Each step still checks what is there already, so that a file left half
upgraded by an older readinglist (whose DDL was not transactional) upgrades
cleanly. A file of a newer version is refused before anything is written to it.

A new library file is built whole under a temporary name and then linked into
place, which fails if another process put one there first: nobody ever sees a
half-made or empty library file, and two processes creating the same library
at once both end up using the one that won.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.schema import CreateColumn
from sqlmodel import SQLModel

from readinglist.errors import LibraryError
from readinglist.library import tables
from readinglist.library.reader import APPLICATION_ID, SCHEMA_VERSION

_SIDE_FILES = ("-wal", "-shm", "-journal")


def create_engine(db_path: str) -> Engine:
    """An engine on the SQLite file with WAL, foreign keys and a busy timeout.

    Every transaction begins with BEGIN IMMEDIATE: it takes the write lock
    up front (waiting up to the timeout for another writer) instead of
    failing when a read turns into a write, and it makes DDL transactional.
    """
    engine = sa_create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # The driver's own transaction handling off; SQLAlchemy's begin below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _use_wal(cursor: sqlite3.Cursor, *, patience: float = 30.0) -> None:
    """Put the file in WAL mode, waiting out another process doing the same.

    Switching a file from a rollback journal (libraries of earlier releases)
    needs it alone: two processes switching at once deadlock, and SQLite
    fails one of them at once instead of letting it wait. That one tries
    again, and then finds the file switched.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# -- a new library file ----------------------------------------------------------


def create_library_file(db_path: Path) -> bool:
    """Create an empty library file at `db_path`, unless one appears there meanwhile.

    Returns:
        True if this call created it; False if another process was first (its
        file is then the library, and this one's is thrown away).
    """
    scratch = _scratch_name(db_path, "new")
    try:
        build_empty_library(scratch)
        return _link_into_place(scratch, db_path)
    finally:
        _remove_with_side_files(scratch)


def build_empty_library(path: Path) -> None:
    """Write a complete, empty library of the current schema to `path` (a new file)."""
    engine = create_engine(str(path))
    try:
        with engine.begin() as conn:
            _create_schema(conn)
    finally:
        # The last connection closed checkpoints the log into the file, so the
        # file alone holds the library when it is linked into place.
        engine.dispose()


def _create_schema(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn)
    conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')"))
    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")


def _link_into_place(scratch: Path, db_path: Path) -> bool:
    """Give the finished file its name; False if that name is taken already."""
    try:
        os.link(scratch, db_path)
    except FileExistsError:
        return False
    except OSError:
        # No hard links on this file system (FAT, some network shares): a
        # rename, checked first, leaves a race only between two first imports.
        if db_path.exists():
            return False
        os.replace(scratch, db_path)
    return True


def _scratch_name(db_path: Path, purpose: str) -> Path:
    return db_path.with_name(f".{db_path.name}.{purpose}-{uuid.uuid4().hex[:12]}")


def _remove_with_side_files(path: Path) -> None:
    for name in (path.name, *(path.name + suffix for suffix in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            path.with_name(name).unlink(missing_ok=True)


# -- upgrades ----------------------------------------------------------------------


def _upgrade_1_to_2(conn: Connection) -> None:
    # Version 2 adds saved searches.
    tables.table_of(tables.SavedSearchRow).create(conn, checkfirst=True)


def _upgrade_2_to_3(conn: Connection) -> None:
    # Version 3 keeps what the site's pages carry: the paper's new columns
    # (arXiv id, author names, counts, summary...), the page date of an
    # imported file, and the history of upvote counts.
    paper = tables.table_of(tables.PaperRow)
    _add_missing_columns(conn, paper)
    _add_missing_columns(conn, tables.table_of(tables.ImportFileRow))
    for index in paper.indexes:
        index.create(conn, checkfirst=True)
    tables.table_of(tables.UpvoteSeenRow).create(conn, checkfirst=True)
    # Dates of older imports: a year written in the date, or guessed from the file time.
    conn.exec_driver_sql(
        "UPDATE paper SET year_source = CASE WHEN year_inferred THEN 'file' ELSE 'text' END "
        "WHERE published IS NOT NULL AND year_source IS NULL"
    )
    _seed_upvote_history(conn)


def _add_missing_columns(conn: Connection, table: Table) -> None:
    """ALTER TABLE ADD COLUMN for each column the table declares and the file lacks.

    The DDL comes from the declaration, so an upgraded file has the columns a
    new file gets, in the same order (new columns are declared last).
    """
    present = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
    for column in table.columns:
        if column.name not in present:
            ddl = CreateColumn(column).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN {ddl}')


def _seed_upvote_history(conn: Connection) -> None:
    """One sighting per paper with a count: the count the library kept.

    The library kept the highest count seen; counts only grow, so it is dated
    by the latest file the paper was seen in (by that file's time, as imports
    date their sightings), or by when the paper was added.
    """
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO upvote_seen (paper_id, upvotes, seen_at, import_file_id, source) "
        "SELECT p.id, p.upvotes, coalesce(f.modified_at, p.added_at), f.id, "
        "coalesce(f.name, 'the library before schema 3') FROM paper p "
        "LEFT JOIN import_file f ON f.id = (SELECT s.import_file_id FROM paper_source s "
        "JOIN import_file g ON g.id = s.import_file_id WHERE s.paper_id = p.id "
        "ORDER BY g.imported_at DESC, g.id DESC LIMIT 1) "
        "WHERE p.upvotes IS NOT NULL"
    )


def _upgrade_3_to_4(conn: Connection) -> None:
    # Version 4 adds the Inbox's triage and the time a paper was open: new
    # columns of `paper`, which every existing paper starts without.
    _add_missing_columns(conn, tables.table_of(tables.PaperRow))


UPGRADES: dict[int, Callable[[Connection], None]] = {
    1: _upgrade_1_to_2,
    2: _upgrade_2_to_3,
    3: _upgrade_3_to_4,
}


def prepare(engine: Engine) -> int:
    """Upgrade an existing library file to the current schema; return the version found.

    The version is read after the write lock is taken, so of two processes
    opening an old file at once, the second finds the upgrade done.
    """
    with engine.begin() as conn:
        found = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        if found > SCHEMA_VERSION:
            raise LibraryError(
                f"This library was written by a newer readinglist (schema {found}); "
                "update readinglist to open it."
            )
        if found == 0:
            raise LibraryError(
                "The library file has no schema version; it is not a readinglist library."
            )
        if found == SCHEMA_VERSION:
            return found
        for version in range(found, SCHEMA_VERSION):
            UPGRADES[version](conn)
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
        return found


# -- saving what a damaged file still holds -------------------------------------------

_BATCH = 500
_MAX_ROWID = 2**63 - 1
_MIN_ROWID = -(2**63)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What `recover_library_file` saved.

    `papers` are in the new library file; `listed` is how many the damaged
    file's own count said it had, when that count could be read; `incomplete`
    names the tables with rows that could not be read; `schema_lost` says
    that not even the list of tables could be read (the new file is then an
    empty library); `kept_as` is where the damaged file is now.
    """

    papers: int
    listed: int | None
    incomplete: tuple[str, ...]
    schema_lost: bool
    kept_as: Path


def recover_library_file(db_path: Path) -> Recovery:
    """Put a new library file in place of a damaged one, holding every row still readable.

    The damaged file is only read, then kept beside the new one as
    `library.sqlite3.damaged-<timestamp>` (with its write-ahead log, if it
    had one). Its schema version stays, so an older file is upgraded on the
    next open as any other. When not even its list of tables can be read,
    the new file is an empty library.

    No other readinglist may have the library open meanwhile.
    """
    scratch = _scratch_name(db_path, "recovering")
    kept = _damaged_name(db_path)
    try:
        copied = _copy_readable(db_path, scratch)
        if copied is None:
            build_empty_library(scratch)
        _swap_in(db_path, scratch, kept)
    finally:
        _remove_with_side_files(scratch)
    conn = sqlite3.connect(db_path)
    try:
        papers = conn.execute("SELECT count(*) FROM paper").fetchone()[0]
    finally:
        conn.close()
    listed, incomplete = copied if copied is not None else (None, ())
    return Recovery(papers, listed, incomplete, schema_lost=copied is None, kept_as=kept)


def _damaged_name(db_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    serial = 1
    while kept.exists():
        serial += 1
        kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{serial}")
    return kept


def _copy_readable(source: Path, target: Path) -> tuple[int | None, tuple[str, ...]] | None:
    """Copy the schema and every readable row of `source` into the new file `target`.

    Returns:
        (the paper count the damaged file states, if readable; the tables
        with unreadable rows), or None when the schema itself cannot be read.
    """
    src = _open_read_only(source)
    try:
        try:
            objects = src.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
            ).fetchall()
            version = src.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:
            return None
        table_names = [name for kind, name, _ in objects if kind == "table"]
        if not table_names or "paper" not in table_names:
            return None
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            dst.execute("BEGIN")
            for kind, name, sql in objects:
                if kind == "table" and not name.startswith("sqlite_"):
                    dst.execute(sql)
            incomplete = tuple(
                name
                for name in table_names
                if not name.startswith("sqlite_") and not _copy_table(src, dst, name)
            )
            for kind, _name, sql in objects:
                if kind != "table":
                    with contextlib.suppress(sqlite3.Error):  # e.g. a unique index over garbage
                        dst.execute(sql)
            _drop_orphans(dst)
            _settle_meta(dst, version)
            dst.execute("COMMIT")
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
        return _stated_count(src), incomplete
    finally:
        src.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes to the file.

    Immutable (no -wal or -shm made beside it) unless the file has a log of its own to be read with
    it.
    """
    wal = path.with_name(path.name + "-wal")
    immutable = "" if wal.exists() and wal.stat().st_size > 0 else "&immutable=1"
    return sqlite3.connect(path.absolute().as_uri() + "?mode=ro" + immutable, uri=True)


def _copy_table(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> bool:
    """Copy the rows of `table` that can be read, in rowid order; True if all could."""
    try:
        columns = [row[1] for row in src.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        return False
    names = ", ".join(f'"{c}"' for c in columns)
    scan = f'SELECT rowid, {names} FROM "{table}" NOT INDEXED WHERE rowid >= ? ORDER BY rowid'
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    complete = True
    batch: list[tuple] = []
    low: int | None = _MIN_ROWID
    while low is not None:
        try:
            for row in src.execute(scan, (low,)):
                batch.append(row[1:])
                low = row[0] + 1 if row[0] < _MAX_ROWID else None
                if len(batch) >= _BATCH:
                    _insert(dst, insert, batch)
                    batch = []
                if low is None:
                    break
            break
        except sqlite3.DatabaseError:
            complete = False
            # Only the scan raises here (_insert swallows its errors), and `low` turns
            # None only at the highest rowid there can be, just before the loop breaks.
            assert low is not None, "the scan failed after its last row"
            low = _next_readable(src, scan + " LIMIT 1", low)
    _insert(dst, insert, batch)
    return complete


def _next_readable(src: sqlite3.Connection, probe: str, failed: int) -> int | None:
    """The lowest rowid after `failed` from which a scan reads again, or None past the end.

    A scan that meets a damaged page fails; a fresh scan from a rowid past
    that page works again. Jump ahead in doubling steps until one does, then
    narrow the last step down, so that little that is readable is lost.
    """

    def readable(rowid: int) -> bool:
        try:
            src.execute(probe, (rowid,)).fetchall()
        except sqlite3.DatabaseError:
            return False
        return True

    step = 1
    while True:
        if failed + step > _MAX_ROWID:
            return None
        if readable(failed + step):
            break
        step *= 2
    low, high = failed + step // 2, failed + step  # low failed (or is `failed`), high works
    while high - low > 1:
        middle = (low + high) // 2
        if readable(middle):
            high = middle
        else:
            low = middle
    return high


def _insert(dst: sqlite3.Connection, insert: str, rows: list[tuple]) -> None:
    """Insert rows; a batch that fails goes row by row, skipping the rows that fail."""
    if not rows:
        return
    try:
        dst.executemany(insert, rows)
    except sqlite3.Error:
        for row in rows:
            with contextlib.suppress(sqlite3.Error):
                dst.execute(insert, row)


def _drop_orphans(dst: sqlite3.Connection) -> None:
    """Rows pointing at rows that were lost: a nullable reference is cleared, else the row goes."""
    for table, rowid, _parent, fk_id in dst.execute("PRAGMA foreign_key_check").fetchall():
        column = next(
            row[3] for row in dst.execute(f'PRAGMA foreign_key_list("{table}")') if row[0] == fk_id
        )
        nullable = next(
            not row[3] for row in dst.execute(f'PRAGMA table_info("{table}")') if row[1] == column
        )
        if nullable:
            dst.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE rowid = ?', (rowid,))
        else:
            dst.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))


def _settle_meta(dst: sqlite3.Connection, version: int) -> None:
    """The recovered file's version, identity and a generation no index has seen.

    The generation jumps far past any the old index can have recorded, so the
    index reads as out of step whatever survived of the meta table.
    """
    dst.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL PRIMARY KEY, value VARCHAR)")
    dst.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')")
    dst.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1000000 WHERE key = 'generation'")
    dst.execute(f"PRAGMA application_id={APPLICATION_ID}")
    dst.execute(f"PRAGMA user_version={int(version)}")


def _stated_count(src: sqlite3.Connection) -> int | None:
    # The count may come from an index that survived the damage to the table.
    try:
        return src.execute("SELECT count(*) FROM paper").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def _swap_in(db_path: Path, recovered: Path, kept: Path) -> None:
    """Keep the damaged file as `kept` and put `recovered` in its place.

    The damaged file gets its second name before the recovered one takes the
    first, so the library's name never points at nothing. Its log and journal
    go with it (they are its changes and must not be replayed into the
    recovered file); the shared-memory index of its log is only dropped.
    """
    try:
        os.link(db_path, kept)
        linked = True
    except OSError:
        linked = False
    for suffix in _SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        if not side.exists():
            continue
        if suffix == "-shm" or side.stat().st_size == 0:
            side.unlink()
        else:
            os.replace(side, kept.with_name(kept.name + suffix))
    if linked:
        os.replace(recovered, db_path)
    else:
        os.replace(db_path, kept)
        os.replace(recovered, db_path)
