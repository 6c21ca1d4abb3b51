"""A library file with damaged pages: every command says so in one line,
`check` reports it, and `check --repair` saves what SQLite can still read.

The damage is real: pages of a library of the five dumps are overwritten
with garbage, the file header left intact, as a failing disk or a bad copy
leaves them.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.collection import Collection, check_library
from readinglist.errors import DamagedLibraryError
from readinglist.paths import DATABASE_NAME

PAGE = 4096
GARBAGE = b"garbage!"


@pytest.fixture(scope="module")
def sound_library(tmp_path_factory: pytest.TempPathFactory, dump_paths) -> Path:
    """A library of the five dumps, with notes and tags on a few papers."""
    folder = tmp_path_factory.mktemp("sound") / "lib"
    collection = Collection.open(folder)
    try:
        collection.import_paths(dump_paths)
        ids = collection.list_ids(sort="added")
        for paper_id in ids[::40]:
            collection.set_note(paper_id, f"note on {paper_id}")
            collection.add_tags([paper_id], ["kept"])
    finally:
        collection.close()
    return folder


def _copy(sound: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    shutil.copytree(sound, folder)
    return folder


def _pages_of(db: Path, table: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the pages of a table")
    finally:
        conn.close()
    return [row[0] for row in rows]


def _overwrite(db: Path, pages: list[int]) -> None:
    with db.open("r+b") as file:
        for page in pages:
            file.seek((page - 1) * PAGE)
            file.write(GARBAGE * (PAGE // len(GARBAGE)))


def _damage_papers(folder: Path) -> Path:
    """Overwrite every other leaf page of the paper table: some papers are lost."""
    db = folder / DATABASE_NAME
    leaves = _pages_of(db, "paper")
    assert len(leaves) > 4
    _overwrite(db, leaves[1::2])
    return db


def _damage_all_papers(folder: Path) -> Path:
    """Overwrite every leaf page of the paper table: no paper can be read."""
    db = folder / DATABASE_NAME
    _overwrite(db, _pages_of(db, "paper"))
    return db


def _damage_from_page_3(folder: Path) -> Path:
    """Overwrite everything from page 3 on: the schema's own pages with it."""
    db = folder / DATABASE_NAME
    size = db.stat().st_size
    with db.open("r+b") as file:
        file.seek(2 * PAGE)
        file.write(GARBAGE * ((size - 2 * PAGE) // len(GARBAGE)))
    return db


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["search", "transformer"],
    ["show", "7"],
    ["similar", "7"],
    ["mark", "7", "--read"],
    ["tag", "7", "--add", "x"],
    ["note", "7", "--set", "x"],
    ["export", "--out", "{tmp}/vault", "--all"],
    ["import", "{dump}"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
@pytest.mark.parametrize(
    "damage", [_damage_all_papers, _damage_from_page_3], ids=["paper-pages", "from-page-3"]
)
def test_every_command_says_the_file_is_damaged_and_how_to_repair(
    capsys, tmp_path, sound_library, dump_paths, argv, damage
):
    folder = _copy(sound_library, tmp_path)
    damage(folder)
    argv = [a.format(tmp=tmp_path, dump=dump_paths[0]) for a in argv]
    code, _out, err = run(capsys, "--library", str(folder), *argv)
    assert code == 1
    assert err.count("\n") == 1, err
    assert "damaged" in err and "readinglist check --repair" in err
    assert "unexpected error" not in err and "Traceback" not in err


def test_check_reports_the_damage_in_words(capsys, tmp_path, sound_library):
    folder = _copy(sound_library, tmp_path)
    db = _damage_papers(folder)
    before = _sha(db)
    code, _out, err = run(capsys, "--library", str(folder), "check")
    assert code == 1
    assert "the library file" in err and "is damaged" in err
    assert "run `readinglist check --repair`" in err
    assert "unexpected error" not in err
    assert _sha(db) == before  # check alone writes nothing
    assert list(folder.glob("*.damaged-*")) == []


def test_repair_saves_what_can_be_read_and_keeps_the_damaged_file(capsys, tmp_path, sound_library):
    folder = _copy(sound_library, tmp_path)
    db = _damage_papers(folder)
    damaged = db.read_bytes()
    code, out, err = run(capsys, "--library", str(folder), "check", "--repair")
    assert code == 0, err
    saved = int(out.split("saved ", 1)[1].split(" papers", 1)[0])
    assert 0 < saved < 413
    assert "of the 413 it listed" in out  # the damaged file's own count survived in an index

    (kept,) = folder.glob(f"{DATABASE_NAME}.damaged-*")
    assert kept.name in out
    assert kept.read_bytes() == damaged  # kept as it was, beside the new file

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM paper").fetchone()[0] == saved
        notes = conn.execute("SELECT id, note FROM paper WHERE note != ''").fetchall()
    finally:
        conn.close()
    # What survived of the reader's part is there as it was written.
    assert notes and all(note == f"note on {paper_id}" for paper_id, note in notes)

    code, out, err = run(capsys, "--library", str(folder), "check")
    assert code == 0 and err == ""
    assert f"in step with the library ({saved} papers)" in out
    code, out, _ = run(capsys, "--library", str(folder), "list")
    assert code == 0 and out.count("\n") == saved
    code, out, _ = run(capsys, "--library", str(folder), "list", "--tag", "kept")
    assert code == 0 and out.count("\n") == len(notes)
    code, out, _ = run(capsys, "--library", str(folder), "search", "transformer")
    assert code == 0 and "matches" in out


def test_repair_of_a_file_whose_schema_is_lost_says_nothing_could_be_read(
    capsys, tmp_path, sound_library, dump_paths
):
    folder = _copy(sound_library, tmp_path)
    db = _damage_from_page_3(folder)
    damaged = _sha(db)
    code, out, err = run(capsys, "--library", str(folder), "check", "--repair")
    assert code == 0, err
    assert "saved 0 papers" in out and "not even its list of tables could be read" in out
    (kept,) = folder.glob(f"{DATABASE_NAME}.damaged-*")
    assert _sha(kept) == damaged
    # The new library is a working library: importing the dumps again fills it.
    code, out, err = run(capsys, "--library", str(folder), "import", *map(str, dump_paths))
    assert code == 0, err
    assert "413 added" in out


def test_repairing_a_sound_library_changes_nothing(tmp_path, sound_library):
    folder = _copy(sound_library, tmp_path)
    before = _sha(folder / DATABASE_NAME)
    report = check_library(folder, repair=True)
    assert report.ok and report.problems == []
    assert _sha(folder / DATABASE_NAME) == before
    assert list(folder.glob("*.damaged-*")) == []


def test_opening_a_damaged_file_raises_a_damaged_library_error(tmp_path, sound_library):
    folder = _copy(sound_library, tmp_path)
    _damage_from_page_3(folder)
    with pytest.raises(DamagedLibraryError, match="check --repair"):
        Collection.open(folder)


def test_a_real_process_on_a_damaged_file_prints_one_line_and_no_traceback(tmp_path, sound_library):
    folder = _copy(sound_library, tmp_path)
    _damage_papers(folder)
    result = subprocess.run(
        [sys.executable, "-m", "readinglist", "--library", str(folder), "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "check --repair" in result.stderr
    assert "Traceback" not in result.stderr
