"""What is at the library's place but is not a readinglist library is refused,
and never written to: an empty file, another program's SQLite database, a
file that is not SQLite at all. A folder without a library file still gets
a new library."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.errors import NotALibraryError
from readinglist.library.reader import APPLICATION_ID, SCHEMA_VERSION
from readinglist.library.writes import Library
from readinglist.paths import DATABASE_NAME

COMMANDS = [
    ["import", "{dump}"],
    ["list"],
    ["search", "transformer"],
    ["show", "1"],
    ["mark", "1", "--read"],
    ["export", "--out", "{tmp}/vault", "--all"],
    ["check"],
    ["check", "--repair"],
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _state(folder: Path) -> tuple[list[str], str]:
    """The folder's file names and the library file's bytes, to compare before and after."""
    names = sorted(p.name for p in folder.iterdir())
    return names, hashlib.sha256((folder / DATABASE_NAME).read_bytes()).hexdigest()


def _empty_file(folder: Path) -> None:
    (folder / DATABASE_NAME).write_bytes(b"")


def _foreign_database(folder: Path) -> None:
    conn = sqlite3.connect(folder / DATABASE_NAME)
    conn.executescript(
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT);"
        "INSERT INTO contacts (name) VALUES ('Ada'), ('Grace');"
        "CREATE TABLE visits (contact_id INTEGER, at TEXT);"
    )
    conn.close()


def _foreign_wal_database(folder: Path) -> None:
    conn = sqlite3.connect(folder / DATABASE_NAME)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
    conn.close()


def _empty_database(folder: Path) -> None:
    # An SQLite file with nothing in it, as `sqlite3 library.sqlite3 .dump` leaves one.
    conn = sqlite3.connect(folder / DATABASE_NAME)
    conn.execute("PRAGMA user_version=0")
    conn.execute("VACUUM")
    conn.close()


def _other_application(folder: Path) -> None:
    # Tables named like ours, but the file says it belongs to another program.
    conn = sqlite3.connect(folder / DATABASE_NAME)
    conn.executescript(
        "CREATE TABLE paper (id INTEGER PRIMARY KEY, title TEXT);"
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
        "PRAGMA application_id=1234; PRAGMA user_version=3;"
    )
    conn.close()


def _not_sqlite(folder: Path) -> None:
    (folder / DATABASE_NAME).write_bytes(b"title,abstract\nA paper,Its abstract\n" * 200)


CASES = {
    "empty-file": (_empty_file, "is empty (0 bytes)"),
    "foreign": (_foreign_database, "another program (tables: contacts, visits)"),
    "foreign-wal": (_foreign_wal_database, "another program (tables: notes)"),
    "empty-database": (_empty_database, "another program (no tables)"),
    "other-application": (_other_application, "another program (tables: paper, meta)"),
    "not-sqlite": (_not_sqlite, "not an SQLite database"),
}


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
@pytest.mark.parametrize("case", list(CASES))
def test_a_file_that_is_not_a_library_is_refused_and_left_as_it_was(
    capsys, tmp_path, dump_paths, case, argv
):
    make, words = CASES[case]
    folder = tmp_path / "lib"
    folder.mkdir()
    make(folder)
    before = _state(folder)
    argv = [a.format(tmp=tmp_path, dump=dump_paths[0]) for a in argv]
    code, out, err = run(capsys, "--library", str(folder), *argv)
    assert code == 1
    assert err.count("\n") == 1 and words in err, err
    assert "unexpected error" not in err
    assert "added" not in out
    # Not a byte written into it, and nothing made beside it (no -wal, no index).
    assert _state(folder) == before


def test_the_foreign_database_keeps_its_rows_and_gains_no_tables(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    _foreign_database(folder)
    with pytest.raises(NotALibraryError, match="will not write into it"):
        Library(folder)
    conn = sqlite3.connect(folder / DATABASE_NAME)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert tables == ["contacts", "visits"]
        assert conn.execute("SELECT name FROM contacts ORDER BY id").fetchall() == [
            ("Ada",),
            ("Grace",),
        ]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_a_folder_without_a_library_file_gets_a_new_library(capsys, tmp_path, dump_paths):
    folder = tmp_path / "new" / "lib"
    code, out, err = run(capsys, "--library", str(folder), "import", str(dump_paths[3]))
    assert code == 0 and err == ""
    assert "78 added" in out
    conn = sqlite3.connect(folder / DATABASE_NAME)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()
    # No half-made file is left behind by the creation.
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_a_library_made_before_the_application_id_still_opens(tmp_path):
    # Files of earlier releases carry no application_id: their tables say they are ours.
    folder = tmp_path / "old"
    Library(folder).close()
    conn = sqlite3.connect(folder / DATABASE_NAME)
    conn.execute("PRAGMA application_id=0")
    conn.close()
    library = Library(folder)
    try:
        assert library.reader.schema_version() == SCHEMA_VERSION
    finally:
        library.close()


def test_a_library_without_a_schema_version_is_refused_untouched(tmp_path):
    folder = tmp_path / "half"
    Library(folder).close()
    db = folder / DATABASE_NAME
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id=0")
    conn.execute("PRAGMA user_version=0")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(NotALibraryError, match="no schema version"):
        Library(folder)
    assert db.read_bytes() == before


def test_reading_never_creates_a_library_file(tmp_path):
    from readinglist.errors import LibraryError
    from readinglist.library.reader import LibraryReader

    reader = LibraryReader(tmp_path / DATABASE_NAME)
    with pytest.raises(LibraryError):
        reader.count()
    assert not (tmp_path / DATABASE_NAME).exists()
