"""The library and its search index, kept in step.

`Collection` is what the CLI and the GUI drive: every change goes to the
SQLite library (the truth) and then to the Whoosh index in the same call, so
a caller can never update one and forget the other. Writes are serialized by
a lock (Whoosh takes one writer at a time, SQLite prefers one); reads may
come from any thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.errors import ReadingListError
from readinglist.importer import (
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
from readinglist.papers import Paper, Status
from readinglist.paths import DATABASE_NAME, INDEX_DIR_NAME
from readinglist.reader import (
    ALL_PAPERS,
    SCHEMA_VERSION,
    LibraryReader,
    LibraryStats,
    PaperFilter,
    SavedSearch,
    SortKey,
    UpvoteSeen,
)
from readinglist.records import DeletedPapers, PaperState
from readinglist.search import Hit, IndexDoc, SearchIndex, SearchResult

if TYPE_CHECKING:
    from readinglist.export import ExportReport
    from readinglist.library import Library

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


@dataclass(slots=True)
class CheckReport:
    """What `check` found, and what `--repair` did."""

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems or len(self.repaired) == len(self.problems)


class Collection:
    """An open library folder: the SQLite library plus its search index."""

    def __init__(self, folder: Path) -> None:
        self._folder = Path(folder)
        self._write_lock = threading.RLock()
        self._library: Library | None = None
        db_path = self._folder / DATABASE_NAME
        if not _ready_to_read(db_path):
            self._open_library()  # creates or upgrades the file, or says why it cannot
        self.reader = LibraryReader(db_path)
        self.index = SearchIndex(self._folder / INDEX_DIR_NAME)

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
        return self._library

    def _open_library(self) -> None:
        from readinglist.library import Library

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
        """Rebuild the index when it is missing, unreadable or behind, then get
        it ready for the first search; True if it rebuilt."""
        rebuilt = not self.index_is_current() and self.rebuild_index(
            progress=progress, cancelled=cancelled
        )
        self.index.warm()
        return rebuilt

    def rebuild_index(
        self, *, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> bool:
        """Rebuild the index from the library; False if cancelled."""
        with self._write_lock:
            generation = self.reader.generation()
            return self.index.rebuild(
                (index_doc(p) for p in self.reader.iter_papers()),
                total=self.reader.count(),
                generation=generation,
                progress=progress,
                cancelled=cancelled,
            )

    def _follow(self, changed: Iterable[int] = (), deleted: Iterable[int] = ()) -> None:
        """Bring the index in step with the library after a write."""
        changed = list(dict.fromkeys(changed))
        deleted = list(deleted)
        try:
            self.index.write(
                upsert=[index_doc(p) for p in self.reader.get_many(changed)],
                delete=deleted,
                generation=self.reader.generation(),
            )
        except Exception:
            # The library is the truth and is written already; an index that
            # failed to follow is stale and gets rebuilt.
            log.exception("index update failed; rebuilding the index")
            self.rebuild_index()

    # -- import ----------------------------------------------------------------

    def plan_import(
        self, paths: Iterable[str | Path], *, progress: Progress | None = None
    ) -> ImportPlan:
        """Read and parse files and decide what each paper would do; writes nothing."""
        files = collect_files(paths)
        for done, planned in enumerate(files):
            read_file(planned)
            if progress:
                progress(done + 1, len(files))
        return self._plan(files)

    def plan_text(self, text: str, name: str = "clipboard") -> ImportPlan:
        """Plan the import of text that is not in a file, such as the clipboard."""
        return self._plan([text_source(text, name)])

    def _plan(self, files: list[PlannedFile]) -> ImportPlan:
        parsed = [parse_file(f) for f in files]
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
        """Write a plan: each file in its own transaction, then one index write."""
        report = ImportReport()
        with self._write_lock:
            batch = self.library.next_batch()
            for done, planned in enumerate(plan.files):
                if cancelled and cancelled():
                    report.cancelled = True
                    break
                report.files.append(self._import_file(planned, batch, report))
                if progress:
                    progress(done + 1, len(plan.files))
            if report.changed_ids:
                self._follow(report.changed_ids)
        return report

    def _import_file(self, planned: PlannedFile, batch: int, report: ImportReport) -> FileOutcome:
        included = [p for p in planned.papers if p.include]
        outcome = FileOutcome(
            path=planned.display_name,
            found=sum(1 for p in planned.papers if p.skipped_reason is None),
            skipped=_left_out(planned),
        )
        # A file in which nothing read as a paper still imports the blocks
        # the user ticked to take anyway.
        if planned.source is None or (planned.error and not included):
            outcome.error = planned.error or "nothing to import"
            return outcome
        if not included:
            return outcome
        keys, arxiv_ids = known_lookup(p.paper for p in included)
        changes = split_for_write(included, self.reader.find_known(keys, arxiv_ids))
        try:
            written = self.library.write_import(planned.source, batch, changes)
        except ReadingListError as exc:
            outcome.error = str(exc)
            return outcome
        outcome.added, outcome.merged = len(written.added), len(written.merged)
        outcome.unchanged = len(written.unchanged)
        report.changed_ids.extend(written.added + written.merged)
        return outcome

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportReport:
        """Plan and import in one go (the CLI's import)."""
        return self.run_import(self.plan_import(paths), progress=progress, cancelled=cancelled)

    # -- reading -----------------------------------------------------------------

    def get(self, paper_id: int) -> Paper:
        return self.reader.get(paper_id)

    def get_many(self, ids: Sequence[int]) -> list[Paper]:
        return self.reader.get_many(ids)

    def stats(self) -> LibraryStats:
        return self.reader.stats()

    def all_tags(self) -> list[str]:
        return self.reader.all_tags()

    def list_ids(
        self,
        view: PaperFilter = ALL_PAPERS,
        *,
        query: str = "",
        sort: SortKey | None = "added",
        descending: bool = False,
    ) -> list[int]:
        """The ids a view shows: filtered, and ranked by `query` when there is one.

        With a query and `sort=None` the order is the search rank.
        """
        if query.strip():
            ranked = self.index.ranked_ids(query)
            if view == ALL_PAPERS and sort is None and self._index_in_step():
                return ranked  # every id the index has is in the library
            return self.reader.list_ids(view, sort=sort, descending=descending, within=ranked)
        return self.reader.list_ids(view, sort=sort or "added", descending=descending)

    def _index_in_step(self) -> bool:
        """True if the index reflects the library's latest write."""
        return self.index.generation() == self.reader.generation()

    def search(self, query: str, *, limit: int | None = 50, highlight: bool = True) -> SearchResult:
        return self.index.search(query, limit=limit, highlight=highlight)

    def highlight(self, query: str, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        return self.index.highlight(query, ids)

    def suggest(self, query: str) -> str | None:
        return self.index.suggest(query)

    def similar(self, paper_id: int, *, limit: int = 10) -> list[tuple[Paper, float]]:
        """Papers like this one, most similar first."""
        self.reader.get(paper_id)
        hits: list[Hit] = self.index.similar(paper_id, limit=limit)
        papers = {p.id: p for p in self.reader.get_many([h.id for h in hits])}
        return [(papers[h.id], h.score) for h in hits if h.id in papers]

    def saved_searches(self) -> list[SavedSearch]:
        return self.reader.saved_searches()

    def upvote_history(self, paper_id: int) -> list[UpvoteSeen]:
        """The upvote counts seen for a paper on the pages imported, oldest first."""
        self.reader.get(paper_id)  # NotFoundError for an unknown id
        return self.reader.upvote_history(paper_id)

    # -- the reader's changes ------------------------------------------------------

    def mark(self, ids: Sequence[int], status: Status) -> list[int]:
        with self._write_lock:
            changed = self.library.set_status(ids, status)
            self._follow(changed)
        return changed

    def add_tags(self, ids: Sequence[int], names: Sequence[str]) -> list[int]:
        with self._write_lock:
            changed = self.library.add_tags(ids, names)
            self._follow(changed)
        return changed

    def remove_tags(self, ids: Sequence[int], names: Sequence[str]) -> list[int]:
        with self._write_lock:
            changed = self.library.remove_tags(ids, names)
            self._follow(changed)
        return changed

    def set_tags(self, paper_id: int, names: Sequence[str]) -> bool:
        with self._write_lock:
            changed = self.library.set_tags(paper_id, names)
            if changed:
                self._follow([paper_id])
        return changed

    def set_note(self, paper_id: int, text: str) -> bool:
        with self._write_lock:
            changed = self.library.set_note(paper_id, text)
            if changed:
                self._follow([paper_id])
        return changed

    def states(self, ids: Sequence[int]) -> list[PaperState]:
        """The reader's part of papers (status, note, tags), for undo."""
        return self.library.states(ids)

    def restore_states(self, states: Sequence[PaperState]) -> list[int]:
        with self._write_lock:
            changed = self.library.restore_states(states)
            self._follow(changed)
        return changed

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
        from readinglist.export import export_notes

        return export_notes(
            papers, Path(folder), single_file=single_file, force=force, progress=progress
        )

    def check(self, *, repair: bool = False, progress: Progress | None = None) -> CheckReport:
        """Check the library file and the index; with `repair`, rebuild what is broken."""
        report = CheckReport()
        conn = self.library.engine.raw_connection()
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
        if integrity != ["ok"]:
            report.problems.append("the library file is damaged: " + "; ".join(integrity[:3]))
        if orphans:
            report.problems.append(f"{len(orphans)} rows point at missing rows")
        index_ok = self.index_is_current() and self.index.doc_count() == self.reader.count()
        if not index_ok:
            report.problems.append("the search index is missing, damaged or out of step")
            if repair and self.rebuild_index(progress=progress):
                report.repaired.append("rebuilt the search index")
        return report


def _ready_to_read(db_path: Path) -> bool:
    """True when the file exists with the current schema, so reads need no set-up."""
    import sqlite3

    if not db_path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='paper'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return version == SCHEMA_VERSION and tables == 1


def _left_out(planned: PlannedFile) -> list[dict]:
    """The skipped blocks of a file that the import leaves out (those not ticked)."""
    taken = {id(p.paper) for p in planned.papers if p.skipped_reason is not None and p.include}
    return [
        b.to_json() for b in planned.skipped if b.candidate is None or id(b.candidate) not in taken
    ]
