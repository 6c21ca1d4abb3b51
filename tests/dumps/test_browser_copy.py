"""Browser copies of the site's pages: real Chromium copies, and what the wild makes of them."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from testdata import WILD

from readinglist.dumps import browser_copy, read_dump, read_text
from readinglist.dumps.html_text import html_to_text
from readinglist.dumps.judge import title_problem
from readinglist.dumps.site_text import FEW_FIELDS, INCOMPLETE
from readinglist.errors import DumpError

RENDERINGS = WILD / "renderings"
PAGE = WILD / "daily_2024-08-01.html"
COPY = RENDERINGS / "daily_2024-08-01.chromium.txt"
SNAPSHOT = datetime(2026, 4, 20, 12, 0)
EXPECTED = json.loads((RENDERINGS / "expected.json").read_text(encoding="utf-8"))
COPIES = sorted(name for name, entry in EXPECTED.items() if entry["form"] == "browser-copy")


def _copy() -> str:
    return COPY.read_text(encoding="utf-8")


def _page_records() -> list[dict]:
    """The page's own JSON (data-props): the abstracts a search page would show."""
    page = PAGE.read_text(encoding="utf-8")
    tag = re.search(r'<[^<>]*data-target="DailyPapers"[^<>]*>', page)[0]
    props = json.loads(html.unescape(re.search(r'data-props="([^"]*)"', tag)[1]))
    return props["dailyPapers"]


def _read(text: str, snapshot: datetime = SNAPSHOT):
    return read_text(text, snapshot=snapshot)


def _check_against_expected(result, expected: dict) -> None:
    papers = result.papers
    assert [p.title for p in papers] == expected["titles"]
    assert [p.upvotes for p in papers] == expected["upvotes"]
    assert [p.authors for p in papers] == expected["authors"]
    assert [p.comments for p in papers] == expected["comments"]
    assert [p.submitter for p in papers] == expected["submitters"]
    assert [p.arxiv_id for p in papers] == expected.get("arxiv_ids", [None] * len(papers))
    assert all(title_problem(p.title) is None for p in papers)
    assert all(p.abstract == "" and p.published is None for p in papers)  # daily cards


# -- the real copies, end to end ---------------------------------------------------


@pytest.mark.parametrize("name", COPIES)
@pytest.mark.parametrize("as_name", ["{}", "copy.txt", "copy.md", "noext"])
def test_each_copy_gives_the_expected_papers(name, as_name):
    expected = EXPECTED[name]
    result = read_dump(
        (RENDERINGS / name).read_bytes(), name=as_name.format(name), snapshot=SNAPSHOT
    )
    assert result.form == "browser-copy"
    _check_against_expected(result, expected)
    assert not any(p.incomplete for p in result.papers)
    if "incomplete" not in expected:
        assert result.skipped == []  # nothing of the navigation is even doubtful


def test_the_page_date_without_a_year_takes_the_snapshot_year():
    assert _read(_copy()).page_date == date(2025, 8, 1)
    assert _read(_copy(), snapshot=datetime(2024, 8, 3)).page_date == date(2024, 8, 1)


def test_a_copy_cut_off_inside_a_title_reports_that_entry_as_incomplete():
    expected = EXPECTED["daily_2024-08-01.chromium-truncated.txt"]["incomplete"]
    result = _read((RENDERINGS / "daily_2024-08-01.chromium-truncated.txt").read_text())
    assert len(result.papers) == 8
    (block,) = result.skipped
    assert block.reason == INCOMPLETE
    assert block.first_line == expected["title_start"]
    assert block.candidate.incomplete
    assert (block.candidate.upvotes, block.candidate.submitter) == (
        expected["upvotes"],
        expected["submitter"],
    )


def _cut_after(text: str, line: str, occurrence: int) -> str:
    """The text up to and including the `occurrence`-th line equal to `line` (stripped)."""
    lines = text.split("\n")
    seen = 0
    for index, raw in enumerate(lines):
        if raw.strip() == line:
            seen += 1
            if seen == occurrence:
                return "\n".join(lines[: index + 1])
    raise AssertionError(f"no {occurrence}th {line!r}")


