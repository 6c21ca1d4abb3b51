"""Every query scored in bulk must give exactly what Whoosh gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.collection import Collection
from readinglist.index import bulk
from readinglist.index.bulk import BulkScorer, SegmentCache, segment_key
from readinglist.index.fields import DEFAULT_FIELDS
from readinglist.index.index import _lexicon_query, _parse
from readinglist.index.query import expand_words, for_whoosh

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
PHRASE_QUERIES = [
    '"attention heads"',
    '"language model"',
    '"large language models"',
    '"language model"~3',
    '"model language"~4',
    'title:"language model"',
    'abstract:"language model"^2',
    '"model model"',
    '"models models"~5',
    '"language zzzunknown"',
    '"attention heads" model',
    '"attention heads" zzzunknown',
    '"language models" -vision',
    '"language model" OR "vision transformer"',
    '"language model" OR vision',
    '"attention trick"',
    'note:"the model is small"',
    '"attention heads" "language model"',
    '"language model" gen*',
    '"of the"',
]
RANGE_QUERIES = [
    "upvotes:[10 TO]",
    "upvotes:[1 TO]",
    "upvotes:[1 TO 50]",
    "year:[2020 TO 2023]",
    "year:>2023",
    "year:<=2024",
    "year:[2020 TO 2023]^3 model",
    "model -year:2024",
    "title:[a TO c]",
    "abstract:[mod TO moe]",
    "title:[a TO c]^2 attention",
    "abstract:[zzz TO zzzz]",
]
OTHER_QUERIES = [
    "-vision",
    "-vision -model",
    "NOT (vision OR model)",
    "*",
    "title:*",
    "note:* model",
    "model ANDNOT vision",
    "model ANDMAYBE vision",
    "model REQUIRE vision",
    '"language model" ANDMAYBE year:2024',
    "vision REQUIRE upvotes:[1 TO]",
]
ALL_QUERIES = WORD_QUERIES + PHRASE_QUERIES + RANGE_QUERIES + OTHER_QUERIES


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


@pytest.mark.parametrize("text", ALL_QUERIES)
def test_queries_rank_and_score_as_whoosh_does(
    collection: Collection, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh import query as wq

    # Whoosh's own choice on indexes of over 5,000 documents; on smaller ones
    # it scores every match of a prefix of three words or more 1.0.
    monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    searcher = searcher_of(collection)
    q = expand_words(_parse(text), searcher.reader())
    scorer = BulkScorer(searcher, _lexicon_query(), SegmentCache())
    ranked = scorer.run(q)
    assert scorer.left_to_whoosh == 0
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


def test_the_other_queries_match_something(collection: Collection) -> None:
    searcher = searcher_of(collection)
    scorer = BulkScorer(searcher, _lexicon_query(), SegmentCache())
    queries = PHRASE_QUERIES + RANGE_QUERIES + OTHER_QUERIES
    sizes = {t: len(scorer.run(expand_words(_parse(t), searcher.reader()))) for t in queries}
    assert sizes['"attention heads"'] > 3
    assert sizes['"language model"'] > sizes['"large language models"'] > 0
    assert sizes['"language model"~3'] > sizes['"language model"']
    assert sizes['"model language"~4'] > 0
    assert sizes['"language model"'] > sizes['"language models" -vision'] > 0
    assert sizes['"attention trick"'] == sizes['note:"the model is small"'] == 1
    assert sizes['"language zzzunknown"'] == sizes['"attention heads" zzzunknown'] == 0
    assert sizes['"of the"'] == 0
    assert sizes["upvotes:[10 TO]"] < sizes["upvotes:[1 TO]"]
    assert sizes["year:>2023"] > 0 and sizes["year:[2020 TO 2023]"] > 0
    assert sizes["title:[a TO c]"] > 0 and sizes["abstract:[zzz TO zzzz]"] == 0
    assert sizes["model ANDNOT vision"] > sizes["model REQUIRE vision"] > 0


def test_not_alone_is_every_other_paper(collection: Collection) -> None:
    searcher = searcher_of(collection)
    scorer = BulkScorer(searcher, _lexicon_query(), SegmentCache())

    def size(text: str) -> int:
        return len(scorer.run(expand_words(_parse(text), searcher.reader())))

    assert size("-vision") + size("vision") == size("*") == len(collection.list_ids())


def test_phrase_positions_are_decoded_for_candidates_only(collection: Collection) -> None:
    # "zzzunknown" is in no paper: nothing to decode. "heads" is rarer than
    # "attention": only the papers with both are decoded, of each word.
    searcher = searcher_of(collection)
    cache = SegmentCache()
    scorer = BulkScorer(searcher, _lexicon_query(), cache)
    scorer.run(expand_words(_parse('"attention zzzunknown"'), searcher.reader()))
    assert not cache._positions
    scorer.run(expand_words(_parse('abstract:"attention heads"'), searcher.reader()))
    both = attention = 0
    for leaf, _ in searcher.reader().leaf_readers():
        if not leaf.doc_count_all():
            continue
        ids_a = set(cache.postings(leaf, "abstract", "attent")[0].tolist())
        ids_h = set(cache.postings(leaf, "abstract", "head")[0].tolist())
        key = (segment_key(leaf), "abstract", "attent")
        if key in cache._positions:
            assert cache._positions[key].decoded.sum() == len(ids_a & ids_h)
        both += len(ids_a & ids_h)
        attention += len(ids_a)
    assert 0 < both < attention / 3


def test_position_keys_are_those_whoosh_decodes(collection: Collection) -> None:
    searcher = searcher_of(collection)
    cache = SegmentCache()
    for leaf, _ in searcher.reader().leaf_readers():
        if not leaf.doc_count_all() or ("abstract", "model") not in leaf:
            continue
        ids = cache.postings(leaf, "abstract", "model")[0]
        keys = cache.positions(leaf, "abstract", "model", ids[::3])
        matcher = bulk._leaf_matcher(leaf.postings("abstract", "model"))  # deleted too
        expected = []
        while matcher.is_active():
            if matcher.id() in set(ids[::3].tolist()):
                expected += [(matcher.id() << 32) | p for p in matcher.value_as("positions")]
            matcher.next()
        assert keys.tolist() == sorted(expected)
        # More of them later: the new ones are added, the old ones kept.
        assert set(cache.positions(leaf, "abstract", "model", ids).tolist()) >= set(expected)


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
    original = bulk._read_postings

    def counting(matcher, ids, weights, blocks=None):
        reads.append(type(matcher).__name__)
        return original(matcher, ids, weights, blocks)

    monkeypatch.setattr(bulk, "_read_postings", counting)
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


def test_a_long_and_stops_at_a_word_no_paper_has(collection: Collection) -> None:
    # 1,200 words after "zzzunknown": nothing matches, as Whoosh says,
    # without scoring the rest.
    searcher = searcher_of(collection)
    text = "model zzzunknown " + " ".join(f"word{i}" for i in range(1_200)) + " attention"
    q = expand_words(_parse(text), searcher.reader())
    ranked = BulkScorer(searcher, _lexicon_query(), SegmentCache()).run(q)
    assert ranked is not None and len(ranked) == 0
    with pytest.raises(RecursionError):  # Whoosh's matchers of a wide And: a chain
        whoosh_ranking(searcher, q)
    assert whoosh_ranking(searcher, for_whoosh(q)) == []


def test_a_phrase_beside_a_word_no_paper_has_decodes_no_position(
    collection: Collection,
) -> None:
    searcher = searcher_of(collection)
    cache = SegmentCache()
    scorer = BulkScorer(searcher, _lexicon_query(), cache)
    q = expand_words(_parse('"attention heads" zzzunknown'), searcher.reader())
    assert len(scorer.run(q)) == 0 == len(whoosh_ranking(searcher, q))
    assert not cache._positions


def test_the_search_ranks_phrases_whole(collection: Collection) -> None:
    hits = collection.search('"language model"', limit=None, highlight=False).hits
    assert len(hits) > 5
    assert collection.index.ranked_ids('"language model"') == [hit.id for hit in hits]
    top = collection.search('"language model"', limit=3)
    assert [hit.id for hit in top.hits] == [hit.id for hit in hits[:3]]
    assert top.total == len(hits)


def test_balanced_ands_rank_as_the_wide_one(collection: Collection) -> None:
    searcher = searcher_of(collection)
    # 40 different terms (boosts tell them apart) that papers have together.
    text = " ".join(f"abstract:model^{1 + i / 10}" for i in range(40)) + ' "language model"'
    q = expand_words(_parse(text), searcher.reader())
    wide = whoosh_ranking(searcher, q)
    assert len(q.subqueries) > 32 and wide
    balanced = whoosh_ranking(searcher, for_whoosh(q))
    # The same scores, summed in another order: ties may round apart.
    assert {d: s for s, d in balanced} == pytest.approx({d: s for s, d in wide}, rel=1e-12)
    assert [d for _, d in balanced[:20]] == [d for _, d in wide[:20]]


def test_many_exclusions_are_excluded_together(collection: Collection) -> None:
    from readinglist.index.fields import stem_of

    searcher = searcher_of(collection)
    # 40 rare words of the papers (different stems): most matches keep.
    rare = {}
    for word in searcher.reader().lexicon("words"):
        word = word.decode()
        if word.isalpha() and word[0] in "qxyz" and stem_of(word) not in rare:
            rare[stem_of(word)] = word
    excluded = list(rare.values())[:40]
    assert len(excluded) == 40
    q = expand_words(_parse('"language model" -' + " -".join(excluded)), searcher.reader())
    assert sum(type(part).__name__ == "Not" for part in q.subqueries) > 32
    wide, merged = whoosh_ranking(searcher, q), whoosh_ranking(searcher, for_whoosh(q))
    assert wide and [d for _, d in merged] == [d for _, d in wide]
    # Each exclusion scored 1.0 in every match: now one does.
    offsets = {round(w - m, 9) for (w, _), (m, _) in zip(wide, merged, strict=True)}
    assert len(offsets) == 1 and offsets.pop() > 30


@pytest.mark.parametrize("pattern", ["*ing", "att?ntion", "*a*e", "s*ce", "?", "tr*n?", "zz*"])
def test_wildcards_match_the_words_whoosh_matches(collection: Collection, pattern: str) -> None:
    from whoosh import query as wq

    from readinglist.index.query import _SpellWildcard

    reader = searcher_of(collection).reader()
    whoosh = {w.decode() for w in wq.Wildcard("words", pattern)._btexts(reader)}
    ours = set(_SpellWildcard("title", pattern)._words(reader, "words", {}))
    assert ours == whoosh
    assert ours or pattern == "zz*"
