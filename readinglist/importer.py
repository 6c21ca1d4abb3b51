"""Import of page dumps: find the files, parse them, plan, then write.

Planning reads and parses without writing, so the GUI can show a preview
(new, already there, gaining metadata) and the user can untick papers.
Writing goes file by file, each in one transaction: a bad file changes
nothing and the others still import.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from readinglist.dumps import SUPPORTED_SUFFIXES, parse_dump
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper
from readinglist.reader import KnownPaper
from readinglist.records import PaperUpdate, SourceFile
from readinglist.titles import title_key

Action = Literal["new", "merge", "unchanged"]
Progress = Callable[[int, int], None]

# A file larger than this is not a page dump someone saved; refusing it
# early keeps a mistaken drop of a video from eating memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class PlannedPaper:
    """A paper of a file, and what importing it would do."""

    position: int
    key: str
    paper: ParsedPaper
    action: Action
    known_id: int | None = None
    gains: tuple[str, ...] = ()  # the fields a merge would fill
    include: bool = True


@dataclass(slots=True)
class PlannedFile:
    """One input file: its papers, or why it cannot be imported."""

    path: Path
    source: SourceFile | None = None
    data: bytes | None = field(default=None, repr=False)
    papers: list[PlannedPaper] = field(default_factory=list)
    error: str | None = None

    @property
    def display_name(self) -> str:
        return str(self.path)


@dataclass(slots=True)
class ImportPlan:
    files: list[PlannedFile]

    def counts(self) -> dict[str, int]:
        """How many included papers each action has, over all files."""
        counts = {"new": 0, "merge": 0, "unchanged": 0}
        for planned in self.files:
            for paper in planned.papers:
                if paper.include:
                    counts[paper.action] += 1
        return counts


@dataclass(slots=True)
class FileOutcome:
    """What an import did with one file (the CLI's JSON per file)."""

    path: str
    found: int = 0
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    error: str | None = None

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "found": self.found,
            "added": self.added,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "error": self.error,
        }


@dataclass(slots=True)
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    cancelled: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def merged(self) -> int:
        return sum(f.merged for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.error]

    def to_json(self) -> dict:
        return {
            "files": [f.to_json() for f in self.files],
            "added": self.added,
            "merged": self.merged,
        }


# -- finding and reading files ------------------------------------------------


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[PlannedFile]:
    """The files to import: each path given, and folders searched recursively.

    A file named explicitly is tried whatever its suffix (a dropped binary
    gets a clear reason); inside folders only dump-like suffixes are taken.
    """
    found: list[PlannedFile] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                found.append(PlannedFile(path, error="no .txt, .md or .html files in this folder"))
            for file in inside:
                if file.resolve() not in seen:
                    seen.add(file.resolve())
                    found.append(PlannedFile(file))
        elif path.exists():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append(PlannedFile(path))
        else:
            found.append(PlannedFile(path, error="no such file or folder"))
    return found


def read_file(planned: PlannedFile) -> None:
    """Read a file's bytes and provenance into `planned`, or set its error."""
    if planned.error:
        return
    path = planned.path
    try:
        stat = path.stat()
        if stat.st_size > MAX_FILE_BYTES:
            planned.error = f"too large for a page dump ({stat.st_size // (1024 * 1024)} MB)"
            return
        data = path.read_bytes()
    except OSError as exc:
        planned.error = f"cannot read it: {exc.strerror or exc}"
        return
    planned.data = data
    planned.source = SourceFile(
        path=str(path.absolute()),
        name=path.name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        modified_at=datetime.fromtimestamp(stat.st_mtime, UTC),
    )


def text_source(text: str, name: str) -> PlannedFile:
    """An in-memory 'file', such as text pasted from the clipboard."""
    data = text.encode("utf-8")
    now = datetime.now(UTC)
    return PlannedFile(
        Path(name),
        data=data,
        source=SourceFile(
            path=name,
            name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            modified_at=now,
        ),
    )


