"""Export notes to Markdown files in a folder (a notes vault).

Each file has a part the app owns (front matter and a marked block, see
`export.markdown`) and a part below the end marker that the user owns and
that is kept on re-export.

Which file is which paper's: the folder's export record (`export.manifest`)
keys files by the paper's stable identity (`paper_identity`: its arXiv id,
else its normalised title), and every file carries that identity in its
front matter (`paper-id`). So a library finds its papers' files in a vault
another library wrote, and a file whose record was lost (an export killed
part-way, a record deleted, a file renamed in the vault) is found again by
what it carries, never duplicated.

Whether a file may be replaced: it is untouched if its owned part is what
the record says was last written, or exactly what the app would write for the
paper now. Then it is brought up to date and the user's part is kept. A file
whose owned part was edited is skipped unless `force`; a file the app did
not write is never overwritten.

Each file is written whole (temp file, fsync, rename) and recorded as it is
written: its entry goes to the record's journal just before the rename,
knowing the file as it was and as it will be, and again once it is done. So
an export killed at any point, run again, ends with the same folder as one
that was never interrupted. Symbolic links are skipped and
replacing a directory entry never writes through a link, so nothing is
written outside the folder. A full disk stops the export with a message
saying what was written and what was not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from readinglist.errors import ExportError
from readinglist.export.filenames import CaseInsensitiveNames, plain_name_problem, portable_name
from readinglist.export.files import (
    atomic_write,
    create_temp,
    fsync_dir,
    is_disk_full,
    marked_files,
    read_identity,
    reason,
    remove_stale_temps,
)
from readinglist.export.frontmatter import render_front_matter, split_front_matter
from readinglist.export.identity import (
    ID_FIELD,
    LEGACY_ID_FIELD,
    Identity,
    exported_at,
    identities_of,
    match_all,
)
from readinglist.export.manifest import JOURNAL_NAME, MANIFEST_NAME, Entry, Manifest
from readinglist.export.markdown import (
    BEGIN_MARKER,
    COMBINED_TITLE,
    END_MARKER,
    combined_block,
    combined_front_matter,
    combined_section,
    legacy_front_matter,
    paper_front_matter,
    render_paper_block,
)
from readinglist.papers import Paper

__all__ = [
    "BEGIN_MARKER",
    "COMBINED_TITLE",
    "EDITED_REASON",
    "END_MARKER",
    "FOREIGN_REASON",
    "JOURNAL_NAME",
    "LINK_REASON",
    "MANIFEST_NAME",
    "UNRECORDED_REASON",
    "ExportIncompleteError",
    "ExportReport",
    "export_notes",
    "paper_front_matter",
    "render_paper_block",
]

EDITED_REASON = "edited in the vault since the last export; use --force to overwrite"
UNRECORDED_REASON = (
    "holds this paper but is not in the export record, and differs from what readinglist "
    "would write now, so it may hold your edits; use --force to overwrite"
)
FOREIGN_REASON = (
    "already exists and was not written by this export; choose another name or move the file"
)
LINK_REASON = "is a symbolic link; readinglist does not write through links"


@dataclass
class ExportReport:
    """What an export did, file by file."""

    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        """The JSON form of the CLI contract: paths as strings."""
        return {
            "written": [str(path) for path in self.written],
            "updated": [str(path) for path in self.updated],
            "unchanged": [str(path) for path in self.unchanged],
            "skipped": [{"path": str(path), "reason": reason} for path, reason in self.skipped],
        }


class ExportIncompleteError(ExportError):
    """An export that could not finish (a full disk) or not save its record.

    The message says what was written and what was not; `report` holds the
    files dealt with before it stopped. Everything written is kept.
    """

    def __init__(self, message: str, report: ExportReport) -> None:
        super().__init__(message)
        self.report = report


class _DiskFullError(Exception):
    """Raised inside an export to stop it: the next file would not fit either."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def export_notes(
    papers: Sequence[Paper],
    folder: Path,
    *,
    single_file: str | None = None,
    force: bool = False,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportReport:
    """Write the papers' notes as Markdown into `folder`.

    Args:
        papers: The papers to export, already selected by the caller. A paper
            id given twice is exported once.
        folder: The target folder; created if missing.
        single_file: A plain file name (e.g. "reading-notes.md") to write all
            papers into one file; None for one file per paper.
        force: Overwrite files whose app-owned part was edited in the vault.
            Text below the end marker is kept even then.
        now: The export time written into the front matter; local now if None.
        progress: Called with (papers done, papers in all) as the work goes.

    Returns:
        An ExportReport; files that could not be written are in `skipped`
        with a reason.

    Raises:
        ExportError: `single_file` is not a plain file name, the folder cannot
            be created or written, or its export record is damaged: nothing
            has been written then.
        ExportIncompleteError: The disk filled up part-way (the export stopped
            there), or the export record could not be saved at the end. The
            message says how many notes were written; what was written is kept
            and the next export picks up from it.
    """
    if single_file is not None:
        problem = plain_name_problem(single_file)
        if problem:
            raise ExportError(
                f"Cannot export to {single_file!r}: {problem}. "
                "Give a plain file name such as reading-notes.md."
            )
    folder = Path(folder)
    root = _prepare_folder(folder)
    manifest = Manifest.load(root, lambda name: read_identity(root / name))
    stamp = (now or datetime.now().astimezone()).replace(microsecond=0)
    job = _Job(root, folder, manifest, stamp, force, ExportReport())
    unique = _first_of_each_id(papers)
    try:
        try:
            if single_file is None:
                job.export_each(unique, progress)
            else:
                job.export_combined(unique, single_file, progress)
        except _DiskFullError as full:
            _save_if_possible(manifest)
            raise ExportIncompleteError(
                _disk_full_message(job.report, len(unique), single_file, full.error), job.report
            ) from full.error
        fsync_dir(root)
        try:
            manifest.save()
        except OSError as error:
            raise ExportIncompleteError(
                _unsaved_record_message(job.report, len(unique), single_file, root, error),
                job.report,
            ) from error
    finally:
        manifest.close()
    return job.report


