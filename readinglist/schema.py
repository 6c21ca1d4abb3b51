"""Creating the library file and upgrading older ones, on open.

The version is SQLite's `user_version`. Version 1 was the first release's
schema; each later version has one upgrade step below, run in order inside
one transaction, so a file from any earlier version opens.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy import create_engine as sa_create_engine
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


UPGRADES: dict[int, Callable[[Connection], None]] = {1: _upgrade_1_to_2}


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
