"""The query run while typing: the word at the cursor a prefix, unfinished syntax completed."""

from __future__ import annotations

from pathlib import Path

import pytest
from testdata import DUMPS

from readinglist.collection import Collection
from readinglist.errors import QueryError
from readinglist.index.as_typed import query_while_typing, query_without_typed_word
from readinglist.index.index import validate_query


def typed(text: str) -> str:
    """The query while typing with the cursor at the end (where it is as one types)."""
    return query_while_typing(text, len(text))


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("gene", "gene*"),
        ("language mod", "language mod*"),
        ('"language models" vis', '"language models" vis*'),
        ("(vision OR gene", "(vision OR gene*)"),
        ("title:gene", "title:gene*"),
        ("abstract:diffu", "abstract:diffu*"),
        ("title:(gen", "title:(gen*)"),
        ("gén", "gén*"),  # a word is letters of any script
    ],
)
def test_the_word_being_typed_is_a_prefix(text, query):
    assert typed(text) == query


@pytest.mark.parametrize(
    "text",
    [
        "language models ",  # a space typed: the query is what was written
        "gen*",
        "gen?",
        "vison~",
        "vison~2",
        "gene^2",
        "-gene",  # a prefix would leave out every word it begins
        "NOT gene",
        "a AND",
        "vision OR",
        "tag:mach",  # a tag is a whole value
        "year:2023",
        "upvotes:12",
        "state-spa",  # a hyphen inside a word: the words are "state" and "spa"
        "l'atten",
        '"language models"',
    ],
)
def test_nothing_is_rewritten_where_a_prefix_means_something_else(text):
    assert typed(text) == text


def test_a_word_in_an_excluded_group_stays_whole():
    assert typed("vision -(gene") == "vision -(gene)"


def test_the_word_under_the_cursor_is_the_one_made_a_prefix():
    assert query_while_typing("trans models", 3) == "trans* models"
    assert query_while_typing("trans models", 6) == "trans models"  # at the start of a word
    # Inside a closed phrase, nothing: a phrase takes whole words.
    assert query_while_typing('"language models" vis', 5) == '"language models" vis'
    # A cursor out of range is taken as the nearest end.
    assert query_while_typing("gene", 99) == "gene*"
    assert query_while_typing("gene", -3) == "gene"


def test_a_word_of_one_letter_waits_for_its_second():
    # One letter would begin a good part of the vocabulary: the rest of the query runs.
    assert typed("t") == ""
    assert typed("vision t") == "vision"
    assert typed("vision title:g") == "vision"
    assert typed('"language m') == "(language)"
    assert typed("-t") == "-t"  # excluded words are never rewritten


def test_without_the_typed_word_the_rest_of_the_query_runs():
    def without(text: str) -> str:
        return query_without_typed_word(text, len(text))

    assert without("vision gene") == "vision"
    assert without("gene") == ""
    assert without('"language mo') == "(language)"
    assert query_without_typed_word("tr models", 2) == "models"
    assert without("vision ") == "vision "  # no word being typed: as written


def test_an_open_phrase_is_searched_as_its_words_until_it_is_closed():
    assert typed('"language mo') == "(language mo*)"
    assert typed('vision "language mo') == "vision (language mo*)"
    assert typed('title:"lang mo') == "title:(lang mo*)"
    assert typed('-"foo ba') == "-(foo ba)"  # excluded: no prefix
    # Syntax inside the phrase is its text, not syntax; operators are words there.
    assert typed('"foo: bar AND ba') == "(foo bar and ba*)"
    assert typed('vision "') == "vision"
    # Closed, it is the phrase.
    assert typed('"language models"') == '"language models"'


def test_unfinished_syntax_is_completed_while_typing():
    assert typed("vision title:") == "vision"
    assert typed("title:") == ""
    assert typed("(vision OR (gen") == "(vision OR (gen*))"
    assert typed("year:[2020 TO 20") == "year:[2020 TO 20]"
    assert typed("upvotes:{10 TO") == "upvotes:{10 TO}"
    assert typed("status:u") == "status:unread"
    assert typed("status:rea") == "status:read"
    assert typed("status:x") == "status:x"  # no status begins so: the error says why


# What people type, one character at a time.
TYPED = [
    '"language models" vision',
    "title:diffusion -survey",
    "(vision OR language) AND year:[2020 TO 2024]",
    "status:unread tag:robotics transformer",
    'abstract:"state space" mamba~1',
    "gen* NOT video",
]


@pytest.mark.parametrize("text", TYPED)
def test_every_step_of_typing_a_valid_query_is_a_valid_query(text):
    for end in range(1, len(text) + 1):
        partial = text[:end]
        query = typed(partial)
        try:
            validate_query(query)
        except QueryError:
            # Only what the text as written gets wrong too: the rewriting adds no error.
            with pytest.raises(QueryError):
                validate_query(partial)


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("typing") / "library"
    opened = Collection.open(folder)
    opened.import_paths(sorted(DUMPS.glob("*.txt")))
    yield opened
    opened.close()


def test_typing_a_word_finds_its_papers_at_every_keystroke(collection):
    word = "transformer"
    whole = set(collection.list_ids(query=word, sort=None))
    assert whole
    # "tr" on: each half-typed word finds at least the papers of the whole word
    # (the written "transfo" matches nothing at all).
    assert collection.list_ids(query="transfo", sort=None) == []
    for end in range(2, len(word) + 1):
        found = set(collection.list_ids(query=typed(word[:end]), sort=None))
        assert whole <= found, word[:end]
