"""What to read next, through the library: signals set with the API, on the five dumps."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from testdata import DATA, dump_files

from readinglist.collection import Collection
from readinglist.library.reader import LIST_SORTS, PaperFilter


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("for-you") / "lib"
    collection = Collection.open(folder)
    collection.import_paths(dump_files())
    collection.close()
    return folder


@pytest.fixture
def collection(template: Path, tmp_path: Path):
    import shutil

    folder = tmp_path / "lib"
    shutil.copytree(template, folder)
    collection = Collection.open(folder)
    yield collection
    collection.close()


def _topic_ids(collection: Collection, topic: str) -> list[int]:
    titles = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))["topics"][topic]
    by_title = {p.title: p.id for p in collection.get_many(collection.list_ids())}
    return [by_title[t] for t in titles if t in by_title]


def _topic(collection: Collection) -> tuple[str, list[int]]:
    listed = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))["topics"]
    topic = max(listed, key=lambda name: len(listed[name]))
    return topic, _topic_ids(collection, topic)


def test_with_few_signals_the_order_is_upvotes_and_it_says_so(collection: Collection):
    collection.mark(collection.list_ids()[:2], "read")
    found = collection.next_papers(limit=5)
    assert found.fallback and found.note
    upvotes = [collection.get(r.id).upvotes or 0 for r in found.ranked]
    assert upvotes == sorted(upvotes, reverse=True)
    assert all(r.reason for r in found.ranked)


def test_a_reader_of_one_topic_gets_that_topic_first(collection: Collection):
    topic, ids = _topic(collection)
    read, rest = ids[:8], set(ids[8:])
    collection.mark(read, "read")
    found = collection.next_papers(limit=10)
    assert not found.fallback
    top = [r.id for r in found.ranked]
    assert not set(top) & set(read)  # read papers are not "next"
    assert len(set(top) & rest) >= 5, (topic, [collection.get(i).title for i in top])
    assert all("you read" in r.reason for r in found.ranked[:3])


def test_dismissed_papers_are_never_next_and_sink_in_for_you(collection: Collection):
    _topic_name, ids = _topic(collection)
    collection.mark(ids[:8], "read")
    best = collection.next_papers(limit=1).ranked[0].id
    collection.dismiss([best])
    assert best not in [r.id for r in collection.next_papers(limit=None).ranked]
    ordered = collection.list_ids(PaperFilter(status="unread"), sort="for-you")
    assert ordered[-1] == best
    assert sorted(ordered) == sorted(collection.list_ids(PaperFilter(status="unread")))


def test_the_model_is_kept_until_something_it_learned_from_changes(collection: Collection):
    first = collection.recommender.model()
    assert collection.recommender.model() is first
    paper_id = collection.list_ids()[0]
    collection.add_opened_time(paper_id, 300)
    second = collection.recommender.model()
    assert second is not first
    collection.mark([paper_id], "read")
    assert collection.recommender.model() is not second


def test_the_inbox_is_in_for_you_order(collection: Collection):
    _topic_name, ids = _topic(collection)
    collection.mark(ids[:8], "read")
    inbox = collection.inbox()
    assert [r.id for r in inbox.ranked] == collection.list_ids(
        PaperFilter(inbox=True), sort="for-you"
    )
    assert len(inbox.ranked) == collection.stats().inbox


def _page(path: Path, papers: list[tuple[str, str, int]], day: str) -> Path:
    path.write_text(
        json.dumps(
            [
                {"paper": {"id": arxiv, "title": title, "summary": title * 3, "upvotes": upvotes}}
                for arxiv, title, upvotes in papers
            ]
        )
    )
    moment = datetime.fromisoformat(f"{day}T09:00:00+00:00").timestamp()
    os.utime(path, (moment, moment))
    return path


def test_rising_puts_the_fastest_gainers_first(tmp_path: Path):
    collection = Collection.open(tmp_path / "lib")
    try:
        slow = ("2601.00001", "Slow Paper Gaining Little Over Days", 10)
        fast = ("2601.00002", "Fast Paper Gaining A Lot Over Days", 10)
        once = ("2601.00003", "Paper Seen On One Page Only Here", 500)
        collection.import_paths([_page(tmp_path / "a.json", [slow, fast, once], "2026-11-01")])
        later = [(slow[0], slow[1], 14), (fast[0], fast[1], 210)]
        collection.import_paths([_page(tmp_path / "b.json", later, "2026-11-05")])
        by_title = {p.title: p.id for p in collection.get_many(collection.list_ids())}
        order = collection.list_ids(sort="rising")
        assert order == [by_title[fast[1]], by_title[slow[1]], by_title[once[1]]]
        rates = collection.rising_rates(order)
        assert rates[by_title[fast[1]]] == pytest.approx(50.0)
        assert rates[by_title[once[1]]] is None
    finally:
        collection.close()


def test_every_listing_order_is_accepted(collection: Collection):
    every = sorted(collection.list_ids())
    for sort in LIST_SORTS:
        assert sorted(collection.list_ids(sort=sort)) == every, sort
