"""A disk that fills up during an export: the message says what was written and what was not.

The disk is real: a small tmpfs mounted for the test (root only; skipped
where mounting is not allowed). The exports are real processes of the CLI.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from testdata import dump_files

from readinglist.collection import Collection
from readinglist.export.frontmatter import split_front_matter
from readinglist.export.vault import END_MARKER, MANIFEST_NAME

PAPERS = 413
STAMP = re.compile(r"^exported: .*$", re.MULTILINE)
FULL = "the disk is full (no space left on device)"


def _mount(folder: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` on `folder`; the reason it could not be, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "mounting a small tmpfs needs root"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "no mount command"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return f"mount is not allowed here: {done.stderr.strip() or done.returncode}"
    return None


class SmallDisk:
    """A mounted tmpfs: `path` is its root."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def grow(self, size: str) -> None:
        """Make room, as a user who frees some space would."""
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)

    def fill(self) -> Path:
        """Fill every free block with one file; return it (delete it to free the space)."""
        filler = self.path / "filler.bin"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            while True:
                try:
                    os.write(fd, b"\0" * 4096)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
                    break
        finally:
            os.close(fd)
        return filler


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    why = _mount(mount_point, "64k")
    if why:
        pytest.skip(why)
    try:
        yield SmallDisk(mount_point)
    finally:
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    collection = Collection.open(folder)
    try:
        collection.import_paths(dump_files())
    finally:
        collection.close()
    return folder


@pytest.fixture
def five_notes(library: Path, tmp_path: Path) -> Path:
    """A copy of the library where five papers have a note (what a plain export takes)."""
    copy = tmp_path / "five-notes"
    shutil.copytree(library, copy)
    collection = Collection.open(copy)
    try:
        for paper in collection.select_for_export(everything=True)[:5]:
            collection.set_note(paper.id, f"Note on paper {paper.id}.")
    finally:
        collection.close()
    return copy


def run_export(library: Path, vault: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "readinglist", "--library", str(library), "export"]
    return subprocess.run(
        [*command, "--out", str(vault), *options],
        capture_output=True,
        text=True,
        timeout=300,
    )


def notes_in(vault: Path) -> list[str]:
    return sorted(name for name in os.listdir(vault) if name.endswith(".md"))


def contents(vault: Path) -> dict[str, str]:
    return {
        name: STAMP.sub("exported: <time>", (vault / name).read_text("utf-8"), count=1)
        for name in notes_in(vault)
    }


def assert_whole_notes_only(vault: Path) -> None:
    for name in notes_in(vault):
        text = (vault / name).read_text("utf-8")
        fields, body = split_front_matter(text)
        assert fields is not None and "paper-id" in fields, name
        assert body.endswith(END_MARKER + "\n"), name
    temps = [n for n in os.listdir(vault) if n.startswith(".readinglist-") and n.endswith(".tmp")]
    assert temps == []


def test_a_disk_that_fills_part_way_says_how_many_notes_were_written(
    small_disk: SmallDisk, library: Path, tmp_path: Path
) -> None:
    vault = small_disk.path / "vault"
    done = run_export(library, vault, "--all")
    assert done.returncode == 1
    written = len(notes_in(vault))
    assert 0 < written < PAPERS
    assert done.stderr == (
        f"readinglist: Exported {written} of {PAPERS} notes; {FULL} — {PAPERS - written} were "
        "not written. Free some space and export again: what was written is kept.\n"
    )
    assert done.stdout == ""
    assert_whole_notes_only(vault)
    kept = contents(vault)

    small_disk.grow("8m")
    done = run_export(library, vault, "--all", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["skipped"] == [] and report["updated"] == []
    assert len(report["unchanged"]) == written
    assert len(report["written"]) == PAPERS - written
    # What the first run wrote is still there, as it was; the rest is as an
    # export that never ran out of space would have it.
    now = contents(vault)
    assert {name: now[name] for name in kept} == kept
    reference = tmp_path / "reference"
    assert run_export(library, reference, "--all").returncode == 0
    assert now == contents(reference)
    assert (vault / MANIFEST_NAME).is_file()


def test_a_full_disk_before_the_first_note(small_disk: SmallDisk, five_notes: Path) -> None:
    vault = small_disk.path / "vault"
    vault.mkdir()
    filler = small_disk.fill()
    done = run_export(five_notes, vault)
    assert done.returncode == 1
    assert done.stderr == (
        f"readinglist: Exported 0 of 5 notes; {FULL} — 5 were not written. "
        "Free some space and export again: what was written is kept.\n"
    )
    assert os.listdir(vault) == []

    filler.unlink()
    done = run_export(five_notes, vault)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "5 paper(s): 5 written, 0 updated, 0 unchanged, 0 skipped\n"


def test_a_disk_too_full_for_the_export_record(small_disk: SmallDisk, five_notes: Path) -> None:
    vault = small_disk.path / "vault"
    assert run_export(five_notes, vault).returncode == 0
    before = contents(vault)
    # The record is lost, and the disk then fills up: the notes need no
    # space, the new record does.
    (vault / MANIFEST_NAME).unlink()
    filler = small_disk.fill()

    done = run_export(five_notes, vault)
    assert done.returncode == 1
    assert done.stderr == (
        f"readinglist: Exported 5 of 5 notes, but the export record {vault / MANIFEST_NAME} "
        f"could not be saved: {FULL}. The notes are kept, and the next export finds them by "
        "their paper-id. Free some space and export again to save the record.\n"
    )
    assert contents(vault) == before
    assert_whole_notes_only(vault)

    filler.unlink()
    done = run_export(five_notes, vault)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "5 paper(s): 0 written, 0 updated, 5 unchanged, 0 skipped\n"
    assert contents(vault) == before
    assert (vault / MANIFEST_NAME).is_file()


def test_a_single_file_export_on_a_full_disk_changes_nothing(
    small_disk: SmallDisk, five_notes: Path
) -> None:
    vault = small_disk.path / "vault"
    assert run_export(five_notes, vault, "--single-file", "notes.md").returncode == 0
    before = (vault / "notes.md").read_bytes()
    small_disk.fill()
    done = run_export(five_notes, vault, "--single-file", "notes.md", "--all")
    assert done.returncode == 1
    assert done.stderr == (
        f"readinglist: Could not write notes.md: {FULL}. Free some space and export "
        "again: the folder is as it was.\n"
    )
    assert (vault / "notes.md").read_bytes() == before
