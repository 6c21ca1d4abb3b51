"""One index rebuild at a time per library, across real processes.

The lock itself (flock and the O_EXCL fallback) against processes that hold
it, die with it, or are gone; then the CLI: rebuilds, imports and searches
started side by side on one library, and a rebuild killed midway.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from testdata import DUMPS

from readinglist.index.lock import LOCK_NAME, IndexLock, LockOwner, pid_alive

REPO = Path(__file__).resolve().parents[2]
SYNTHETIC_PAPERS = 2500  # a rebuild of these takes several seconds here
DUMP_PAPERS = 413  # the five sample dumps, all new to a synthetic library

needs_flock = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX only")

HOLDER = """
import sys, time
from pathlib import Path
from readinglist.index.lock import IndexLock
lock = IndexLock(Path(sys.argv[1]), use_flock=sys.argv[2] == "flock")
assert lock.try_acquire("rebuild", building="ix-" + "0" * 32)
print("held", flush=True)
time.sleep(120)
"""


def hold_in_child(folder: Path, mode: str) -> subprocess.Popen[str]:
    """A process that takes the lock and keeps it until killed."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), mode],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "held"
    return child


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)


# -- the lock ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [pytest.param("flock", marks=needs_flock), "excl"])
def test_a_held_lock_is_busy_and_names_its_holder(tmp_path: Path, mode: str) -> None:
    first = IndexLock(tmp_path, use_flock=mode == "flock")
    second = IndexLock(tmp_path, use_flock=mode == "flock")
    assert first.try_acquire("rebuild")
    first.building("ix-" + "a" * 32)
    assert not second.try_acquire("write")
    owner = second.owner()
    assert owner is not None
    assert (owner.pid, owner.host, owner.what) == (os.getpid(), socket.gethostname(), "rebuild")
    assert owner.building == "ix-" + "a" * 32
    assert "process" in owner.describe() and str(os.getpid()) in owner.describe()
    first.release()
    assert second.owner() is None
    assert second.try_acquire("write")
    second.release()


@pytest.mark.parametrize("mode", [pytest.param("flock", marks=needs_flock), "excl"])
def test_a_lock_held_by_another_process_waits_then_gives_up(tmp_path: Path, mode: str) -> None:
    child = hold_in_child(tmp_path, mode)
    try:
        lock = IndexLock(tmp_path, use_flock=mode == "flock")
        started = time.monotonic()
        assert not lock.acquire("rebuild", timeout=0.6, poll=0.1)
        assert time.monotonic() - started >= 0.6
        owner = lock.owner()
        assert owner is not None and owner.pid == child.pid
    finally:
        kill(child)


@pytest.mark.parametrize("mode", [pytest.param("flock", marks=needs_flock), "excl"])
def test_the_lock_of_a_killed_process_is_taken_over(tmp_path: Path, mode: str) -> None:
    child = hold_in_child(tmp_path, mode)
    kill(child)
    assert not pid_alive(child.pid)
    lock = IndexLock(tmp_path, use_flock=mode == "flock")
    assert lock.owner() is None  # its text may remain; nobody holds it
    assert lock.try_acquire("rebuild")
    assert lock.owner().pid == os.getpid()
    lock.release()


@needs_flock
def test_flock_leaves_its_file_empty_and_in_place(tmp_path: Path) -> None:
    lock = IndexLock(tmp_path)
    assert lock.try_acquire("write")
    assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == os.getpid()
    lock.release()
    assert (tmp_path / LOCK_NAME).read_bytes() == b""


def test_fallback_keeps_a_live_holders_lock_however_old(tmp_path: Path) -> None:
    child = hold_in_child(tmp_path, "excl")
    try:
        lock = IndexLock(tmp_path, use_flock=False, stale_after=0.0)
        assert not lock.try_acquire("rebuild")
    finally:
        kill(child)


def test_fallback_takes_over_an_old_lock_of_another_host(tmp_path: Path) -> None:
    path = IndexLock(tmp_path, use_flock=False).path
    fresh = {"pid": 1, "host": "elsewhere", "started": time.time(), "what": "rebuild"}
    path.write_text(json.dumps(fresh))
    assert not IndexLock(tmp_path, use_flock=False, stale_after=3600).try_acquire("write")
    old = {**fresh, "started": time.time() - 7200}
    path.write_text(json.dumps(old))
    lock = IndexLock(tmp_path, use_flock=False, stale_after=3600)
    assert lock.try_acquire("write")
    assert lock.owner().host == socket.gethostname()
    lock.release()
    assert not path.exists()


def test_fallback_waits_for_a_lock_file_being_written(tmp_path: Path) -> None:
    path = IndexLock(tmp_path, use_flock=False).path
    path.write_text("")  # its holder is between creating and writing it
    assert not IndexLock(tmp_path, use_flock=False).try_acquire("write")
    old = time.time() - 60
    os.utime(path, (old, old))  # ...or died there
    lock = IndexLock(tmp_path, use_flock=False)
    assert lock.try_acquire("write")
    lock.release()


def test_fallback_release_leaves_a_lock_taken_over_from_it(tmp_path: Path) -> None:
    lock = IndexLock(tmp_path, use_flock=False)
    assert lock.try_acquire("rebuild")
    other = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    lock.path.write_text(json.dumps({**other, "what": "write", "token": "x" * 32}))
    lock.release()
    assert lock.path.exists()  # it is the other holder's now


