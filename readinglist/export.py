"""Export notes to Markdown files in a folder (a notes vault).

Each file has a part the app owns and a part the user owns:

    ---                            <- front matter (owned)
    title: "..."
    ---
    <!-- readinglist:begin -->     <- block (owned): title, abstract, note
    ...
    <!-- readinglist:end -->
    anything the user writes here is theirs and is kept on re-export

A manifest in the folder (`.readinglist-export.json`) maps each paper id to
its file name and the sha256 of the owned part as last written. On
re-export a file whose owned part still has that hash is brought up to date
and the user's part is kept; a file whose owned part was edited is skipped
unless `force`; a file the app did not write is never overwritten. A file
the user renamed in the vault is found again by the `readinglist-id` in its
front matter.

Every write goes to a temporary file in the folder, is fsynced and then
renamed over the target, so a crash leaves old or new files, never half
ones; the manifest is written last. Replacing a directory entry never writes
through a link, and symbolic links are skipped, so nothing is written
outside the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from readinglist.errors import ExportError
from readinglist.filenames import CaseInsensitiveNames, plain_name_problem, portable_name
from readinglist.frontmatter import render_front_matter, split_front_matter
from readinglist.papers import Paper

MANIFEST_NAME = ".readinglist-export.json"
BEGIN_MARKER = "<!-- readinglist:begin -->"
END_MARKER = "<!-- readinglist:end -->"
EDITED_REASON = "edited in the vault since the last export; use --force to overwrite"
FOREIGN_REASON = (
    "already exists and was not written by this export; choose another name or move the file"
)
LINK_REASON = "is a symbolic link; readinglist does not write through links"
COMBINED_TITLE = "Reading notes"

_TEMP_PREFIX = ".readinglist-"
_TEMP_SUFFIX = ".tmp"
_MANIFEST_FORMAT = 1


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
            be created or written, or its export manifest is damaged: nothing
            has been written then. Also when the manifest cannot be saved at
            the end; the message then says that the notes were written.
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
    manifest = _Manifest.load(root)
    stamp = (now or datetime.now().astimezone()).replace(microsecond=0)
    job = _Job(root, folder, manifest, stamp, force, ExportReport())
    unique = _first_of_each_id(papers)
    if single_file is None:
        job.export_each(unique, progress)
    else:
        job.export_combined(unique, single_file, progress)
    _fsync_dir(root)
    manifest.save()
    return job.report


def _first_of_each_id(papers: Sequence[Paper]) -> list[Paper]:
    seen: set[int] = set()
    unique = []
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            unique.append(paper)
    return unique


# --- rendering ---------------------------------------------------------------


def render_paper_block(paper: Paper) -> str:
    """The app-owned body of a paper's file, markers included.

    Args:
        paper: The paper.

    Returns:
        Markdown from the begin marker to the end marker, ending in a newline.
    """
    parts = [BEGIN_MARKER, f"# {_heading(paper.title)}", ""]
    parts += _abstract_and_note(paper, note_heading="## Note")
    return "\n".join([*parts, END_MARKER]) + "\n"


def paper_front_matter(paper: Paper, exported: datetime) -> dict[str, Any]:
    """The front matter fields of a paper's file.

    Args:
        paper: The paper.
        exported: The time of the export that last changed the file.

    Returns:
        The fields, in the order they are written.
    """
    read_at = paper.read_at
    fields: dict[str, Any] = {"title": paper.title}
    # Only where known, so that files of papers without them read as before.
    if paper.arxiv_id:
        fields["arxiv"] = paper.arxiv_id
        fields["url"] = paper.url
    fields["authors"] = paper.authors
    if paper.author_names:
        fields["author-names"] = list(paper.author_names)
    fields |= {
        "organisation": paper.organisation,
        "published": paper.published,
        "upvotes": paper.upvotes,
        "tags": list(paper.tags),
        "status": paper.status,
        "read": read_at.date() if isinstance(read_at, datetime) else read_at,
        "readinglist-id": paper.id,
        "exported": exported,
    }
    return fields


def _combined_section(paper: Paper) -> str:
    read_at = paper.read_at
    status = paper.status + (f", {read_at.date().isoformat()}" if read_at else "")
    facts = [
        ("Byline", paper.byline),
        ("Authors", _names(paper.author_names)),
        ("arXiv", paper.arxiv_id or ""),
        ("Published", paper.published.isoformat() if paper.published else ""),
        ("Upvotes", "" if paper.upvotes is None else str(paper.upvotes)),
        ("Tags", ", ".join(paper.tags)),
        ("Status", status),
        ("readinglist-id", str(paper.id)),
    ]
    parts = [f"## {_heading(paper.title)}", ""]
    parts += [f"- {label}: {_inline(value)}" for label, value in facts if value]
    parts.append("")
    parts += _abstract_and_note(paper, note_heading="### Note")
    return "\n".join(parts) + "\n"  # parts end with "", so this ends in a blank line


COMBINED_AUTHORS = 10  # names listed in a combined file's section; the rest are counted


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:COMBINED_AUTHORS])
    rest = len(names) - COMBINED_AUTHORS
    return f"{shown} and {rest} more" if rest > 0 else shown


def _abstract_and_note(paper: Paper, *, note_heading: str) -> list[str]:
    lines: list[str] = []
    if paper.abstract.strip():
        lines += [*_quote(paper.abstract), ""]
    note = paper.note.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if note.strip():
        # The note is the user's own Markdown: written as it is.
        lines += [note_heading, "", note, ""]
    return lines


_INLINE_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`<[]&#"})
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_LINE_START = re.compile(r"[-+*=_~|>]|\d{1,9}[.)]")


def _inline(text: str) -> str:
    """Dump text as inert Markdown on one line: no HTML, links, code or tags.

    Backslash escapes render as the character itself, so the text reads the
    same when rendered. '<' stops raw HTML and autolinks, '[' and ']' stop
    links, images and wikilinks, '#' stops Obsidian tags, '%%' Obsidian
    comments.
    """
    # Control characters (NUL, ESC...) make some tools treat the file as
    # binary; U+FFFD shows that something was there.
    text = _CONTROL.sub("\ufffd", text.replace("\t", " "))
    return text.translate(_INLINE_ESCAPES).replace("%%", "%\\%")


def _heading(title: str) -> str:
    return _inline(" ".join(title.split())) or "(untitled)"


def _quote(text: str) -> list[str]:
    """Dump text as a Markdown quote whose lines cannot start a block."""
    out = []
    for raw in text.splitlines():
        line = _inline(raw.strip())
        # A line starting a list, rule, setext heading, table or nested quote
        # would not read as the text itself ("---" would become a rule).
        match = _LINE_START.match(line)
        if match:
            cut = match.end() - 1
            line = f"{line[:cut]}\\{line[cut:]}"
        out.append(f"> {line}" if line else ">")
    return out


# --- the export --------------------------------------------------------------


@dataclass
class _Entry:
    file: str
    sha256: str  # of the whole file as written (for diagnosis)
    owned_sha256: str  # of front matter + block: what decides "edited"
    exported: str  # the stamp in the front matter, ISO 8601

    def to_json(self) -> dict[str, str]:
        return dict(vars(self))


@dataclass
class _Job:
    root: Path  # resolved: every I/O goes here
    folder: Path  # as given: what the report shows
    manifest: _Manifest
    stamp: datetime
    force: bool
    report: ExportReport

    def export_each(self, papers: list[Paper], progress: Callable[[int, int], None] | None) -> None:
        existing = set(os.listdir(self.root))
        taken = CaseInsensitiveNames(existing | self.manifest.claimed_names())
        moved: dict[int, str] | None = None
        for done, paper in enumerate(papers, 1):
            entry = self.manifest.papers.get(paper.id)
            if entry is None:
                name = portable_name(paper.title, taken=taken)
                taken.add(name)
            else:
                name = entry.file
                if not os.path.lexists(self.root / name):
                    # Renamed in the vault? Follow the file by its id.
                    if moved is None:
                        moved = self._unclaimed_ids(existing)
                    name = moved.get(paper.id, name)
            block = render_paper_block(paper)

            def render(stamp: datetime, paper: Paper = paper, block: str = block) -> str:
                return render_front_matter(paper_front_matter(paper, stamp)) + block

            new_entry = self._sync(name, render, entry)
            if new_entry is not None:
                self.manifest.papers[paper.id] = new_entry
            if progress:
                progress(done, len(papers))

    def export_combined(
        self, papers: list[Paper], name: str, progress: Callable[[int, int], None] | None
    ) -> None:
        sections = []
        for done, paper in enumerate(papers, 1):
            sections.append(_combined_section(paper))
            if progress:
                progress(done, len(papers))
        # Each section ends with a blank line.
        block = f"{BEGIN_MARKER}\n# {COMBINED_TITLE}\n\n{''.join(sections)}{END_MARKER}\n"

        def render(stamp: datetime) -> str:
            fields = {"title": COMBINED_TITLE, "papers": len(papers), "exported": stamp}
            return render_front_matter(fields) + block

        new_entry = self._sync(name, render, self.manifest.combined.get(name))
        if new_entry is not None:
            self.manifest.combined[name] = new_entry

    def _sync(
        self, name: str, render: Callable[[datetime], str], entry: _Entry | None
    ) -> _Entry | None:
        """Bring one file up to date; return its new manifest entry, if any."""
        target = self.root / name
        shown = self.folder / name
        if plain_name_problem(name) or target.parent.resolve() != self.root:
            self.report.skipped.append((shown, "is not inside the export folder"))
            return None
        if target.is_symlink():
            self.report.skipped.append((shown, LINK_REASON))
            return None
        if not os.path.lexists(target):
            content = render(self.stamp)
            return self._write(name, content, content, self.report.written)
        if not target.is_file():
            self.report.skipped.append((shown, "is not a regular file"))
            return None
        if entry is None:
            self.report.skipped.append((shown, FOREIGN_REASON))
            return None
        try:
            old = _normalise(target.read_bytes().decode("utf-8", "surrogateescape"))
        except OSError as error:
            self.report.skipped.append((shown, f"could not be read: {_reason(error)}"))
            return None
        owned, tail = _split_owned(old, entry.owned_sha256)
        if owned is not None:
            if render(_parse_stamp(entry.exported, self.stamp)) == owned:
                self.report.unchanged.append(shown)
                return _Entry(name, entry.sha256, entry.owned_sha256, entry.exported)
        elif not self.force:
            self.report.skipped.append((shown, EDITED_REASON))
            return None
        else:
            tail = _tail_after_last_marker(old)
        owned = render(self.stamp)
        return self._write(name, owned + tail, owned, self.report.updated)

    def _write(self, name: str, content: str, owned: str, bucket: list[Path]) -> _Entry | None:
        data = content.encode("utf-8", "surrogateescape")
        try:
            _atomic_write(self.root, name, data)
        except OSError as error:
            self.report.skipped.append(
                (self.folder / name, f"could not be written: {_reason(error)}")
            )
            return None
        bucket.append(self.folder / name)
        return _Entry(name, _sha(content), _sha(owned), self.stamp.isoformat())

    def _unclaimed_ids(self, names: Iterable[str]) -> dict[int, str]:
        """Map paper id -> file, for Markdown files here that no entry claims."""
        claimed = CaseInsensitiveNames(self.manifest.claimed_names())
        found: dict[int, str] = {}
        for name in sorted(names):
            path = self.root / name
            if name in claimed or not name.lower().endswith(".md") or path.is_symlink():
                continue
            try:
                fields, _ = split_front_matter(path.read_text("utf-8", "replace"))
            except OSError:
                continue
            paper_id = (fields or {}).get("readinglist-id")
            if isinstance(paper_id, int) and not isinstance(paper_id, bool):
                found.setdefault(paper_id, name)
        return found


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


# --- the manifest ------------------------------------------------------------


@dataclass
class _Manifest:
    root: Path
    papers: dict[int, _Entry]
    combined: dict[str, _Entry]
    loaded: str | None  # the text read, to skip a write that changes nothing

    @classmethod
    def load(cls, root: Path) -> _Manifest:
        path = root / MANIFEST_NAME
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            return cls(root, {}, {}, None)
        except (OSError, UnicodeDecodeError) as error:
            raise _damaged(path, error) from error
        try:
            data = json.loads(text)
            papers = {int(key): _entry(value) for key, value in data["papers"].items()}
            combined = {str(key): _entry(value) for key, value in data["combined"].items()}
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise _damaged(path, error) from error
        # An entry naming anything but a plain file here is ignored, never
        # followed: the manifest is a file in a folder others can edit.
        papers = {key: item for key, item in papers.items() if not plain_name_problem(item.file)}
        combined = {key: item for key, item in combined.items() if not plain_name_problem(key)}
        return cls(root, papers, combined, text)

    def claimed_names(self) -> set[str]:
        return {entry.file for entry in self.papers.values()} | set(self.combined)

    def save(self) -> None:
        data = {
            "format": _MANIFEST_FORMAT,
            "papers": {str(key): entry.to_json() for key, entry in sorted(self.papers.items())},
            "combined": {key: entry.to_json() for key, entry in sorted(self.combined.items())},
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if text == self.loaded or (self.loaded is None and not self.papers and not self.combined):
            return  # nothing changed, or nothing to record: leave the folder as it is
        try:
            _atomic_write(self.root, MANIFEST_NAME, text.encode("utf-8"))
            _fsync_dir(self.root)
        except OSError as error:
            raise ExportError(
                f"The notes were exported, but the export record {self.root / MANIFEST_NAME} "
                f"could not be saved ({_reason(error)}); the next export will treat these "
                "files as yours and write new ones beside them."
            ) from error
        self.loaded = text


def _entry(value: Any) -> _Entry:
    fields = ("file", "sha256", "owned_sha256", "exported")
    if not isinstance(value, dict) or not all(isinstance(value.get(key), str) for key in fields):
        raise ValueError("bad entry")
    return _Entry(*(value[key] for key in fields))


def _damaged(path: Path, error: Exception) -> ExportError:
    return ExportError(
        f"The export record {path} is damaged ({error}). Move it away to export again; "
        "files already in the folder will then be treated as yours and left alone."
    )


# --- the file system ---------------------------------------------------------


def _prepare_folder(folder: Path) -> Path:
    """Create the folder if needed and prove it writable; return it resolved."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"Cannot export to {folder}: it is a file, not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot create the export folder {folder}: {_reason(error)}.") from error
    root = folder.resolve()
    try:
        fd, probe = _create_temp(root)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise ExportError(
            f"Cannot write to the export folder {folder}: {_reason(error)}."
        ) from error
    _remove_stale_temps(root)
    return root


def _atomic_write(root: Path, name: str, data: bytes) -> None:
    """Write `root/name` all at once: a temp file, fsync, then rename."""
    fd, temp = _create_temp(root)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Replaces the directory entry: never writes through a link.
        os.replace(temp, root / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _create_temp(root: Path) -> tuple[int, Path]:
    # Not tempfile.mkstemp: its files are mode 0600, and an exported note
    # should get the user's usual permissions (0666 less the umask).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = root / f"{_TEMP_PREFIX}{secrets.token_hex(8)}{_TEMP_SUFFIX}"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {root}")


def _remove_stale_temps(root: Path) -> None:
    """Remove temp files an interrupted export left (only ours, by name)."""
    for entry in os.scandir(root):
        if entry.name.startswith(_TEMP_PREFIX) and entry.name.endswith(_TEMP_SUFFIX):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def _fsync_dir(root: Path) -> None:
    # Makes the renames durable on POSIX; Windows cannot open a directory.
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