def _first_of_each_id(papers: Sequence[Paper]) -> list[Paper]:
    seen: set[int] = set()
    unique = []
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            unique.append(paper)
    return unique


def _save_if_possible(manifest: Manifest) -> None:
    # On a full disk the record may not fit: then the journal keeps what was
    # recorded, and the files say which papers they hold.
    with contextlib.suppress(OSError):
        manifest.save()


# --- the export --------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """A paper's file as found: its name, and its record's entry if it has one."""

    file: str
    entry: Entry | None = None
    keys: tuple[str, ...] = ()  # the record keys it was stored under
    marked: bool = False  # found by the identity in its front matter


Render = Callable[[datetime], str]
Legacy = Callable[[datetime, dict], "str | None"]


@dataclass
class _Job:
    root: Path  # resolved: every I/O goes here
    folder: Path  # as given: what the report shows
    manifest: Manifest
    stamp: datetime
    force: bool
    report: ExportReport

    def export_each(self, papers: list[Paper], progress: Callable[[int, int], None] | None) -> None:
        identities = identities_of(papers)
        existing = set(os.listdir(self.root))
        found = self._find_files(identities, existing)
        taken = CaseInsensitiveNames(existing | self.manifest.claimed_names())
        for done, (paper, identity, known) in enumerate(
            zip(papers, identities, found, strict=True), 1
        ):
            if known is None:
                # Named in order, after every file already here: a run that
                # resumes a killed one picks the names an unbroken run would.
                known = _Known(portable_name(paper.title, taken=taken))
                taken.add(known.file)
            self._export_paper(paper, identity, known)
            if progress:
                progress(done, len(papers))

    def _find_files(self, identities: list[Identity], existing: set[str]) -> list[_Known | None]:
        """Each paper's file: by the export record, else by what the files carry."""
        keys = list(self.manifest.papers)
        records = [self.manifest.papers[key].identity(key) for key in keys]
        found: list[_Known | None] = []
        for index in match_all(identities, records):
            if index is None:
                found.append(None)
            else:
                entry = self.manifest.papers[keys[index]]
                found.append(_Known(entry.file, entry, (keys[index],)))
        lost = [
            position
            for position, known in enumerate(found)
            if known is None or not os.path.lexists(self.root / known.file)
        ]
        if not lost:
            return found
        # Papers the record does not know, or whose file is gone from where
        # it said: look for files that name them (renamed in the vault, or
        # written by an export that did not get to record them).
        claimed = CaseInsensitiveNames(self.manifest.claimed_names())
        marked = marked_files(self.root, (name for name in existing if name not in claimed))
        matches = match_all([identities[p] for p in lost], [m.identity for m in marked])
        for position, index in zip(lost, matches, strict=True):
            if index is not None:
                before = found[position] or _Known("")
                found[position] = _Known(marked[index].name, before.entry, before.keys, True)
        return found

    def _export_paper(self, paper: Paper, identity: Identity, known: _Known) -> None:
        block = render_paper_block(paper)
        paper_id = identity.paper_id or ""

        def render(stamp: datetime) -> str:
            return render_front_matter(paper_front_matter(paper, stamp, paper_id=paper_id)) + block

        def legacy(stamp: datetime, fields: dict) -> str | None:
            row = fields.get(LEGACY_ID_FIELD)
            if not isinstance(row, int) or isinstance(row, bool) or ID_FIELD in fields:
                return None
            return render_front_matter(legacy_front_matter(paper, stamp, row)) + block

        def marked(entry: Entry) -> Entry:
            return dataclasses.replace(entry, arxiv=identity.arxiv, title_id=identity.title_id)

        def intend(entry: Entry) -> None:
            self.manifest.intend_paper(paper_id, marked(entry), known.keys)

        entry = self._sync(known, render, legacy, intend)
        if entry is None:
            return
        entry = marked(entry)
        if entry != known.entry or known.keys != (paper_id,):
            self.manifest.put_paper(paper_id, entry, known.keys)

    def export_combined(
        self, papers: list[Paper], name: str, progress: Callable[[int, int], None] | None
    ) -> None:
        sections = []
        identities = identities_of(papers)
        for done, (paper, identity) in enumerate(zip(papers, identities, strict=True), 1):
            sections.append(combined_section(paper, identity.paper_id or ""))
            if progress:
                progress(done, len(papers))
        block = combined_block(sections)

        def render(stamp: datetime) -> str:
            return render_front_matter(combined_front_matter(len(papers), stamp)) + block

        old = self.manifest.combined.get(name)

        def intend(entry: Entry) -> None:
            self.manifest.intend_combined(name, entry)

        entry = self._sync(_Known(name, old), render, None, intend)
        if entry is not None and entry != old:
            self.manifest.put_combined(name, entry)

    def _sync(
        self, known: _Known, render: Render, legacy: Legacy | None, intend: Callable[[Entry], None]
    ) -> Entry | None:
        """Bring one file up to date; return its new record entry, if it has one.

        `intend` is given the entry before the file is written, for the
        journal: a kill between the two then leaves a record that knows both
        the file as it was and as it was to be.
        """
        name = known.file
        target = self.root / name
        shown = self.folder / name
        if plain_name_problem(name) or target.parent.resolve() != self.root:
            self._skip(name, "is not inside the export folder")
            return None
        if target.is_symlink():
            self._skip(name, LINK_REASON)
            return None
        if not os.path.lexists(target):
            content = render(self.stamp)
            return self._write(name, content, content, self.report.written, None, intend)
        if not target.is_file():
            self._skip(name, "is not a regular file")
            return None
        try:
            old = _normalise(target.read_bytes().decode("utf-8", "surrogateescape"))
        except OSError as error:
            self._skip(name, f"could not be read: {reason(error)}")
            return None
        found = _owned_part(old, known.entry, render, legacy, self.stamp)
        previous = None
        if found is not None:
            owned, tail, stamp = found
            previous = _sha(owned)
            if render(stamp) == owned:
                self.report.unchanged.append(shown)
                kept = known.entry is not None and known.entry.owned_sha256 == _sha(owned)
                whole = known.entry.sha256 if kept and known.entry else _sha(old)
                return Entry(name, whole, _sha(owned), stamp.isoformat())
        elif known.entry is None and not known.marked:
            self._skip(name, FOREIGN_REASON)
            return None
        elif not self.force:
            self._skip(name, EDITED_REASON if known.entry else UNRECORDED_REASON)
            return None
        else:
            tail = _tail_after_last_marker(old)
        owned = render(self.stamp)
        return self._write(name, owned + tail, owned, self.report.updated, previous, intend)

    def _write(
        self,
        name: str,
        content: str,
        owned: str,
        bucket: list[Path],
        previous: str | None,
        intend: Callable[[Entry], None],
    ) -> Entry | None:
        entry = Entry(name, _sha(content), _sha(owned), self.stamp.isoformat())
        intend(dataclasses.replace(entry, previous_sha256=previous))
        data = content.encode("utf-8", "surrogateescape")
        try:
            atomic_write(self.root, name, data)
        except OSError as error:
            if is_disk_full(error):
                raise _DiskFullError(error) from error
            self._skip(name, f"could not be written: {reason(error)}")
            return None
        bucket.append(self.folder / name)
        return entry

    def _skip(self, name: str, why: str) -> None:
        self.report.skipped.append((self.folder / name, why))