# -- the command line, side by side ---------------------------------------------------------


def cli(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "readinglist", "--library", str(library), *args]


def run(library: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(library, *args), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def start(library: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli(library, *args), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str], timeout: float = 180) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of synthetic papers with its index built (made once, copied per test)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import write_dumps
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    folder = tmp_path_factory.mktemp("big")
    dumps = write_dumps(folder / "dumps", SYNTHETIC_PAPERS, per_file=500)
    library = folder / "library"
    result = run(library, "import", *map(str, dumps), timeout=600)
    assert result.returncode == 0, result.stderr
    return library


def copy_of(library: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "library"
    shutil.copytree(library, copy)
    return copy


def make_stale(library: Path) -> None:
    """Bumps the library's change counter, as a write whose index update was lost does."""
    conn = sqlite3.connect(library / "library.sqlite3")
    with conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    conn.close()


def wait_for_rebuild(library: Path, pid: int, timeout: float = 60) -> LockOwner:
    """The lock's owner, once process `pid` holds it to rebuild a folder."""
    lock = IndexLock(library / "index")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = lock.owner()
        if holder is not None and holder.pid == pid and holder.building:
            return holder
        time.sleep(0.05)
    raise AssertionError("the rebuild never started")


def index_folders(library: Path) -> list[str]:
    return sorted(p.name for p in (library / "index").iterdir() if p.name.startswith("ix-"))


@pytest.mark.slow
def test_rebuild_import_and_search_side_by_side(big_library: Path, tmp_path: Path) -> None:
    library = copy_of(big_library, tmp_path)
    old_folder = index_folders(library)
    make_stale(library)

    first = start(library, "check", "--repair")
    building = wait_for_rebuild(library, first.pid)
    second = start(library, "check", "--repair")
    importing = start(library, "import", *map(str, sorted(DUMPS.glob("*.txt"))))

    # Searches answer from the last good index meanwhile, without a rebuild of their own.
    started = time.monotonic()
    search = run(library, "search", "synthetic OR model", "--json")
    searched_in = time.monotonic() - started
    listed = run(library, "list", "--json")
    holder = IndexLock(library / "index").owner()
    assert holder is not None and holder.pid == first.pid, "the rebuild ended too soon to tell"

    assert search.returncode == 0 and search.stderr == ""
    assert json.loads(search.stdout)["total"] > 0
    assert searched_in < 10
    assert listed.returncode == 0 and len(json.loads(listed.stdout)["papers"]) >= SYNTHETIC_PAPERS
    assert building.building not in old_folder

    outputs = {}
    for name, process in (("first", first), ("second", second), ("import", importing)):
        code, out, err = finish(process)
        assert code == 0, (name, out, err)
        assert "Traceback" not in err
        outputs[name] = out
    assert f"{DUMP_PAPERS} added" in outputs["import"]

    check = run(library, "check")
    assert check.returncode == 0, check.stderr
    total = SYNTHETIC_PAPERS + DUMP_PAPERS
    assert f"in step with the library ({total:,} papers)" in check.stdout
    # The import's papers reached the index although it was busy when they came.
    found = run(library, "search", '"Reactive Transformer"', "--json")
    assert json.loads(found.stdout)["total"] >= 1
    assert len(index_folders(library)) == 1
    assert not list((library / "index").glob("pending-*"))


@pytest.mark.slow
def test_a_rebuild_killed_midway_is_taken_over(big_library: Path, tmp_path: Path) -> None:
    library = copy_of(big_library, tmp_path)
    make_stale(library)
    doomed = start(library, "check", "--repair")
    building = wait_for_rebuild(library, doomed.pid)
    time.sleep(1.0)  # midway: its folder has files in it
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    assert building.building in index_folders(library)  # left behind, half built

    repaired = run(library, "check", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert f"rebuilt the search index ({SYNTHETIC_PAPERS:,} papers)" in repaired.stdout
    check = run(library, "check")
    assert check.returncode == 0 and "in step" in check.stdout
    assert building.building not in index_folders(library)
    assert len(index_folders(library)) == 1
    assert IndexLock(library / "index").owner() is None


def test_a_write_during_a_rebuild_is_caught_up_when_the_rebuild_lets_go(tmp_path: Path) -> None:
    from readinglist.index.index import IndexDoc, SearchIndex

    def doc(paper_id: int, title: str) -> IndexDoc:
        return IndexDoc(paper_id, title, "An abstract.", "", (), "unread", 2024, None)

    library = {1: doc(1, "Alpha"), 2: doc(2, "Beta")}

    def load(ids):
        return [library[i] for i in ids if i in library]

    rebuilding = SearchIndex(tmp_path, load=load)
    assert rebuilding.rebuild(library.values(), total=2, generation=1)
    writing = SearchIndex(tmp_path, load=load)
    with rebuilding.exclusive("rebuild"):
        library[2] = doc(2, "Gamma")
        assert not writing.write(upsert=[library[2]], generation=2)  # left pending
        assert writing.has_pending() and writing.generation() == 1
        assert writing.search("gamma").total == 0
    assert not writing.has_pending()
    assert writing.generation() == 2
    assert [hit.id for hit in writing.search("gamma").hits] == [2]
