"""The Markdown capture reader: converters' renderings, real captures, Markdown that is none.

The renderings and variants are in tests/data/wild/markdown/ (its README says
how each was made). Every file is read end to end, through the dispatcher's
sniffing, as `.md` and as `.txt`.
"""

from __future__ import annotations

import html
import json
import re
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import WILD

from readinglist.dumps import NO_PAPERS, ParseResult, markdown_capture, read_dump
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 4, 20, 12, 0)
MARKDOWN = WILD / "markdown"
EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))
DAILY = EXPECTED["daily_2024-08-01.html"]
TRENDING = EXPECTED["trending_capture.md"]
TRENDING_FILE = WILD / "trending_capture.md"

# Renderings of the daily page by real converters (no abstracts on its cards).
CONVERTED = [
    "daily_2024-08-01.html2text.md",
    "daily_2024-08-01.html2text-width80.md",
    "daily_2024-08-01.html2text-nowrap.md",
    "daily_2024-08-01.html2text-reflinks.md",
    "daily_2024-08-01.pandoc-gfm.md",
    "daily_2024-08-01.pandoc-gfm-plain.md",
    "daily_2024-08-01.markdownify.md",
    "daily_2024-08-01.turndown.md",
]
TRENDING_VARIANTS = [
    "trending_capture.fenced.md",
    "trending_capture.wrapped80.md",
    "trending_capture.wrapped120.md",
    "trending_capture.crlf.md",
]
NOT_CAPTURES = ["project_readme.md", "reading_notes.md", "CHANGELOG.md"]


def _read(path: Path, name: str | None = None) -> ParseResult:
    return read_dump(path.read_bytes(), name=name or path.name, snapshot=SNAPSHOT)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _page_json() -> list[dict]:
    """The daily page's own data: its `data-props` JSON, per paper."""
    page = (WILD / "daily_2024-08-01.html").read_text(encoding="utf-8")
    props = re.search(r'data-target="DailyPapers"\s+data-props="([^"]*)"', page)
    assert props is not None
    return json.loads(html.unescape(props[1]))["dailyPapers"]


PAGE = _page_json()