def parse_file(planned: PlannedFile) -> list[ParsedPaper]:
    """The papers of a read file; sets `planned.error` and returns [] when there are none."""
    if planned.error or planned.data is None or planned.source is None:
        return []
    snapshot = planned.source.modified_at
    try:
        return parse_dump(planned.data, name=planned.path.name, snapshot=snapshot)
    except DumpError as exc:
        planned.error = str(exc)
        return []


# -- deciding what each paper does ---------------------------------------------


def merge_values(known: KnownPaper, paper: ParsedPaper) -> dict:
    """The metadata `paper` adds to `known`: what it lacked, and a higher upvote count."""
    values: dict = {}
    if known.authors is None and known.organisation is None:
        if paper.authors is not None:
            values["authors"] = paper.authors
        if paper.organisation is not None:
            values["organisation"] = paper.organisation
    if paper.published is not None and (
        known.published is None or (known.year_inferred and not paper.year_inferred)
    ):
        values["published"] = paper.published
        values["published_text"] = paper.published_text
        values["year_inferred"] = paper.year_inferred
    if paper.upvotes is not None and (known.upvotes is None or paper.upvotes > known.upvotes):
        values["upvotes"] = paper.upvotes
    return values


def merged_known(known: KnownPaper, values: dict) -> KnownPaper:
    """`known` as it will be once `values` are written."""
    return replace(known, **values)


def plan_papers(
    papers: Sequence[ParsedPaper], known: dict[str, KnownPaper], next_id: Callable[[], int]
) -> list[PlannedPaper]:
    """Decide new / merge / unchanged for each paper, updating `known` as it goes.

    `known` maps title keys to papers already in the library (or planned
    earlier in this import); `next_id` hands out placeholder ids for papers
    that will be new, so a later duplicate in the same import merges into it.
    """
    planned: list[PlannedPaper] = []
    for position, paper in enumerate(papers):
        key = title_key(paper.title)
        existing = known.get(key)
        if existing is None:
            planned.append(PlannedPaper(position, key, paper, "new"))
            known[key] = _as_known(paper, next_id())
            continue
        values = merge_values(existing, paper)
        action: Action = "merge" if values else "unchanged"
        planned.append(PlannedPaper(position, key, paper, action, existing.id, tuple(values)))
        if values:
            known[key] = merged_known(existing, values)
    return planned


def split_for_write(
    planned: Sequence[PlannedPaper], known: dict[str, KnownPaper]
) -> tuple[
    list[tuple[int, str, ParsedPaper]], list[tuple[int, PaperUpdate]], list[tuple[int, int]]
]:
    """Turn included papers into the library's write lists, against the library's current state.

    Re-deciding here (not trusting the preview) keeps the write right even if
    the library changed between preview and import. Duplicates inside the
    file collapse: the first is added, later ones merge their metadata.
    """
    new: dict[str, tuple[int, str, ParsedPaper]] = {}
    updates: dict[int, tuple[int, PaperUpdate]] = {}
    unchanged: list[tuple[int, int]] = []
    for item in planned:
        if not item.include:
            continue
        if item.key in new:
            position, key, first = new[item.key]
            new[item.key] = (position, key, _combine(first, item.paper))
            continue
        existing = known.get(item.key)
        if existing is None:
            new[item.key] = (item.position, item.key, item.paper)
            continue
        values = merge_values(existing, item.paper)
        if values:
            known[item.key] = merged_known(existing, values)
            previous = updates.get(existing.id)
            merged = {**previous[1].values, **values} if previous else values
            updates[existing.id] = (item.position, PaperUpdate(existing.id, merged))
        else:
            unchanged.append((item.position, existing.id))
    return list(new.values()), list(updates.values()), unchanged


def _combine(first: ParsedPaper, later: ParsedPaper) -> ParsedPaper:
    """`first` with the metadata `later` adds (the same rule as a merge)."""
    return replace(first, **merge_values(_as_known(first, 0), later))


def _as_known(paper: ParsedPaper, paper_id: int) -> KnownPaper:
    """A parsed paper seen as if it were in the library under `paper_id`."""
    return KnownPaper(
        id=paper_id,
        authors=paper.authors,
        organisation=paper.organisation,
        published=paper.published,
        published_text=paper.published_text,
        year_inferred=paper.year_inferred,
        upvotes=paper.upvotes,
    )
