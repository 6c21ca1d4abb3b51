"""Fuzzed queries on a real index of the five sample dumps: each one answers,
or is refused with a QueryError, in reasonable time; nothing else escapes.

The queries come from `random_query` of benchmarks/query_fuzz.py (words,
quotes, parentheses, operators, fields with and without values, `~N`, `*`,
ranges, unicode, surrogates, control characters, long words, repeated
pieces), driven by Hypothesis so that a failure shrinks to a short query.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from readinglist.collection import Collection
from readinglist.errors import QueryError
from readinglist.index.index import validate_query


def _load_generator():
    # benchmarks/ is a folder of scripts, not a package the tests can import.
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "query_fuzz.py"
    spec = importlib.util.spec_from_file_location("query_fuzz", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


query_fuzz = _load_generator()


@pytest.fixture(scope="module")
def collection(
    tmp_path_factory: pytest.TempPathFactory, dump_paths: list[Path]
) -> Iterator[Collection]:
    """The five dumps, a few notes and tags, and deletions (several segments)."""
    opened = Collection.open(tmp_path_factory.mktemp("fuzz") / "lib")
    opened.import_paths(dump_paths)
    ids = opened.list_ids()
    opened.mark(ids[:30], "read")
    opened.add_tags(ids[10:20], ["machine learning", "nlp"])
    opened.set_note(ids[3], "Reread the attention section; the model is small.")
    opened.delete(ids[40:45])
    yield opened
    opened.close()


def answers_or_refuses(collection: Collection, query: str) -> None:
    """Every entry point of search answers `query` or raises QueryError."""
    try:
        validate_query(query)
    except QueryError as exc:
        assert str(exc)  # a message for the user
        refused = True
    else:
        refused = False
    try:
        result = collection.search(query)
    except QueryError as exc:
        assert str(exc)
        # Refused when parsed, or when matched against the index (a prefix
        # of too many words); never accepted by one and refused by the other.
        assert refused or "too many" in str(exc)
        return
    assert not refused
    assert result.total >= len(result.hits)
    ids = [hit.id for hit in result.hits]
    ranked = collection.index.ranked_ids(query)
    assert len(ranked) == len(set(ranked)) == result.total
    assert set(ids) <= set(ranked)
    marked = collection.highlight(query, ids[:10])
    assert set(marked) == set(ids[:10])
    suggestion = collection.suggest(query)
    assert suggestion is None or isinstance(suggestion, str)
    assert collection.list_ids(query=query, sort="title") is not None


@settings(max_examples=300, deadline=timedelta(seconds=5), database=None)
@given(st.randoms(use_true_random=False))
@example(random.Random(0))
def test_random_queries_answer_or_are_refused(collection: Collection, rng: random.Random) -> None:
    answers_or_refuses(collection, query_fuzz.random_query(rng))


# What was reported crashing or hanging before, answered or refused now.
REPORTED = [
    "NOT NOT a",
    "NOT NOT NOT attention",
    "NOT AND model",
    "model NOT",
    "x REQUIRE REQUIRE y",
    "x ANDNOT ANDNOT y",
    ">= 5",
    "(<3) model",
    "\udcff*",
    "atten\udcfftion",
    "\ud83d",
    "\x00",
    "model\x00\x1f\x7f",
    "(" * 5000,
    "(" * 5000 + "a" + ")" * 5000,
    "NOT " * 3000 + "model",
    "x ANDNOT " * 40 + "x",
    "[to " * 2500,
    "[ to to to " * 900,
    "{" * 10_000,
    '"' * 10_000,
    "tag:" + "a" * 9_996,
    "a" * 10_000,
    "a" * 100_000,
    "title:" * 1_600,
    "**",
    "*?",
    "*a*",
    "[ TO naive]",
    "a* b* c* d* e* f* g* h*",
    "atenton~2 " * 20,
    " ".join(f"w{i}x~" for i in range(30)),
    "a" * 500 + "~2",
    "model^2^3^-1",
    "- - - - - - - - - - - - - - -",
    '"state space" ' + " ".join(f"word{i}" for i in range(1_200)),  # Whoosh's And: a chain
    '"state space" ' + " ".join(f"-w{i}" for i in range(1_200)),
]


@pytest.mark.parametrize("query", REPORTED, ids=lambda q: repr(q)[:40])
def test_reported_queries_answer_or_are_refused(collection: Collection, query: str) -> None:
    answers_or_refuses(collection, query)


def test_the_generator_makes_every_piece_of_the_syntax() -> None:
    # Otherwise the fuzz test above proves less than it seems to.
    rng = random.Random(1)
    text = "".join(query_fuzz.random_query(rng) for _ in range(2_000))
    for piece in ['"', "(", ")", " OR ", "NOT ", "-", "title:", "tag:", "year:", "~2", "*", " TO "]:
        assert piece in text, piece
    assert any("\ud800" <= char <= "\udfff" for char in text)
    assert any(char < " " and char not in "\t\n\r" for char in text)
    assert any(ord(char) > 0x2000 for char in text)
    assert max(len(query_fuzz.random_query(rng)) for _ in range(2_000)) > 10_000