def _owned_part(
    text: str, entry: Entry | None, render: Render, legacy: Legacy | None, default: datetime
) -> tuple[str, str, datetime] | None:
    """(owned part, the user's part, its stamp) if the app wrote the owned part as it is.

    Either its hash is the one recorded (or the one it had before a write
    that a killed export may not have made), or it is exactly what the app
    would write for the paper now, at the time its front matter states: a
    file the record lost (a record deleted or damaged) then counts as
    untouched. A file of the old layout (row id, no identity) is recognised
    by that layout.
    """
    if entry is not None:
        owned, tail = _split_owned(text, entry.owned_sha256)
        if owned is not None:
            return owned, tail, _parse_stamp(entry.exported, default)
    fields, _ = split_front_matter(text)
    stamp = exported_at(fields) if fields is not None else None
    if entry is not None and entry.previous_sha256 is not None:
        owned, tail = _split_owned(text, entry.previous_sha256)
        if owned is not None:
            return owned, tail, stamp or default
    if fields is None or stamp is None:
        return None
    for candidate in (render(stamp), legacy(stamp, fields) if legacy else None):
        if candidate is not None and text.startswith(candidate):
            return candidate, text[len(candidate) :], stamp
    return None


def _split_owned(text: str, owned_sha: str) -> tuple[str | None, str]:
    """Find the owned part: the prefix up to an end marker with the known hash.

    Every end-marker line is tried, so a note that itself holds the marker
    line does not confuse the split.
    """
    offset = 0
    for line in text.splitlines(keepends=True):
        offset += len(line)
        if line.rstrip("\n") == END_MARKER:
            prefix = text[:offset]
            owned = prefix if prefix.endswith("\n") else prefix + "\n"
            if _sha(owned) == owned_sha:
                return owned, text[offset:]
    return None, ""


