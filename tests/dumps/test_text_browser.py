"""lynx and w3m dumps of the site's pages: real renderings and what the wild makes of them."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest
from testdata import WILD

from readinglist.dumps import read_dump, read_text, text_browser
from readinglist.dumps.judge import title_problem
from readinglist.dumps.site_text import INCOMPLETE
from readinglist.dumps.sniff import sniff

RENDERINGS = WILD / "renderings"
SNAPSHOT = datetime(2026, 4, 20, 12, 0)
EXPECTED = json.loads((RENDERINGS / "expected.json").read_text(encoding="utf-8"))
DUMPS = sorted(name for name, entry in EXPECTED.items() if entry["form"] == "text-browser")
LINKED = [name for name in DUMPS if "arxiv_ids" in EXPECTED[name]]
LYNX = RENDERINGS / "daily_2024-08-01.lynx.txt"
W3M_LINKS = RENDERINGS / "daily_2024-08-01.w3m-links.txt"


def _text(name: str) -> str:
    return (RENDERINGS / name).read_text(encoding="utf-8")


def _read(text: str, snapshot: datetime = SNAPSHOT):
    return read_text(text, snapshot=snapshot)


def _check(result, expected: dict) -> None:
    papers = result.papers
    assert [p.title for p in papers] == expected["titles"]
    assert [p.arxiv_id for p in papers] == expected.get("arxiv_ids", [None] * len(papers))
    assert [p.upvotes for p in papers] == expected["upvotes"]
    assert [p.authors for p in papers] == expected["authors"]
    assert [p.comments for p in papers] == expected["comments"]
    assert [p.submitter for p in papers] == expected["submitters"]
    assert [p.abstract for p in papers] == expected.get("abstracts", [""] * len(papers))
    assert all(title_problem(p.title) is None for p in papers)
    assert not any(p.incomplete for p in papers)


@pytest.mark.parametrize("name", DUMPS)
@pytest.mark.parametrize("as_name", ["{}", "dump.txt", "dump.md", "noext"])
def test_each_dump_gives_the_expected_papers(name, as_name):
    expected = EXPECTED[name]
    data = (RENDERINGS / name).read_bytes()
    result = read_dump(data, name=as_name.format(name), snapshot=SNAPSHOT)
    assert result.form == "text-browser"
    _check(result, expected)
    assert result.skipped == []


@pytest.mark.parametrize("name", DUMPS)
def test_the_page_date_and_its_year(name):
    result = _read(_text(name), snapshot=datetime(2026, 4, 20))
    if EXPECTED[name]["page_date"]:
        # The previous and next days' links give the year, whatever the snapshot.
        assert result.page_date == date.fromisoformat(EXPECTED[name]["page_date"])
    else:
        assert result.page_date == date(2025, 8, 1)


@pytest.mark.parametrize("name", DUMPS)
def test_crlf_and_a_bom_change_nothing(name):
    data = b"\xef\xbb\xbf" + _text(name).replace("\n", "\r\n").encode()
    _check(read_dump(data, name="d.txt", snapshot=SNAPSHOT), EXPECTED[name])


@pytest.mark.parametrize("name", LINKED)
def test_references_on_the_web_give_the_same_ids(name):
    # Read from a file the links are file:///papers/...; from the web, https://huggingface.co/.
    text = _text(name).replace("file:///", "https://huggingface.co/")
    _check(_read(text), EXPECTED[name])


def test_arxiv_links_give_the_ids_too():
    text = _text(LYNX.name)
    text = re.sub(r"file:///papers/([\d.]+)$", r"https://arxiv.org/abs/\1v2", text, flags=re.M)
    assert [p.arxiv_id for p in _read(text).papers] == EXPECTED[LYNX.name]["arxiv_ids"]


def test_without_references_the_titles_stay_and_the_ids_go():
    text = _text(LYNX.name)
    body = text[: text.index("\nReferences\n")]
    papers = _read(body).papers
    assert [p.title for p in papers] == EXPECTED[LYNX.name]["titles"]
    assert all(p.arxiv_id is None for p in papers)


def test_two_dumps_pasted_together_each_with_its_references():
    text = _text(LYNX.name) + "\n" + _text(W3M_LINKS.name)
    result = _read(text)
    expected = EXPECTED[LYNX.name]
    assert [p.title for p in result.papers] == expected["titles"] * 2
    assert [p.arxiv_id for p in result.papers] == expected["arxiv_ids"] * 2
    assert result.skipped == []


def test_wrapped_titles_are_joined():
    # At 60 columns most titles take two or three lines.
    text = _text("daily_2024-08-01.lynx-w60.txt")
    body = text[: text.index("References")]
    wrapped = [t for t in EXPECTED[LYNX.name]["titles"] if t not in body]
    assert len(wrapped) >= 8  # the rendering really wraps them
    assert [p.title for p in _read(text).papers] == EXPECTED[LYNX.name]["titles"]


@pytest.mark.parametrize("name", [name for name in DUMPS if "abstracts" in EXPECTED[name]])
def test_hard_wrapped_abstracts_are_unwrapped(name):
    abstracts = EXPECTED[name]["abstracts"]
    text = _text(name)
    assert not any(abstract in text for abstract in abstracts)  # every one is wrapped
    assert [p.abstract for p in _read(text).papers] == abstracts


def test_a_dump_cut_off_after_a_title_reports_it_as_incomplete():
    text = _text(W3M_LINKS.name)
    title = "Improving 2D Feature Representations by 3D-Aware Fine-Tuning"
    result = _read(text[: text.index(title) + len(title)] + "\n")
    assert [p.title for p in result.papers] == EXPECTED[W3M_LINKS.name]["titles"][:8]
    (block,) = result.skipped
    assert (block.first_line, block.reason) == (title, INCOMPLETE)
    assert block.candidate.incomplete and block.candidate.upvotes == 7


def test_a_dump_cut_off_after_a_byline_imports_the_entry_as_incomplete():
    text = _text(W3M_LINKS.name)
    end = text.index("5 authors", text.index("Improving 2D Feature")) + len("5 authors")
    result = _read(text[:end] + "\n\n[Content truncated]\n")
    assert len(result.papers) == 9 and result.skipped == []
    assert [p.incomplete for p in result.papers] == [False] * 8 + [True]
    assert (result.papers[-1].authors, result.papers[-1].comments) == (5, None)


def test_the_forms_are_told_apart_by_content():
    for name, entry in EXPECTED.items():
        assert sniff(_text(name), name="x.md") == entry["form"], name


def test_a_reader_of_lynx_reads_what_it_is_given_directly():
    # The reader alone, without the dispatcher: the same papers.
    result = text_browser.read(_text(LYNX.name), snapshot=SNAPSHOT)
    _check(result, EXPECTED[LYNX.name])
