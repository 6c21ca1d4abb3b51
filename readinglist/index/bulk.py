"""Every query scored in bulk, over postings decoded once.

Whoosh's matchers step through postings one document at a time in Python:
ranking the 60,000 matches of a common word took ~0.5 s at 100k papers,
and a phrase over two common words over 1 s. This module reads each word's
postings once into numpy arrays and scores all of them at once, with the
BM25F formula and the statistics Whoosh itself uses, so the hits, scores
and order are Whoosh's, for every query the search box makes: words in any
field, AND, OR, NOT, ANDNOT, ANDMAYBE, REQUIRE, prefixes, wildcards, fuzzy
words, phrases, and ranges of numbers or words.

A phrase is matched as Whoosh matches it, in two steps: its candidates are
the papers that have all its words (the intersection of their postings);
then the positions of the words are decoded for those candidates only, a
posting block at a time, and checked for the order and distance the
phrase asks. Its score is the sum of its words' scores, as Whoosh's.

What is decoded is kept per index segment (`SegmentCache`), and segments
never change once written: after a write, the new searcher reuses all
that was decoded from the segments it still has. Only the statistics
(document frequencies, average lengths) and the deletions are read anew.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from whoosh.query import Query
    from whoosh.searching import Searcher

# Decoded postings and positions kept: 16 bytes each (8 a position), so
# ~50 MB at most.
_CACHE_POSTINGS = 3_000_000
# Scored words kept per searcher (repeated as a query is typed further).
_SCORED_TERMS = 64
_NO_ID = -1
# A position key is (document number << 32) | position: one sorted int64
# array per word answers "is word i at position p of document d" in bulk.
_POSITION_BITS = 32
_INT_SIZE = 4  # the frequency that starts each encoded position list


@dataclass(frozen=True, slots=True)
class Ranked:
    """The matches of a query, best first (ties: lower document number first)."""

    docnums: np.ndarray  # int64
    scores: np.ndarray  # float64, same order

    def __len__(self) -> int:
        return len(self.docnums)


@dataclass(slots=True)
class _Positions:
    """The positions of one word in one segment, decoded so far."""

    decoded: np.ndarray  # bool, one per posting
    chunks: list[np.ndarray] = field(default_factory=list)  # position keys, each sorted
    keys: np.ndarray | None = None  # all chunks merged and sorted (None: merge anew)


class SegmentCache:
    """What was decoded from each segment.

    Postings, positions, field lengths, paper ids.

    Bounded: the postings read longest ago go first (their positions with
    them). Not thread-safe: the caller serialises calls (SearchIndex holds
    its lock).
    """

    def __init__(self, max_postings: int = _CACHE_POSTINGS) -> None:
        self._max = max_postings
        self._postings: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        # Where each posting block starts: (first posting's index, file offset).
        self._blocks: dict[tuple, tuple[np.ndarray, list[int]] | None] = {}
        self._positions: dict[tuple, _Positions] = {}
        self._count = 0
        self._lengths: dict[tuple[str, str], np.ndarray] = {}
        self._ids: dict[str, np.ndarray] = {}

    def retain(self, segments: Iterable[str]) -> None:
        """Forget the segments not in `segments` (merged away, or a rebuild's)."""
        keep = set(segments)
        for key in [k for k in self._postings if k[0] not in keep]:
            self._forget(key)
        self._lengths = {k: v for k, v in self._lengths.items() if k[0] in keep}
        self._ids = {k: v for k, v in self._ids.items() if k in keep}

    def postings(self, leaf: Any, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        """A word's postings in one segment.

        Its document numbers there (deleted ones included) and weights.
        """
        key = (segment_key(leaf), field, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        ids: list[int] = []
        weights: list[float] = []
        blocks: list[tuple[int, int]] | None = []
        if (field, text) in leaf:
            blocks = _read_postings(leaf.postings(field, text), ids, weights, blocks)
        found = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
        self._postings[key] = found
        self._blocks[key] = _block_table(blocks)
        self._count += len(ids)
        self._evict()
        return found

    def positions(self, leaf: Any, field: str, text: Any, docnums: np.ndarray) -> np.ndarray:
        """The position keys (see _POSITION_BITS) of a word in one segment, sorted.

        At least those of `docnums` (segment document numbers that have the word), and any decoded
        before.

        Only the postings of `docnums` not decoded yet are read, from the
        blocks that hold them.
        """
        ids, _ = self.postings(leaf, field, text)
        key = (segment_key(leaf), field, text)
        known = self._positions.get(key)
        if known is None:
            known = self._positions[key] = _Positions(np.zeros(len(ids), dtype=bool))
        wanted = np.searchsorted(ids, docnums)
        wanted = wanted[wanted < len(ids)]
        wanted = wanted[ids[wanted] == docnums[: len(wanted)]] if len(wanted) else wanted
        todo = np.unique(wanted[~known.decoded[wanted]])
        if len(todo):
            postings = _decode_positions(leaf, field, text, ids, todo, self._blocks.get(key))
            known.decoded[todo] = True
            known.chunks.append(postings)
            known.keys = None
            self._count += len(postings)
            self._evict(keep=key)
        if known.keys is None:
            merged = np.concatenate(known.chunks) if known.chunks else np.zeros(0, np.int64)
            merged.sort()
            known.keys, known.chunks = merged, [merged]
        return known.keys

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

    def _evict(self, keep: tuple | None = None) -> None:
        while self._count > self._max and len(self._postings) > 1:
            oldest = next(iter(self._postings))
            if oldest == keep:
                self._postings.move_to_end(oldest)
                oldest = next(iter(self._postings))
                if oldest == keep:
                    return
            self._forget(oldest)

    def _forget(self, key: tuple) -> None:
        self._count -= len(self._postings.pop(key)[0])
        self._blocks.pop(key, None)
        positions = self._positions.pop(key, None)
        if positions is not None:
            self._count -= sum(len(chunk) for chunk in positions.chunks)


def segment_key(leaf: Any) -> str:
    """The caches' key for a leaf reader's segment: its index's name and its segment id."""
    segment = leaf.segment()
    return f"{segment.indexname}/{segment.segment_id()}"


class BulkScorer:
    """Scores queries on one searcher (see the module docstring).

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
        # Parts of queries of a kind this module does not know, left to
        # Whoosh's matchers (none that the search box makes; tests count them).
        self.left_to_whoosh = 0

    def run(self, q: Query) -> Ranked:
        """All matches of `q` ranked as Whoosh ranks them."""
        scores, mask = self._eval(q)
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
            for name in fields:
                self._cache.lengths(leaf, name)

    def paper_ids(self, docnums: np.ndarray | list[int]) -> list[int]:
        """The paper ids of these document numbers, in the same order."""
        if self._ids is None:
            parts = [self._cache.paper_ids(leaf) for leaf, _ in self._leaves]
            self._ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self._ids[np.asarray(docnums, dtype=np.int64)].tolist()

    def docnums_of(self, paper_ids: Iterable[int]) -> dict[int, int]:
        """Paper id -> its live document number, for the ids the index has."""
        self.paper_ids([])
        assert self._ids is not None
        wanted = np.fromiter(paper_ids, dtype=np.int64)
        found = np.flatnonzero(np.isin(self._ids, wanted) & self._live_docs())
        return dict(zip(self._ids[found].tolist(), found.tolist(), strict=True))

    # Queries

    def _eval(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """Dense (scores, matched) over all document numbers."""
        from whoosh import query as wq

        from readinglist.index.query import FieldsOr

        kind = type(q)
        if q is wq.NullQuery:
            return self._nothing()
        if kind is wq.Term:
            scores, mask = self._term_vectors(q.fieldname, q.text)
        elif kind in (wq.Or, FieldsOr) and not q.minmatch and not q.scale:
            scores, mask = self._union(q.subqueries)
        elif kind is wq.And:
            scores, mask = self._intersection(q.subqueries)
        elif kind is wq.Not:
            # Whoosh's InverseMatcher: every other document, scored 1.0.
            mask = ~self._eval(q.query)[1]
            return mask.astype(np.float64), mask
        elif kind in (wq.AndNot, wq.Require, wq.AndMaybe):
            return self._binary(q)
        elif kind is wq.Phrase:
            scores, mask = self._phrase(q)
        elif kind is wq.NumericRange:
            return self._eval(q._compile_query(self._reader))
        elif kind is wq.ConstantScoreQuery:
            mask = self._matches(q.child)
            return mask * float(q.score), mask
        elif _is_expansion(q):
            return self._expansion(q)
        elif _is_every_word(q):
            mask = self._has_words(q.fieldname)
            return mask * float(q.boost), mask
        else:
            return self._by_whoosh(q)
        if q.boost != 1.0:
            scores *= q.boost
        return scores, mask

    def _nothing(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self._size), np.zeros(self._size, dtype=bool)

    def _union(self, subqueries: list[Query]) -> tuple[np.ndarray, np.ndarray]:
        scores, mask = self._nothing()
        for sub in subqueries:
            sub_scores, sub_mask = self._eval(sub)
            scores += sub_scores
            mask |= sub_mask
        return scores, mask

    def _intersection(self, subqueries: list[Query]) -> tuple[np.ndarray, np.ndarray]:
        from whoosh import query as wq

        scores = np.zeros(self._size)
        mask = np.ones(self._size, dtype=bool)
        # Cheapest first, so that a long query of words stops at its first
        # unknown word, not after decoding them all, and a phrase beside a
        # word no paper has costs nothing.
        positive = sorted(
            (sub for sub in subqueries if type(sub) is not wq.Not), key=self._cost_rank
        )
        for sub in positive:
            sub_scores, sub_mask = self._eval(sub)
            scores += sub_scores
            mask &= sub_mask
            if not mask.any():
                return scores, mask
        for sub in subqueries:
            if type(sub) is wq.Not:
                mask &= ~self._eval(sub.query)[1]
                scores += 1.0  # what Whoosh's InverseMatcher scores every document
        return scores, mask

    def _cost_rank(self, q: Query) -> int:
        """How costly `q` is to match: 0, 1 or 2, cheapest first.

        0 for words and groups of words, 1 for what costs more to match (phrases: positions;
        expansions: many words), 2 for the rest.
        """
        from whoosh import query as wq

        from readinglist.index.query import FieldsOr

        kind = type(q)
        if kind is wq.Term or (kind is FieldsOr and all(type(s) is wq.Term for s in q.subqueries)):
            return 0
        if kind is wq.Phrase or _is_expansion(q):
            return 1
        return 2

    def _binary(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """ANDNOT, REQUIRE, ANDMAYBE: matched and scored by the first part.

        The second removes, requires, or adds its score where it matches.
        """
        from whoosh import query as wq

        scores, mask = self._eval(q.a)
        if type(q) is wq.AndMaybe:
            other_scores, other_mask = self._eval(q.b)
            return scores + np.where(other_mask, other_scores, 0.0), mask
        other = self._matches(q.b)
        mask &= other if type(q) is wq.Require else ~other
        return scores, mask

    def _matches(self, q: Query) -> np.ndarray:
        return self._eval(q)[1]

    def _phrase(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """A phrase: candidates by intersecting its words' postings, then positions checked.

        The positions are checked segment by segment (see the module docstring).
        """
        field, words = q.fieldname, list(q.words)
        schema = self._reader.schema
        if field not in schema or not schema[field].format.supports("positions"):
            return self._nothing()  # Whoosh refuses it (QueryError) where the parser did not
        if not words or any((field, w) not in self._reader for w in words):
            return self._nothing()
        terms = [self._term(field, word) for word in words]
        candidates = min((docnums for docnums, _ in terms), key=len)
        for docnums, _ in terms:
            candidates = candidates[_members(docnums, candidates)]
        matched: list[np.ndarray] = []
        for leaf, offset in self._leaves:
            end = offset + leaf.doc_count_all()
            local = candidates[(candidates >= offset) & (candidates < end)] - offset
            if len(local):
                found = self._phrase_in(leaf, field, words, max(q.slop, 1), local)
                matched.append(found + offset)
        scores, mask = self._nothing()
        if not matched:
            return scores, mask
        hits = np.concatenate(matched)
        mask[hits] = True
        for docnums, term_scores in terms:
            # A word twice in the phrase is scored twice, as Whoosh's
            # intersection of one matcher per word does.
            at = np.searchsorted(docnums, hits)
            scores[hits] += term_scores[at]
        return scores, mask

    def _phrase_in(
        self, leaf: Any, field: str, words: list[str], slop: int, candidates: np.ndarray
    ) -> np.ndarray:
        """The candidates (segment document numbers) that have the words in order.

        Each word is 1 to `slop` positions after the one before (Whoosh's SpanNear2 with mindist 1;
        slop 1: next to each other).
        """
        ends = self._cache.positions(leaf, field, words[0], candidates)
        ends = ends[_members(candidates, ends >> _POSITION_BITS)]
        for word in words[1:]:
            if not len(ends):
                break
            keys = self._cache.positions(leaf, field, word, candidates)
            if slop == 1:
                ends = ends + 1
                ends = ends[_members(keys, ends)]
                continue
            reached = np.concatenate([ends + gap for gap in range(1, slop + 1)])
            ends = np.unique(reached[_members(keys, reached)])
        return np.unique(ends >> _POSITION_BITS)

    def _expansion(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """A prefix, wildcard, fuzzy word or range of words, scored as on a large index.

        Scored as Whoosh scores it on a large index, segment by segment: where one of its words is
        in the segment, as that word (the query's boost left out); where several are, their BM25F
        scores summed, then boosted. (A range of words asks for a "constant score", which Whoosh's
        searcher ignores: it scores the words with its own weighting.)

        (On an index of under 5,000 documents Whoosh's `Or` of three words
        or more preloads them and scores each match 1.0, an unranked list;
        the scores here rank those matches too.)
        """
        field = q.field()
        numeric = _is_numeric(self._reader.schema, field)
        words = [w if numeric else _as_text(w) for w in q._btexts(self._reader)]
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
            return self._nothing()
        docnums = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
        scores = np.bincount(docnums, weights=weights, minlength=self._size)
        return scores, np.bincount(docnums, minlength=self._size) > 0

    def _has_words(self, field: str) -> np.ndarray:
        """The documents with a word in `field` (`field:*`)."""
        mask = np.zeros(self._size, dtype=bool)
        if field in self._reader.schema:
            for leaf, offset in self._leaves:
                end = offset + leaf.doc_count_all()
                mask[offset:end] = self._cache.lengths(leaf, field) > 0
        return mask

    def _by_whoosh(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """A kind of query this module does not know, matched by Whoosh.

        Whoosh matches it a document at a time; its scores combine as any part's.
        """
        from readinglist.index.query import for_whoosh

        self.left_to_whoosh += 1
        scores, mask = self._nothing()
        results = self._searcher.search(for_whoosh(q), limit=None, mask=self._excluded)
        for score, docnum in results.top_n:
            scores[docnum] = score
            mask[docnum] = True
        return scores, mask

    def _term_vectors(self, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        docnums, term_scores = self._term(field, text)
        scores, mask = self._nothing()
        scores[docnums] = term_scores
        mask[docnums] = True
        return scores, mask

    def _term(self, field: str, text: Any) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers holding a word (sorted), and their scores."""
        from whoosh.scoring import BM25FScorer

        key = (field, text)
        found = self._scored.get(key)
        if found is not None:
            self._scored.move_to_end(key)
            return found
        if field not in self._reader.schema or (field, text) not in self._reader:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        scorer = self._searcher.weighting.scorer(self._searcher, field, text)
        bm25 = type(scorer) is BM25FScorer
        all_docnums, all_scores = [], []
        for leaf, offset in self._leaves:
            docnums, weights = self._cache.postings(leaf, field, text)
            if not len(docnums):
                continue
            if bm25:
                # whoosh.scoring.bm25, on arrays; idf and avgfl are the whole index's.
                k1, b, avgfl = scorer.K1, scorer.B, scorer.avgfl
                lengths = self._cache.lengths(leaf, field)[docnums]
                scores = (
                    scorer.idf
                    * (weights * (k1 + 1))
                    / (weights + k1 * (1 - b + b * lengths / avgfl))
                )
            else:  # fields without lengths (status, numbers): the weight is the score
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


def _members(sorted_values: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """Which of `probes` are in `sorted_values`: a binary search each.

    No sort of both together (as np.isin and np.intersect1d do).
    """
    if not len(sorted_values):
        return np.zeros(len(probes), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, probes), len(sorted_values) - 1)
    return sorted_values[at] == probes


def _is_expansion(q: Query) -> bool:
    """A prefix, wildcard or fuzzy word that Whoosh matches by `MultiTerm.matcher`."""
    from whoosh import query as wq

    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        return q.text not in ("", "*")  # those match every document, scored otherwise
    return isinstance(q, wq.MultiTerm) and type(q).matcher is wq.MultiTerm.matcher


def _as_text(word: Any) -> Any:
    """A word of a text field as text (the key its postings are kept under)."""
    return word.decode("utf-8") if isinstance(word, bytes) else word


def _is_numeric(schema: Any, field: str) -> bool:
    """Whether the terms of `field` are the bytes of numbers (not text)."""
    from whoosh.fields import NUMERIC

    return field in schema and isinstance(schema[field], NUMERIC)


def _is_every_word(q: Query) -> bool:
    """`field:*` as index.query parses it (its `_EveryWord`)."""
    from readinglist.index.query import _EveryWord

    return type(q) is _EveryWord


def deleted_docs(leaf: Any) -> Iterable[int]:
    """The deleted document numbers of one segment."""
    deleted = getattr(leaf, "deleted_docs_set", None)  # whoosh-reloaded's SegmentReader
    if deleted is not None:
        return deleted
    return (docnum for docnum in range(leaf.doc_count_all()) if leaf.is_deleted(docnum))


def _leaf_matcher(matcher: Any) -> Any:
    """The matcher of a segment's postings, at its first posting.

    Deleted documents are included (they are masked out later).
    """
    from whoosh.matching.wrappers import FilterMatcher

    if type(matcher) is FilterMatcher:
        # The filter stepped its child past the deleted documents it starts with.
        matcher = matcher.child
        matcher.reset()
    return matcher


def _read_postings(
    matcher: Any, ids: list[int], weights: list[float], blocks: list | None = None
) -> list[tuple[int, int]] | None:
    """Appends a matcher's document numbers and weights to the lists.

    Returns where each posting block starts (first posting, file offset), or None when the matcher
    has no blocks to go back to.

    Reads whole posting blocks where it can (private attributes of
    whoosh-reloaded 2.7.5's own matcher, which is frozen); any other matcher
    takes the public way, a posting at a time.
    """
    from whoosh.codec.whoosh3 import W3LeafMatcher

    matcher = _leaf_matcher(matcher)
    if type(matcher) is W3LeafMatcher:
        found = [] if blocks is None else blocks
        offset = matcher._baseoffset
        while matcher.is_active():
            found.append((len(ids), offset))
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            offset = matcher._nextoffset
            matcher._next_block()
        return found
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return None


def _block_table(blocks: list[tuple[int, int]] | None) -> tuple[np.ndarray, list[int]] | None:
    if blocks is None:
        return None
    return np.array([first for first, _ in blocks], dtype=np.int64), [o for _, o in blocks]


def _decode_positions(
    leaf: Any,
    field: str,
    text: Any,
    ids: np.ndarray,
    todo: np.ndarray,
    blocks: tuple[np.ndarray, list[int]] | None,
) -> np.ndarray:
    """The position keys of postings `todo` (indexes into `ids`), sorted.

    With a block table, only the blocks that hold them are read again, and
    only their position lists are unpickled; otherwise (inlined postings,
    another codec) the matcher is walked the public way.
    """
    values: list[bytes] = []
    if blocks is None:
        wanted = set(todo.tolist())
        matcher = _leaf_matcher(leaf.postings(field, text))
        i = 0
        while matcher.is_active():
            if i in wanted:
                values.append(matcher.value())
            matcher.next()
            i += 1
    else:
        starts, offsets = blocks
        in_block = np.searchsorted(starts, todo, side="right") - 1
        matcher = _leaf_matcher(leaf.postings(field, text))
        for block in np.unique(in_block).tolist():
            matcher._goto(offsets[block])
            matcher._read_values()
            block_values = matcher._values
            first = int(starts[block])
            values.extend(block_values[i - first] for i in todo[in_block == block].tolist())
    return _position_keys(ids[todo], values)


def _position_keys(docnums: np.ndarray, values: list[bytes]) -> np.ndarray:
    """Position keys from Whoosh's encoded position lists, one per document.

    The lists as `Positions.encode` writes them: a 4-byte count, then the pickled gaps between
    positions.
    """
    gaps: list[int] = []
    counts = np.empty(len(values), dtype=np.int64)
    for i, value in enumerate(values):
        body = value[_INT_SIZE:]
        if not body.endswith(b"."):
            body += b"."  # the writer may drop pickle's final STOP
        deltas = pickle.loads(body)
        counts[i] = len(deltas)
        gaps.extend(deltas)
    if not gaps:
        return np.zeros(0, dtype=np.int64)
    flat = np.cumsum(np.array(gaps, dtype=np.int64))
    # The running sum restarts at each document: take away what came before it.
    ends = np.cumsum(counts)
    before = np.concatenate([[0], flat[ends[:-1] - 1]]) if len(ends) else np.zeros(0, np.int64)
    positions = flat - np.repeat(before, counts)
    keys = (np.repeat(docnums.astype(np.int64), counts) << _POSITION_BITS) | positions
    keys.sort()
    return keys


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
