"""Imports never block, explode or go silent.

- memory stays bounded whatever a file holds (peak RSS of a real
  `readinglist import` process, measured by the process that waits for it);
- the blocks a file leaves out are kept up to a cap and counted beyond it;
- what is not a regular file (a named pipe, a device) is never opened, a
  folder that cannot be read says so;
- a few undecodable bytes are replaced with a warning, not a refusal.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from testdata import DUMP_000, DUMPS

from readinglist.collection import Collection
from readinglist.dumps import read_dump
from readinglist.library.importing import MAX_FILE_PAPERS, MAX_SKIPPED_KEPT
from readinglist.paths import DATABASE_NAME

CEILING_MB = 500
CHROME = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"

# Runs one command line and prints the peak RSS of its process, in kB: the
# children of this fresh process are that command alone.
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "readinglist", *argv]


def _measured_import(library: Path, *paths: Path) -> tuple[subprocess.CompletedProcess, float]:
    """A real import process, and its peak resident memory in MB."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            *_cli("--library", str(library), "import", *map(str, paths)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    *out, peak = result.stdout.rstrip("\n").split("\n")
    result.stdout = "\n".join(out)
    return result, int(peak) / 1024


def _papers(library: Path) -> int:
    db = library / DATABASE_NAME
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM paper").fetchone()[0]
    finally:
        conn.close()


def _write_tiny_entries(path: Path, megabytes: int, *, blank_lines: bool) -> Path:
    """Tiny title/abstract entries up to `megabytes` MB: what made 3.7 million "papers"."""
    gap = "\n\n" if blank_lines else "\n"
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as file:
        file.write(CHROME)
        size, serial = len(CHROME), 0
        while size < target:
            entry = f"Paper {serial} on things{gap}We study x {serial}.{gap}"
            file.write(entry)
            size += len(entry)
            serial += 1
    return path


# -- memory --------------------------------------------------------------------------


def test_a_60_mb_file_of_tiny_entries_stays_under_the_ceiling(tmp_path):
    dump = _write_tiny_entries(tmp_path / "tiny.txt", 60, blank_lines=True)
    library = tmp_path / "lib"
    result, peak = _measured_import(library, dump)
    assert peak < CEILING_MB, f"peak RSS {peak:.0f} MB"
    assert result.returncode == 1
    assert "tiny.txt: too many lines and records for a page dump" in result.stderr
    assert "split it into smaller files" in result.stderr
    assert "Traceback" not in result.stderr
    assert "0 added, 0 merged, 1 failed" in result.stdout
    assert _papers(library) == 0


@pytest.mark.slow
def test_a_million_lines_of_tiny_entries_stay_under_the_ceiling(tmp_path):
    # Just under the line limit, so the readers see it all: what they make of
    # it may change, the memory it takes must stay bounded.
    dump = tmp_path / "tiny-b.txt"
    with dump.open("w", encoding="utf-8") as file:
        file.write(CHROME)
        for serial in range(499_000):
            file.write(f"Paper {serial} on things\nWe study x {serial}.\n")
    library = tmp_path / "lib"
    result, peak = _measured_import(library, dump)
    assert peak < CEILING_MB, f"peak RSS {peak:.0f} MB"
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    assert _papers(library) <= MAX_FILE_PAPERS


def _short_entries(path: Path, count: int) -> Path:
    """`count` papers with real words for titles and one-sentence abstracts."""
    words = sorted({w for p in DUMPS.glob("*.txt") for w in p.read_text().split() if w.isalpha()})
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as file:
        file.write(CHROME)
        for serial in range(count):
            title = " ".join(rng.choices(words, k=8)).capitalize()
            abstract = " ".join(rng.choices(words, k=14)).capitalize()
            file.write(f"{title} {serial}\n\n{abstract}.\n\n")
    return path


def test_a_file_with_more_papers_than_one_file_may_hold_is_refused(tmp_path):
    dump = _short_entries(tmp_path / "huge-listing.txt", MAX_FILE_PAPERS + 1000)
    library = tmp_path / "lib"
    result, peak = _measured_import(library, dump)
    assert peak < CEILING_MB
    assert result.returncode == 1
    assert f"more than readinglist takes from one file ({MAX_FILE_PAPERS:,})" in result.stderr
    assert _papers(library) == 0


def test_skipped_blocks_are_kept_up_to_a_cap_and_counted_beyond(tmp_path, capsys):
    # Thousands of blocks that do not read as papers, after a real dump.
    doubtful = "".join(f"T{i}\n\nA{i}.\n\n" for i in range(3 * MAX_SKIPPED_KEPT))
    dump = tmp_path / "noisy.txt"
    dump.write_text(DUMP_000.read_text(encoding="utf-8") + doubtful, encoding="utf-8")
    reported = read_dump(dump.read_bytes(), name=dump.name, snapshot=datetime.now(UTC)).skipped
    assert len(reported) > MAX_SKIPPED_KEPT  # what this test is about

    collection = Collection.open(tmp_path / "lib")
    try:
        plan = collection.plan_import([dump])
        (planned,) = plan.files
        assert len(planned.skipped) == MAX_SKIPPED_KEPT
        assert len(planned.skipped) + planned.skipped_more == len(reported)
        assert sum(1 for p in planned.papers if p.skipped_reason) <= MAX_SKIPPED_KEPT
    finally:
        collection.close()

    from readinglist.cli import main

    assert main(["--library", str(tmp_path / "lib2"), "import", str(dump), "--json"]) == 0
    out, err = capsys.readouterr()
    (entry,) = json.loads(out)["files"]
    assert len(entry["skipped"]) == MAX_SKIPPED_KEPT
    assert entry["skipped_more"] == len(reported) - MAX_SKIPPED_KEPT
    assert f"skipped {len(reported)} blocks that do not read as papers" in err


