"""Full-text search: the Whoosh index derived from the library.

The index lives in a folder of its own::

    <folder>/state.json       {"schema": 4, "index": "ix-<hex>", "generation": 42}
    <folder>/ix-<hex>/        the Whoosh index that state.json points at

`state.json` is replaced atomically, and only after a Whoosh commit: a crash
between the two leaves the old generation recorded, which reads as stale (the
caller rebuilds). A rebuild fills a fresh `ix-<hex>` folder while the old one
keeps answering, then flips `state.json` to it: no folder is ever renamed,
which Windows refuses while a reader has its files open.

A rebuild of a large library indexes with one process per core, each
writing one segment, committed together (see `_fill_parallel`); a write
(an import, an edit) is one Whoosh writer in this process.

Threads: searches (GUI thread) share one cached searcher under a lock and
replace it when the index changed; `write` and `rebuild` (one worker thread)
are serialised by a second lock and hold the first only to swap folders.

Processes: `write` and `rebuild` also hold `<folder>/index.lock` (see
index.lock), so one process at a time changes the index; reads never take
it. A write that finds a rebuild under way does not wait for it: it leaves
the ids it changed in a `pending-*.json` file and the index reads as behind;
the holder of the lock catches those up from the library (the `load`
callback) before it lets go, or the next writer does. A rebuild removes only
folders no holder of the lock is building.

A folder that cannot be written (full disk, permission denied, a file in its
place) raises `IndexUnwritableError`, whose message is for the user; reads
go on from the last good index.

Whoosh costs ~330 ms to import, so it is imported on first use, not here.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readinglist.errors import LibraryError, describe_os_error
from readinglist.index.lock import IndexLock, LockOwner

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

    from readinglist.index.bulk import BulkScorer, SegmentCache


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """What the index keeps of one paper."""

    id: int
    title: str
    abstract: str
    note: str
    tags: tuple[str, ...]
    status: str  # "unread" | "read"
    year: int | None
    upvotes: int | None


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching paper.

    `highlights` maps "title", "abstract" and "note" to an HTML fragment: all
    text escaped, matched words in <b>...</b>, nothing else. A field without a
    match is absent; the dict is empty when highlighting was not asked for.
    """

    id: int
    score: float
    highlights: dict[str, str]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to a query: the top hits, how many matched, a "did you mean"."""

    hits: list[Hit]
    total: int
    suggestion: str | None


class SearchIndexError(LibraryError):
    """The search index cannot be used right now (damaged, or busy elsewhere)."""


class IndexBusyError(SearchIndexError):
    """Another process holds the index (a rebuild, a write) longer than we waited."""

    def __init__(self, message: str, owner: LockOwner | None = None) -> None:
        super().__init__(message)
        self.owner = owner


class IndexUnwritableError(SearchIndexError):
    """The index folder cannot be written; the message says why and what to do.

    `disk_full` tells a full disk (or quota) from the other causes.
    """

    def __init__(self, message: str, *, disk_full: bool = False) -> None:
        super().__init__(message)
        self.disk_full = disk_full


# Loads the index documents of papers by id; ids no longer in the library are left out.
DocLoader = Callable[[Sequence[int]], list["IndexDoc"]]

log = logging.getLogger(__name__)

_STATE_FILE = "state.json"
_PENDING = re.compile(r"pending-\d{20}-[0-9a-f]{32}\.json")
_WRITE_WAIT = 5.0  # seconds a write waits for another process's write (never for a rebuild)
_UNWRITABLE = (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR)
_BYTES_PER_PAPER = 2000  # a rebuild needs more (4-7 kB a paper): refuse only what cannot fit
_INDEX_DIR = re.compile(r"ix-[0-9a-f]{32}")
_PROGRESS_EVERY = 500
_CANCEL_EVERY = 50
_REBUILD_LIMITMB = 256
# Rebuilds of this many papers or more index with one process per core (up
# to _MAX_PROCESSES); smaller ones take less time than spawning them.
_PARALLEL_FROM = 3000
_MAX_PROCESSES = 4
_BATCH = 200  # papers per message to an indexing process
_QUEUED_BATCHES = 3  # messages waiting per process
_WRITE_LOCK_TIMEOUT = 10.0  # seconds to wait for another process's writer
_SIMILAR_TERMS = 12
_PARSE_LOCK = threading.Lock()


def validate_query(query: str) -> None:
    """Checks a query string without searching (an empty one is valid).

    Raises:
        QueryError: the query is malformed; the message says how.
    """
    _prepare(query)


def _prepare(query: str) -> tuple[str, Query] | None:
    """The query as parsed (see `index.query.clean_query`) and its parse.

    None when nothing is left of it to search for.

    Raises:
        QueryError: the query is malformed; the message says how.
    """
    if not query.strip():  # without importing Whoosh
        return None
    from readinglist.index.query import clean_query

    text = clean_query(query)
    return (text, _parse(text)) if text else None


def _parse(text: str) -> Query:
    from readinglist.index.query import parse_query

    with _PARSE_LOCK:  # one parser object, built once
        return parse_query(_parser(), text)


@functools.cache
def _parser() -> Any:
    from readinglist.index.fields import build_schema
    from readinglist.index.query import make_parser

    return make_parser(build_schema())


class SearchIndex:
    """The full-text index of one library, in `folder` (created on first build)."""

    def __init__(self, folder: Path, *, load: DocLoader | None = None) -> None:
        """Use the index in `folder`; `load` gives the documents of papers by id.

        With `load`, changes other processes left pending are caught up (see the module docstring).
        """
        self._folder = Path(folder)
        self._load = load
        self._lock = threading.RLock()  # the open index, its searcher, their caches
        self._write_lock = threading.RLock()  # one write or rebuild at a time
        self._file_lock = IndexLock(self._folder)  # ... and across processes
        self._held = 0  # how deep this object holds the file lock
        self._catching_up = False
        self._ix: Any = None
        self._searcher_obj: Searcher | None = None
        self._open_dir: str | None = None
        self._generation: int | None = None
        self._bulk: BulkScorer | None = None  # word queries, per searcher
        self._words: dict = {}  # expansions and corrections, per searcher
        self._segments: SegmentCache | None = None  # what it decoded, across searchers

    # State

    def generation(self) -> int | None:
        """The generation recorded in the index, or None; never raises.

        None when the index is missing, of another schema version, unreadable or corrupt.
        """
        try:
            with self._lock:
                searcher = self._searcher()
                if searcher is None:
                    return None
                searcher.reader().doc_count_all()
                return self._generation
        except Exception:
            return None

    def doc_count(self) -> int | None:
        """How many papers the index holds; None when it is missing or unusable."""
        try:
            with self._lock:
                searcher = self._searcher()
                if searcher is None:
                    return None
                return searcher.doc_count() - len(list(searcher.docs_for_query(_lexicon_query())))
        except Exception:
            return None

    def is_current(self, generation: int) -> bool:
        """True if the index exists, opens, and records `generation`."""
        return self.generation() == generation

    def warm(self) -> None:
        """Reads ahead what the first search needs (~0.1 s at 100k papers).

        So that the first search need not; a missing or damaged index is left as it is.
        """
        from readinglist.index.fields import DEFAULT_FIELDS

        with contextlib.suppress(Exception), self._lock:
            searcher = self._searcher_with_papers()
            if searcher is not None:
                _parser()
                self._bulk_scorer(searcher).warm(DEFAULT_FIELDS)

    def close(self) -> None:
        """Closes the open files; a later call opens them again."""
        with self._lock:
            self._close_searcher()

    # The lock across processes

    @property
    def folder(self) -> Path:
        return self._folder

    @contextlib.contextmanager
    def exclusive(
        self,
        what: str = "rebuild",
        *,
        wait: float = 0.0,
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[None]:
        """Holds the index against other processes (and this object's other threads).

        Re-entrant. Reads need not hold it.

        On the way out, changes other processes left pending meanwhile are
        caught up, so none waits for a holder that has gone.

        Raises:
            IndexBusyError: another process still held it after `wait` seconds
                (or `cancelled()` said stop); the message names it.
            IndexUnwritableError: the folder or its lock file cannot be written.
        """
        with self._write_lock:
            if self._held:
                self._held += 1
                try:
                    yield
                finally:
                    self._held -= 1
                return
            self._take(what, wait, cancelled)
            self._held = 1
            try:
                yield
            finally:
                self._held = 0
                self._file_lock.release()
            self._catch_up_left()

    def holder(self) -> LockOwner | None:
        """Who holds the index in another process (or another of this process's indexes).

        None when nobody does, or this object does.
        """
        return None if self._held else self._file_lock.owner()

    def _take(self, what: str, wait: float, cancelled: Callable[[], bool] | None) -> None:
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            if self._file_lock.acquire(what, timeout=wait, cancelled=cancelled):
                return
        except OSError as exc:
            raise self._unwritable(exc) from exc
        owner = self._file_lock.owner()
        doing = "rebuilding" if owner is None or owner.what == "rebuild" else "updating"
        who = f"Another readinglist ({owner.describe()})" if owner else "Another readinglist"
        raise IndexBusyError(
            f"{who} is {doing} the search index in {self._folder}; searches use the last "
            "good index meanwhile. Try again when it is done.",
            owner,
        )

    def _catch_up_left(self) -> None:
        """Catches up what writers left pending while this object held the lock.

        They saw it busy, and it is ours to see to before leaving.
        """
        if self._catching_up or self._load is None:
            return
        self._catching_up = True
        try:
            for _ in range(3):  # more could arrive meanwhile; the next holder sees to those
                if not self.has_pending():
                    return
                with self.exclusive("write"):
                    self._drain(self._read_state())
        except IndexBusyError:
            pass  # the new holder catches them up
        except SearchIndexError:
            log.warning("could not catch up the pending index changes", exc_info=True)
        finally:
            self._catching_up = False

    # Writing

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        *,
        total: int,
        generation: int,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        wait: float = 0.0,
    ) -> bool:
        """Builds a fresh index of `docs` and swaps it in atomically.

        The old index keeps answering searches until the swap. `progress(done,
        total)` is called at the start, every 500 papers and at the end;
        `cancelled()` is polled every 50 papers and before the commit (the
        commit itself cannot be interrupted). `docs` should be read from the
        library after the lock is held (a generator is), and `generation`
        read before that.

        Changes left pending before the build are in `docs`; those left
        during it are caught up after the swap.

        Returns:
            True when swapped in; False when cancelled (the old index untouched).

        Raises:
            IndexBusyError: another process still held the index after `wait`
                seconds.
            IndexUnwritableError: the folder cannot be written (nothing changed).
        """
        with self.exclusive("rebuild", wait=wait, cancelled=cancelled):
            try:
                return self._rebuild(docs, total, generation, progress, cancelled)
            except OSError as exc:
                raise self._unwritable(exc) from exc

    def _rebuild(
        self,
        docs: Iterable[IndexDoc],
        total: int,
        generation: int,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> bool:
        state = self._read_state()
        self._remove_unused(keep=state[0] if state else None)
        self._check_room(total)
        included = self._pending_files()  # their changes are in `docs`: read after this
        dirname = f"ix-{uuid.uuid4().hex}"
        path = self._folder / dirname
        path.mkdir()
        self._file_lock.building(dirname)
        try:
            done = _fill(path, docs, total, progress, cancelled)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        if done is None:
            shutil.rmtree(path, ignore_errors=True)
            return False
        generation = max([generation, *(g for g, _ in included)])
        self._write_state(dirname, generation)
        self._file_lock.building(None)
        with self._lock:
            self._close_searcher()  # the next search opens the new folder
        self._remove_unused(keep=dirname)
        self._remove_pending([name for _, name in included])
        self._drain(self._read_state())
        if progress:
            progress(done, max(total, done))
        return True

    def write(
        self,
        *,
        upsert: Iterable[IndexDoc] = (),
        delete: Iterable[int] = (),
        generation: int,
    ) -> bool:
        """Adds or replaces `upsert`, removes `delete`, then records `generation`.

        All in one commit.

        An id both deleted and upserted is upserted. A missing index is left
        missing (its generation stays None, so the caller rebuilds it).
        While another process rebuilds (or writes for more than 5 s), the ids
        are left pending and the index reads as behind until they are caught
        up (by this object's `load`, or any other's).

        Returns:
            True if written; False if left pending.

        Raises:
            SearchIndexError: the index is damaged, or another process kept
                its Whoosh writer locked for 10 s.
            IndexUnwritableError: the folder cannot be written; not even the
                pending ids could be (the index reads as behind all the same).
        """
        latest = {doc.id: doc for doc in upsert}  # one document per id, the last
        removed = {int(paper_id) for paper_id in delete} - latest.keys()
        with self._write_lock:
            try:
                with self.exclusive("write", wait=self._write_wait()):
                    self._commit(self._read_state(), latest, removed, generation)
                return True
            except IndexBusyError:
                self.defer(latest.keys() | removed, generation=generation)
                # The holder catches these up once it lets go; should it have
                # let go already, nobody would: see to them now if we can.
                self._catch_up_left()
                return not self.has_pending()

    def defer(self, ids: Iterable[int], *, generation: int) -> None:
        """Leaves papers' ids for the index to catch up later (from the library).

        Raises:
            IndexUnwritableError: the folder cannot be written.
        """
        ids = sorted({int(i) for i in ids})
        if not ids:
            return
        name = f"pending-{time.time_ns():020d}-{uuid.uuid4().hex}.json"
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            _write_whole(self._folder / name, {"ids": ids, "generation": generation})
        except OSError as exc:
            raise self._unwritable(exc) from exc

    def has_pending(self) -> bool:
        """True if changes wait to be caught up."""
        try:
            return any(_PENDING.fullmatch(entry.name) for entry in self._folder.iterdir())
        except OSError:
            return False

    def catch_up(self) -> bool:
        """Catches up pending changes now, unless another process holds the index.

        True if none are left.

        Raises:
            IndexUnwritableError: the folder cannot be written.
            SearchIndexError: the index is damaged.
        """
        if not self.has_pending():
            return True
        try:
            with self.exclusive("write"):
                self._drain(self._read_state())
        except IndexBusyError:
            return False
        return not self.has_pending()

    def _write_wait(self) -> float:
        """How long a write waits for the lock.

        A while for another write, not at all for a rebuild (minutes at 100k papers).
        """
        owner = self.holder()
        return 0.0 if owner is not None and owner.what == "rebuild" else _WRITE_WAIT

    def _drain(self, state: tuple[str, int] | None) -> None:
        """Writes the current documents of the pending ids (the lock is held)."""
        if self._load is None or state is None:
            return  # without an index there is nothing to catch up: it gets rebuilt
        pending = self._pending_files()
        if not pending:
            return
        ids: set[int] = set()
        for _, name in pending:
            ids.update(_pending_ids(self._folder / name))
        docs = {doc.id: doc for doc in self._load(sorted(ids))}
        generation = max(g for g, _ in pending)
        self._commit(state, docs, ids - docs.keys(), generation, drained=True)
        self._remove_pending([name for _, name in pending])

    def _commit(
        self,
        state: tuple[str, int] | None,
        latest: dict[int, IndexDoc],
        removed: set[int],
        generation: int,
        *,
        drained: bool = False,
    ) -> None:
        """One Whoosh commit of `latest` and `removed`, then `generation` recorded.

        The generation is never lowered; the lock is held.
        """
        if state is None:
            return
        if not drained and self._load is not None and self.has_pending():
            # Pending papers first: recording `generation` says they are in.
            self._drain(state)
            state = self._read_state() or state
        dirname, recorded = state
        try:
            if latest or removed:
                self._whoosh_commit(dirname, latest, removed)
            if self._pending_files() and self._load is None:
                return  # not ours to say the pending ones are in
            self._write_state(dirname, max(generation, recorded))
        except OSError as exc:
            raise self._unwritable(exc) from exc

    def _whoosh_commit(self, dirname: str, latest: dict[int, IndexDoc], removed: set[int]) -> None:
        from whoosh import index
        from whoosh.index import LockError

        from readinglist.index import whoosh_shims
        from readinglist.index.fields import Lexicon, document_fields

        whoosh_shims.install()
        try:
            writer = index.open_dir(str(self._folder / dirname)).writer(timeout=_WRITE_LOCK_TIMEOUT)
        except LockError as exc:
            raise SearchIndexError(
                "The search index is busy in another readinglist window; try again."
            ) from exc
        except OSError as exc:
            if exc.errno in _UNWRITABLE:
                raise  # the folder's state, not the index's
            raise SearchIndexError(_DAMAGED) from exc
        except Exception as exc:
            raise SearchIndexError(_DAMAGED) from exc
        try:
            lexicon = Lexicon()
            for doc in latest.values():
                lexicon.add(doc)
            # update_document() would open a searcher per paper: one will do.
            with writer.searcher() as searcher:
                for paper_id in removed | latest.keys():
                    writer.delete_by_term("id", paper_id, searcher=searcher)
                reader = searcher.reader()
                new_words = lexicon.document(lambda f, w: (f, w) in reader)
            for doc in latest.values():
                writer.add_document(**document_fields(doc))
            if new_words:
                writer.add_document(**new_words)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _check_room(self, total: int) -> None:
        """Refuses a rebuild that cannot fit, before it fills the disk for nothing.

        A full disk would otherwise be met anew by every open.
        """
        need = max(total * _BYTES_PER_PAPER, 1 << 20)
        free = shutil.disk_usage(self._folder).free
        if free < need:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self._folder))

    def _unwritable(self, exc: OSError) -> IndexUnwritableError:
        """The words for an index folder that cannot be written."""
        folder = self._folder
        disk_full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        if folder.exists() and not folder.is_dir():
            why, fix = "it is a file, not a folder", f"move the file {folder} out of the way"
        elif disk_full:
            why, fix = describe_os_error(exc), "free some space"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            why, fix = describe_os_error(exc), "make the folder writable"
        else:
            why, fix = describe_os_error(exc), "check the folder"
        answer = (
            "searches use the last good index"
            if self._read_state() is not None
            else "searches find nothing until then"
        )
        return IndexUnwritableError(
            f"The search index in {folder} cannot be written ({why}); {answer}, and changes "
            f"are caught up once it can be written again: {fix}.",
            disk_full=disk_full,
        )

    # Searching

    def search(self, query: str, *, limit: int | None = 50, highlight: bool = True) -> SearchResult:
        """Runs a query: the `limit` best hits (None: all), highlighted if asked.

        Every query is ranked whole and `total` is exact (index.bulk);
        only the hits returned are highlighted, after the ranking.

        An empty query, or a missing index, gives an empty result.

        Raises:
            QueryError: the query is malformed; the message says how.
            SearchIndexError: the index is damaged.
        """
        from readinglist.index.query import suggest_correction

        prepared = _prepare(query)
        if prepared is None:
            return SearchResult([], 0, None)
        text, q = prepared
        with self._lock:
            searcher = self._searcher_with_papers()
            if searcher is None:
                return SearchResult([], 0, None)
            q = self._expanded(text, q, searcher)
            bulk = self._bulk_scorer(searcher)
            ranked = bulk.run(q)
            end = len(ranked) if limit is None else max(limit, 0)
            docnums = ranked.docnums[:end].tolist()
            scores = ranked.scores[:end].tolist()
            ids = bulk.paper_ids(docnums)
            marked = self._highlight_docs(searcher, text, q, docnums) if highlight else {}
            hits = [
                Hit(paper_id, score, marked.get(docnum, {}))
                for paper_id, score, docnum in zip(ids, scores, docnums, strict=True)
            ]
            suggestion = suggest_correction(searcher.reader(), q, text, self._words)
            return SearchResult(hits, len(ranked), suggestion)

    def ranked_ids(self, query: str) -> list[int]:
        """Ids of all matches, best first (the order of `search`), without highlights.

        [] for an empty query.

        Every query is ranked whole, phrases and ranges too (index.bulk).
        """
        prepared = _prepare(query)
        if prepared is None:
            return []
        text, q = prepared
        with self._lock:
            searcher = self._searcher_with_papers()
            if searcher is None:
                return []
            q = self._expanded(text, q, searcher)
            bulk = self._bulk_scorer(searcher)
            return bulk.paper_ids(bulk.run(q).docnums)

    def highlight(self, query: str, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """The query's words highlighted in these papers (those on screen).

        Every id gets an entry; {} when nothing of it matches or it is unknown.
        """
        out: dict[int, dict[str, str]] = {paper_id: {} for paper_id in ids}
        prepared = _prepare(query) if out else None
        if prepared is None:
            return out
        text, q = prepared
        with self._lock:
            searcher = self._searcher_with_papers()
            if searcher is None:
                return out
            q = self._expanded(text, q, searcher)
            docnums = {d: i for i, d in self._bulk_scorer(searcher).docnums_of(out).items()}
            for docnum, marked in self._highlight_docs(searcher, text, q, list(docnums)).items():
                out[docnums[docnum]] = marked
        return out

    def suggest(self, query: str) -> str | None:
        """The "did you mean" of a query, or None (also for a malformed one)."""
        from readinglist.errors import QueryError
        from readinglist.index.query import suggest_correction

        try:
            prepared = _prepare(query)
        except QueryError:
            return None
        if prepared is None:
            return None
        text, q = prepared
        with self._lock:
            searcher = self._searcher_with_papers()
            if searcher is None:
                return None
            return suggest_correction(searcher.reader(), q, text, self._words)

    def similar(self, paper_id: int, *, limit: int = 10) -> list[Hit]:
        """Papers like this one, by the key terms of its title, abstract and note.

        Never the paper itself; [] for an unknown id.
        """
        from whoosh import query as wq

        from readinglist.index.fields import SIMILAR_FIELDS

        with self._lock:
            searcher = self._searcher_with_papers()
            if searcher is None:
                return []
            docnum = searcher.document_number(id=paper_id)
            if docnum is None:
                return []
            reader = searcher.reader()
            # Words in more than 5% of the papers say little about likeness
            # and cost the most to match.
            common = max(reader.doc_count() // 20, 25)
            weights: dict[str, float] = {}
            for field in SIMILAR_FIELDS:
                for term, weight in searcher.key_terms([docnum], field, numterms=30):
                    if sum(reader.doc_frequency(f, term) for f in SIMILAR_FIELDS) <= common:
                        weights[term] = max(weight, weights.get(term, 0.0))
            best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:_SIMILAR_TERMS]
            if not best:
                return []
            q = wq.Or(
                [wq.Term(f, term, boost=weight) for term, weight in best for f in SIMILAR_FIELDS]
            )
            mask = {docnum, *searcher.docs_for_query(_lexicon_query())}
            results = searcher.search(q, limit=max(limit, 1), mask=mask)
            top = results.top_n[: max(limit, 0)]
            ids = self._bulk_scorer(searcher).paper_ids([d for _, d in top])
            return [Hit(i, float(score), {}) for i, (score, _) in zip(ids, top, strict=True)]

    # Internals (the caller holds self._lock)

    def _searcher(self) -> Searcher | None:
        """The cached searcher, refreshed; None when there is no index."""
        state = self._read_state()
        if state is None:
            self._close_searcher()
            return None
        dirname, generation = state
        try:
            if self._searcher_obj is None or self._open_dir != dirname:
                self._close_searcher()
                self._open(dirname)
            elif not self._searcher_obj.up_to_date():
                # A new searcher, not Searcher.refresh(): in whoosh-reloaded
                # 2.7.5 a refreshed reader keeps merged-away segments (papers
                # show up twice) and misses new deletions.
                stale = self._searcher_obj
                self._searcher_obj, self._bulk = self._new_searcher(), None
                self._words = {}
                stale.close()
        except Exception as exc:
            self._close_searcher()
            raise SearchIndexError(_DAMAGED) from exc
        self._generation = generation
        return self._searcher_obj

    def _searcher_with_papers(self) -> Searcher | None:
        """The searcher; None when there is no index, or when it holds no document.

        A new library's index holds no document at all: Whoosh reads that index with an EmptyReader,
        which lacks what searching needs, and has nothing to find.
        """
        searcher = self._searcher()
        if searcher is None or not searcher.reader().doc_count_all():
            return None
        return searcher

    def _open(self, dirname: str) -> None:
        from whoosh import index

        from readinglist.index import whoosh_shims

        whoosh_shims.install()

        self._ix = index.open_dir(str(self._folder / dirname))
        self._searcher_obj = self._new_searcher()
        self._open_dir = dirname

    def _new_searcher(self) -> Searcher:
        from whoosh.scoring import BM25F

        return self._ix.searcher(weighting=BM25F())

    def _close_searcher(self) -> None:
        if self._searcher_obj is not None:
            # Closing a damaged index may fail too; that must not hide why it failed.
            with contextlib.suppress(Exception):
                self._searcher_obj.close()
        self._ix = self._searcher_obj = self._open_dir = None
        self._bulk = self._segments = None
        self._words = {}

    def _bulk_scorer(self, searcher: Searcher) -> BulkScorer:
        from readinglist.index.bulk import BulkScorer, SegmentCache

        if self._bulk is None:
            if self._segments is None:
                self._segments = SegmentCache()
            self._bulk = BulkScorer(searcher, _lexicon_query(), self._segments)
        return self._bulk

    def _expanded(self, text: str, q: Query, searcher: Searcher) -> Query:
        """`q` with its prefixes, wildcards and fuzzy words expanded over the index.

        Kept for this searcher (a keystroke lists, highlights and corrects the same query).
        """
        from readinglist.index.query import expand_words, keep

        key = ("expanded", text)
        found = self._words.get(key)
        if found is None:
            found = expand_words(q, searcher.reader(), self._words)
            keep(self._words, key, found)
        return found

    def _highlight_docs(
        self, searcher: Searcher, text: str, q: Query, docnums: list[int]
    ) -> dict[int, dict[str, str]]:
        """The highlights of these documents: the query's terms marked in their stored text.

        The terms are analysed once per query and searcher.
        """
        from readinglist.index.query import highlight_text, highlight_words, keep

        key = ("highlight", text)
        words = self._words.get(key)
        if words is None:
            words = highlight_words(searcher.reader(), q)
            keep(self._words, key, words)
        if not docnums or not any(words.values()):
            return {}
        out = {}
        for docnum in docnums:
            stored = searcher.stored_fields(docnum)
            marked = {}
            for field, terms in words.items():
                value = stored.get(field) or ""
                if terms and value:
                    fragment = highlight_text(field, value, terms)
                    if fragment:
                        marked[field] = fragment
            out[docnum] = marked
        return out

    # Files

    def _read_state(self) -> tuple[str, int] | None:
        from readinglist.index.fields import SCHEMA_VERSION

        try:
            data = json.loads((self._folder / _STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
            return None
        dirname, generation = data.get("index"), data.get("generation")
        if not isinstance(dirname, str) or not _INDEX_DIR.fullmatch(dirname):
            return None
        if not isinstance(generation, int) or isinstance(generation, bool):
            return None
        return dirname, generation

    def _write_state(self, dirname: str, generation: int) -> None:
        from readinglist.index.fields import SCHEMA_VERSION

        state = {"schema": SCHEMA_VERSION, "index": dirname, "generation": generation}
        _write_whole(self._folder / _STATE_FILE, state)

    def _remove_unused(self, *, keep: str | None) -> None:
        """Removes index folders other than `keep` and stray temp files (the lock is held).

        Best effort (Windows refuses while another process reads them).

        A folder that a holder of the lock names as the one it builds is
        left alone: with flock only one holder exists, but a lock taken over
        from a holder wrongly judged gone must not cost it its folder.
        """
        other = self._file_lock.owner() if not self._held else None
        building = other.building if other is not None else None
        for entry in self._folder.iterdir():
            if entry.name in (keep, building):
                continue
            if entry.is_dir() and _INDEX_DIR.fullmatch(entry.name):
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.endswith(".tmp") and entry.name.startswith(
                (f"{_STATE_FILE}.", "pending-", "index.lock.")
            ):
                entry.unlink(missing_ok=True)

    def _pending_files(self) -> list[tuple[int, str]]:
        """The pending files as (generation, name), oldest first.

        An unreadable one counts as generation 0 (its ids are lost: the index reads as behind and is
        rebuilt).
        """
        found = []
        for entry in self._folder.iterdir():
            if _PENDING.fullmatch(entry.name):
                found.append((entry.name, _pending_generation(entry)))
        return [(generation, name) for name, generation in sorted(found)]

    def _remove_pending(self, names: Iterable[str]) -> None:
        for name in names:
            (self._folder / name).unlink(missing_ok=True)


_DAMAGED = "The search index is damaged; it needs a rebuild."


def _write_whole(path: Path, data: object) -> None:
    """Writes JSON to `path` atomically: a temp file beside it, synced, then renamed."""
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _read_pending(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pending_ids(path: Path) -> list[int]:
    ids = _read_pending(path).get("ids")
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]


def _pending_generation(path: Path) -> int:
    generation = _read_pending(path).get("generation")
    if isinstance(generation, int) and not isinstance(generation, bool):
        return generation
    return 0


def _lexicon_query() -> Query:
    from whoosh.query import Term

    from readinglist.index.fields import LEXICON_TERM

    return Term(*LEXICON_TERM)


def _fill(
    path: Path,
    docs: Iterable[IndexDoc],
    total: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int | None:
    """Indexes `docs` into a new index at `path`.

    Returns the number indexed, or None when cancelled (nothing committed).

    A library of `_PARALLEL_FROM` papers or more is indexed by one process
    per core (`_fill_parallel`); a smaller one by one writer here, sooner
    than processes could start.
    """
    procs = _rebuild_processes()
    if procs > 1 and total >= _PARALLEL_FROM:
        return _fill_parallel(path, docs, total, procs, progress, cancelled)
    return _fill_serial(path, docs, total, progress, cancelled)


def _fill_serial(
    path: Path,
    docs: Iterable[IndexDoc],
    total: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int | None:
    from whoosh import index

    from readinglist.index.fields import Lexicon, build_schema, document_fields

    writer = index.create_in(str(path), build_schema()).writer(procs=1, limitmb=_REBUILD_LIMITMB)
    lexicon = Lexicon()
    done = 0
    try:
        if progress:
            progress(0, total)
        for doc in docs:
            if cancelled and done % _CANCEL_EVERY == 0 and cancelled():
                writer.cancel()
                return None
            writer.add_document(**document_fields(doc))
            lexicon.add(doc)
            done += 1
            if progress and done % _PROGRESS_EVERY == 0:
                progress(done, total)
        if cancelled and cancelled():
            writer.cancel()
            return None
        words = lexicon.document()
        if words:
            writer.add_document(**words)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return done


def _rebuild_processes() -> int:
    """How many processes a rebuild indexes with: one per core it may use.

    A frozen app (a bundle) may too: its entry script (packaging/entry.py)
    calls multiprocessing.freeze_support(), which starts spawned processes.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_PROCESSES))


