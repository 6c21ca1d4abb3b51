"""Creating the library file and upgrading older ones, on open.

The version is SQLite's `user_version`. Version 1 was the first release's
schema; each later version has one upgrade step below, run in order inside
one transaction, so a file from any earlier version opens. The driver runs
DDL outside that transaction, so each step checks what is there already and
runs again cleanly after an interrupted upgrade (the version is written last).
A file of a newer version is refused before anything is written to it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.schema import CreateColumn
from sqlmodel import SQLModel

from readinglist import models
from readinglist.errors import LibraryError
from readinglist.reader import SCHEMA_VERSION


def create_engine(db_path: str) -> Engine:
    """An engine on the SQLite file with WAL, foreign keys and a busy timeout."""
    engine = sa_create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _upgrade_1_to_2(conn: Connection) -> None:
    # Version 2 adds saved searches.
    models.SavedSearchRow.__table__.create(conn, checkfirst=True)


def _upgrade_2_to_3(conn: Connection) -> None:
    # Version 3 keeps what the site's pages carry: the paper's new columns
    # (arXiv id, author names, counts, summary...), the page date of an
    # imported file, and the history of upvote counts.
    paper = models.PaperRow.__table__
    _add_missing_columns(conn, paper)
    _add_missing_columns(conn, models.ImportFileRow.__table__)
    for index in paper.indexes:
        index.create(conn, checkfirst=True)
    models.UpvoteSeenRow.__table__.create(conn, checkfirst=True)
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


UPGRADES: dict[int, Callable[[Connection], None]] = {1: _upgrade_1_to_2, 2: _upgrade_2_to_3}


def prepare(engine: Engine) -> int:
    """Create the schema in a new file or upgrade an older one; return the version found."""
    with engine.begin() as conn:
        found = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        has_tables = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='paper'"
        ).scalar_one()
        if found == 0 and not has_tables:
            SQLModel.metadata.create_all(conn)
            conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')"))
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
            return 0
        if found > SCHEMA_VERSION:
            raise LibraryError(
                f"This library was written by a newer readinglist (schema {found}); "
                "update readinglist to open it."
            )
        if found == 0:
            raise LibraryError(
                "The library file has no schema version; it is not a readinglist library."
            )
        for version in range(found, SCHEMA_VERSION):
            UPGRADES[version](conn)
        conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
        return found
