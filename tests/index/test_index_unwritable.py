"""A library stays readable when its search index cannot be written.

Each cause for real: a plain file where the index folder should be, an
immutable index folder (`chattr +i`), a full disk (a small tmpfs). Reads
answer (from the last good index, or by listing); a write saves to the
library, says once in plain words what is wrong, and is caught up once the
index can be written again.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from testdata import DUMPS

from readinglist.cli import main

PAPERS = 413  # in the five sample dumps


def run(capsys, library: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--library", str(library), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def imported(capsys, library: Path) -> Path:
    code, _, err = run(capsys, library, "import", *map(str, sorted(DUMPS.glob("*.txt"))))
    assert code == 0, err
    return library


def assert_readable(capsys, library: Path, *, last_good: bool) -> None:
    code, out, err = run(capsys, library, "list", "--json")
    assert code == 0 and _one_index_line(err)
    assert len(json.loads(out)["papers"]) == PAPERS
    code, out, err = run(capsys, library, "search", "transformer", "--json")
    assert code == 0 and _one_index_line(err)
    assert (json.loads(out)["total"] > 0) == last_good


def _one_index_line(err: str) -> bool:
    """Reads go on; stderr says once, in words, why the index cannot follow."""
    return (
        err.count("\n") == 1
        and err.startswith("readinglist: The search index in ")
        and "cannot be written" in err
        and "Traceback" not in err
    )


def assert_told_once(err: str, *words: str) -> None:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and "unexpected error" not in err
    assert "saved in the library" in err and "cannot be written" in err
    for word in words:
        assert word in err


def tags_of(capsys, library: Path, paper_id: int) -> list[str]:
    code, out, _ = run(capsys, library, "show", str(paper_id), "--json")
    assert code == 0
    return json.loads(out)["tags"]


def assert_caught_up(capsys, library: Path) -> None:
    """Once writable: the next command brings the index in step, tag included."""
    code, out, err = run(capsys, library, "search", "tag:later", "--json")
    assert code == 0, err
    assert [hit["id"] for hit in json.loads(out)["hits"]] == [5]
    code, out, err = run(capsys, library, "check")
    assert code == 0 and f"in step with the library ({PAPERS:,} papers)" in out


def test_a_file_where_the_index_folder_should_be(capsys, tmp_path: Path) -> None:
    library = imported(capsys, tmp_path / "lib")
    shutil.rmtree(library / "index")
    (library / "index").write_text("not a folder")

    assert_readable(capsys, library, last_good=False)
    code, _, err = run(capsys, library, "tag", "5", "--add", "later")
    assert code == 1
    assert_told_once(err, "is a file, not a folder", str(library / "index"))
    assert "later" in tags_of(capsys, library, 5)
    assert (library / "index").read_text() == "not a folder"  # left alone

    (library / "index").unlink()
    assert_caught_up(capsys, library)


def chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "-R", flag, str(path)], capture_output=True)
    return done.returncode == 0


def test_an_immutable_index_folder(capsys, tmp_path: Path) -> None:
    library = imported(capsys, tmp_path / "lib")
    if not chattr("+i", library / "index"):
        pytest.skip("chattr +i is not available here (needs root and a file system with it)")
    try:
        with pytest.raises(PermissionError):
            (library / "index" / "probe").write_text("x")
        code, _, err = run(capsys, library, "tag", "5", "--add", "later")
        assert code == 1
        assert_told_once(err, "permission denied", "last good index")
        assert "later" in tags_of(capsys, library, 5)
        # The index is behind now, and cannot be rebuilt: reads use the last good one.
        assert_readable(capsys, library, last_good=True)
    finally:
        chattr("-i", library / "index")
    assert_caught_up(capsys, library)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 24 MB tmpfs, mounted for the test (root only)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, *, leave: int) -> Path:
    """Fills the disk, then gives back `leave` bytes."""
    filler = disk / "filler"
    block = b"\0" * (1 << 16)
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(block)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    size = filler.stat().st_size
    os.truncate(filler, max(size - leave, 0))
    return filler


def make_stale(library: Path) -> None:
    conn = sqlite3.connect(library / "library.sqlite3")
    with conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    conn.close()


def index_entries(library: Path) -> list[str]:
    return sorted(p.name for p in (library / "index").iterdir() if p.name != "index.lock")


# SQLite needs room for its -wal and -shm files to read at all: a disk with
# no byte left is the library's problem, not the index's. 300 kB: too little
# for a rebuild, refused before it starts; 1.2 MB: a rebuild starts and
# meets the full disk midway.
@pytest.mark.parametrize("leave", [300_000, 1_200_000], ids=["full", "full-midway"])
def test_a_full_disk(capsys, small_disk: Path, leave: int) -> None:
    library = imported(capsys, small_disk / "lib")
    make_stale(library)  # every open would rebuild
    before = index_entries(library)
    filler = fill(small_disk, leave=leave)

    started = time.monotonic()
    assert_readable(capsys, library, last_good=True)
    assert time.monotonic() - started < 30
    assert index_entries(library) == before  # no half-built folder left behind
    code, out, err = run(capsys, library, "check")
    assert code == 1 and "out of step" in err

    filler.unlink()
    code, out, err = run(capsys, library, "list")
    assert code == 0 and err == ""
    code, out, err = run(capsys, library, "check")
    assert code == 0 and "in step" in out


def test_the_cli_says_once_why_the_index_lags(tmp_path, capsys) -> None:
    """A plain file where the index folder should be: listing works, and the user is told."""
    from testdata import DUMP_000

    from readinglist.cli import main

    library = tmp_path / "lib"
    assert main(["--library", str(library), "import", str(DUMP_000)]) == 0
    index = library / "index"
    import shutil

    shutil.rmtree(index)
    index.write_text("not a folder")
    capsys.readouterr()
    assert main(["--library", str(library), "list"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() and "Traceback" not in err
    assert err.count("readinglist:") == 1 and "index" in err
