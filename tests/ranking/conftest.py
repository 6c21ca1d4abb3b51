"""The five real dumps as the ranking sees them, and the topics read off their titles."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from testdata import DATA, dump_files

from readinglist.dumps import read_dump
from readinglist.ranking import RankDoc

SNAPSHOT = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def corpus() -> list[RankDoc]:
    """The distinct papers of the five dumps (same title = same paper), ids from 1 in page order."""
    docs: dict[str, RankDoc] = {}
    for path in dump_files():
        for paper in read_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT).papers:
            known = docs.get(paper.title)
            if known is None:
                docs[paper.title] = RankDoc(
                    len(docs) + 1, paper.title, paper.abstract, paper.upvotes, paper.published
                )
            elif known.upvotes is None and paper.upvotes is not None:
                docs[paper.title] = RankDoc(
                    known.id, known.title, known.abstract, paper.upvotes, known.published
                )
    return list(docs.values())


@pytest.fixture(scope="session")
def topics(corpus: list[RankDoc]) -> dict[str, list[int]]:
    """Topic -> ids of its papers, from tests/data/topics.json."""
    by_title = {doc.title: doc.id for doc in corpus}
    listed = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))["topics"]
    return {topic: [by_title[title] for title in titles] for topic, titles in listed.items()}
