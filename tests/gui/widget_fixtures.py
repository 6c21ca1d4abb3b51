"""Fixtures for the detail-pane and dialog tests: real libraries built from the dumps.

Import the fixtures explicitly in a test module:

    from widget_fixtures import collection_fixture, library_template_fixture  # noqa: F401

(The functions are registered under the names `collection` and
`library_template`, so test arguments do not shadow the imports.)

Building a library from the five dumps (parsing, SQLite, the Whoosh index)
takes a few seconds, so it is built once per session and copied per test.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from testdata import DUMP_000, DUMP_002, DUMPS  # noqa: F401  (re-exported to the tests)

from readinglist.collection import Collection


def all_dumps() -> list[Path]:
    paths = sorted(DUMPS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five dumps in {DUMPS}"
    return paths


@pytest.fixture(scope="session", name="library_template")
def library_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library folder holding every paper of the five dumps (do not modify)."""
    folder = tmp_path_factory.mktemp("template") / "lib"
    collection = Collection.open(folder)
    try:
        report = collection.import_paths(all_dumps())
        assert not report.failed and report.added > 100
    finally:
        collection.close()
    return folder


@pytest.fixture(name="collection")
def collection_fixture(library_template: Path, tmp_path: Path) -> Iterator[Collection]:
    """A private, writable copy of the template library, open."""
    folder = tmp_path / "lib"
    shutil.copytree(library_template, folder)
    opened = Collection.open(folder)
    try:
        yield opened
    finally:
        opened.close()


def paper_with(collection: Collection, predicate) -> int:
    """The id of the first paper (in added order) for which `predicate(paper)` holds."""
    for paper in collection.get_many(collection.list_ids()):
        if predicate(paper):
            return paper.id
    raise AssertionError("no such paper in the dumps")
