"""Import of page dumps: find the files, parse them, plan, then write.

Planning reads and parses without writing, so the GUI can show a preview
(new, already there, gaining metadata, and the blocks that did not read as
papers) and the user can tick and untick papers. Writing goes file by file,
each in one transaction: a bad file changes nothing and the others still
import.

Which library paper a parsed paper is: the one with its arXiv id; else the
one with its title key, unless that one has another arXiv id (two ids are
two papers whatever their titles: the second keeps its id under a key of its
own, see `disambiguated_key`). A paper listed twice in one file is one paper.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from readinglist.dumps import SUPPORTED_SUFFIXES, ParseResult, SkippedBlock, read_dump
from readinglist.dumps.dates import parse_date
from readinglist.dumps.titles import title_key as _uncached_title_key
from readinglist.errors import DumpError, describe_os_error
from readinglist.library.columns import METADATA_COLUMNS
from readinglist.library.reader import KnownPapers
from readinglist.library.records import FileChanges, SourceFile
from readinglist.papers import Paper, ParsedPaper, YearSource

Action = Literal["new", "merge", "unchanged"]
Progress = Callable[[int, int], None]

# A file larger than this is not a page dump someone saved; refusing it
# early keeps a mistaken drop of a video from eating memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
# Reading a file takes memory by the number of its pieces (lines, HTML tags,
# JSON objects), not by its bytes: 60 MB of tiny entries took 6 GB. A
# listing page has a few thousand; a file with more than this is refused
# before it is read, which keeps a reader's peak under ~400 MB.
MAX_FILE_PIECES = 1_000_000
# Papers taken from one file: a daily page lists ~50, a search page ~100.
MAX_FILE_PAPERS = 100_000
# Blocks left out as doubtful that a file keeps for the preview; the rest are counted.
MAX_SKIPPED_KEPT = 1000

NOT_REGULAR = "not a regular file"
NO_DUMPS_IN_FOLDER = "no .txt, .md, .html or .json files in this folder"
_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
)

# Metadata a known paper gains when it lacks it (an empty text counts as lacking).
_FILLED_WHEN_MISSING = ("arxiv_id", "organisation", "summary", "submitter", "github_url")
# Counts that keep the highest value seen.
_COUNTS = ("upvotes", "comments", "github_stars")

# Planning and writing a file ask for each title's key several times; a file
# of a few thousand papers stays within the cache.
title_key = functools.lru_cache(maxsize=8192)(_uncached_title_key)


@dataclass(slots=True)
class PlanItem:
    """An item of a file's import plan: one paper of the file, and what importing it would do.

    A block the reader skipped as doubtful but could make a paper of is
    planned too, with `include=False` and its `skipped_reason`: ticked, it
    imports like any other paper.
    """

    position: int
    key: str
    paper: ParsedPaper
    action: Action
    known_id: int | None = None
    gains: tuple[str, ...] = ()  # the fields a merge would fill, named as in ParsedPaper
    include: bool = True
    skipped_reason: str | None = None


@dataclass(slots=True)
class PlannedFile:
    """One input file: its papers, or why it cannot be imported."""

    path: Path
    source: SourceFile | None = None
    data: bytes | None = field(default=None, repr=False)
    papers: list[PlanItem] = field(default_factory=list)
    error: str | None = None
    skipped: list[SkippedBlock] = field(default_factory=list)  # blocks that did not read as papers
    form: str | None = None  # the input form the file was read as (dumps.FORM_NAMES)
    page_date: date | None = None  # the date the page states of itself
    skipped_more: int = 0  # skipped blocks beyond the MAX_SKIPPED_KEPT kept in `skipped`
    warnings: list[str] = field(default_factory=list)  # read, but not quite as saved

    @property
    def display_name(self) -> str:
        return str(self.path)


@dataclass(slots=True)
class ImportPlan:
    """What an import would do, file by file, before anything is written."""

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
    skipped: list[dict] = field(default_factory=list)  # {"first_line", "reason"} not imported
    skipped_more: int = 0  # skipped blocks not listed in `skipped` (see MAX_SKIPPED_KEPT)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped) + self.skipped_more

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "found": self.found,
            "added": self.added,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "error": self.error,
            "skipped": [dict(block) for block in self.skipped],
            "skipped_more": self.skipped_more,
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class ImportReport:
    """What an import did, file by file.

    `stopped` is why it stopped before the end (the disk is full), and
    `not_imported` the files it did not get to then; `index_error` says the
    search index could not follow (the library has the papers all the same).
    """

    files: list[FileOutcome] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    stopped: str | None = None
    not_imported: list[str] = field(default_factory=list)
    index_error: str | None = None

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

    @property
    def ok(self) -> bool:
        """True when every file imported and the index followed."""
        return not (self.failed or self.stopped or self.index_error)

    def to_json(self) -> dict:
        return {
            "files": [f.to_json() for f in self.files],
            "added": self.added,
            "merged": self.merged,
            "stopped": self.stopped,
            "not_imported": list(self.not_imported),
            "index_error": self.index_error,
        }


# -- finding and reading files ------------------------------------------------


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[PlannedFile]:
    """The files to import: each path given, and folders searched recursively.

    A file named explicitly is tried whatever its suffix (a dropped binary
    gets a clear reason); inside folders only dump-like suffixes are taken.
    What is not a regular file (a named pipe, a device) is never opened, and
    a folder that cannot be read is named with the reason.
    """
    found: list[PlannedFile] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            found.append(PlannedFile(path, error="no such file or folder"))
            continue
        except OSError as exc:
            found.append(PlannedFile(path, error=f"cannot read it: {describe_os_error(exc)}"))
            continue
        if stat.S_ISDIR(mode):
            found.extend(_folder_files(path, seen))
        elif path.resolve() not in seen:
            seen.add(path.resolve())
            found.append(_planned(path, mode))
    return found


def _folder_files(folder: Path, seen: set[Path]) -> list[PlannedFile]:
    """The dump-like files under `folder`, by path, and the folders that cannot be read."""
    files: list[PlannedFile] = []
    problems: list[PlannedFile] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        reason = f"cannot read this folder: {describe_os_error(exc)}"
        problems.append(PlannedFile(where, error=reason))

    for top, dirs, names in os.walk(folder, onerror=unreadable):
        # Hidden folders (.git, .obsidian, .Trash) hold no dumps of the user's.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(top, name)
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                files.append(PlannedFile(path, error=f"cannot read it: {describe_os_error(exc)}"))
                continue
            if path.resolve() not in seen:
                seen.add(path.resolve())
                files.append(_planned(path, mode))
    files.sort(key=lambda planned: planned.path)
    if not files and not problems:
        problems.append(PlannedFile(folder, error=NO_DUMPS_IN_FOLDER))
    return problems + files


def _planned(path: Path, mode: int) -> PlannedFile:
    """A file to read, or one refused because it is not a regular file."""
    kind = _kind(mode)
    return PlannedFile(path) if kind is None else PlannedFile(path, error=_not_regular(kind))


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a named pipe"...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _FILE_KINDS if test(mode)), "a special file")


def _not_regular(kind: str) -> str:
    return f"{NOT_REGULAR} ({kind}): skipped"


class _RefusedError(Exception):
    """A file read_file will not take; the message says why."""


def read_file(planned: PlannedFile) -> None:
    """Read a file's bytes and provenance into `planned`, or set its error."""
    if planned.error:
        return
    path = planned.path
    try:
        data, status = _read_regular(path)
    except _RefusedError as exc:
        planned.error = str(exc)
        return
    except OSError as exc:
        planned.error = f"cannot read it: {describe_os_error(exc)}"
        return
    planned.data = data
    planned.source = SourceFile(
        path=str(path.absolute()),
        name=path.name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        modified_at=datetime.fromtimestamp(status.st_mtime, UTC),
    )


