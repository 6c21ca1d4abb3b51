"""Word queries scored in bulk, over postings decoded once.

Whoosh's matchers step through postings one document at a time in Python:
ranking the 60,000 matches of a common word took ~0.5 s at 100k papers.
For the queries people type most (words in any field, combined with AND,
OR and NOT) this module reads each word's postings once into numpy arrays
and scores all of them at once, with the BM25F formula and the statistics
Whoosh itself uses, so the hits, scores and order are Whoosh's. Anything
else (phrases, prefixes, fuzzy words, ranges) is left to Whoosh: `run`
returns None for it.

What is decoded is kept per index segment (`SegmentCache`), and segments
never change once written: after a write, the new searcher reuses all
that was decoded from the segments it still has. Only the statistics
(document frequencies, average lengths) and the deletions are read anew.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

# Decoded postings kept: 16 bytes each, so ~50 MB at most.
_CACHE_POSTINGS = 3_000_000
# Scored words kept per searcher (repeated as a query is typed further).
_SCORED_TERMS = 64
_NO_ID = -1


@dataclass(frozen=True, slots=True)
class Ranked:
    """The matches of a query, best first (ties: lower document number first)."""

    docnums: np.ndarray  # int64
    scores: np.ndarray  # float64, same order

    def __len__(self) -> int:
        return len(self.docnums)


class _Unsupported(Exception):
    """A query this module leaves to Whoosh."""


class SegmentCache:
    """What was decoded from each segment: postings, field lengths, paper ids.

    Bounded: the postings read longest ago go first. Not thread-safe: the
    caller serialises calls (SearchIndex holds its lock).
    """

    def __init__(self, max_postings: int = _CACHE_POSTINGS) -> None:
        self._max = max_postings
        self._postings: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._count = 0
        self._lengths: dict[tuple[str, str], np.ndarray] = {}
        self._ids: dict[str, np.ndarray] = {}

    def retain(self, segments: Iterable[str]) -> None:
        """Forget the segments not in `segments` (merged away, or a rebuild's)."""
        keep = set(segments)
        for key in [k for k in self._postings if k[0] not in keep]:
            self._count -= len(self._postings.pop(key)[0])
        self._lengths = {k: v for k, v in self._lengths.items() if k[0] in keep}
        self._ids = {k: v for k, v in self._ids.items() if k in keep}

    def postings(self, leaf: Any, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        """A word's postings in one segment: its document numbers there (deleted
        ones included) and weights."""
        key = (segment_key(leaf), field, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        ids: list[int] = []
        weights: list[float] = []
        if (field, text) in leaf:
            _read_postings(leaf.postings(field, text), ids, weights)
        found = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
        self._postings[key] = found
        self._count += len(ids)
        while self._count > self._max and len(self._postings) > 1:
            self._count -= len(self._postings.popitem(last=False)[1][0])
        return found

    def lengths(self, leaf: Any, field: str) -> np.ndarray:
        """Each document's length in `field` in one segment, as Whoosh stores it."""
        key = (segment_key(leaf), field)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = leaf_lengths(leaf, field)
        return found

    def paper_ids(self, leaf: Any) -> np.ndarray:
        """The paper id of each document in one segment (-1 for the lexicon's)."""
        key = segment_key(leaf)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = _leaf_ids(leaf)
        return found


def segment_key(leaf: Any) -> str:
    segment = leaf.segment()
    return f"{segment.indexname}/{segment.segment_id()}"


class BulkScorer:
    """Scores word queries on one searcher (see the module docstring).

    Not thread-safe: the caller serialises calls (SearchIndex holds its lock).
    """

    def __init__(self, searcher: Searcher, excluded: Query, cache: SegmentCache) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        # An index without segments (a new library's) reads as one empty
        # leaf that has no segment: nothing to score there.
        self._leaves = [leaf for leaf in self._reader.leaf_readers() if leaf[0].doc_count_all()]
        self._size = self._reader.doc_count_all()
        self._excluded = excluded
        self._cache = cache
        cache.retain(segment_key(leaf) for leaf, _ in self._leaves)
        self._live: np.ndarray | None = None
        self._ids: np.ndarray | None = None
        self._scored: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def run(self, q: Query) -> Ranked | None:
        """All matches of `q` ranked as Whoosh ranks them; None when `q` is
        not a word query (the caller asks Whoosh)."""
        try:
            scores, mask = self._eval(q)
        except _Unsupported:
            return None
        mask &= self._live_docs()
        docnums = np.flatnonzero(mask)
        matched = scores[docnums]
        order = np.lexsort((docnums, -matched))
        return Ranked(docnums[order], matched[order])

    def warm(self, fields: Iterable[str]) -> None:
        """Decodes ahead what any search needs: paper ids, deletions, the lengths of `fields`."""
        self._live_docs()
        self.paper_ids([])
        for leaf, _ in self._leaves:
            for field in fields:
                self._cache.lengths(leaf, field)

    def paper_ids(self, docnums: np.ndarray | list[int]) -> list[int]:
        """The paper ids of these document numbers, in the same order."""
        if self._ids is None:
            parts = [self._cache.paper_ids(leaf) for leaf, _ in self._leaves]
            self._ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self._ids[np.asarray(docnums, dtype=np.int64)].tolist()

    # Queries

    def _eval(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """Dense (scores, matched) over all document numbers."""
        from whoosh import query as wq

        from readinglist.search_query import FieldsOr

        kind = type(q)
        if q is wq.NullQuery:
            return np.zeros(self._size), np.zeros(self._size, dtype=bool)
        if kind is wq.Term:
            scores, mask = self._term_vectors(q.fieldname, q.text)
        elif kind in (wq.Or, FieldsOr) and not q.minmatch and not q.scale:
            scores, mask = self._union(q.subqueries)
        elif kind is wq.And:
            scores, mask = self._intersection(q.subqueries)
        elif _is_expansion(q):
            return self._expansion(q)
        else:
            raise _Unsupported
        if q.boost != 1.0:
            scores *= q.boost
        return scores, mask

    def _union(self, subqueries: list[Query]) -> tuple[np.ndarray, np.ndarray]:
        scores = np.zeros(self._size)
        mask = np.zeros(self._size, dtype=bool)
        for sub in subqueries:
            sub_scores, sub_mask = self._eval(sub)
            scores += sub_scores
            mask |= sub_mask
        return scores, mask

    def _intersection(self, subqueries: list[Query]) -> tuple[np.ndarray, np.ndarray]:
        from whoosh import query as wq

        positive = [sub for sub in subqueries if type(sub) is not wq.Not]
        if not positive:
            raise _Unsupported  # Whoosh scores "NOT x" alone its own way
        scores = np.zeros(self._size)
        mask = np.ones(self._size, dtype=bool)
        left_to_whoosh = False
        for sub in positive:
            try:
                sub_scores, sub_mask = self._eval(sub)
            except _Unsupported:
                left_to_whoosh = True  # unless a word below matches nothing
                continue
            scores += sub_scores
            mask &= sub_mask
            if not mask.any():
                # Nothing can match any more: a long query of words stops
                # at its first unknown word, not after decoding them all,
                # and a phrase beside an unknown word needs no Whoosh.
                return scores, mask
        if left_to_whoosh:
            raise _Unsupported
        for sub in subqueries:
            if type(sub) is wq.Not:
                mask &= ~self._eval(sub.query)[1]
                scores += 1.0  # what Whoosh's InverseMatcher scores every document
        return scores, mask

    def _expansion(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """A prefix, wildcard or fuzzy word, scored as Whoosh scores it on a
        large index, segment by segment: where one of its words is in the
        segment, as that word (the query's boost left out); where several
        are, their BM25F scores summed, then boosted.

        (On an index of under 5,000 documents Whoosh's `Or` of three words
        or more preloads them and scores each match 1.0, an unranked list;
        the scores here rank those matches too.)"""
        field = q.field()
        words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in q._btexts(self._reader)]
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        for leaf, offset in self._leaves:
            present = [w for w in words if w and (field, w) in leaf]
            boost = q.boost if len(present) > 1 else 1.0
            end = offset + leaf.doc_count_all()
            for word in present:
                docnums, scores = self._term(field, word)
                here = (docnums >= offset) & (docnums < end)
                parts.append((docnums[here], scores[here] * boost))
        if not parts:
            return np.zeros(self._size), np.zeros(self._size, dtype=bool)
        docnums = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
        scores = np.bincount(docnums, weights=weights, minlength=self._size)
        return scores, np.bincount(docnums, minlength=self._size) > 0

    def _term_vectors(self, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        docnums, term_scores = self._term(field, text)
        scores = np.zeros(self._size)
        mask = np.zeros(self._size, dtype=bool)
        scores[docnums] = term_scores
        mask[docnums] = True
        return scores, mask

    def _term(self, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers holding a word, and their scores."""
        from whoosh.scoring import BM25FScorer, WeightScorer

        key = (field, text)
        found = self._scored.get(key)
        if found is not None:
            self._scored.move_to_end(key)
            return found
        if field not in self._reader.schema:
            raise _Unsupported
        if (field, text) not in self._reader:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        scorer = self._searcher.weighting.scorer(self._searcher, field, text)
        if type(scorer) not in (BM25FScorer, WeightScorer):
            raise _Unsupported
        all_docnums, all_scores = [], []
        for leaf, offset in self._leaves:
            docnums, weights = self._cache.postings(leaf, field, text)
            if not len(docnums):
                continue
            if type(scorer) is BM25FScorer:
                # whoosh.scoring.bm25, on arrays; idf and avgfl are the whole index's.
                k1, b, avgfl = scorer.K1, scorer.B, scorer.avgfl
                lengths = self._cache.lengths(leaf, field)[docnums]
                scores = (
                    scorer.idf
                    * (weights * (k1 + 1))
                    / (weights + k1 * (1 - b + b * lengths / avgfl))
                )
            else:  # fields without lengths (status): the weight is the score
                scores = weights
            all_docnums.append(docnums + offset)
            all_scores.append(scores)
        found = (
            (np.concatenate(all_docnums), np.concatenate(all_scores))
            if all_docnums
            else (np.zeros(0, dtype=np.int64), np.zeros(0))
        )
        self._scored[key] = found
        if len(self._scored) > _SCORED_TERMS:
            self._scored.popitem(last=False)
        return found

    def _live_docs(self) -> np.ndarray:
        """Documents that count: not deleted, not excluded (the lexicon's)."""
        if self._live is None:
            live = np.ones(self._size, dtype=bool)
            for leaf, offset in self._leaves:
                if leaf.has_deletions():
                    live[np.fromiter(deleted_docs(leaf), dtype=np.int64) + offset] = False
            excluded = self._searcher.docs_for_query(self._excluded)
            live[np.fromiter(excluded, dtype=np.int64)] = False
            self._live = live
        return self._live


def _is_expansion(q: Query) -> bool:
    """A prefix, wildcard or fuzzy word that Whoosh matches by `MultiTerm.matcher`."""
    from whoosh import query as wq

    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        return q.text not in ("", "*")  # those match every document, scored otherwise
    return isinstance(q, wq.MultiTerm) and type(q).matcher is wq.MultiTerm.matcher


def deleted_docs(leaf: Any) -> Iterable[int]:
    """The deleted document numbers of one segment."""
    deleted = getattr(leaf, "deleted_docs_set", None)  # whoosh-reloaded's SegmentReader
    if deleted is not None:
        return deleted
    return (docnum for docnum in range(leaf.doc_count_all()) if leaf.is_deleted(docnum))


def _read_postings(matcher: Any, ids: list[int], weights: list[float]) -> None:
    """Appends a matcher's document numbers and weights to the lists.

    Reads whole posting blocks where it can (private attributes of
    whoosh-reloaded 2.7.5's own matcher, which is frozen); any other matcher
    takes the public way, a posting at a time.
    """
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    if type(matcher) is FilterMatcher:
        matcher = matcher.child  # deleted documents are masked out later
    if type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
        return
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()


_BYTE_LENGTHS: np.ndarray | None = None


def leaf_lengths(leaf: Any, field: str) -> np.ndarray:
    """One segment's field lengths, decoded from Whoosh's one-byte column."""
    global _BYTE_LENGTHS
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    if _BYTE_LENGTHS is None:
        _BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
    count = leaf.doc_count_all()
    try:
        # Private attributes of whoosh-reloaded 2.7.5's codec: a byte a document.
        column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        lengths = np.zeros(count, dtype=np.uint8)
        if column is not None:
            stored = min(column._count, count)
            lengths[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), np.uint8)
        return _BYTE_LENGTHS[lengths]
    except AttributeError:  # another codec: the public way, a document at a time
        return np.array([leaf.doc_field_length(d, field, 0) for d in range(count)], np.float64)


def _leaf_ids(leaf: Any) -> np.ndarray:
    """One segment's paper ids, by document number, from the `id` column.

    The column holds 64-bit big-endian "sortable" integers (the value plus
    2**63). Read whole with numpy, checked against Whoosh's own reading of
    a few documents; Whoosh reads it a value at a time otherwise (~120 ms
    at 100k papers).
    """
    count = leaf.doc_count_all()
    column = leaf.column_reader("id")
    try:
        raw = column._reader
        stored = min(raw._count, count)
        if raw._fixedlen != 8:
            raise AttributeError("not a 64-bit column")
        values = np.frombuffer(raw._dbfile.get(raw._basepos, stored * 8), dtype=">u8")
        ids = np.full(count, _NO_ID, dtype=np.int64)
        ids[:stored] = (values.astype(np.uint64) - np.uint64(1 << 63)).view(np.int64)
        probes = {0, stored // 2, stored - 1} if stored else set()
        if all(int(ids[d]) == column[d] for d in probes):
            return ids
    except AttributeError:
        pass
    return np.array([_NO_ID if v is None else v for v in column], dtype=np.int64)
