"""The export record of a folder: which file holds which paper, as last written.

`.readinglist-export.json` maps each paper's identity (see `paper_identity`)
to its file name and the sha256 of the part of the file the app owns, as
last written: that hash tells an untouched file from one the user edited.
Combined files (`--single-file`) are recorded by name.

An export does not wait for its end to record what it writes. Each file's
entry is appended, one JSON line, to `.readinglist-export.journal` just
before the file is written (with the hash of the owned part as it was, which
the file still has if the export dies before the rename) and again once it
is written. The export folds the journal into the record when it ends, and
the next export folds in what a killed one left. A line torn by a crash is
ignored: its file is found again by the identity in its front matter. The record is
replaced atomically, then the journal is removed, so a crash between the two
only folds the same lines in twice.

The record of format 1 (before identities) was keyed by the row id of the
library that wrote it, which means nothing to another library. It is read by
asking each file which paper it holds (its front matter's title and arXiv
id); an entry whose file says nothing keeps its row id, under "row:<id>".
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readinglist.errors import ExportError
from readinglist.export.filenames import plain_name_problem
from readinglist.export.files import atomic_write, fsync_dir
from readinglist.export.identity import ARXIV_PREFIX, Identity

MANIFEST_NAME = ".readinglist-export.json"
JOURNAL_NAME = ".readinglist-export.journal"
FORMAT = 2
ROW_PREFIX = "row:"
_OPEN_FLAGS = getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


@dataclass
class Entry:
    """What the record knows of one file."""

    file: str
    sha256: str  # of the whole file as written (for diagnosis)
    owned_sha256: str  # of front matter + block: what decides "edited"
    exported: str  # the stamp in the front matter, ISO 8601
    # The paper's marks besides the key, so that a paper whose identity
    # changed (it gained an arXiv id) or a library that knows it by other
    # marks (no arXiv id) still finds its file.
    arxiv: str | None = None
    title_id: str | None = None
    row: int | None = None  # only in entries of format 1 whose file named no paper
    # Only in the journal, written before the file: the hash of the owned part
    # as it was, which the file still has if the export was killed before it.
    previous_sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry as stored: unknown marks left out."""
        return {key: value for key, value in vars(self).items() if value is not None}

    def identity(self, key: str) -> Identity:
        """What this entry, stored under `key`, says of its paper."""
        paper_id = None if key.startswith(ROW_PREFIX) else key
        return Identity(paper_id, self.arxiv, self.title_id, self.row)


_TEXT_FIELDS = ("file", "sha256", "owned_sha256", "exported")
_MARK_FIELDS = ("arxiv", "title_id", "previous_sha256")


def entry_from_json(value: Any) -> Entry:
    """An entry as stored.

    Raises:
        ValueError: `value` is not an entry.
    """
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in _TEXT_FIELDS):
        raise ValueError("bad entry")
    marks = {key: value.get(key) for key in _MARK_FIELDS}
    if not all(mark is None or isinstance(mark, str) for mark in marks.values()):
        raise ValueError("bad entry")
    row = value.get("row")
    if row is not None and (not isinstance(row, int) or isinstance(row, bool)):
        raise ValueError("bad entry")
    return Entry(
        value["file"],
        value["sha256"],
        value["owned_sha256"],
        value["exported"],
        arxiv=marks["arxiv"],
        title_id=marks["title_id"],
        row=row,
        previous_sha256=marks["previous_sha256"],
    )


