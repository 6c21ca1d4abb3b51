"""The library and its search index, kept in step.

`Collection` is what the CLI and the GUI drive: every change goes to the
SQLite library (the truth) and then to the Whoosh index in the same call, so
a caller can never update one and forget the other. Writes are serialized by
a lock (Whoosh takes one writer at a time, SQLite prefers one); reads may
come from any thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.errors import (
    DamagedLibraryError,
    DiskFullError,
    NotALibraryError,
    ReadingListError,
    describe_os_error,
    is_disk_full,
)
from readinglist.index.index import (
    Hit,
    IndexBusyError,
    IndexDoc,
    IndexUnwritableError,
    SearchIndex,
    SearchResult,
)
from readinglist.library.importing import (
    FileOutcome,
    ImportPlan,
    ImportReport,
    PlannedFile,
    collect_files,
    known_lookup,
    parse_file,
    plan_papers,
    read_file,
    split_for_write,
    text_source,
)
from readinglist.library.reader import (
    ALL_PAPERS,
    SCHEMA_VERSION,
    LibraryReader,
    LibraryStats,
    PaperFilter,
    RankingSort,
    SavedSearch,
    SortKey,
    Source,
    UpvoteSeen,
    inspect_library_file,
)
from readinglist.library.reading_stats import ReadingSummary, summarise
from readinglist.library.records import DeletedPapers, FileChanges
from readinglist.papers import Paper, ParsedPaper, Status, Triage
from readinglist.paths import DATABASE_NAME, INDEX_DIR_NAME
from readinglist.recommendations import ForYou, Recommender, rising_order, rising_rates

if TYPE_CHECKING:
    from readinglist.export.vault import ExportReport
    from readinglist.library.schema import Recovery
    from readinglist.library.writes import Library

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def index_doc(paper: Paper) -> IndexDoc:
    """What the index holds of a paper.

    A paper from a daily page has no abstract until a later import brings
    it; its summary (the site's AI summary) stands in, so it is searchable.
    """
    return IndexDoc(
        id=paper.id,
        title=paper.title,
        abstract=paper.abstract if paper.abstract.strip() else (paper.summary or ""),
        note=paper.note,
        tags=tuple(paper.tags),
        status=paper.status,
        year=paper.published.year if paper.published else None,
        upvotes=paper.upvotes,
    )


# Papers sent to the index per commit when it follows a write: a 40,000-paper
# import in one Whoosh commit held another 80 MB.
_FOLLOW_CHUNK = 2000
# Seconds an asked-for rebuild waits for another process's (100k papers: 4-7 min).
_REBUILD_WAIT = 900.0


@dataclass(slots=True)
class CheckReport:
    """What `check` found, and what `--repair` did.

    `problems` are what was found, `repaired` what was done about them, and
    `unrepaired` the problems still there afterwards.
    """

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    unrepaired: list[str] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)  # what was checked and found in order

    @property
    def ok(self) -> bool:
        return not self.unrepaired

    def found(self, problem: str) -> None:
        self.problems.append(problem)
        self.unrepaired.append(problem)

    def fixed(self, problem: str, done: str) -> None:
        self.repaired.append(done)
        if problem in self.unrepaired:
            self.unrepaired.remove(problem)


# Rankings kept: a few queries of typing and browsing (a ranking of all
# 100k papers is ~4 MB of ints).
_RANKINGS_KEPT = 8


class _Rankings:
    """The rankings of the last few queries, each valid at one library generation.

    Shared by every thread of a collection, hence the lock.
    """

    def __init__(self, size: int = _RANKINGS_KEPT) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, tuple[int, list[int]]] = OrderedDict()

    def get(self, query: str, generation: int) -> list[int] | None:
        with self._lock:
            found = self._kept.get(query)
            if found is None or found[0] != generation:
                return None
            self._kept.move_to_end(query)
            return found[1]

    def put(self, query: str, generation: int, ranked: list[int]) -> None:
        with self._lock:
            self._kept[query] = (generation, ranked)
            self._kept.move_to_end(query)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def carry(self, before: int, after: int, changed_by: Callable[[str], bool]) -> None:
        """After one write (`before` to `after`), keep the rankings it cannot change.

        Only when that write was the only one (`after` is `before` + 1): of
        any other, nothing is known.
        """
        with self._lock:
            for query, (generation, ranked) in list(self._kept.items()):
                if generation == before and after == before + 1 and not changed_by(query):
                    self._kept[query] = (after, ranked)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _asks_for_status(query: str) -> bool:
    # Said loosely on purpose: a query merely mentioning "status" is ranked again.
    return "status" in query.casefold()


class Collection:
    """An open library folder: the SQLite library plus its search index."""

    def __init__(self, folder: Path) -> None:
        self._folder = Path(folder)
        self._write_lock = threading.RLock()
        self._library: Library | None = None
        self.db_path = self._folder / DATABASE_NAME
        if not _ready_to_read(self.db_path):
            self._open_library()  # creates or upgrades the file, or says why it cannot
        self.reader = LibraryReader(self.db_path)
        self.index = SearchIndex(self._folder / INDEX_DIR_NAME, load=self._index_docs)
        self._rankings = _Rankings()
        self.recommender = Recommender(self.reader)
        self._index_thread = threading.get_ident()  # the thread that searches with self.index
        self._thread_indexes = threading.local()
        self._other_indexes: list[SearchIndex] = []
        # Why the index cannot be written, in words for the user; None when it can.
        self.index_problem: str | None = None

    @property
    def library(self) -> Library:
        """The write side, opened on first use.

        Opening it imports SQLAlchemy and sqlmodel (~0.6 s): reads and the
        window's first paint never wait for it, the first write (on the
        GUI's worker thread) does.
        """
        if self._library is None:
            with self._write_lock:
                if self._library is None:
                    self._open_library()
        assert self._library is not None, "_open_library opens it or raises"
        return self._library

    def _open_library(self) -> None:
        from readinglist.library.writes import Library

        self._library = Library(self._folder)

    @classmethod
    def open(
        cls,
        folder: Path,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Collection:
        """Open a library and bring its index up to date (rebuilding it if needed)."""
        collection = cls(folder)
        collection.ensure_index(progress=progress, cancelled=cancelled)
        return collection

    @property
    def folder(self) -> Path:
        return self._folder

    def close(self) -> None:
        for index in self._other_indexes:
            index.close()
        self.index.close()
        self.reader.close()
        if self._library is not None:
            self._library.close()

    # -- the index -----------------------------------------------------------

    def index_is_current(self) -> bool:
        return self.index.is_current(self.reader.generation())

    def ensure_index(
        self, *, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> bool:
        """Rebuild the index if it is missing, unreadable or behind, then warm it up.

        Gets it ready for the first search; True if it rebuilt.

        Never waits for another process: while one rebuilds, searches use the
        last good index and nothing is rebuilt here. An index that cannot be
        written leaves the library readable: `index_problem` says why.
        """
        rebuilt = False
        try:
            caught_up = self.index.catch_up()  # False: another process holds the index
            if caught_up and not self.index_is_current():
                rebuilt = self.rebuild_index(progress=progress, cancelled=cancelled, wait=0)
        except IndexBusyError:
            pass
        except IndexUnwritableError as exc:
            self.index_problem = str(exc)
            log.warning("%s", exc)
        self.index.warm()
        return rebuilt

    def _index_docs(self, ids: Sequence[int]) -> list[IndexDoc]:
        return [index_doc(p) for p in self.reader.get_many(ids)]

    @property
    def index_dir(self) -> Path:
        return self._folder / INDEX_DIR_NAME

    def rebuild_index(
        self,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        wait: float = _REBUILD_WAIT,
    ) -> bool:
        """Rebuild the index from the library; False if cancelled.

        Waits up to `wait` seconds for another process's rebuild; when the
        index is whole and in step after it, that rebuild stands for this one.

        Raises:
            IndexBusyError: the other process still held the index after `wait`.
            IndexUnwritableError: the index folder cannot be written.
        """
        with self._write_lock:
            waited = self.index.holder() is not None
            try:
                with self.index.exclusive("rebuild", wait=wait, cancelled=cancelled):
                    if waited and self.index.catch_up() and self._index_whole():
                        return True
                    generation = self.reader.generation()  # before the papers are read
                    return self.index.rebuild(
                        (index_doc(p) for p in self.reader.iter_papers()),
                        total=self.reader.count(),
                        generation=generation,
                        progress=progress,
                        cancelled=cancelled,
                    )
            except IndexBusyError:
                if cancelled is not None and cancelled():
                    return False
                raise

    def _index_whole(self) -> bool:
        return self.index_is_current() and self.index.doc_count() == self.reader.count()

    def _follow(self, changed: Iterable[int] = (), deleted: Iterable[int] = ()) -> None:
        """Bring the index in step with the library after a write.

        Raises:
            DiskFullError: the index could not follow for want of space (the
                library has the change; the index reads as behind and is
                rebuilt on the next open).
        """
        changed = list(dict.fromkeys(changed))
        deleted = list(deleted)
        try:
            self._write_index(changed, deleted)
        except IndexUnwritableError as exc:
            # The library has the change; the index reads as behind and is
            # caught up once it can be written.
            self.index_problem = f"Your change is saved in the library. {exc}"
            if exc.disk_full:
                raise DiskFullError(self.index_problem) from exc
            raise IndexUnwritableError(self.index_problem) from exc
        except Exception as exc:
            if is_disk_full(exc):
                # A rebuild would fail the same way; the next open rebuilds.
                message = _index_failed(self.index_dir, exc) if isinstance(exc, OSError) else exc
                raise DiskFullError(str(message)) from exc
            # The library is the truth and is written already; an index that
            # failed to follow is stale and gets rebuilt.
            log.exception("index update failed; rebuilding the index")
            try:
                self.rebuild_index(wait=0)
            except IndexBusyError:
                # Another process rebuilds, perhaps from before this change:
                # leave it for the catch-up after that rebuild.
                self.index.defer([*changed, *deleted], generation=self.reader.generation())

    def _write_index(self, changed: list[int], deleted: list[int]) -> None:
        """Send the changed papers to the index in chunks, then the deletions.

        Every chunk but the last records the generation the index had, so an
        interruption leaves it reading as behind the library.
        """
        generation = self.reader.generation()
        chunks = [changed[i : i + _FOLLOW_CHUNK] for i in range(0, len(changed), _FOLLOW_CHUNK)]
        before = self.index.generation()
        for chunk in chunks[:-1]:
            if before is None:
                break  # a missing index is rebuilt on the next open, not written
            docs = [index_doc(p) for p in self.reader.get_many(chunk)]
            self.index.write(upsert=docs, generation=before)
        last = chunks[-1] if chunks else []
        self.index.write(
            upsert=[index_doc(p) for p in self.reader.get_many(last)],
            delete=deleted,
            generation=generation,
        )

    # -- import ----------------------------------------------------------------

    def plan_import(
        self, paths: Iterable[str | Path], *, progress: Progress | None = None
    ) -> ImportPlan:
        """Read and parse files and decide what each paper would do; writes nothing.

        Each file is parsed as soon as it is read, which lets go of its bytes:
        only the papers of a folder of thousands of dumps stay in memory.
        """
        files = collect_files(paths)
        parsed: list[list[ParsedPaper]] = []
        for done, planned in enumerate(files):
            read_file(planned)
            parsed.append(parse_file(planned))
            if progress:
                progress(done + 1, len(files))
        return self._plan(files, parsed)

    def plan_text(self, text: str, name: str = "clipboard") -> ImportPlan:
        """Plan the import of text that is not in a file, such as the clipboard."""
        planned = text_source(text, name)
        return self._plan([planned], [parse_file(planned)])

    def _plan(self, files: list[PlannedFile], parsed: list[list[ParsedPaper]]) -> ImportPlan:
        """Decide what each paper of the parsed files would do, against the library."""
        candidates = [b.candidate for f in files for b in f.skipped if b.candidate is not None]
        keys, arxiv_ids = known_lookup([*(p for papers in parsed for p in papers), *candidates])
        known = self.reader.find_known(keys, arxiv_ids)
        placeholder = iter(range(-1, -(10**9), -1))
        for planned, papers in zip(files, parsed, strict=True):
            planned.papers = plan_papers(
                papers, known, lambda: next(placeholder), skipped=planned.skipped
            )
        return ImportPlan(files)

    def run_import(
        self,
        plan: ImportPlan,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportReport:
        """Write a plan: each file in its own transaction, then the index.

        A full disk stops the import at the file it met: that file is named
        with the reason, the files before it stay imported, the ones after it
        are listed as not imported.
        """
        report = ImportReport()
        with self._write_lock:
            batch = self.library.next_batch()
            for done, planned in enumerate(plan.files):
                if report.stopped:
                    report.not_imported.append(planned.display_name)
                    continue
                if cancelled and cancelled():
                    report.cancelled = True
                    break
                report.files.append(self._import_file(planned, batch, report))
                if progress:
                    progress(done + 1, len(plan.files))
            self._follow_import(report)
        return report

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportReport:
        """Read, plan and write file by file (the CLI's import).

        Only one file's bytes and papers are held at a time, however many
        files there are; each file is planned against the library as the
        files before it left it, so a paper in two files is added once.
        """
        files = collect_files(paths)
        report = ImportReport()
        with self._write_lock:
            batch = self.library.next_batch()
            for done, planned in enumerate(files):
                if report.stopped:
                    report.not_imported.append(planned.display_name)
                    continue
                if cancelled and cancelled():
                    report.cancelled = True
                    break
                read_file(planned)
                self._plan([planned], [parse_file(planned)])
                report.files.append(self._import_file(planned, batch, report))
                planned.papers, planned.skipped = [], []
                if progress:
                    progress(done + 1, len(files))
            self._follow_import(report)
        return report

    def _follow_import(self, report: ImportReport) -> None:
        """The index after an import; what stops it is reported, the import stands."""
        if not report.changed_ids:
            return
        self.recommender.text_changes += 1  # new papers, or old ones with more text
        try:
            self._follow(report.changed_ids)
        except ReadingListError as exc:  # a full disk, an index folder that cannot be written
            report.index_error = str(exc)

    def _import_file(self, planned: PlannedFile, batch: int, report: ImportReport) -> FileOutcome:
        included = [p for p in planned.papers if p.include]
        outcome = FileOutcome(
            path=planned.display_name,
            found=sum(1 for p in planned.papers if p.skipped_reason is None),
            skipped=_left_out(planned),
            skipped_more=planned.skipped_more,
            warnings=list(planned.warnings),
        )
        # A file in which nothing read as a paper still imports the blocks
        # the user ticked to take anyway.
        if planned.source is None or (planned.error and not included):
            outcome.error = planned.error or "nothing to import"
            return outcome
        if not included:
            return outcome
        keys, arxiv_ids = known_lookup(p.paper for p in included)

        def decide() -> FileChanges:
            # Against the library as it is once locked for writing (another
            # process may have imported the same papers since the plan).
            return split_for_write(included, self.reader.find_known(keys, arxiv_ids))

        try:
            written = self.library.write_import(planned.source, batch, decide)
        except DiskFullError as exc:
            outcome.error = f"not imported: {exc}"
            report.stopped = str(exc)
            return outcome
        except ReadingListError as exc:
            outcome.error = str(exc)
            return outcome
        outcome.added, outcome.merged = len(written.added), len(written.merged)
        outcome.unchanged = len(written.unchanged)
        report.changed_ids.extend(written.added + written.merged)
        return outcome

    # -- reading -----------------------------------------------------------------

    def get(self, paper_id: int) -> Paper:
        return self.reader.get(paper_id)

    def get_many(self, ids: Sequence[int]) -> list[Paper]:
        return self.reader.get_many(ids)

    def stats(self) -> LibraryStats:
        return self.reader.stats()

    def generation(self) -> int:
        """The library's change counter: every write steps it, in this process or another."""
        return self.reader.generation()

    def changed_elsewhere(self, seen: int | None) -> tuple[int, bool]:
        """The generation now, and whether another process wrote since generation `seen`.

        Writes of this collection do not count: a window that asks learns of
        the command lines and other windows only. `seen` None: the first
        question, which only learns the generation.
        """
        now = self.reader.generation()
        library = self._library
        if seen is None:
            return now, False
        if library is None:  # nothing written here yet: every step is another's
            return now, now != seen
        return now, library.changed_elsewhere(seen, now)

    def all_tags(self) -> list[str]:
        return self.reader.all_tags()

    def list_ids(
        self,
        view: PaperFilter = ALL_PAPERS,
        *,
        query: str = "",
        sort: SortKey | RankingSort | None = "added",
        descending: bool = False,
    ) -> list[int]:
        """The ids a view shows: filtered, and ranked by `query` when there is one.

        `sort` "for-you" and "rising" are ranking orders, best first (see
        `ordered`); the others are columns, sorted in SQL.

        With a query and `sort=None` the order is the search rank. The
        ranking comes from `ranking`, so another view, tag or sort of the
        same query costs no search.
        """
        if sort == "for-you" or sort == "rising":
            within = self.list_ids(view, query=query, sort=None if query.strip() else "added")
            return self.ordered(within, sort)
        if query.strip():
            ranked = self.ranking(query)
            if view == ALL_PAPERS and sort is None:
                return ranked
            return self.reader.list_ids(view, sort=sort, descending=descending, within=ranked)
        return self.reader.list_ids(view, sort=sort or "added", descending=descending)

    def ranking(self, query: str) -> list[int]:
        """Ids of every paper of the library `query` matches, best first.

        The rankings of the last few queries are kept while the library does
        not change (a mark keeps those that do not ask for a status), and only
        when the index was in step with the library as it ranked: one that
        lags ranks with what it has, less the papers gone from the library,
        and is asked again next time.

        Raises:
            QueryError: the query is malformed; the message says how.
            SearchIndexError: the index is damaged.
        """
        key = query.strip()
        generation = self.reader.generation()
        kept = self._rankings.get(key, generation)
        if kept is not None:
            return list(kept)  # a copy: the caller may change it
        index = self._read_index()
        in_step = index.generation() == generation
        ranked = index.ranked_ids(key)
        if not in_step:
            return self.reader.list_ids(ALL_PAPERS, sort=None, within=ranked)
        if self.reader.generation() == generation:  # nothing was written meanwhile
            self._rankings.put(key, generation, ranked)
        return list(ranked)

    def cached_ranking(self, query: str) -> list[int] | None:
        """The ranking `ranking` would give without searching, or None if it must search.

        Never touches the index: a caller that must not wait for a search
        (the window's GUI thread) asks this first.
        """
        kept = self._rankings.get(query.strip(), self.reader.generation())
        return None if kept is None else list(kept)

    def forget_rankings(self) -> None:
        """Drop the kept rankings (say, after the index was rebuilt)."""
        self._rankings.clear()

    def _index_in_step(self) -> bool:
        """True if the index reflects the library's latest write."""
        return self._read_index().generation() == self.reader.generation()

    def _read_index(self) -> SearchIndex:
        """The index this thread searches with.

        The thread that opened the collection searches with `self.index`;
        every other thread gets a SearchIndex of its own over the same
        folder, with its own searcher and lock (as it gets its own SQLite
        connection from the reader): a long search on a worker thread then
        never holds the lock that a quick read on the GUI thread (the
        highlights of one paper) waits for. Writes all go through `self.index`.
        """
        if threading.get_ident() == self._index_thread:
            return self.index
        index = getattr(self._thread_indexes, "index", None)
        if index is None:
            index = SearchIndex(self.index_dir)
            self._thread_indexes.index = index
            self._other_indexes.append(index)  # list.append is atomic; never wait on a write
        return index

    def warm_search(self) -> None:
        """Read ahead, for this thread, what its first search needs."""
        self._read_index().warm()

    def release_thread(self) -> None:
        """Close what this thread opened (its SQLite connection, its index's files).

        For a worker thread that is about to end; the collection stays usable.
        """
        self.reader.close()
        index = getattr(self._thread_indexes, "index", None)
        if index is not None:
            index.close()

    def search(self, query: str, *, limit: int | None = 50, highlight: bool = True) -> SearchResult:
        return self._read_index().search(query, limit=limit, highlight=highlight)

    def highlight(self, query: str, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        return self._read_index().highlight(query, ids)

    def suggest(self, query: str) -> str | None:
        return self._read_index().suggest(query)

    def sources(self, paper_id: int) -> list[Source]:
        """The files a paper was seen in, oldest first."""
        return self.reader.sources(paper_id)

    def similar(self, paper_id: int, *, limit: int = 10) -> list[tuple[Paper, float]]:
        """Papers like this one, most similar first."""
        self.reader.get(paper_id)
        hits: list[Hit] = self._read_index().similar(paper_id, limit=limit)
        papers = {p.id: p for p in self.reader.get_many([h.id for h in hits])}
        return [(papers[h.id], h.score) for h in hits if h.id in papers]

    def saved_searches(self) -> list[SavedSearch]:
        return self.reader.saved_searches()

    # -- what to read next -----------------------------------------------------------

    def for_you(self, ids: Sequence[int], *, limit: int | None = None) -> ForYou:
        """These papers in "for you" order, each with its reason (trained if needed)."""
        return self.recommender.rank(ids, limit=limit)

    def next_papers(self, *, limit: int | None = 10) -> ForYou:
        """The unread papers, not dismissed, best first for the person."""
        view = PaperFilter(status="unread", dismissed=False)
        return self.for_you(self.reader.list_ids(view, descending=True), limit=limit)

    def inbox(self, *, limit: int | None = None) -> ForYou:
        """The Inbox (recent papers not dealt with yet), best first."""
        ids = self.reader.list_ids(PaperFilter(inbox=True), sort="added", descending=True)
        return self.for_you(ids, limit=limit)

    def ordered(self, ids: Sequence[int], sort: RankingSort) -> list[int]:
        """`ids` in a ranking order: "for-you" (learned) or "rising" (upvotes per day)."""
        if sort == "for-you":
            return self.recommender.order(ids)
        if sort == "rising":
            return rising_order(self.reader, ids)
        raise ValueError(f"unknown ranking order {sort!r}")

    def rising_rates(self, ids: Sequence[int]) -> dict[int, float | None]:
        """Upvotes gained per day lately, by paper (None: seen on one page only)."""
        return rising_rates(self.reader, ids)

    def reading_summary(self) -> ReadingSummary:
        """Imports and reads per week, the Inbox over time, and the most used tags."""
        return summarise(self.reader.activity(), self.reader.tag_counts())

    def upvote_history(self, paper_id: int) -> list[UpvoteSeen]:
        """The upvote counts seen for a paper on the pages imported, oldest first."""
        self.reader.get(paper_id)  # NotFoundError for an unknown id
        return self.reader.upvote_history(paper_id)

    # -- the reader's changes ------------------------------------------------------

    def _written(self, write: Callable[[], list[int]]) -> list[int]:
        """Run a write of the library that returns the ids it changed; the index follows."""
        with self._write_lock:
            changed = write()
            self._follow(changed)
        return changed

    def _written_one(self, paper_id: int, write: Callable[[], bool]) -> bool:
        """Run a write of one paper that says whether it changed it; the index follows."""
        with self._write_lock:
            changed = write()
            if changed:
                self._follow([paper_id])
        return changed

    def mark(self, ids: Sequence[int], status: Status) -> list[int]:
        with self._write_lock:
            before = self.reader.generation()
            changed = self.library.set_status(ids, status)
            self._follow(changed)
            # A status is searched only by status: queries; the others keep their ranking.
            self._rankings.carry(before, self.reader.generation(), _asks_for_status)
        return changed

    def add_tags(self, ids: Sequence[int], names: Sequence[str]) -> list[int]:
        return self._written(lambda: self.library.add_tags(ids, names))

    def remove_tags(self, ids: Sequence[int], names: Sequence[str]) -> list[int]:
        return self._written(lambda: self.library.remove_tags(ids, names))

    def set_tags(self, paper_id: int, names: Sequence[str]) -> bool:
        return self._written_one(paper_id, lambda: self.library.set_tags(paper_id, names))

    def set_note(self, paper_id: int, text: str) -> bool:
        return self._written_one(paper_id, lambda: self.library.set_note(paper_id, text))

    def set_triage(self, ids: Sequence[int], triage: Triage | None) -> list[int]:
        """Later, dismissed, or (None) back in the Inbox; returns the ids changed."""
        return self._written(lambda: self.library.set_triage(ids, triage))

    def dismiss(self, ids: Sequence[int]) -> list[int]:
        """Not interested: out of the Inbox, kept in the library, a signal against."""
        return self.set_triage(ids, "dismissed")

    def set_year(self, paper_id: int, year: int) -> bool:
        """Correct the year of a paper's date; no later import overwrites it."""
        return self._written_one(paper_id, lambda: self.library.set_year(paper_id, year))

    def add_opened_time(self, paper_id: int, seconds: float) -> None:
        """Count time the paper was open in the window (the index is not involved)."""
        with self._write_lock:
            self.library.add_opened_time(paper_id, seconds)
        self.recommender.opened_changes += 1

    def states(self, ids: Sequence[int]) -> list[Paper]:
        """The reader's part of papers (status, note, tags, triage, year), for undo."""
        return self.library.states(ids)

    def restore_states(self, states: Sequence[Paper]) -> list[int]:
        return self._written(lambda: self.library.restore_states(states))

    def delete(self, ids: Sequence[int]) -> DeletedPapers:
        with self._write_lock:
            deleted = self.library.delete(ids)
            self._follow(deleted=deleted.ids)
        return deleted

    def restore(self, deleted: DeletedPapers) -> list[int]:
        with self._write_lock:
            ids = self.library.restore(deleted)
            self._follow(ids)
        return ids

    def save_search(self, name: str, query: str) -> int:
        if query.strip():
            self.index.search(query, limit=1, highlight=False)  # a bad query is refused now
        return self.library.save_search(name, query)

    def rename_saved_search(self, search_id: int, name: str) -> None:
        self.library.rename_saved_search(search_id, name)

    def delete_saved_search(self, search_id: int) -> None:
        self.library.delete_saved_search(search_id)

    # -- export and check --------------------------------------------------------------

    def select_for_export(
        self,
        *,
        everything: bool = False,
        tags: Sequence[str] = (),
        status: Status | None = None,
        query: str = "",
        ids: Sequence[int] | None = None,
    ) -> list[Paper]:
        """The papers an export takes: those with a note unless `everything`, then filtered."""
        view = PaperFilter(status=status, tags=tuple(tags), with_notes=not everything)
        if ids is not None:
            selected = self.reader.list_ids(view, sort=None, within=list(ids))
        else:
            selected = self.list_ids(view, query=query, sort="title")
        return self.reader.get_many(selected)

    def export(
        self,
        papers: Sequence[Paper],
        folder: Path,
        *,
        single_file: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
    ) -> ExportReport:
        from readinglist.export.vault import export_notes

        return export_notes(
            papers, Path(folder), single_file=single_file, force=force, progress=progress
        )

    def check(self, *, repair: bool = False, progress: Progress | None = None) -> CheckReport:
        """Check the library file and the index; with `repair`, rebuild the index if needed.

        A damaged library file is `check_library`'s to repair: it must be
        replaced, which an open collection cannot do.
        """
        report = CheckReport()
        for problem in file_problems(self.db_path):
            report.found(problem)
        if not report.problems:
            report.fine.append("the library file is in order")
        self._check_index(report, repair=repair, progress=progress)
        return report

    def _check_index(self, report: CheckReport, *, repair: bool, progress: Progress | None) -> None:
        papers = self.reader.count()
        if self.index_is_current() and self.index.doc_count() == papers:
            report.fine.append(f"the search index is in step with the library ({papers:,} papers)")
            return
        problem = "the search index is missing, damaged or out of step"
        report.found(problem)
        if repair and self.rebuild_index(progress=progress):
            report.fixed(problem, f"rebuilt the search index ({self.reader.count():,} papers)")


def check_library(
    folder: Path, *, repair: bool = False, progress: Progress | None = None
) -> CheckReport:
    """Check a library folder, damaged library file included; repair what `repair` can.

    A damaged file is reported without opening it for writing. With
    `repair`, what SQLite can still read of it goes into a new library file
    in its place (the damaged one is kept beside it), and the index is
    rebuilt from the new file. No other readinglist may have the library
    open meanwhile.

    Raises:
        NotALibraryError: the file is not a readinglist library (it is left alone).
    """
    db_path = Path(folder) / DATABASE_NAME
    damage = _damage(db_path)
    if damage is None:
        collection = Collection(Path(folder))
        try:
            return collection.check(repair=repair, progress=progress)
        finally:
            collection.close()
    report = CheckReport()
    problem = f"the library file {db_path} is damaged: {damage}"
    report.found(problem)
    if repair:
        from readinglist.library.schema import recover_library_file

        recovery = recover_library_file(db_path)
        report.fixed(problem, _recovered_words(recovery))
        collection = Collection(Path(folder))
        try:
            collection.rebuild_index(progress=progress)
            report.repaired.append(
                f"rebuilt the search index ({collection.reader.count():,} papers)"
            )
        finally:
            collection.close()
    return report


def file_problems(db_path: Path) -> list[str]:
    """What SQLite's own checks find wrong in a library file; [] when it is in order."""
    try:
        conn = sqlite3.connect(db_path.absolute().as_uri() + "?mode=ro", uri=True, timeout=30)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
            orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"the library file {db_path} is damaged: {exc}"]
    problems = []
    if integrity != ["ok"]:
        problems.append(f"the library file {db_path} is damaged: " + "; ".join(integrity[:3]))
    if orphans:
        problems.append(f"{len(orphans)} rows point at missing rows")
    return problems


def _damage(db_path: Path) -> str | None:
    """What is damaged in the library file, in words; None when it is sound or missing.

    Raises:
        NotALibraryError: the file is not a readinglist library.
    """
    try:
        found = inspect_library_file(db_path)
    except DamagedLibraryError as exc:
        return str(exc.__cause__ or exc)
    if found.state == "missing":
        return None
    if found.refusal is not None:
        raise NotALibraryError(found.refusal)
    problems = [p for p in file_problems(db_path) if "is damaged" in p]
    return problems[0].split(" is damaged: ", 1)[1] if problems else None


def _recovered_words(recovery: Recovery) -> str:
    listed = f" of the {recovery.listed:,} it listed" if recovery.listed is not None else ""
    lost = ""
    if recovery.schema_lost:
        lost = "; not even its list of tables could be read, so the new library is empty"
    elif recovery.incomplete:
        lost = f"; rows of {', '.join(recovery.incomplete)} could not be read"
    return (
        f"saved {recovery.papers:,} papers{listed} into a new library file{lost}; "
        f"the damaged file is kept as {recovery.kept_as}"
    )


def _index_failed(index_dir: Path, exc: OSError) -> str:
    return (
        f"The search index in {index_dir} could not be updated: {describe_os_error(exc)}. "
        "The library has every change; the index is rebuilt once there is room."
    )


def _ready_to_read(db_path: Path) -> bool:
    """True when the file is a library of the current schema, so reads need no set-up."""
    try:
        found = inspect_library_file(db_path)
    except ReadingListError:
        return False  # opening the write side says what is wrong
    return found.state == "library" and found.version == SCHEMA_VERSION


def _left_out(planned: PlannedFile) -> list[dict]:
    """The skipped blocks of a file that the import leaves out (those not ticked)."""
    taken = {id(p.paper) for p in planned.papers if p.skipped_reason is not None and p.include}
    return [
        b.to_json() for b in planned.skipped if b.candidate is None or id(b.candidate) not in taken
    ]