def _trending_cards() -> list[dict]:
    """Per distinct title of the trending capture: its author count and GitHub stars, as printed."""
    cards: dict[str, dict] = {}
    for block in re.split(r"^### ", TRENDING_FILE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title_lines, _, body = block.partition("\n\n")
        title = " ".join(title_lines.split())
        authors = re.search(r"^- (\d+) authors?$", body, re.M)
        stars = re.search(r"^\[LINK: GitHub ([\d.]+)(k?)\]\((\S+)\)$", body, re.M)
        cards.setdefault(
            title,
            {
                "authors": int(authors[1]) if authors else None,
                "stars": round(float(stars[1]) * (1000 if stars[2] else 1)) if stars else None,
                "github": stars[3] if stars else None,
                "text": _words(body.split("\n- ")[0].split("\n[LINK")[0]),
            },
        )
    return list(cards.values())


CARDS = _trending_cards()


# -- the daily page, rendered by converters --------------------------------------


@pytest.mark.parametrize("name", CONVERTED)
def test_a_converters_rendering_gives_the_pages_papers_and_nothing_else(name: str):
    result = _read(MARKDOWN / name)
    assert result.form == "markdown"
    assert [p.title for p in result.papers] == DAILY["titles"]
    assert [p.arxiv_id for p in result.papers] == DAILY["arxiv_ids"]
    assert [p.upvotes for p in result.papers] == DAILY["upvotes"]
    assert [p.authors for p in result.papers] == DAILY["authors"]
    assert [p.comments for p in result.papers] == [item["numComments"] for item in PAGE]
    assert [p.submitter for p in result.papers] == [item["submittedBy"]["name"] for item in PAGE]
    assert result.skipped == []
    # The cards show no abstracts, no dates, no organisations.
    assert all(p.abstract == "" and p.summary is None for p in result.papers)
    assert all(p.published is None and p.organisation is None for p in result.papers)
    assert not any(p.incomplete for p in result.papers)


@pytest.mark.parametrize("name", [n for n in CONVERTED if "markdownify" not in n])
def test_the_daily_pages_date_comes_from_its_previous_and_next_links(name: str):
    # "[](/papers?date=2024-07-31) Aug 1 [](/papers?date=2024-08-02)"
    assert _read(MARKDOWN / name).page_date == date(2024, 8, 1)


def test_a_page_date_without_a_year_anywhere_is_no_page_date():
    # markdownify drops the arrow links and splits the date: "Aug" / "1".
    assert _read(MARKDOWN / "daily_2024-08-01.markdownify.md").page_date is None


@pytest.mark.parametrize(
    "name", CONVERTED + TRENDING_VARIANTS + ["daily_2024-08-01.scraper-form.md"]
)
def test_the_same_capture_named_txt_gives_the_same_papers(name: str):
    path = MARKDOWN / name
    as_txt = _read(path, name=path.stem + ".txt")
    assert as_txt.form == "markdown"
    assert as_txt.papers == _read(path).papers


# -- the current site's forms: abstracts in links, dates, comment counts --------


def test_a_scrapers_markdown_gives_abstracts_dates_and_counts():
    result = _read(MARKDOWN / "daily_2024-08-01.scraper-form.md")
    assert result.page_date == date(2024, 8, 2)  # its front matter's "retrieved"
    assert [p.title for p in result.papers] == DAILY["titles"]
    assert [p.arxiv_id for p in result.papers] == DAILY["arxiv_ids"]
    assert [p.upvotes for p in result.papers] == DAILY["upvotes"]
    assert [p.authors for p in result.papers] == DAILY["authors"]
    assert [p.comments for p in result.papers] == [item["numComments"] for item in PAGE]
    # The abstract, unwrapped and without the "\\" line ends, is the site's own.
    assert [_words(p.abstract) for p in result.papers] == [
        _words(item["paper"]["summary"]) for item in PAGE
    ]
    assert not any(re.search(r"\\(?:\s|$)", p.abstract) for p in result.papers)
    assert all(p.summary is None for p in result.papers)
    assert [p.published for p in result.papers] == [
        date.fromisoformat(item["paper"]["publishedAt"][:10]) for item in PAGE
    ]
    # "Jul 31" has no year: it is the year of the capture's own date.
    assert all(p.year_inferred and p.year_source == "page" for p in result.papers)
    assert result.skipped == []


def test_a_text_browser_capture_in_a_fence_is_read_and_its_cut_off_entry_kept():
    result = _read(MARKDOWN / "daily_2024-08-01.text-browser-fenced.md")
    assert result.form == "markdown"
    assert result.page_date == date(2024, 8, 1)  # "Captured (UTC): 2024-08-01T18:02:11..."
    papers = result.papers
    assert [p.title for p in papers] == DAILY["titles"]  # "### [...", "### ...][15]" joined
    assert [p.upvotes for p in papers] == DAILY["upvotes"]
    # Its list of references was cut off: no link says which paper is which.
    assert all(p.arxiv_id is None for p in papers)
    complete, last = papers[:-1], papers[-1]
    assert [p.authors for p in complete] == DAILY["authors"][:-1]
    assert [p.comments for p in complete] == [item["numComments"] for item in PAGE[:-1]]
    assert [_words(p.abstract) for p in complete] == [
        _words(item["paper"]["summary"]) for item in PAGE[:-1]
    ]
    assert "pre-trained" in papers[0].abstract  # wrapped as "pre-" / "trained"
    assert [p.published for p in complete] == [
        date.fromisoformat(item["paper"]["publishedAt"][:10]) for item in PAGE[:-1]
    ]
    assert not any(p.incomplete for p in complete)
    assert last.incomplete
    assert last.abstract and _words(PAGE[-1]["paper"]["summary"]).startswith(_words(last.abstract))
    assert result.skipped == []


# -- the real trending capture and its variants -------------------------------------


def _check_trending(papers: list[ParsedPaper]) -> None:
    assert [p.title for p in papers] == TRENDING["titles"]
    assert [p.authors for p in papers] == [card["authors"] for card in CARDS]
    assert [p.github_stars for p in papers] == [card["stars"] for card in CARDS]
    assert [p.github_url for p in papers] == [card["github"] for card in CARDS]
    assert [_words(p.summary or p.abstract) for p in papers] == [card["text"] for card in CARDS]
    assert all(p.arxiv_id is None and p.upvotes is None and p.published is None for p in papers)


def test_the_trending_capture_gives_its_50_papers_once_each_in_page_order():
    result = _read(TRENDING_FILE)
    assert result.form == "markdown"
    _check_trending(result.papers)
    assert result.skipped == []  # the header, the chrome, the star lines: nothing doubtful
    assert not any(p.incomplete for p in result.papers)


def test_the_trending_capture_keeps_summaries_and_abstracts_apart():
    papers = {p.title: p for p in _read(TRENDING_FILE).papers}
    lightning = papers["Agent Lightning: Train ANY AI Agents with Reinforcement Learning"]
    assert lightning.abstract == "" and lightning.summary.startswith(
        "Agent Lightning is a flexible"
    )
    assert (lightning.authors, lightning.github_stars) == (8, 11300)
    assert (
        papers["HeartMuLa: A Family of Open Sourced Music Foundation Models"].github_stars == 1320
    )
    shaper = papers["ShapeR: Robust Conditional 3D Shape Generation from Casual Captures"]
    assert (shaper.authors, shaper.github_stars) == (None, 476)
    simple = papers["SimpleMem: Efficient Lifelong Memory for LLM Agents"]
    assert simple.summary is None and simple.abstract.startswith("To support reliable long-term")
    assert len(simple.abstract) > 1000
    # Hard-wrapped in the capture itself: one paragraph, its URL last.
    calm = papers["Continuous Audio Language Models"]
    assert "\n" not in calm.abstract and calm.abstract.endswith(
        "Samples are available at https://continuous-audio-language-models.github.io"
    )
    # Wrapped onto an indented second line in the capture.
    assert "Efficient Memory Management for Large Language Model Serving with PagedAttention" in (
        papers
    )
    funaudio = [p for title, p in papers.items() if title.startswith("FunAudioLLM")]
    assert funaudio[0].authors == 1  # "- 1 authors"
    summaries = sum(p.summary is not None for p in papers.values())
    assert summaries > 40 and all(p.abstract == "" for p in papers.values() if p.summary)


@pytest.mark.parametrize("name", TRENDING_VARIANTS)
def test_a_variant_of_the_trending_capture_gives_the_same_papers(name: str):
    result = _read(MARKDOWN / name)
    assert result.form == "markdown"
    _check_trending(result.papers)
    original = _read(TRENDING_FILE).papers
    assert [(p.summary is None, _words(p.abstract)) for p in result.papers] == [
        (p.summary is None, _words(p.abstract)) for p in original
    ]


def test_hard_wrapped_abstracts_are_unwrapped_into_one_paragraph():
    for name in ("trending_capture.wrapped80.md", "trending_capture.wrapped120.md"):
        for paper in _read(MARKDOWN / name).papers:
            assert "\n" not in paper.abstract and "\n" not in (paper.summary or "")


def test_the_users_own_heading_over_a_fenced_capture_is_no_paper():
    result = _read(MARKDOWN / "trending_capture.fenced.md")
    assert [s.first_line for s in result.skipped] == [
        "Trending papers, saved for the reading group"
    ]
    assert result.skipped[0].candidate is not None


def test_a_capture_cut_off_mid_abstract_keeps_the_cut_entry_as_incomplete():
    result = _read(MARKDOWN / "trending_capture.truncated.md")
    papers = result.papers
    assert [p.title for p in papers] == TRENDING["titles"][:11]
    assert not any(p.incomplete for p in papers[:10])
    cut = papers[10]
    assert cut.title.startswith("MiroThinker") and cut.incomplete
    assert cut.abstract.startswith("We present MiroThinker v1.0")
    assert cut.abstract.endswith("MiroThinker explores")
    assert cut.authors is None and cut.github_url is None


# -- Markdown that is no capture -----------------------------------------------------


@pytest.mark.parametrize("name", NOT_CAPTURES)
@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_markdown_that_is_no_capture_gives_no_papers(name: str, suffix: str):
    path = MARKDOWN / name
    with pytest.raises(DumpError, match=NO_PAPERS):
        _read(path, name=path.stem + suffix)


@pytest.mark.parametrize("name", NOT_CAPTURES)
def test_the_reader_itself_makes_no_papers_of_a_documents_sections(name: str):
    result = markdown_capture.read((MARKDOWN / name).read_text(encoding="utf-8"), snapshot=SNAPSHOT)
    assert result.papers == []
    # Skipped, not ignored: the dispatcher must not hand the file to another reader.
    assert result.skipped and all(s.candidate is not None for s in result.skipped)


# -- line forms of the site's cards ------------------------------------------------


def _capture(cards: str, header: str = "") -> ParseResult:
    text = header + "# Daily Papers\n\n## by AK and the research community\n\n" + cards
    return markdown_capture.read(text, snapshot=SNAPSHOT)


ABSTRACT = (
    "We study a hard problem with a new method. Experiments on three benchmarks show large gains. "
    "Code and models are released."
)


def test_organisations_dates_and_comment_counts_as_captures_write_them():
    cards = (
        "[\n65\n][35]\n\n### [Gemini 1.5: Unlocking multimodal understanding][36]\n\n"
        f"[\n\n{ABSTRACT}\n\n][37]\n[[microsoft] Microsoft][38]\n·\nMar 13 [ 3][39]\n"
        "[173](https://huggingface.co/login?next=%2Fpapers%2F2609.11115)\n\n"
        "### [Benchmark Radar: A Living Database](https://huggingface.co/papers/2609.11115)\n\n"
        f"[{ABSTRACT}](https://huggingface.co/papers/2609.11115)\n\n"
        "[![CarnegieMellonU](https://cdn-avatars.huggingface.co/a.png)Carnegie Mellon University]"
        "(https://huggingface.co/CarnegieMellonU)\n\n·\n\n"
        "Sep 9[9](https://huggingface.co/papers/2609.11115#community)\n"
    )
    result = _capture(cards, header="- Captured (UTC): 2025-10-02T08:00:00+00:00\n\n")
    gemini, radar = result.papers
    assert result.page_date == date(2025, 10, 2)
    assert (gemini.upvotes, gemini.organisation, gemini.comments) == (65, "Microsoft", 3)
    assert (gemini.published, gemini.year_source) == (date(2025, 3, 13), "page")
    assert (radar.upvotes, radar.organisation, radar.comments) == (
        173,
        "Carnegie Mellon University",
        9,
    )
    assert (radar.arxiv_id, radar.published) == ("2609.11115", date(2025, 9, 9))
    assert _words(radar.abstract) == ABSTRACT and radar.summary is None


def test_upvotes_after_the_title_go_to_the_paper_their_link_names():
    # A capture of the trending page: the upvote button's link comes after the title.
    cards = (
        "### [UniMate: One Unified Model to Animate Diverse Skeletons]"
        "(https://huggingface.co/papers/2609.05415)\n\n"
        "UniMate is a unified diffusion transformer that animates arbitrary skeletons.\n\n"
        "[[图片：princetonu] Princeton University](https://huggingface.co/princetonu)"
        " · Published on Sep 4, 2026\n\n"
        "[Upvote\n\n22](https://huggingface.co/login?next=%2Fpapers%2F2609.05415)\n\n"
        "[GitHub 1.54k](https://github.com/Friedrich-M/UniMate) "
        "[arXiv Page](https://arxiv.org/abs/2609.05415)\n"
    )
    (paper,) = _capture(cards).papers
    assert (paper.upvotes, paper.organisation) == (22, "Princeton University")
    assert (paper.published, paper.year_inferred) == (date(2026, 9, 4), False)
    assert (paper.github_url, paper.github_stars) == (
        "https://github.com/Friedrich-M/UniMate",
        1540,
    )
    assert paper.summary.startswith("UniMate is") and paper.abstract == ""


def test_the_older_layouts_lines_in_markdown():
    cards = (
        f"## Frozen Transformers in Language Models\n\n{ABSTRACT}\n\n"
        "  • 6 authors\n\n·\n\nJan 29 4\n\n"
        f"## Reactive Transformer\n\n{ABSTRACT}\n\nReactiveAI Reactive AI\n\n·\n\nJul 16, 2023\n"
    )
    frozen, reactive = _capture(cards).papers
    assert (frozen.authors, frozen.published, frozen.upvotes) == (6, date(2026, 1, 29), 4)
    assert frozen.year_source is None  # no page date: the dispatcher says "file"
    assert (reactive.organisation, reactive.published) == ("Reactive AI", date(2023, 7, 16))
    assert frozen.abstract == ABSTRACT


@pytest.mark.parametrize(
    ("text", "abstract"),
    [
        ("A compact model parses documents end to end with a new markup format.", False),
        ("A compact model parses documents end to end, and it is cut off by the si", False),
        (ABSTRACT, True),
        ("One very long sentence, " * 20 + "and it ends here.", True),
    ],
)
def test_text_is_the_abstract_or_the_one_sentence_summary(text: str, abstract: bool):
    (paper,) = _capture(f"### A Title of a Paper\n\n{text}\n- 3 authors\n").papers
    assert (paper.abstract, paper.summary) == ((text, None) if abstract else ("", text))


def test_a_label_says_which_the_text_is():
    cards = f"### A Title of a Paper\n\n#### AI-generated summary\n\n{ABSTRACT}\n\n- 3 authors\n"
    (paper,) = _capture(cards).papers
    assert (paper.abstract, paper.summary) == ("", ABSTRACT)


def test_a_card_printed_twice_is_one_paper_with_what_either_copy_had():
    card = "### [Mem0: Scalable Long-Term Memory](https://huggingface.co/papers/2504.19413)\n\n"
    cards = (
        card
        + "Mem0 builds memory for agents.\n\n"
        + card
        + "Mem0 builds memory for agents.\n- 5 authors\n"
    )
    (paper,) = _capture(cards).papers
    assert (paper.arxiv_id, paper.authors) == ("2504.19413", 5)


def test_the_same_title_with_two_ids_is_two_papers():
    cards = (
        "### [Technical Report](https://huggingface.co/papers/2501.00001)\n\n- 3 authors\n\n"
        "### [Technical Report](https://huggingface.co/papers/2501.00002)\n\n- 4 authors\n"
    )
    assert [p.arxiv_id for p in _capture(cards).papers] == ["2501.00001", "2501.00002"]


def test_chrome_star_lines_images_and_definitions_are_never_papers():
    cards = (
        "## Trending Papers\n\n![logo](/front/assets/logo.svg)\n\n"
        "[LINK: GitHub 11.3k](https://github.com/microsoft/agent-lightning)\n\n"
        "### [A Real Paper Title](/papers/2407.21783)\n\n- 8 authors\n\n"
        "[Previous](/papers?date=2024-07-31) [Next](/papers?date=2024-08-02)\n\n"
        "[1]: https://huggingface.co/papers/2407.21783\n"
    )
    result = _capture(cards)
    assert [p.title for p in result.papers] == ["A Real Paper Title"]
    assert result.papers[0].github_url is None  # the star line came before its title
    assert result.skipped == []


# -- speed -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [MARKDOWN / n for n in CONVERTED + TRENDING_VARIANTS]
    + [
        MARKDOWN / "daily_2024-08-01.scraper-form.md",
        MARKDOWN / "daily_2024-08-01.text-browser-fenced.md",
        MARKDOWN / "trending_capture.truncated.md",
        TRENDING_FILE,
    ],
    ids=lambda path: path.name,
)
def test_a_capture_parses_well_within_a_second(path: Path):
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    markdown_capture.read(text, snapshot=SNAPSHOT)
    elapsed = time.perf_counter() - start
    print(f"{path.name}: {len(text) / 1024:.0f} KiB in {elapsed * 1000:.1f} ms")
    assert elapsed < 1.0


