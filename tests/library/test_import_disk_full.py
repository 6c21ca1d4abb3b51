"""An import that fills the disk: the files before the failure stay imported,
the failing file is named with the reason in words, the summary is printed,
and the library stays consistent.

For real: the library lives on a small tmpfs mounted for the test (root
only), and a folder of generated dumps is imported until the disk is full.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.paths import DATABASE_NAME

REPO = Path(__file__).resolve().parents[2]
DISK_MB = 3
PAPERS, PER_FILE = 4000, 8  # 500 files; a few hundred papers fill the disk


def _synthetic():
    """benchmarks/synthetic.py: dumps of realistic shape drawn from the five real ones."""
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mount(point: Path, megabytes: int) -> None:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A folder on a tmpfs of DISK_MB megabytes, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    point = tmp_path / "disk"
    point.mkdir()
    _mount(point, DISK_MB)
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture(scope="module")
def many_dumps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dumps") / "inbox"
    _synthetic().write_dumps(folder, PAPERS, per_file=PER_FILE)
    return folder


def _import(library: Path, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "readinglist",
            "--library",
            str(library),
            "import",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
def test_a_full_disk_stops_the_import_and_says_so(small_disk, many_dumps):
    library = small_disk / "lib"
    result = _import(library, many_dumps)
    assert result.returncode == 1
    err = result.stderr
    assert "Traceback" not in err and "unexpected error" not in err

    # The failing file is named, with the reason in words, on one line.
    failed = [line for line in err.splitlines() if ": not imported: " in line]
    assert len(failed) == 1 and "the disk is full" in failed[0]
    failed_name = re.search(r"(dump_\d+\.txt): not imported", failed[0]).group(1)
    assert re.search(r"import stopped: .*the disk is full\. \d+ more files were not imported", err)

    # The summary is printed: what went in, what failed, what was not reached.
    summary = result.stdout.strip().splitlines()[-1]
    found = re.fullmatch(r"(\d+) added, 0 merged, 1 failed, (\d+) not imported", summary)
    assert found, summary
    added, not_imported = int(found.group(1)), int(found.group(2))
    imported_lines = [line for line in result.stdout.splitlines() if " found, " in line]
    assert 0 < added < PAPERS
    assert len(imported_lines) + 1 + not_imported == PAPERS // PER_FILE

    # The library is consistent and holds exactly the files reported imported.
    db = library / DATABASE_NAME
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(db, "SELECT count(*) FROM paper") == [(added,)]
    names = {row[0] for row in _rows(db, "SELECT name FROM import_file")}
    assert names == {Path(line.split(":", 1)[0]).name for line in imported_lines}
    assert failed_name not in names


@pytest.mark.slow
def test_after_making_room_the_same_import_finishes_the_job(small_disk, many_dumps):
    library = small_disk / "lib"
    first = _import(library, many_dumps)
    assert first.returncode == 1 and "the disk is full" in first.stderr
    remount = subprocess.run(
        ["mount", "-o", "remount,size=64m", str(small_disk)], capture_output=True, text=True
    )
    if remount.returncode != 0:
        pytest.skip(f"cannot grow the tmpfs: {remount.stderr.strip()}")
    second = _import(library, many_dumps)
    assert second.returncode == 0, second.stderr
    db = library / DATABASE_NAME
    assert _rows(db, "SELECT count(*) FROM paper") == [(PAPERS,)]
    check = subprocess.run(
        [sys.executable, "-m", "readinglist", "--library", str(library), "check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stderr
    assert f"in step with the library ({PAPERS:,} papers)" in check.stdout