def test_a_copy_cut_off_after_a_title_imports_the_entry_as_incomplete():
    result = _read(_cut_after(_copy(), "·", 9) + "\n[Content truncated]\n")
    assert len(result.papers) == 9 and result.skipped == []
    last = result.papers[-1]
    assert last.title == EXPECTED["daily_2024-08-01.chromium.txt"]["titles"][8]
    assert (last.incomplete, last.upvotes, last.authors) == (True, 7, None)
    assert not any(p.incomplete for p in result.papers[:-1])


def test_a_copy_ending_before_its_last_byline_marks_the_entry_incomplete():
    # No marker: the file just ends where every other card still had lines.
    result = _read(_cut_after(_copy(), "·", 9))
    assert [p.incomplete for p in result.papers] == [False] * 8 + [True]


def test_a_copy_ending_on_a_title_line_reports_it_as_incomplete():
    text = _copy()
    title = "Improving 2D Feature Representations by 3D-Aware Fine-Tuning"
    result = _read(text[: text.index(title) + len(title)])
    assert len(result.papers) == 8
    assert [(b.first_line, b.reason) for b in result.skipped] == [(title, INCOMPLETE)]


# -- the same cards in the other shapes the site and browsers give them ------------


def test_the_submitter_on_the_line_after_submitted_by():
    text = re.sub(r"Submitted by\s+(\S+)", r"Submitted by\n\1", _copy())
    result = _read(text)
    assert [p.submitter for p in result.papers] == EXPECTED[COPY.name]["submitters"]
    assert [p.upvotes for p in result.papers] == EXPECTED[COPY.name]["upvotes"]


def test_the_separator_and_the_byline_on_one_line():
    text = re.sub(r"\n·\n(\d+ authors)", r"\n· \1", _copy())
    _check_against_expected(_read(text), EXPECTED[COPY.name])


def test_organisation_lines_keep_the_name():
    text = _copy()
    llama, tora = EXPECTED[COPY.name]["titles"][:2]
    text = text.replace(f"{llama}\n·", f"{llama}\nmeta-llama Meta Llama\n·", 1)
    text = text.replace(f"{tora}\n·", f"{tora}\nAlibaba-PAI\n·", 1)
    papers = _read(text).papers
    assert [p.organisation for p in papers[:3]] == ["Meta Llama", "Alibaba-PAI", None]
    assert [p.authors for p in papers[:2]] == [533, 5]


def test_counts_in_thousands():
    text = _copy().replace("\n94\n", "\n1.2k\n", 1)
    assert _read(text).papers[0].upvotes == 1200


@pytest.mark.parametrize("upvotes", ["Upvote\n94", "Upvote 94", "94 upvotes"])
def test_labelled_upvote_counts(upvotes):
    text = _copy().replace("\n94\n", f"\n{upvotes}\n", 1)
    _check_against_expected(_read(text), EXPECTED[COPY.name])


def test_star_counts_go_to_github_stars():
    text = _copy().replace("\n 5\nSubmitted by", "\n 5\nGitHub 11.3k\nSubmitted by", 1)
    papers = _read(text).papers
    assert [p.github_stars for p in papers[:2]] == [11300, None]
    assert papers[0].comments == 5 and papers[1].upvotes == 24


def _search_page(*, summary_label: bool) -> str:
    """The copy with each card's abstract after it, as the site's search pages show them."""
    records = _page_records()
    out, card = [], -1
    for line in _copy().split("\n"):
        if (line.startswith("Submitted by") and card >= 0) or line.startswith("Previous"):
            abstract = " ".join(records[card]["paper"]["summary"].split())
            out += ["AI-generated summary", abstract] if summary_label else [abstract]
        if line.startswith("Submitted by"):
            card += 1
        out.append(line)
    return "\n".join(out)