def test_escapes_and_titles_that_only_look_like_markers():
    cards = (
        "### [The Noisy Path from Source to Citation: Measuring How Scholars Engage\\  with "
        "Past Research](https://huggingface.co/papers/2502.20581)\n\n"
        "[Academic citations are widely used for evaluating research and tracing\\\\\n"
        "knowledge flows. Such uses typically rely on raw citation counts.]"
        "(https://huggingface.co/papers/2502.20581)\n\n"
        "[- 3 authors](https://huggingface.co/papers/2502.20581)\n\n·\n\nFeb 27, 2025\n\n"
        "### [Omitted Variable Bias in Machine Learning](https://huggingface.co/papers/1705.08209)\n\n"
        "- 2 authors\n"
    )
    noisy, omitted = _capture(cards).papers
    assert noisy.title.endswith("Scholars Engage with Past Research")
    assert noisy.abstract == (
        "Academic citations are widely used for evaluating research and tracing knowledge flows. "
        "Such uses typically rely on raw citation counts."
    )
    assert (noisy.authors, noisy.published) == (3, date(2025, 2, 27))
    assert not omitted.incomplete and omitted.authors == 2  # no "[Content omitted]" marker


def test_two_captures_pasted_into_one_file_give_both_lists():
    first = (MARKDOWN / "daily_2024-08-01.html2text.md").read_text(encoding="utf-8")
    second = TRENDING_FILE.read_text(encoding="utf-8")
    result = markdown_capture.read(first + "\n\n" + second, snapshot=SNAPSHOT)
    assert [p.title for p in result.papers] == DAILY["titles"] + TRENDING["titles"]
    # The trending page's header does not give its first card the daily page's last details.
    lightning = result.papers[len(DAILY["titles"])]
    assert (lightning.upvotes, lightning.submitter, lightning.comments) == (None, None, None)


