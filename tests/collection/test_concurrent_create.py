"""Two readinglist processes that create (or upgrade) the same library at once
both succeed, and every paper is imported once.

The processes are real `readinglist` command lines. Each loads its modules
first and then waits at a common start line, so that both reach the
library's creation at the same moment instead of one process's start-up
time apart.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from testdata import LIBRARY_DATA

from readinglist.library.reader import SCHEMA_VERSION
from readinglist.paths import DATABASE_NAME

FIXTURES = LIBRARY_DATA

# A readinglist command line that starts at the gate file's appearance.
GATED_CLI = """
import os, sys, time
import readinglist.cli, readinglist.collection, readinglist.library.writes  # slow
gate = sys.argv[1]
while not os.path.exists(gate):
    time.sleep(0.001)
sys.exit(readinglist.cli.main(sys.argv[2:]))
"""

ROUNDS = 4


def _start_together(tmp_path: Path, *argvs: list[str]) -> list[subprocess.CompletedProcess]:
    gate = tmp_path / f"gate-{time.monotonic_ns()}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", GATED_CLI, str(gate), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    time.sleep(1.5)  # both are waiting at the gate by now (their imports take ~1 s)
    gate.touch()
    results = []
    for process, argv in zip(processes, argvs, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(argv, process.returncode, out, err))
    return results


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_imports_into_a_library_that_does_not_exist_yet(tmp_path, dump_paths, round_):
    folder = tmp_path / "NEW"
    argv = ["--library", str(folder), "import", *map(str, dump_paths)]
    first, second = _start_together(tmp_path, argv, argv)
    for result in (first, second):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    db = folder / DATABASE_NAME
    assert _count(db, "SELECT count(*) FROM paper") == 413
    assert _count(db, "SELECT count(DISTINCT title_key) FROM paper") == 413
    unsourced = "SELECT count(*) FROM paper WHERE id NOT IN (SELECT paper_id FROM paper_source)"
    assert _count(db, unsourced) == 0
    added = [int(r.stdout.strip().splitlines()[-1].split(" added")[0]) for r in (first, second)]
    assert sum(added) == 413  # what one added, the other found there
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the loser's unused new file is gone


@pytest.mark.slow
def test_two_processes_upgrading_an_old_library_at_once(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / DATABASE_NAME)
    conn.executescript((FIXTURES / "library_v1.sql").read_text())
    conn.close()
    argv = ["--library", str(folder), "list", "--json"]
    for result in _start_together(tmp_path, argv, argv):
        assert result.returncode == 0, result.stderr
        assert "Universal Transformers" in result.stdout
    db = folder / DATABASE_NAME
    assert _count(db, "PRAGMA user_version") == SCHEMA_VERSION
    # The upgrade's seeding of the upvote history ran once, not once per process.
    with_votes = _count(db, "SELECT count(*) FROM paper WHERE upvotes IS NOT NULL")
    assert with_votes > 0 and _count(db, "SELECT count(*) FROM upvote_seen") == with_votes