# -- what is not a regular file ------------------------------------------------------


def _run_import(library: Path, *paths: Path | str, timeout: int = 120):
    """A real import process; a blocked one fails the test by its timeout."""
    return subprocess.run(
        _cli("--library", str(library), "import", *map(str, paths)),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_skipped_not_waited_on(tmp_path):
    pipe = tmp_path / "fifo.txt"
    os.mkfifo(pipe)
    result = _run_import(tmp_path / "lib", pipe, DUMP_000)
    assert result.returncode == 1
    assert f"{pipe}: not a regular file (a named pipe): skipped" in result.stderr
    assert "41 added" in result.stdout  # the regular file still imports


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_folder_holding_a_named_pipe_imports_the_rest(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    shutil.copy(DUMP_000, inbox / "a.txt")
    os.mkfifo(inbox / "sub" / "pipe.md")
    os.mkfifo(inbox / "not-a-dump.bin")  # not a dump's suffix: never looked at
    result = _run_import(tmp_path / "lib", inbox)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f"readinglist: {inbox / 'sub' / 'pipe.md'}: not a regular file (a named pipe): skipped"
    ]
    assert "41 added" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_named_on_the_command_line_is_not_read(tmp_path):
    # /dev/zero reads without end; reading it whole would fill the memory.
    result = _run_import(tmp_path / "lib", "/dev/zero")
    assert result.returncode == 1
    assert "/dev/zero: not a regular file (a device): skipped" in result.stderr


def _as_unprivileged(argv: list[str]) -> list[str]:
    """`argv` run so that file permissions apply (root reads any folder otherwise)."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads every folder and setpriv is missing to drop that")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", *argv]


def test_a_folder_that_cannot_be_read_says_so(tmp_path):
    inbox = tmp_path / "inbox"
    locked = inbox / "locked"
    locked.mkdir(parents=True)
    shutil.copy(DUMP_000, inbox / "a.txt")
    shutil.copy(DUMPS / "003_2f1ce4ea4a8e038f.txt", locked / "b.txt")
    closed = tmp_path / "closed"
    closed.mkdir()
    locked.chmod(0)
    closed.chmod(0)
    try:
        argv = _cli("--library", str(tmp_path / "lib"), "import", str(inbox), str(closed))
        result = subprocess.run(_as_unprivileged(argv), capture_output=True, text=True, timeout=120)
    finally:
        locked.chmod(0o755)
        closed.chmod(0o755)
    assert result.returncode == 1
    assert f"{locked}: cannot read this folder: permission denied" in result.stderr
    assert f"{closed}: cannot read this folder: permission denied" in result.stderr
    assert "no .txt" not in result.stderr
    assert "41 added" in result.stdout  # what could be read is imported


# -- a few bytes that do not decode -----------------------------------------------------


def _damaged_copy(path: Path, bad: bytes, every: int) -> bytes:
    """The dump's bytes with `bad` put in after every `every`-th line end."""
    lines = DUMP_000.read_bytes().split(b"\n")
    for index in range(every, len(lines), every):
        lines[index] = lines[index] + bad
    data = b"\n".join(lines)
    path.write_bytes(data)
    return data


def test_a_few_undecodable_bytes_are_replaced_with_a_warning(tmp_path):
    dump = tmp_path / "scratched.txt"
    _damaged_copy(dump, b"\xff", every=100)
    replaced = dump.read_bytes().count(b"\xff")
    assert 1 < replaced < len(dump.read_bytes()) // 1000
    result = _run_import(tmp_path / "lib", dump)
    assert result.returncode == 0, result.stderr
    assert f"{dump}: {replaced} bytes could not be decoded and were replaced" in result.stderr
    assert "41 added" in result.stdout
    json_run = subprocess.run(
        _cli("--library", str(tmp_path / "lib2"), "import", str(dump), "--json"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    (entry,) = json.loads(json_run.stdout)["files"]
    assert entry["warnings"] == [f"{replaced} bytes could not be decoded and were replaced"]
    assert entry["added"] == 41 and entry["error"] is None


def test_many_undecodable_bytes_still_refuse_the_file(tmp_path):
    dump = tmp_path / "mangled.txt"
    _damaged_copy(dump, b"\xff\xfe", every=2)
    result = _run_import(tmp_path / "lib", dump)
    assert result.returncode == 1
    assert f"{dump}: cannot decode the text" in result.stderr
    assert _papers(tmp_path / "lib") == 0