# -- any text --------------------------------------------------------------------------

MARKDOWN_LINES = st.sampled_from(
    [
        "",
        "# Daily Papers",
        "## by AK and the research community",
        "### [A Title of a Paper](/papers/2407.21783)",
        "### A Title Wrapped onto",
        "  a second line",
        "[\n94\n][9]",
        "[ 5 ](/papers/2407.21783#community)",
        "- 8 authors",
        "[[microsoft] Microsoft][67]",
        "·",
        "May 29[6](/papers/2407.21783#community)",
        "Published on Feb 30, 2025",
        "[LINK: GitHub 11.3k](https://github.com/a/b)",
        "```text",
        "```",
        "[",
        "][33]",
        "[Content truncated]",
        "**URL:** https://huggingface.co/papers",
        "Captured (UTC): 2025-13-45T00:00:00",
        "---",
        "<div>",
        '<a href="/papers/2407.21783">A Title</a>',
        "[1]: /papers/2407.21783",
        ABSTRACT,
        "One sentence of a summary for the card.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARKDOWN_LINES, st.text(max_size=30)), max_size=40).map("\n".join))
def test_any_text_gives_papers_with_clean_fields_or_none(text: str):
    result = markdown_capture.read(text, snapshot=SNAPSHOT)
    for paper in [*result.papers, *(s.candidate for s in result.skipped if s.candidate)]:
        assert paper.title and paper.title == paper.title.strip()
        assert paper.abstract == paper.abstract.strip()
        assert not (paper.abstract and paper.summary)
        assert (paper.published is None) == (paper.published_text is None)
        assert "\x00" not in paper.title + paper.abstract + (paper.summary or "")