def _fill_parallel(
    path: Path,
    docs: Iterable[IndexDoc],
    total: int,
    procs: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int | None:
    """`_fill` by `procs` processes, each writing one segment of the new index.

    This process reads the papers and hands them out in batches, in turn,
    then commits the processes' segments together with the lexicon document
    (the words the processes found) in one table of contents. No segment is
    merged: the search reads several as one. The hits and scores are those
    of one writer; only matches of equal score may come in another order
    (ties go by document number, and the papers are numbered by segment).

    The processes are spawned, not forked: this process has other threads
    (the window's), whose locks a fork would copy mid-use.
    """
    import multiprocessing

    from whoosh import index

    from readinglist.index.fields import Lexicon, build_schema

    ix = index.create_in(str(path), build_schema())
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    inboxes = [context.Queue(maxsize=_QUEUED_BATCHES) for _ in range(procs)]
    workers = [
        context.Process(
            target=_build_part,
            args=(str(path), inboxes[i], results, i, _REBUILD_LIMITMB // procs),
            daemon=True,
        )
        for i in range(procs)
    ]
    for worker in workers:
        worker.start()
    try:
        done = _hand_out(docs, total, inboxes, workers, progress, cancelled)
        if done is None:
            return None
        parts = _collect_parts(workers, results, cancelled)
        if parts is None:
            return None
        lexicon = Lexicon()
        for _, _, words, notewords in parts:
            lexicon.words |= words
            lexicon.notewords |= notewords
        writer = ix.writer()
        try:
            lexicon_fields = lexicon.document()
            if lexicon_fields:
                writer.add_document(**lexicon_fields)
            _commit_segments(writer, [segment for _, segment, _, _ in sorted(parts)])
        except BaseException:
            writer.cancel()
            raise
        return done
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(timeout=5)
        for inbox in inboxes:
            inbox.cancel_join_thread()
            inbox.close()
        results.close()


def _hand_out(
    docs: Iterable[IndexDoc],
    total: int,
    inboxes: list[Any],
    workers: list[Any],
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int | None:
    """Sends the papers to the processes in batches, in turn, then ends their runs.

    After the papers, tells each process that its run is over. The number sent, or None when
    cancelled.

    The inboxes are short, so this pace is the processes' own: progress and
    the cancel checks follow the indexing, not the reading, and the papers
    read ahead stay few (a few batches, not the library).

    Raises:
        SearchIndexError: a process died (killed, out of memory, or it never
            started), so that its full inbox would never empty.
    """

    def put(number: int, item: list[IndexDoc] | None) -> None:
        _put_while_alive(inboxes[number], item, workers[number])

    batch: list[IndexDoc] = []
    batches = done = 0
    if progress:
        progress(0, total)
    for doc in docs:
        if cancelled and done % _CANCEL_EVERY == 0 and cancelled():
            return None
        batch.append(doc)
        done += 1
        if len(batch) >= _BATCH:
            put(batches % len(inboxes), batch)
            batch, batches = [], batches + 1
        if progress and done % _PROGRESS_EVERY == 0:
            progress(done, total)
    if batch:
        put(batches % len(inboxes), batch)
    if cancelled and cancelled():
        return None
    for number in range(len(inboxes)):
        put(number, None)
    return done


def _put_while_alive(inbox: Any, item: list[IndexDoc] | None, worker: Any) -> None:
    """Puts `item` into a process's inbox, waiting while it is full, while the process lives."""
    import queue

    while True:
        try:
            inbox.put(item, timeout=0.2)
            return
        except queue.Full:
            if not worker.is_alive():
                raise _stopped(worker) from None


def _stopped(worker: Any) -> SearchIndexError:
    return SearchIndexError(
        f"An indexing process stopped (exit code {worker.exitcode}); the old index is kept."
    )


def _collect_parts(
    workers: list[Any], results: Any, cancelled: Callable[[], bool] | None
) -> list[tuple] | None:
    """Each process's (number, segment, words, note words); None when cancelled.

    Raises:
        OSError: a process could not write its segment (the disk is full...).
        SearchIndexError: a process failed otherwise, or died.
    """
    import queue

    parts: list[tuple] = []
    while len(parts) < len(workers):
        if cancelled and cancelled():
            return None
        try:
            answer = results.get(timeout=0.2)
        except queue.Empty:
            dead = [w for w in workers if w.exitcode not in (None, 0)]
            if dead:
                raise _stopped(dead[0]) from None
            continue
        if answer[0] == "error":
            _, errno_value, message = answer
            if errno_value is not None:
                raise OSError(errno_value, message)
            raise SearchIndexError(f"Indexing failed: {message}")
        parts.append(answer)
    return parts


def _commit_segments(writer: Any, segments: list[Any]) -> None:
    """Commits the segments the processes wrote, and what `writer` holds, as the index.

    `writer` holds the lexicon document; together they are the whole index. Whoosh's MpWriter does
    the same (private methods of whoosh-reloaded 2.7.5, which is frozen).
    """
    if writer._added:
        segments = [*segments, writer._finalize_segment()]
    else:
        writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _build_part(path: str, inbox: Any, results: Any, number: int, limitmb: int) -> None:
    """A rebuild's process: indexes batches from `inbox` into a segment at `path`.

    Indexes the batches into a segment of the index at `path` until a None; answers (number,
    segment, words, note words), or ("error", errno, message).
    """
    try:
        from whoosh.filedb.filestore import FileStorage
        from whoosh.writing import SegmentWriter

        from readinglist.index.fields import Lexicon, document_fields

        ix = FileStorage(path).open_index()
        # The parent holds the index's lock and commits the segment.
        writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
        lexicon = Lexicon()
        while (batch := inbox.get()) is not None:
            for doc in batch:
                writer.add_document(**document_fields(doc))
                lexicon.add(doc)
        # Its temporary folder is shared with the other processes: the
        # parent's writer removes it at the commit.
        segment = writer._finalize_segment()
        results.put((number, segment, lexicon.words, lexicon.notewords))
    except OSError as exc:
        results.put(("error", exc.errno, str(exc)))
    except Exception as exc:  # the parent raises it; a traceback here is for the log
        log.exception("indexing process %d failed", number)
        results.put(("error", None, f"{type(exc).__name__}: {exc}"))