def _tail_after_last_marker(text: str) -> str:
    lines = text.splitlines(keepends=True)
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].rstrip("\n") == END_MARKER:
            return "".join(lines[index + 1 :])
    return ""


def _normalise(text: str) -> str:
    # Editors and git on Windows may add a BOM or CRLF line ends: that is not
    # an edit of the content.
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _parse_stamp(text: str, default: datetime) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return default


# --- the folder and the messages ------------------------------------------------


def _prepare_folder(folder: Path) -> Path:
    """Create the folder if needed and prove it writable; return it resolved."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"Cannot export to {folder}: it is a file, not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot create the export folder {folder}: {_why(error)}.") from error
    root = folder.resolve()
    try:
        fd, probe = create_temp(root)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise ExportError(f"Cannot write to the export folder {folder}: {_why(error)}.") from error
    remove_stale_temps(root)
    return root


def _why(error: OSError) -> str:
    """The reason for the user; a full disk says what to do about it."""
    if is_disk_full(error):
        return f"{_full(error)}. Free some space and export again"
    return reason(error)


def _full(error: OSError) -> str:
    words = reason(error)
    what = "the disk quota is used up" if error.errno == getattr(errno, "EDQUOT", -1) else None
    return f"{what or 'the disk is full'} ({words[:1].lower()}{words[1:]})"


def _notes(count: int) -> str:
    return f"{count} note" + ("" if count == 1 else "s")


def _done_phrase(report: ExportReport, total: int, single_file: str | None) -> str:
    if single_file is not None:
        done = total if report.written or report.updated or report.unchanged else 0
        return f"Exported {done} of {_notes(total)} to {single_file}"
    done = len(report.written) + len(report.updated) + len(report.unchanged)
    skipped = f" and skipped {len(report.skipped)}" if report.skipped else ""
    return f"Exported {done} of {_notes(total)}{skipped}"


def _disk_full_message(
    report: ExportReport, total: int, single_file: str | None, error: OSError
) -> str:
    if single_file is not None:
        return (
            f"Could not write {single_file}: {_full(error)}. Free some space and export "
            "again: the folder is as it was."
        )
    done = len(report.written) + len(report.updated) + len(report.unchanged)
    left = total - done - len(report.skipped)
    verb = "was" if left == 1 else "were"
    return (
        f"{_done_phrase(report, total, None)}; {_full(error)} — {left} {verb} not written. "
        "Free some space and export again: what was written is kept."
    )


def _unsaved_record_message(
    report: ExportReport, total: int, single_file: str | None, root: Path, error: OSError
) -> str:
    full = is_disk_full(error)
    what = f": {_full(error)}" if full else f" ({reason(error)})"
    advice = "Free some space and export again" if full else "Export again"
    return (
        f"{_done_phrase(report, total, single_file)}, but the export record "
        f"{root / MANIFEST_NAME} could not be saved{what}. The notes are kept, and the next "
        f"export finds them by their paper-id. {advice} to save the record."
    )
