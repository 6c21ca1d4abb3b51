"""The query syntax of the search box, against a real index built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.errors import QueryError
from readinglist.search import IndexDoc, SearchIndex, validate_query

PAPERS = [
    IndexDoc(
        1,
        "Attention Is All You Need",
        "The Transformer relies entirely on attention, dispensing with recurrence.",
        "",
        ("NLP", "Machine Learning"),
        "read",
        2017,
        120,
    ),
    IndexDoc(
        2,
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
        "State space models generate long sequences in linear time.",
        "reread the scan section",
        ("ssm",),
        "unread",
        2023,
        15,
    ),
    IndexDoc(
        3,
        "Frozen Transformers in Language Models Are Effective Visual Encoder Layers",
        "A frozen transformer block from a language model encodes images.",
        "",
        ("vision", "machine-learning"),
        "unread",
        2023,
        None,
    ),
    IndexDoc(
        4,
        "A Survey of Diffusion Models",
        "Generation of images with diffusion; the space of states is large.",
        "",
        (),
        "read",
        2021,
        3,
    ),
    IndexDoc(
        5,
        "Urban Mobility in Düsseldorf",
        "Bike sharing data from Dusseldorf and Köln.",
        "",
        ("Cities",),
        "unread",
        None,
        40,
    ),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    index = SearchIndex(Path(tmp_path_factory.mktemp("idx")) / "index")
    assert index.rebuild(PAPERS, total=len(PAPERS), generation=1)
    yield index
    index.close()


def ids(index: SearchIndex, query: str) -> set[int]:
    return {hit.id for hit in index.search(query, limit=None, highlight=False).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # words, AND by default, stemming both ways
        ("transformers", {1, 3}),
        ("transformer", {1, 3}),
        ("frozen transformer", {3}),
        ("language models", {3}),
        # accents folded both ways
        ("Dusseldorf", {5}),
        ("Düsseldorf", {5}),
        ("koln", {5}),
        # phrases: adjacent words only ("space of states" is not "state space")
        ('"state space"', {2}),
        ('"linear time"', {2}),
        ('"attention is all you need"', {1}),
        ('title:"all you need"', {1}),
        # prefix, on real words rather than stems (the stem of generation is "gener")
        ("generat*", {2, 4}),
        ("Trans*", {1, 3}),
        ("*", {1, 2, 3, 4, 5}),
        # fuzzy
        ("atention~", {1}),
        ("atenton~2", {1}),
        ("difusion~", {4}),
        # boolean operators and groups
        ("mamba OR diffusion", {2, 4}),
        ("transformer AND frozen", {3}),
        ("transformer NOT frozen", {1}),
        ("transformer -frozen", {1}),
        ("NOT transformer", {2, 4, 5}),
        ("(mamba OR diffusion) AND images", {4}),
        ("state-space", {2, 4}),  # a hyphen inside a word is not a minus
        # fields
        ("title:mamba", {2}),
        ("title:transformer", {3}),
        ("abstract:transformer", {1, 3}),
        ("note:reread", {2}),
        ("note:rere*", {2}),
        ("Title:frozen", {3}),
        ("title:(mamba OR diffusion)", {2, 4}),
        # tags: exact, case- and accent-insensitive; words of tags in plain search
        ("tag:nlp", {1}),
        ("tag:NLP", {1}),
        ('tag:"machine learning"', {1}),
        ('tag:"Machine  Learning"', {1}),
        ("tag:machine-learning", {3}),
        ("tags:ssm", {2}),
        ("tag:mach*", {1, 3}),
        ("tag:cities", {5}),
        ("learning", {1, 3}),
        # status
        ("status:read", {1, 4}),
        ("status:unread", {2, 3, 5}),
        ("STATUS:Read", {1, 4}),
        ('status:"read"', {1, 4}),
        ("status:unread transformer", {3}),
        # years and upvotes
        ("year:2023", {2, 3}),
        ("year:[2020 TO 2023]", {2, 3, 4}),
        ("year:[2018 TO]", {2, 3, 4}),
        ("year:{2021 TO 2023]", {2, 3}),
        ("year:>2021", {2, 3}),
        ("upvotes:[10 TO]", {1, 2, 5}),
        ("upvotes:[TO 10]", {4}),
        ("upvotes:>=40", {1, 5}),
        # stop words alone match nothing, quietly
        ("the", set()),
        ("attention AND", {1}),  # a dangling operator is ignored
    ],
)
def test_query_forms(index: SearchIndex, query: str, expected: set[int]) -> None:
    assert ids(index, query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(attention", 'Unmatched "("'),
        ("attention)", 'Unmatched ")"'),
        ("a) (b", 'Unmatched ")"'),
        ('"attention is', "Unmatched quote"),
        ("foo:bar", 'Unknown field "foo:"'),
        ("http://arxiv.org", 'Unknown field "http:"'),
        ("title:", '"title:" needs a value'),
        ("title: mamba", '"title:" needs a value'),
        ("(tag:)", '"tag:" needs a value'),
        ("year:abc", 'Not a number: "abc"'),
        ("year:[abc TO]", 'Not a number: "[abc TO]"'),
        ("upvotes:[1 TO x]", "Not a number"),
        ("year:(2020 OR x)", 'Not a number: "x"'),
        ('year:"2020"', "without quotes"),
        ("status:done", "status: takes read or unread"),
        ("status:re*", "status: takes read or unread"),
        ('tag:"a, b"', "tags have no commas"),
        ("attention~3", "1 or 2 edits"),
    ],
)
def test_malformed_queries_raise_with_a_message(
    index: SearchIndex, query: str, message: str
) -> None:
    with pytest.raises(QueryError, match=None) as raised:
        index.search(query)
    assert message in str(raised.value)
    with pytest.raises(QueryError):
        validate_query(query)
    with pytest.raises(QueryError):
        index.ranked_ids(query)


def test_unknown_field_message_lists_the_fields() -> None:
    with pytest.raises(QueryError) as raised:
        validate_query("foo:bar")
    assert str(raised.value).startswith(
        'Unknown field "foo:" — use title:, abstract:, note:, tag:, status:, year: or upvotes:'
    )


@pytest.mark.parametrize("query", ["", "   ", "attention", '"foo:bar"', "don't", "a (b) c"])
def test_validate_query_accepts(query: str) -> None:
    validate_query(query)


def test_empty_query_gives_empty_result(index: SearchIndex) -> None:
    result = index.search("   ")
    assert (result.hits, result.total, result.suggestion) == ([], 0, None)
    assert index.ranked_ids("") == []
    assert index.suggest("") is None


def test_a_title_match_outranks_an_abstract_match(index: SearchIndex) -> None:
    # Paper 3 has "transformer" in its title, paper 1 only in its abstract.
    assert index.ranked_ids("transformer") == [3, 1]
    assert index.ranked_ids("attention") == [1]


def test_total_counts_beyond_the_limit(index: SearchIndex) -> None:
    result = index.search("status:unread", limit=1)
    assert len(result.hits) == 1
    assert result.total == 3


def test_ranked_ids_is_the_search_order(index: SearchIndex) -> None:
    hits = index.search("models OR transformer", limit=None, highlight=False).hits
    assert index.ranked_ids("models OR transformer") == [hit.id for hit in hits]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


# did you mean


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("atention", "attention"),
        ("Atention", "Attention"),
        ("atention sequense", "attention sequence"),
        ('"selectve state"', '"selective state"'),
        ("title:mamab", "title:mamba"),
        ("frozen transformr", "frozen transformer"),
        ("transformr", "transformer"),  # not "transform" (same stem, same papers)
        ("transformers", None),  # known (through its stem)
        ("xyzzyq", None),  # nothing close
        ("tag:nlpp", None),  # only words of titles and abstracts are corrected
        ("year:2023", None),
    ],
)
def test_did_you_mean(index: SearchIndex, query: str, suggestion: str | None) -> None:
    assert index.suggest(query) == suggestion
    assert index.search(query).suggestion == suggestion


def test_suggest_of_a_malformed_query_is_none(index: SearchIndex) -> None:
    assert index.suggest("(atention") is None
