"""Searching a library with nothing in it: a new one, or one whose papers were all deleted.

A new library's index has no segment at all (Whoosh reads it with an
EmptyReader); one whose papers were deleted has segments whose papers are
all deleted. Either way every query finds nothing, quietly, and a malformed
query is still refused with its message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from testdata import DUMP_000

from readinglist.cli import main
from readinglist.collection import Collection
from readinglist.errors import QueryError
from readinglist.index.index import SearchIndex

QUERIES = [
    "foo",
    "attention model",
    '"state space"',
    'title:"linear time"',
    "gen*",
    "att?ntion",
    "*",
    "**",
    "atention~",
    "atenton~2",
    "transformr",
    "title:mamba",
    "abstract:diffusion",
    "note:reread",
    "tag:nlp",
    'tag:"machine learning"',
    "tag:mach*",
    "status:read",
    "status:unread attention",
    "year:2023",
    "year:[2020 TO 2023]",
    "year:>=2021",
    "upvotes:[10 TO]",
    "upvotes:<5",
    "[a TO m]",
    "mamba OR diffusion",
    "transformer NOT vision",
    "transformer -vision",
    "NOT transformer",
    "NOT NOT transformer",
    "(mamba OR s4) AND linear",
    "x ANDNOT y",
    "*:*",
    "\udcff*",
]
MALFORMED = ["(attention", "foo:bar", "title:", "year:abc", "attention~3", "(" * 60 + ")" * 60]


@pytest.fixture(scope="module", params=["new", "all deleted"])
def empty(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Collection]:
    collection = Collection.open(tmp_path_factory.mktemp("empty") / "lib")
    if request.param == "all deleted":
        collection.import_paths([DUMP_000])
        ids = collection.list_ids()
        assert ids and collection.search("model").total
        collection.delete(ids)
    yield collection
    collection.close()


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_finds_nothing(empty: Collection, query: str) -> None:
    result = empty.search(query)
    assert (result.hits, result.total, result.suggestion) == ([], 0, None)
    assert empty.search(query, limit=None, highlight=False).total == 0
    assert empty.index.ranked_ids(query) == []
    assert empty.list_ids(query=query) == []
    assert empty.list_ids(query=query, sort=None) == []
    assert empty.highlight(query, [1, 2]) == {1: {}, 2: {}}
    assert empty.suggest(query) is None


@pytest.mark.parametrize("query", MALFORMED)
def test_a_malformed_query_is_still_refused(empty: Collection, query: str) -> None:
    with pytest.raises(QueryError):
        empty.search(query)
    with pytest.raises(QueryError):
        empty.list_ids(query=query)
    assert empty.suggest(query) is None


def test_similar_and_counts(empty: Collection) -> None:
    assert empty.index.similar(1) == []
    assert empty.index.doc_count() == 0
    assert empty.index_is_current()


def test_the_first_import_after_searching_an_empty_library_is_found(tmp_path: Path) -> None:
    collection = Collection.open(tmp_path / "lib")
    assert collection.search("model").total == 0  # opens the searcher of the empty index
    collection.import_paths([DUMP_000])
    assert collection.search("model").total > 0
    assert collection.suggest("modle") == "model"
    collection.close()


def test_an_index_built_from_no_papers(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    assert index.rebuild([], total=0, generation=7)
    index.warm()
    assert index.generation() == 7
    assert index.doc_count() == 0
    for query in QUERIES:
        assert index.search(query).total == 0
        assert index.ranked_ids(query) == []
        assert index.suggest(query) is None
    index.close()


def test_cli_search_in_a_new_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Reported: "unexpected error: AttributeError(...'indexname')", exit 1.
    assert main(["--library", str(tmp_path / "new"), "search", "foo"]) == 0
    captured = capsys.readouterr()
    assert "0 matches" in captured.out
    assert "unexpected" not in captured.err
