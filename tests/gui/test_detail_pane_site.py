"""The detail pane shows what the site's pages carry: links, authors, summary, no abstract."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from testdata import WILD

from readinglist.collection import Collection
from readinglist.gui.widgets.detail_pane import (
    INCOMPLETE_TEXT,
    NO_ABSTRACT_TEXT,
    SUMMARY_HEADING,
    DetailPane,
)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    opened = Collection.open(tmp_path / "lib")
    report = opened.import_paths([WILD / "daily_papers_api.json"])
    assert report.added == 3, report.to_json()
    yield opened
    opened.close()


@pytest.fixture
def pane(qtbot, collection: Collection) -> DetailPane:
    widget = DetailPane(collection)
    qtbot.addWidget(widget)
    widget.resize(560, 900)
    widget.show()
    return widget


def _paper(collection: Collection, arxiv_id: str):
    [paper] = [p for p in collection.get_many(collection.list_ids()) if p.arxiv_id == arxiv_id]
    return paper


def test_links_open_the_site_and_arxiv(pane: DetailPane, collection: Collection) -> None:
    opened: list[QUrl] = []
    pane.open_url = opened.append
    pane.show_paper(_paper(collection, "2605.05242"))
    assert pane.site_button.isVisible() and pane.arxiv_button.isVisible()
    pane.site_button.click()
    pane.arxiv_button.click()
    assert [url.toString() for url in opened] == [
        "https://huggingface.co/papers/2605.05242",
        "https://arxiv.org/abs/2605.05242",
    ]
    # The JSON names the repository: a third link, with its stars.
    assert pane.github_button.isVisible()
    assert pane.github_button.text() == "Code on GitHub (101 stars)"
    pane.github_button.click()
    assert opened[-1].toString() == "https://github.com/DCI-Agent/DCI-Agent-Lite"


def test_authors_names_are_shown_and_the_rest_counted(
    pane: DetailPane, collection: Collection
) -> None:
    paper = _paper(collection, "2605.05242")
    pane.show_paper(paper)
    assert len(paper.author_names) == 19
    assert pane.authors_label.text().startswith("Zhuofeng Li, Haoxiang Zhang, Cong Wei")
    assert pane.authors_label.text().endswith("and 13 more")
    assert "Jimmy Lin" in pane.authors_label.toolTip()


def test_a_paper_without_links_shows_none(pane: DetailPane, collection: Collection) -> None:
    paper = _paper(collection, "2605.06130")
    paper.arxiv_id = None
    paper.github_url = "javascript:alert(1)"  # never a link
    pane.show_paper(paper)
    assert not pane.links_row.isVisible()


def test_summary_shows_when_there_is_no_abstract(pane: DetailPane, collection: Collection) -> None:
    paper = _paper(collection, "2605.06548")
    paper.abstract = ""
    pane.show_paper(paper)
    assert pane.abstract_heading.text() == SUMMARY_HEADING
    assert "Cola DLM" in pane.abstract_label.text()
    assert not pane.no_abstract_label.isVisible()

    paper.summary = None
    pane.show_paper(_paper(collection, "2605.05242"))
    pane.show_paper(paper)
    assert pane.abstract_heading.text() == "Abstract"
    assert pane.no_abstract_label.isVisible()
    assert pane.no_abstract_label.text() == NO_ABSTRACT_TEXT
    assert not pane.abstract_label.isVisible()


def test_the_abstract_wins_over_the_summary(pane: DetailPane, collection: Collection) -> None:
    paper = _paper(collection, "2605.06548")
    raw = json.loads((WILD / "daily_papers_api.json").read_text())
    assert paper.summary and paper.abstract
    pane.show_paper(paper)
    assert pane.abstract_heading.text() == "Abstract"
    assert raw[1]["paper"]["summary"].split()[0] in pane.abstract_label.text()


def test_a_cut_off_entry_says_so(pane: DetailPane, collection: Collection) -> None:
    paper = _paper(collection, "2605.06130")
    pane.show_paper(paper)
    assert not pane.incomplete_label.isVisible()
    paper.incomplete = True
    pane.show_paper(_paper(collection, "2605.05242"))
    pane.show_paper(paper)
    assert pane.incomplete_label.isVisible()
    assert pane.incomplete_label.text() == INCOMPLETE_TEXT