def _read_regular(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most MAX_FILE_BYTES, and its status.

    Opened without blocking (a named pipe put in the file's place after it
    was listed would wait forever for a writer), and checked to be a regular
    file before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        status = os.fstat(fd)
        kind = _kind(status.st_mode)
        if kind is not None:
            raise _RefusedError(_not_regular(kind))
        if status.st_size > MAX_FILE_BYTES:
            raise _RefusedError(_too_large(status.st_size))
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise _RefusedError(_too_large(len(data)))
    return data, status


def _too_large(size: int) -> str:
    return f"too large for a page dump ({size // (1024 * 1024)} MB)"


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
    """The papers of a read file; sets `planned.error` and returns [] when there are none.

    Also records on `planned` (and its source) the file's form, the date its
    page states, the blocks skipped as doubtful and any warnings. The file's
    bytes are let go of once read: a folder of thousands of dumps would
    otherwise be held in memory whole.
    """
    if planned.error or planned.data is None or planned.source is None:
        return []
    data, planned.data = planned.data, None
    try:
        _check_size(data)
        result = read_dump(data, snapshot=planned.source.modified_at, name=planned.path.name)
        del data
    except DumpError as exc:
        planned.error = str(exc)
        # A file without papers may still hold blocks the user can take anyway,
        # when the reader hands them over with its error.
        if isinstance(exc.result, ParseResult):
            _note_result(planned, exc.result)
        return []
    if len(result.papers) > MAX_FILE_PAPERS:
        planned.error = (
            f"holds {len(result.papers):,} entries that read as papers, more than "
            f"readinglist takes from one file ({MAX_FILE_PAPERS:,}): split it into smaller files"
        )
        return []
    _note_result(planned, result)
    return [dated_by_page(paper, result.page_date) for paper in result.papers]


def _pieces(data: bytes) -> int:
    """What reading `data` costs, counted in lines.

    A line or an HTML tag each, a JSON object two (a reader makes a dict of it, and a paper).
    """
    lines = max(data.count(b"\n"), data.count(b"\r"))  # CR alone ends lines too
    return lines + data.count(b"<") + 2 * data.count(b"{")


def _check_size(data: bytes) -> None:
    """Refuse a file with more pieces than an import reads (memory stays bounded)."""
    pieces = _pieces(data)
    if pieces > MAX_FILE_PIECES:
        raise DumpError(
            f"too many lines and records for a page dump ({pieces:,}; readinglist reads at "
            f"most {MAX_FILE_PIECES:,} from one file): split it into smaller files"
        )


def _note_result(planned: PlannedFile, result: ParseResult) -> None:
    if result.replaced_bytes:
        what = "1 byte" if result.replaced_bytes == 1 else f"{result.replaced_bytes:,} bytes"
        verb = "was" if result.replaced_bytes == 1 else "were"
        planned.warnings.append(f"{what} could not be decoded and {verb} replaced")
    planned.form = result.form
    planned.page_date = result.page_date
    kept = result.skipped[:MAX_SKIPPED_KEPT]
    planned.skipped_more = len(result.skipped) - len(kept)
    planned.skipped = [
        replace(block, candidate=dated_by_page(block.candidate, result.page_date))
        if block.candidate is not None
        else block
        for block in kept
    ]
    if planned.source is not None:
        planned.source = replace(planned.source, page_date=result.page_date, form=result.form)


def dated_by_page(paper: ParsedPaper, page_date: date | None) -> ParsedPaper:
    """`paper` with a year guessed from the file's time taken from the page's date instead.

    A date without a year ("Jul 16") is the latest such day not after the
    page's date; the page says its date more truly than the file's time does
    (a file copied, synced or saved days later).
    """
    if page_date is None or paper.published_text is None or _year_source(paper) != "file":
        return paper
    page_time = datetime(page_date.year, page_date.month, page_date.day, 23, 59, tzinfo=UTC)
    found = parse_date(paper.published_text, snapshot=page_time)
    if found is None:
        return paper
    return replace(paper, published=found[0], year_inferred=found[1], year_source="page")


# -- deciding what each paper does ---------------------------------------------


def merge_values(known: Paper | ParsedPaper, paper: ParsedPaper) -> dict:
    """The metadata `paper` adds to `known`, named as in ParsedPaper.

    What `known` lacked (arXiv id, author names and then the count from them,
    organisation, abstract, summary, submitter, GitHub address), the highest
    of the counts (upvotes, comments, GitHub stars), and a date whose year
    was stated (in the date or by the page) over one guessed from the file's
    time. Never the reader's part (status, note, tags).
    """
    values: dict = {
        name: getattr(paper, name)
        for name in _FILLED_WHEN_MISSING
        if getattr(paper, name) and not getattr(known, name)
    }
    if paper.author_names and not known.author_names:
        values["author_names"] = paper.author_names
        values["authors"] = len(paper.author_names)
    elif paper.authors is not None and known.authors is None:
        values["authors"] = paper.authors
    values.update(_abstract_values(known, paper))
    for name in _COUNTS:
        seen, kept = getattr(paper, name), getattr(known, name)
        if seen is not None and (kept is None or seen > kept):
            values[name] = seen
    if paper.published is not None and _date_rank(paper) > _date_rank(known):
        values["published"] = paper.published
        values["published_text"] = paper.published_text
        values["year_inferred"] = paper.year_inferred
        values["year_source"] = _year_source(paper)
    # Only what differs: a merge that writes what is there already is no merge.
    return {name: value for name, value in values.items() if getattr(known, name) != value}


def _abstract_values(known: Paper | ParsedPaper, paper: ParsedPaper) -> dict:
    """The abstract when `known` has none, and a whole entry over a cut-off one."""
    values: dict = {}
    has_abstract = bool(paper.abstract.strip())
    if has_abstract and not known.abstract.strip():
        values["abstract"] = paper.abstract
    if known.incomplete and not paper.incomplete:
        values["incomplete"] = False
        if has_abstract and len(paper.abstract) > len(known.abstract):
            values["abstract"] = paper.abstract  # the cut-off entry's abstract may be cut too
    return values


def _year_source(paper: Paper | ParsedPaper) -> YearSource | None:
    """Who gave the year of the paper's date ("text", "page" or "file"), None without a date."""
    if paper.published is None:
        return None
    return paper.year_source or ("file" if paper.year_inferred else "text")


def _date_rank(paper: Paper | ParsedPaper) -> int:
    # No date < a year guessed from the file's time < a year the text or the page stated.
    # The user's own correction outranks any page.
    return {None: 0, "file": 1, "user": 3}.get(_year_source(paper), 2)


def merged_known(known: Paper, values: dict) -> Paper:
    """`known` as it will be once `values` are written."""
    return replace(known, **values)


def disambiguated_key(key: str, arxiv_id: str) -> str:
    """The title key of a paper whose title key another arXiv id holds already.

    Title keys are unique in the library. Keys of titles never hold "#"
    (punctuation becomes a space), and arXiv ids are unique, so this key is
    free and stays the paper's: it is found again by its id, and a paper
    without an id finds the first one by the title.
    """
    return f"{key}#arxiv:{arxiv_id}"


def plan_papers(
    papers: Sequence[ParsedPaper],
    known: KnownPapers,
    next_id: Callable[[], int],
    skipped: Sequence[SkippedBlock] = (),
) -> list[PlanItem]:
    """Decide new / merge / unchanged for the papers of one file, updating `known` as it goes.

    A paper listed twice in the file is planned once, at its first place,
    with what both listings say. `known` holds the papers already in the
    library (or planned earlier in this import); `next_id` hands out
    placeholder ids for papers that will be new, so that a later file's
    duplicate merges into it. Skipped blocks with a candidate are planned
    after the papers, unticked, and leave `known` alone.
    """
    planned = [
        _decide(position, paper, known, next_id) for position, paper in fold_duplicates(papers)
    ]
    for offset, block in enumerate(skipped):
        if block.candidate is None:
            continue
        # The block's own candidate: the import tells ticked blocks from the others by it.
        item = _decide(len(papers) + offset, block.candidate, known, None)
        item.include = False
        item.skipped_reason = block.reason
        planned.append(item)
    return planned


def fold_duplicates(papers: Sequence[ParsedPaper]) -> list[tuple[int, ParsedPaper]]:
    """(position, paper) of each distinct paper of a file, with what its repeats add."""
    local = KnownPapers()
    groups: list[tuple[int, ParsedPaper]] = []
    for position, paper in enumerate(papers):
        paper = _with_year_source(paper)
        key = title_key(paper.title)
        found = local.match(key, paper.arxiv_id)
        if found is None:
            groups.append((position, paper))
            local.put(_as_known(paper, len(groups) - 1), _free_key(local, key, paper.arxiv_id))
            continue
        first_position, first = groups[found.id]
        combined = replace(first, **merge_values(first, paper))
        groups[found.id] = (first_position, combined)
        local.put(_as_known(combined, found.id))
    return groups


def _decide(
    position: int,
    paper: ParsedPaper,
    known: KnownPapers,
    next_id: Callable[[], int] | None,
) -> PlanItem:
    """Plan one paper against `known`; with `next_id`, record what it will be in `known`."""
    key = title_key(paper.title)
    existing = known.match(key, paper.arxiv_id)
    if existing is None:
        key = _free_key(known, key, paper.arxiv_id)
        if next_id is not None:
            known.put(_as_known(paper, next_id()), key)
        return PlanItem(position, key, paper, "new")
    values = merge_values(existing, paper)
    if values and next_id is not None:
        known.put(merged_known(existing, values))
    action: Action = "merge" if values else "unchanged"
    key = known.key_of(existing)
    return PlanItem(position, key, paper, action, existing.id, tuple(values))


def _free_key(known: KnownPapers, key: str, arxiv_id: str | None) -> str:
    """The key a new paper gets: its title key, unless a paper with another id holds it."""
    if arxiv_id and key in known.by_key:
        return disambiguated_key(key, arxiv_id)
    return key


def split_for_write(planned: Sequence[PlanItem], known: KnownPapers) -> FileChanges:
    """Turn included papers into the library's writes, against the library's current state.

    Re-deciding here (not trusting the preview) keeps the write right even if
    the library changed between preview and import. Papers that are one paper
    collapse: the first is added, later ones add their metadata to it.
    """
    changes = FileChanges()
    new_at: dict[int, int] = {}  # placeholder id -> index in changes.new
    updates: dict[int, tuple[int, int, dict]] = {}  # paper id -> position, id, values
    placeholder = itertools.count(-1, -1)
    for item in planned:
        if not item.include:
            continue
        paper = _with_year_source(item.paper)
        key = title_key(paper.title)
        existing = known.match(key, paper.arxiv_id)
        if existing is None:
            key = _free_key(known, key, paper.arxiv_id)
            paper_id = next(placeholder)
            new_at[paper_id] = len(changes.new)
            changes.new.append((item.position, key, paper))
            known.put(_as_known(paper, paper_id), key)
            continue
        values = merge_values(existing, paper)
        if existing.id < 0:  # new in this very write
            if values:
                index = new_at[existing.id]
                position, new_key, first = changes.new[index]
                changes.new[index] = (position, new_key, replace(first, **values))
                known.put(merged_known(existing, values))
            continue
        if paper.upvotes is not None:
            seen = changes.upvotes_seen.get(existing.id)
            changes.upvotes_seen[existing.id] = (
                paper.upvotes if seen is None else max(seen, paper.upvotes)
            )
        if values:
            known.put(merged_known(existing, values))
            previous = updates.get(existing.id)
            if previous is None:
                updates[existing.id] = (item.position, existing.id, values)
            else:
                updates[existing.id] = (previous[0], existing.id, {**previous[2], **values})
        else:
            changes.unchanged.append((item.position, existing.id))
    changes.updates = list(updates.values())
    return changes


def known_lookup(papers: Iterable[ParsedPaper]) -> tuple[list[str], list[str]]:
    """The title keys and arXiv ids to look up in the library for these papers."""
    keys: dict[str, None] = {}
    ids: dict[str, None] = {}
    for paper in papers:
        keys[title_key(paper.title)] = None
        if paper.arxiv_id:
            ids[paper.arxiv_id] = None
    return list(keys), list(ids)


def _with_year_source(paper: ParsedPaper) -> ParsedPaper:
    """`paper` saying who gave the year of its date (a reader may leave it to us)."""
    source = _year_source(paper)
    return paper if source == paper.year_source else replace(paper, year_source=source)


def _as_known(paper: ParsedPaper, paper_id: int) -> Paper:
    """A parsed paper seen as if it were in the library under `paper_id`."""
    values = {name: getattr(paper, name) for name in METADATA_COLUMNS}
    return Paper(id=paper_id, title=paper.title, **values)