class Manifest:
    """The export record of one folder, with the journal of what is not folded in yet."""

    def __init__(
        self,
        root: Path,
        papers: dict[str, Entry],
        combined: dict[str, Entry],
        loaded: str | None,
    ) -> None:
        self.root = root
        self.papers = papers  # paper identity (or "row:<id>") -> entry
        self.combined = combined  # file name -> entry
        self.loaded = loaded  # the text read, to skip a write that changes nothing
        self._journal_fd: int | None = None
        self._journal_broken = False

    @classmethod
    def load(cls, root: Path, identify: Callable[[str], Identity | None]) -> Manifest:
        """Read the record of `root` and fold in the journal a killed export left.

        Args:
            root: The export folder, resolved.
            identify: What the file of that name in `root` says of its paper
                (to read a record of format 1).

        Raises:
            ExportError: The record is damaged or of a newer format.
        """
        path = root / MANIFEST_NAME
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            manifest = cls(root, {}, {}, None)
        except (OSError, UnicodeDecodeError) as error:
            raise _damaged(path, error) from error
        else:
            manifest = cls(root, *_parse(path, text, identify), text)
        manifest._fold_journal()
        return manifest

    def claimed_names(self) -> set[str]:
        """Every file name the record gives to a paper or a combined file."""
        return {entry.file for entry in self.papers.values()} | set(self.combined)

    def put_paper(self, key: str, entry: Entry, replaces: Iterable[str] = ()) -> None:
        """Record the file of the paper `key`, dropping the keys it was known by before."""
        dropped = [old for old in replaces if old != key]
        for old in dropped:
            self.papers.pop(old, None)
        self.papers[key] = entry
        self._append({"paper": key, "entry": entry.to_json(), "drop": dropped})

    def intend_paper(self, key: str, entry: Entry, replaces: Iterable[str] = ()) -> None:
        """Journal the entry of a paper's file about to be written (not yet recorded)."""
        dropped = [old for old in replaces if old != key]
        self._append({"paper": key, "entry": entry.to_json(), "drop": dropped})

    def put_combined(self, name: str, entry: Entry) -> None:
        """Record a combined file."""
        self.combined[name] = entry
        self._append({"combined": name, "entry": entry.to_json()})

    def intend_combined(self, name: str, entry: Entry) -> None:
        """Journal the entry of a combined file about to be written (not yet recorded)."""
        self._append({"combined": name, "entry": entry.to_json()})

    def save(self) -> None:
        """Fold everything recorded into the record file, then drop the journal.

        Raises:
            OSError: The record could not be written; the journal, if it could
                be written, still holds what was recorded.
        """
        self.close()
        text = self._render()
        empty = self.loaded is None and not self.papers and not self.combined
        if text != self.loaded and not empty:  # nothing to record: leave the folder alone
            atomic_write(self.root, MANIFEST_NAME, text.encode("utf-8"))
            fsync_dir(self.root)
            self.loaded = text
        # Folded in: a journal left behind (say, unremovable) is only folded in again.
        with contextlib.suppress(OSError):
            os.unlink(self.root / JOURNAL_NAME)

    def close(self) -> None:
        """Close the journal (what was appended stays)."""
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None

    def _render(self) -> str:
        data = {
            "format": FORMAT,
            "papers": {key: entry.to_json() for key, entry in sorted(self.papers.items())},
            "combined": {key: entry.to_json() for key, entry in sorted(self.combined.items())},
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def _append(self, record: dict[str, Any]) -> None:
        # ASCII only, so that a line can never hold a raw newline, and one
        # write per line: a killed process leaves whole lines, and at worst a
        # power cut tears the last one. Not fsynced: a line lost with the
        # cache leaves a file the next export still finds by its identity.
        if self._journal_broken:
            return
        line = (json.dumps(record, ensure_ascii=True) + "\n").encode("ascii")
        try:
            if self._journal_fd is None:
                flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | _OPEN_FLAGS
                self._journal_fd = os.open(self.root / JOURNAL_NAME, flags, 0o666)
            written = os.write(self._journal_fd, line)
            if written != len(line):
                raise OSError("short write to the export journal")
        except OSError:
            # The files written are whole and say which paper they hold; the
            # record is saved at the end, and this export goes on without a journal.
            self._journal_broken = True
            with contextlib.suppress(OSError):
                self.close()

    def _fold_journal(self) -> None:
        path = self.root / JOURNAL_NAME
        try:
            fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
        except OSError:
            return  # none, or not a file we would read (a link)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
        for line in data.split(b"\n"):
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                self._apply(json.loads(line.decode("ascii")))

    def _apply(self, record: Any) -> None:
        entry = entry_from_json(record["entry"])
        if plain_name_problem(entry.file):
            return  # never followed: the journal is a file others can edit
        if "combined" in record:
            name = record["combined"]
            if isinstance(name, str) and not plain_name_problem(name):
                self.combined[name] = entry
            return
        key, dropped = record["paper"], record.get("drop", [])
        if not isinstance(dropped, list) or not all(isinstance(old, str) for old in dropped):
            return
        if isinstance(key, str) and key:
            for old in dropped:
                self.papers.pop(old, None)
            self.papers[key] = entry


def _parse(
    path: Path, text: str, identify: Callable[[str], Identity | None]
) -> tuple[dict[str, Entry], dict[str, Entry]]:
    try:
        data = json.loads(text)
        version = data.get("format", 1)
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError(f"format {version!r}")
        if version > FORMAT:
            raise ExportError(
                f"The export record {path} was written by a newer version of readinglist "
                f"(format {version}). Export with that version, or into another folder."
            )
        raw = {str(key): entry_from_json(value) for key, value in data["papers"].items()}
        combined = {str(key): entry_from_json(value) for key, value in data["combined"].items()}
        papers = _from_rows(raw, identify) if version == 1 else raw
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise _damaged(path, error) from error
    # An entry naming anything but a plain file here is ignored, never
    # followed: the record is a file in a folder others can edit.
    papers = {key: item for key, item in papers.items() if not plain_name_problem(item.file)}
    combined = {key: item for key, item in combined.items() if not plain_name_problem(key)}
    return papers, combined


def _from_rows(
    by_row: dict[str, Entry], identify: Callable[[str], Identity | None]
) -> dict[str, Entry]:
    """Key the entries of format 1 by what their files say of their papers."""
    papers: dict[str, Entry] = {}
    for row_text, entry in by_row.items():
        row = int(row_text)
        found = None if plain_name_problem(entry.file) else identify(entry.file)
        if found is None or found.title_id is None:
            entry.row = row
            papers[f"{ROW_PREFIX}{row}"] = entry
            continue
        entry.arxiv, entry.title_id = found.arxiv, found.title_id
        key = found.paper_id or (f"{ARXIV_PREFIX}{found.arxiv}" if found.arxiv else found.title_id)
        papers[key if key not in papers else f"{key}#{row}"] = entry
    return papers


def _damaged(path: Path, error: Exception) -> ExportError:
    return ExportError(
        f"The export record {path} is damaged ({error}). Move it away to export again; "
        "the files already in the folder are then recognised by the paper-id in their "
        "front matter, and files readinglist did not write are left alone."
    )
