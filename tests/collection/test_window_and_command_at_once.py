"""A library open in one process (the window) stays whole while a command writes it from another.

The window reads first and loads its write side later (sqlmodel is slow to
import), so its library file is looked at again while its SQLite connections
are open. Looking must go through SQLite: a plain open() and close() of the
file drops every lock those connections hold, and the command, finding no
other user, deleted the write-ahead log and its shared memory from under the
window when it ended. The next reads failed with "disk I/O error" and the
library was damaged.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from cli_process import run_readinglist
from testdata import DUMP_000, DUMP_002

from readinglist.collection import Collection
from readinglist.paths import DATABASE_NAME


def test_a_command_writing_while_the_window_writes_leaves_the_library_whole(tmp_path: Path):
    library = tmp_path / "lib"
    assert run_readinglist(library, "import", str(DUMP_000)).returncode == 0
    opened = Collection.open(library)
    try:
        # Reads first, as the window's first paint does; the write side loads
        # with the first write, on the writing thread.
        ids = opened.list_ids()[:5]
        assert opened.stats().papers
        stop = threading.Event()
        written: list[int] = []

        def keep_writing() -> None:  # the window saving a note as it is typed
            while not stop.is_set():
                opened.set_note(ids[len(written) % 5], f"note {len(written)}")
                written.append(1)

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            done = run_readinglist(library, "import", str(DUMP_002))
        finally:
            stop.set()
            writer.join()
        assert done.returncode == 0, done.stderr
        assert written
        # The log and its shared memory are still there for the open connections...
        assert (library / f"{DATABASE_NAME}-shm").exists()
        # ...which go on reading and writing what the command wrote.
        count = opened.stats().papers
        assert count > len(ids)
        opened.set_note(ids[0], "after the command")
        assert opened.get(ids[0]).note == "after the command"
    finally:
        opened.close()
    con = sqlite3.connect(library / DATABASE_NAME)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == count
    finally:
        con.close()
    checked = run_readinglist(library, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_collection_tells_its_own_writes_from_a_commands(tmp_path: Path):
    # What the window asks every two seconds (Collection.changed_elsewhere).
    library = tmp_path / "lib"
    collection = Collection.open(library)
    try:
        seen = collection.generation()
        collection.import_paths([DUMP_000])
        assert collection.changed_elsewhere(seen) == (seen + 1, False)
        seen += 1
        assert run_readinglist(library, "mark", "1", "--read").returncode == 0
        paper = collection.list_ids()[-1]
        collection.set_note(paper, "mine")
        now, elsewhere = collection.changed_elsewhere(seen)
        assert (now, elsewhere) == (seen + 2, True)  # the command's step, then this one
        collection.set_note(paper, "mine, again")
        assert collection.changed_elsewhere(now) == (now + 1, False)
    finally:
        collection.close()


def test_a_collection_that_has_not_written_counts_every_step_as_anothers(tmp_path: Path):
    library = tmp_path / "lib"
    assert run_readinglist(library, "import", str(DUMP_000)).returncode == 0
    collection = Collection.open(library)
    try:
        seen = collection.generation()
        assert collection.changed_elsewhere(seen) == (seen, False)
        assert run_readinglist(library, "mark", "1", "--read").returncode == 0
        assert collection.changed_elsewhere(seen) == (seen + 1, True)
    finally:
        collection.close()