def test_a_search_page_with_abstracts():
    records = _page_records()
    result = _read(_search_page(summary_label=False))
    expected = EXPECTED[COPY.name]
    assert [p.title for p in result.papers] == expected["titles"]
    assert [p.abstract for p in result.papers] == [
        " ".join(r["paper"]["summary"].split()) for r in records
    ]
    assert [p.comments for p in result.papers] == expected["comments"]


def test_a_labelled_summary_is_kept_apart_from_the_abstract():
    records = _page_records()
    papers = _read(_search_page(summary_label=True)).papers
    assert [p.summary for p in papers] == [" ".join(r["paper"]["summary"].split()) for r in records]
    assert all(p.abstract == "" for p in papers)


def test_a_search_page_cut_off_inside_an_abstract():
    text = _search_page(summary_label=False)
    abstract = " ".join(_page_records()[8]["paper"]["summary"].split())
    result = _read(text[: text.index(abstract) + len(abstract) // 2])
    assert len(result.papers) == 9
    assert result.papers[-1].incomplete and result.papers[-1].abstract
    assert not any(p.incomplete for p in result.papers[:-1])


def test_a_page_date_with_its_year_dates_the_cards_of_the_page():
    text = _copy().replace(" Aug 1 \n", "Aug 1, 2024\n", 1)
    text = text.replace("\n·\n533 authors", "\nPublished on Jul 31\n·\n533 authors", 1)
    result = _read(text)
    assert result.page_date == date(2024, 8, 1)
    first = result.papers[0]
    assert (first.published, first.year_inferred, first.year_source) == (
        date(2024, 7, 31),
        True,
        "page",
    )
    assert first.published_text == "Jul 31"


def test_a_card_date_without_a_page_year_takes_the_snapshot():
    text = _copy().replace("\n·\n533 authors", "\nPublished on Jul 31\n·\n533 authors", 1)
    first = _read(text).papers[0]
    assert (first.published, first.year_source) == (date(2025, 7, 31), "file")


def test_two_copies_pasted_into_one_file():
    text = _copy() + "\n" + _copy()
    titles = EXPECTED[COPY.name]["titles"]
    result = _read(text)
    assert [p.title for p in result.papers] == titles * 2
    assert [p.upvotes for p in result.papers] == EXPECTED[COPY.name]["upvotes"] * 2
    assert result.skipped == []


def test_the_saved_pages_visible_text_reads_as_a_copy():
    # The saved-page reader hands its visible text to this reader: blank lines between fields.
    visible = html_to_text(PAGE.read_text(encoding="utf-8"))
    result = browser_copy.read(visible, snapshot=SNAPSHOT)
    _check_against_expected(result, EXPECTED[COPY.name])
    assert result.skipped == []


def test_a_stray_line_outside_the_cards_is_doubtful_not_a_paper():
    text = _copy().replace("Previous Next", "Get this paper in your agent\nPrevious Next")
    result = _read(text)
    assert len(result.papers) == 13
    assert [b.first_line for b in result.skipped] == ["Get this paper in your agent"]


def test_a_title_with_only_the_older_layouts_metadata_is_doubtful():
    # A byline and a date come with an abstract in the older layout; alone they
    # do not make a card of the current site.
    text = _copy() + "\nA Stray Title\n5 authors\nOct 3 2\n"
    result = _read(text)
    assert len(result.papers) == 13
    assert [(b.first_line, b.reason) for b in result.skipped] == [("A Stray Title", FEW_FIELDS)]


def test_user_names_and_counts_never_become_titles(tmp_path: Path):
    # The copy without its upvote lines and titles: nothing in it is a paper.
    titles = set(EXPECTED[COPY.name]["titles"])
    text = "\n".join(line for line in _copy().split("\n") if line not in titles)
    path = tmp_path / "no-titles.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DumpError, match="no papers found in it"):
        read_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT)
