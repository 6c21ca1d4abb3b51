"""Word queries scored in bulk must give exactly what Whoosh gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist import search_bulk
from readinglist.collection import Collection
from readinglist.search import _lexicon_query, _parse
from readinglist.search_bulk import BulkScorer, SegmentCache, segment_key
from readinglist.search_query import expand_words
from readinglist.search_schema import DEFAULT_FIELDS

WORD_QUERIES = [
    "transformer",
    "language model",
    "attention -vision",
    "attention -vision -model",
    "(attention OR vision) -model",
    "retrieval OR vision",
    "title:attention",
    "title:attention^2 model",
    "abstract:diffusion note:remember",
    "status:read",
    "attention status:unread",
    "tag:favourite",
    "favourite",
    "year:2024",
    "model year:2025",
    "remember OR favourite OR zzzunknown",
    "zzzunknown",
    "model zzzunknown",
    "gen*",
    "title:atten*",
    "gen*^2 model",
    "gen* -model",
    "attenton~",
    "att?ntion",
    "*ing",
    "zzz*",
]
LEFT_TO_WHOOSH = [
    '"attention heads"',
    "upvotes:[10 TO]",
    "-vision",
    "*",
]


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory, dump_paths: list[Path]):
    """All five dumps, then writes that leave several segments and deletions."""
    folder = tmp_path_factory.mktemp("bulk") / "lib"
    opened = Collection.open(folder)
    opened.import_paths(dump_paths)
    ids = opened.list_ids()
    opened.mark(ids[:40], "read")
    opened.add_tags(ids[10:30], ["favourite"])
    opened.set_note(ids[5], "Remember the attention trick; the model is small.")
    opened.delete(ids[50:60])
    yield opened
    opened.close()


def searcher_of(collection: Collection):
    index = collection.index
    with index._lock:
        return index._searcher()


def whoosh_ranking(searcher, q) -> list[tuple[float, int]]:
    results = searcher.search(q, limit=None, mask=_lexicon_query())
    return [(score, docnum) for score, docnum in results.top_n]


def test_the_fixture_has_segments_with_deletions(collection: Collection) -> None:
    leaves = list(searcher_of(collection).reader().leaf_readers())
    assert len(leaves) > 1
    assert any(leaf.has_deletions() for leaf, _ in leaves)


@pytest.mark.parametrize("text", WORD_QUERIES)
def test_word_queries_rank_and_score_as_whoosh_does(
    collection: Collection, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh import query as wq

    # Whoosh's own choice on indexes of over 5,000 documents; on smaller ones
    # it scores every match of a prefix of three words or more 1.0.
    monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    searcher = searcher_of(collection)
    q = expand_words(_parse(text), searcher.reader())
    ranked = BulkScorer(searcher, _lexicon_query(), SegmentCache()).run(q)
    assert ranked is not None
    expected = whoosh_ranking(searcher, q)
    assert ranked.docnums.tolist() == [docnum for _, docnum in expected]
    assert ranked.scores.tolist() == pytest.approx([score for score, _ in expected], rel=1e-12)


def test_the_word_queries_match_something(collection: Collection) -> None:
    # Otherwise the comparison above proves little.
    searcher = searcher_of(collection)
    scorer = BulkScorer(searcher, _lexicon_query(), SegmentCache())
    sizes = {t: len(scorer.run(expand_words(_parse(t), searcher.reader()))) for t in WORD_QUERIES}
    assert sizes["transformer"] > 100
    assert sizes["attention -vision"] > 0
    assert sizes["status:read"] == 40  # marked read; none of them deleted
    assert sizes["favourite"] == sizes["tag:favourite"] == 20
    assert sizes["abstract:diffusion note:remember"] == 0
    assert sizes["remember OR favourite OR zzzunknown"] == 21
    assert sizes["zzzunknown"] == sizes["model zzzunknown"] == sizes["zzz*"] == 0
    assert sizes["gen*"] > sizes["gen* -model"] > 0
    assert sizes["attenton~"] == sizes["att?ntion"] > 0


@pytest.mark.parametrize("text", LEFT_TO_WHOOSH)
def test_other_queries_are_left_to_whoosh(collection: Collection, text: str) -> None:
    searcher = searcher_of(collection)
    q = expand_words(_parse(text), searcher.reader())
    assert BulkScorer(searcher, _lexicon_query(), SegmentCache()).run(q) is None


def test_deleted_papers_never_match(collection: Collection) -> None:
    ids = set(collection.index.ranked_ids("model"))
    assert ids
    assert ids <= set(collection.list_ids())


def test_paper_ids_are_those_whoosh_reads(collection: Collection) -> None:
    searcher = searcher_of(collection)
    scorer = BulkScorer(searcher, _lexicon_query(), SegmentCache())
    column = searcher.reader().column_reader("id")
    ranked = scorer.run(_parse("model"))
    assert scorer.paper_ids(ranked.docnums) == [column[d] for d in ranked.docnums.tolist()]


def test_ranked_ids_of_a_word_query_is_the_whole_search_ranking(collection: Collection) -> None:
    hits = collection.search("language model", limit=None, highlight=False).hits
    assert len(hits) > 10
    assert collection.index.ranked_ids("language model") == [hit.id for hit in hits]


def test_a_write_decodes_only_the_new_segment(
    tmp_path: Path, dump_paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = Collection.open(tmp_path / "lib")
    collection.import_paths(dump_paths[:2])
    before = collection.index.ranked_ids("model")
    reads: list[str] = []
    original = search_bulk._read_postings

    def counting(matcher, ids, weights):
        reads.append(type(matcher).__name__)
        original(matcher, ids, weights)

    monkeypatch.setattr(search_bulk, "_read_postings", counting)
    collection.set_note(before[-1], "A model of the world, in a note.")
    after = collection.index.ranked_ids("model")
    leaves = list(searcher_of(collection).reader().leaf_readers())
    assert len(leaves) == 2
    new_segment = leaves[1][0]
    in_new = [f for f in DEFAULT_FIELDS if (f, "model") in new_segment]
    assert in_new and len(reads) == len(in_new)  # the old segment's postings were kept
    assert sorted(after) == sorted(before)
    assert after.index(before[-1]) < len(after) - 1  # the note lifted it
    collection.close()


def test_the_cache_is_bounded_and_forgets_old_segments(collection: Collection) -> None:
    searcher = searcher_of(collection)
    cache = SegmentCache(max_postings=50)
    scorer = BulkScorer(searcher, _lexicon_query(), cache)
    first = scorer.run(_parse("model")).docnums.tolist()
    scorer.run(_parse("attention"))
    assert cache._count <= 50 or len(cache._postings) == 1
    again = BulkScorer(searcher, _lexicon_query(), cache).run(_parse("model"))
    assert again.docnums.tolist() == first
    cache.retain([])
    assert not cache._postings and not cache._lengths and not cache._ids
    assert cache._count == 0


def test_segment_keys_differ_between_segments(collection: Collection) -> None:
    leaves = [leaf for leaf, _ in searcher_of(collection).reader().leaf_readers()]
    assert len({segment_key(leaf) for leaf in leaves}) == len(leaves)
