"""An export killed part-way, or a lost export record, loses nothing and duplicates nothing.

The exports here are real processes (`python -m readinglist ... export`)
killed with SIGKILL while they write, on a library of the five sample dumps.
The vault they leave, exported again, must be the vault of an export that was
never interrupted: the same file names, the same contents (but for the
export time in the front matter), no "(2)" files, nothing reported as edited.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from testdata import dump_files

from readinglist.collection import Collection
from readinglist.export.identity import paper_identity
from readinglist.export.vault import END_MARKER, JOURNAL_NAME, MANIFEST_NAME, export_notes

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="kills the export with SIGKILL (POSIX)"
)

PAPERS = 413  # distinct papers in the five sample dumps
STAMP = re.compile(r"^exported: .*$", re.MULTILINE)
USER_TEXT = "\n## My own lines\n\nWritten in the vault; they must survive every export.\n"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    collection = Collection.open(folder)
    try:
        collection.import_paths(dump_files())
        assert len(collection.select_for_export(everything=True)) == PAPERS
    finally:
        collection.close()
    return folder


@pytest.fixture
def own_library(library: Path, tmp_path: Path) -> Path:
    """A copy of the library that a test may change."""
    copy = tmp_path / "own-library"
    shutil.copytree(library, copy)
    return copy


def export_command(library: Path, vault: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "readinglist",
        "--library",
        str(library),
        "export",
        "--all",
        "--out",
        str(vault),
        "--json",
    ]


def export(library: Path, vault: Path) -> tuple[int, dict, str]:
    """Run an export to the end: (exit status, its JSON report, stderr)."""
    done = subprocess.run(
        export_command(library, vault), capture_output=True, text=True, timeout=300
    )
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, report, done.stderr


def export_killed(library: Path, vault: Path, ready: Callable[[], bool]) -> None:
    """Start an export and SIGKILL it as soon as `ready()` holds; it must not have finished."""
    process = subprocess.Popen(
        export_command(library, vault), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and not ready():
            assert time.monotonic() < deadline, "the export never got going"
            time.sleep(0.001)
        process.kill()
    finally:
        _, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, (
        f"the export ended before it was killed (status {process.returncode}): {err!r}"
    )


def notes_in(vault: Path) -> list[str]:
    if not vault.exists():
        return []  # the export has not created it yet
    return [name for name in os.listdir(vault) if name.endswith(".md")]


def at_least(vault: Path, count: int) -> Callable[[], bool]:
    return lambda: len(notes_in(vault)) >= count


def changed_since(vault: Path, moment_ns: int, count: int) -> Callable[[], bool]:
    def ready() -> bool:
        changed = 0
        for entry in os.scandir(vault):
            if entry.name.endswith(".md") and entry.stat().st_mtime_ns > moment_ns:
                changed += 1
        return changed >= count

    return ready


def contents(vault: Path) -> dict[str, str]:
    """Every note by name, the export time masked (two runs cannot share it)."""
    return {
        name: STAMP.sub("exported: <time>", (vault / name).read_text("utf-8"), count=1)
        for name in sorted(notes_in(vault))
    }


def record(vault: Path) -> dict[str, str]:
    """The export record: which file each paper's identity maps to."""
    data = json.loads((vault / MANIFEST_NAME).read_text("utf-8"))
    return {key: entry["file"] for key, entry in data["papers"].items()}


def assert_same_vault(vault: Path, reference: Path) -> None:
    assert sorted(notes_in(vault)) == sorted(notes_in(reference))
    assert not [name for name in notes_in(vault) if re.search(r" \(\d+\)\.md$", name)]
    assert contents(vault) == contents(reference)
    assert record(vault) == record(reference)
    leftovers = [name for name in os.listdir(vault) if name.startswith(".readinglist-")]
    assert leftovers == [MANIFEST_NAME]  # no journal, no temp files


def assert_clean_run(status: int, report: dict, err: str) -> None:
    assert status == 0, err
    assert err == ""
    assert report["skipped"] == []
    total = len(report["written"]) + len(report["updated"]) + len(report["unchanged"])
    assert total == PAPERS


def add_user_text(vault: Path, names: list[str]) -> None:
    for name in names:
        with open(vault / name, "a", encoding="utf-8") as handle:
            handle.write(USER_TEXT)


# --- killed exports ------------------------------------------------------------------


def test_a_killed_first_export_run_again_gives_the_vault_of_an_unbroken_one(
    library: Path, tmp_path: Path
) -> None:
    reference, vault = tmp_path / "reference", tmp_path / "vault"
    assert_clean_run(*export(library, reference))

    export_killed(library, vault, at_least(vault, 25))
    first = len(notes_in(vault))
    assert 25 <= first < PAPERS
    # What the killed run wrote is on record already.
    assert (vault / JOURNAL_NAME).is_file()
    # A power cut may tear the journal's last line: that must not matter.
    with open(vault / JOURNAL_NAME, "ab") as journal:
        journal.write(b'{"paper": "title:0123", "entry": {"file": "Tor')

    # Killed again, later: the second run folds in the first one's journal.
    export_killed(library, vault, at_least(vault, first + 100))
    assert first + 100 <= len(notes_in(vault)) < PAPERS

    status, report, err = export(library, vault)
    assert_clean_run(status, report, err)
    assert len(report["unchanged"]) >= first + 100
    assert len(report["written"]) == PAPERS - len(report["unchanged"])
    assert_same_vault(vault, reference)


