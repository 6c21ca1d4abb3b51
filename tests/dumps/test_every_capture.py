"""Every capture in tests/data: every paper of its page found, nothing else.

One sweep over all the test data, whatever reader each file goes to: the
site's saved page and its variants, its JSON, the Markdown captures, the
renderings made with real browsers and converters. A file made from a page
gives exactly that page's titles (a cut-off capture a prefix of them, in
order); a file made from no page (READMEs, notes, scripts, changelogs)
gives "no papers found in it".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from testdata import DATA, WILD

from readinglist.dumps import NO_PAPERS, read_dump
from readinglist.dumps.judge import title_problem
from readinglist.dumps.titles import title_key
from readinglist.errors import DumpError

SNAPSHOT = datetime(2026, 12, 1, tzinfo=UTC)
SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".py", ".csv", ".sh"}


def _pages() -> dict[str, list[str]]:
    expected = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))
    daily = expected["daily_2024-08-01.html"]["titles"]
    api = json.loads((WILD / "daily_papers_api.json").read_text(encoding="utf-8"))
    return {
        "daily_2024-08-01": daily,
        "search_2024-08-01": daily,
        "trending_capture": expected["trending_capture.md"]["titles"],
        "daily_papers_api": [entry["paper"]["title"] for entry in api],
    }


PAGES = _pages()
FILES = sorted(
    path
    for folder in (WILD, DATA / "nonlistings")
    for path in folder.rglob("*")
    if path.is_file() and path.suffix in SUFFIXES and path.name != "expected.json"
)


def _page_of(path: Path) -> list[str] | None:
    return next((titles for stem, titles in PAGES.items() if path.name.startswith(stem)), None)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_paper_found_and_nothing_else(path: Path) -> None:
    titles = _page_of(path)
    if titles is None:
        with pytest.raises(DumpError) as raised:
            read_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT)
        assert str(raised.value) == NO_PAPERS
        return
    result = read_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT)
    found = list(dict.fromkeys(title_key(paper.title) for paper in result.papers))
    wanted = [title_key(title) for title in titles]
    assert all(title_problem(paper.title) is None for paper in result.papers)
    if "truncated" in path.name:
        # What was read before the cut, in page order; nothing made up after it.
        assert found == wanted[: len(found)] and len(found) >= 5
    else:
        assert found == wanted


def test_the_sweep_sees_every_form() -> None:
    forms = set()
    for path in FILES:
        if _page_of(path) is not None:
            forms.add(read_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT).form)
    assert forms == {"page-html", "site-json", "browser-copy", "text-browser", "markdown"}
    assert len(FILES) >= 50