def test_a_killed_re_export_run_again_reports_nothing_as_edited(
    own_library: Path, tmp_path: Path
) -> None:
    reference, vault = tmp_path / "reference", tmp_path / "vault"
    for folder in (reference, vault):
        assert_clean_run(*export(own_library, folder))
    edited = sorted(notes_in(vault))[::50]
    for folder in (reference, vault):
        add_user_text(folder, edited)

    # Every paper changes in the library: the re-export rewrites every file.
    collection = Collection.open(own_library)
    try:
        ids = [paper.id for paper in collection.select_for_export(everything=True)]
        collection.add_tags(ids, ["re-exported"])
    finally:
        collection.close()
    status, report, err = export(own_library, reference)
    assert_clean_run(status, report, err)
    assert len(report["updated"]) == PAPERS

    before = time.time_ns()
    time.sleep(0.05)  # coarse file system clocks
    export_killed(own_library, vault, changed_since(vault, before, 30))
    updated = changed_since(vault, before, PAPERS)
    assert not updated(), "the kill came too late to test anything"

    status, report, err = export(own_library, vault)
    assert_clean_run(status, report, err)  # no file reported as edited in the vault
    assert len(report["unchanged"]) >= 30
    assert_same_vault(vault, reference)
    for name in edited:
        assert (vault / name).read_text("utf-8").endswith(END_MARKER + "\n" + USER_TEXT)


def test_what_a_killed_export_wrote_is_on_record_when_the_papers_change_before_the_next(
    own_library: Path, tmp_path: Path
) -> None:
    # Files recognised only by their content would look edited once their
    # papers change: the record must have kept up with the killed run.
    reference, vault = tmp_path / "reference", tmp_path / "vault"
    export_killed(own_library, vault, at_least(vault, 40))
    assert 40 <= len(notes_in(vault)) < PAPERS

    collection = Collection.open(own_library)
    try:
        ids = [paper.id for paper in collection.select_for_export(everything=True)]
        collection.add_tags(ids, ["changed after the kill"])
        collection.mark(ids[::3], "read")
    finally:
        collection.close()

    status, report, err = export(own_library, vault)
    assert_clean_run(status, report, err)
    assert len(report["updated"]) >= 40 and report["unchanged"] == []
    assert_clean_run(*export(own_library, reference))
    assert_same_vault(vault, reference)


# --- a lost export record ----------------------------------------------------------------


def test_a_deleted_record_duplicates_nothing_and_reports_nothing_as_edited(
    library: Path, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    assert_clean_run(*export(library, vault))
    add_user_text(vault, sorted(notes_in(vault))[:3])
    before = contents(vault)
    expected_record = record(vault)

    (vault / MANIFEST_NAME).unlink()
    status, report, err = export(library, vault)
    assert_clean_run(status, report, err)
    assert len(report["unchanged"]) == PAPERS
    assert contents(vault) == before
    # The record is back, so a later edit in the vault is told from an update.
    assert record(vault) == expected_record


def test_a_record_that_missed_the_last_writes_does_not_turn_them_into_edits(
    tmp_path: Path,
) -> None:
    # The state a kill leaves between replacing a file and recording it: the
    # file is new, the record still has the hash of the old one.
    from readinglist.papers import Paper

    papers = [Paper(id=n, title=f"Paper {n}", abstract="Text.", note="first") for n in (1, 2)]
    first = datetime(2025, 4, 21, 10, 0, tzinfo=UTC)
    export_notes(papers, tmp_path, now=first)
    old_record = (tmp_path / MANIFEST_NAME).read_bytes()
    for paper in papers:
        paper.note = "second"
    assert len(export_notes(papers, tmp_path, now=first.replace(hour=11)).updated) == 2
    (tmp_path / MANIFEST_NAME).write_bytes(old_record)

    report = export_notes(papers, tmp_path, now=first.replace(hour=12))
    assert len(report.unchanged) == 2 and report.skipped == []
    data = json.loads((tmp_path / MANIFEST_NAME).read_text("utf-8"))
    assert data["papers"][paper_identity(papers[0])]["exported"].startswith("2025-04-21T11:00")

    # And a real edit is still an edit once the record has caught up.
    path = tmp_path / "Paper 1.md"
    path.write_text(path.read_text("utf-8").replace("second", "mine"), "utf-8")
    papers[0].note = "third"
    report = export_notes(papers, tmp_path, now=first.replace(hour=13))
    assert [p.name for p, _ in report.skipped] == ["Paper 1.md"]
