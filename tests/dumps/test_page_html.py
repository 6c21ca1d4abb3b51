"""The reader of saved pages of the site: its data, its cards, its visible text."""

from __future__ import annotations

import contextlib
import html
import json
import re
import time
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import WILD

from readinglist.dumps import ParseResult, page_html, read_dump, read_text
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 6, 1, 12, 0)
SAMPLE = WILD / "daily_2024-08-01.html"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
VARIANTS = WILD / "html"
EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))[SAMPLE.name]
COMMENTS = [5, 2, 5, 8, 2, 2, 2, 3, 3, 2, 2, 2, 2]
SUBMITTERS = [
    "akhaliq", "akhaliq", "VictoriaLinML", "xuuuluuu", "akhaliq", "sileod", "leo1117", "Vfrz",
    "yuanwenyue", "akhaliq", "akhaliq", "akhaliq", "akhaliq",
]  # fmt: skip
PROPS = re.compile(r'(data-target="DailyPapers" data-props=")([^"]*)(")')


def _read(text: str) -> ParseResult:
    return page_html.read(text, snapshot=SNAPSHOT)


def _variant(name: str) -> str:
    return (VARIANTS / name).read_text(encoding="utf-8")


def _listed(papers: list[ParsedPaper]) -> dict[str, list]:
    """The fields expected.json lists for the saved page (but has_abstract)."""
    return {
        "titles": [paper.title for paper in papers],
        "arxiv_ids": [paper.arxiv_id for paper in papers],
        "upvotes": [paper.upvotes for paper in papers],
        "authors": [paper.authors for paper in papers],
    }


def _expected(count: int = 13) -> dict[str, list]:
    return {key: EXPECTED[key][:count] for key in ("titles", "arxiv_ids", "upvotes", "authors")}


def _props() -> dict:
    return json.loads(html.unescape(PROPS.search(SAMPLE_TEXT)[2]))


def _with_props(data: object, page: str = SAMPLE_TEXT) -> str:
    """The page with other data in its DailyPapers component."""
    escaped = html.escape(json.dumps(data), quote=True)
    return PROPS.sub(lambda match: match[1] + escaped + match[3], page, count=1)


# -- the sample page: its data ------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> ParseResult:
    return page_html.read(SAMPLE_TEXT, snapshot=SNAPSHOT)


def test_the_sample_page_gives_its_13_papers_in_page_order(sample):
    assert _listed(sample.papers) == _expected()
    assert [bool(paper.abstract) for paper in sample.papers] == EXPECTED["has_abstract"]
    assert sample.form == "page-html"
    assert sample.skipped == []


def test_the_sample_page_date(sample):
    assert sample.page_date == date(2024, 8, 1)


def test_the_first_paper_of_the_sample_page(sample):
    paper = sample.papers[0]
    assert len(paper.author_names) == 533 == paper.authors
    assert paper.author_names[:3] == ("Abhimanyu Dubey", "Abhinav Jauhri", "Abhinav Pandey")
    assert paper.submitter == "akhaliq"  # the handle, as the cards and copies show it
    assert paper.comments == 5
    assert (paper.published, paper.published_text) == (date(2024, 7, 31), "Jul 31, 2024")
    assert (paper.year_inferred, paper.year_source) == (False, "page")
    assert paper.abstract.startswith(
        "Modern artificial intelligence (AI) systems are powered by foundation models. This"
        " paper presents a new set of foundation models, called Llama 3."
    )
    assert "\n" not in paper.abstract  # the site's hard wraps joined
    assert paper.abstract.endswith("as they are still under development.")
    assert paper.url == "https://huggingface.co/papers/2407.21783"


def test_every_paper_of_the_sample_page(sample):
    assert [paper.comments for paper in sample.papers] == COMMENTS
    assert [paper.submitter for paper in sample.papers] == SUBMITTERS
    assert [paper.organisation for paper in sample.papers] == [None] * 13  # none in 2024
    assert all(paper.published is not None for paper in sample.papers)
    assert sample.papers[-1].published == date(2024, 4, 1)
    # Titles hard-wrapped in the JSON ("...Modality-Aware\n  Experts") read as one line.
    assert all("\n" not in paper.title and "  " not in paper.title for paper in sample.papers)


def test_the_sample_page_end_to_end_whatever_its_name(sample):
    for name in ("daily.html", "daily.txt", "page"):
        result = read_dump(SAMPLE.read_bytes(), name=name, snapshot=SNAPSHOT)
        assert result.form == "page-html"
        assert result.papers == sample.papers
        assert result.page_date == date(2024, 8, 1)


def test_the_time_to_read_the_sample_page():
    start = time.perf_counter()
    page_html.read(SAMPLE_TEXT, snapshot=SNAPSHOT)
    elapsed = time.perf_counter() - start
    print(f"\nsaved page ({len(SAMPLE_TEXT) // 1024} KB): {elapsed * 1000:.1f} ms")


def test_a_page_cut_inside_a_card_still_has_all_its_data():
    ninth_card = [match.start() for match in re.finditer("<article", SAMPLE_TEXT)][8]
    result = _read(SAMPLE_TEXT[: ninth_card + 500])
    assert _listed(result.papers) == _expected()


# -- the data of other pages --------------------------------------------------------


def test_any_component_holding_entries_is_read_whatever_its_name():
    entries = _props()["dailyPapers"][:2]
    props = html.escape(json.dumps({"trendingPapers": entries, "sort": "trending"}))
    page = (
        "<!doctype html><html><head><title>Trending Papers - Hugging Face</title></head><body>"
        '<div class="SVELTE_HYDRATER contents" data-target="TrendingPapersList"'
        f' data-props="{props}"></div></body></html>'
    )
    assert [p.arxiv_id for p in _read(page).papers] == ["2407.21783", "2407.21705"]


def test_a_single_papers_page():
    entry = _props()["dailyPapers"][1]
    props = {"paper": entry["paper"], "comments": [], "canSubmit": False, "upvoted": False}
    page = (
        '<html><head><meta property="og:url" content="https://huggingface.co/papers/2407.21705">'
        '</head><body><div data-target="PaperContent" data-props=\''
        + html.escape(json.dumps(props), quote=True)
        + "'></div></body></html>"
    )
    (paper,) = _read(page).papers
    assert (paper.title, paper.arxiv_id, paper.authors, paper.upvotes) == (
        "Tora: Trajectory-oriented Diffusion Transformer for Video Generation",
        "2407.21705",
        5,
        24,
    )
    assert paper.abstract


def test_a_search_page_gives_its_results_not_the_days_papers_beside_them():
    entries = _props()["dailyPapers"]
    data = {
        "query": {"q": "3D"},
        "dateString": "2024-08-01",
        "dailyPapers": entries[:6],
        "searchResults": entries[8:11],
    }
    # The page shows (links to) the results only.
    cards = "".join(
        f'<article><h3><a href="/papers/{e["paper"]["id"]}">{html.escape(e["title"])}</a></h3>'
        "</article>"
        for e in entries[8:11]
    )
    props = html.escape(json.dumps(data))
    page = _page(f'<div data-target="DailyPapers" data-props="{props}"></div>{cards}')
    result = _read(page)
    assert [p.arxiv_id for p in result.papers] == ["2407.20229", "2407.21781", "2407.21686"]
    assert result.page_date == date(2024, 8, 1)


def test_upvotes_given_as_strings_in_the_page_data():
    data = _props()
    data["dailyPapers"][0]["paper"]["upvotes"] = "94"
    data["dailyPapers"][1]["paper"]["upvotes"] = "1.2k"
    papers = _read(_with_props(data)).papers
    assert [papers[0].upvotes, papers[1].upvotes] == [94, 1200]


def test_a_title_of_300_characters_is_imported_from_the_data_and_from_the_cards():
    long_title = ("A Very Long Title About Scaling " * 10)[:300].strip()
    assert len(long_title) >= 299
    data = _props()
    data["dailyPapers"][0]["paper"]["title"] = long_title
    assert _read(_with_props(data)).papers[0].title == long_title
    cards = _variant("daily_2024-08-01.cards.html").replace(
        ">The Llama 3 Herd of Models</a></h3>", f">{long_title}</a></h3>", 1
    )
    assert _read(cards).papers[0].title == long_title
    result = read_dump(cards.encode(), name="long.html", snapshot=SNAPSHOT)
    assert result.papers[0].title == long_title


# -- the cards, when the page has no data --------------------------------------------


def test_the_cards_of_a_page_without_its_data():
    result = read_dump(
        (VARIANTS / "daily_2024-08-01.cards.html").read_bytes(), name="cards.txt", snapshot=SNAPSHOT
    )
    assert _listed(result.papers) == _expected()
    assert result.page_date == date(2024, 8, 1)  # the date header's <time>
    assert [paper.abstract for paper in result.papers] == [""] * 13  # daily cards have none
    assert [paper.comments for paper in result.papers] == COMMENTS
    assert [paper.submitter for paper in result.papers] == SUBMITTERS
    assert not any(paper.incomplete for paper in result.papers)
    assert all(paper.organisation is None for paper in result.papers)
    assert result.skipped == []


def test_cards_that_carry_abstracts(sample):
    result = _read(_variant("search_2024-08-01.cards-with-abstracts.html"))
    assert _listed(result.papers) == _expected()
    assert [paper.abstract for paper in result.papers] == [
        " ".join(paper.abstract.split()) for paper in sample.papers
    ]


def test_a_page_cut_inside_a_card_imports_the_card_as_incomplete():
    result = _read(_variant("daily_2024-08-01.cards-truncated.html"))
    assert _listed(result.papers) == {
        "titles": EXPECTED["titles"][:9],
        "arxiv_ids": EXPECTED["arxiv_ids"][:9],
        "upvotes": EXPECTED["upvotes"][:9],
        "authors": [*EXPECTED["authors"][:8], None],  # its author count came after the cut
    }
    assert [paper.incomplete for paper in result.papers] == [False] * 8 + [True]


def test_a_page_cut_inside_its_data_gives_the_entries_before_the_cut(sample):
    result = read_dump(
        (VARIANTS / "daily_2024-08-01.props-truncated.html").read_bytes(),
        name="cut.html",
        snapshot=SNAPSHOT,
    )
    assert result.papers == sample.papers[:9]
    assert result.page_date == date(2024, 8, 1)
    (skipped,) = result.skipped
    assert skipped.reason.startswith("incomplete")
    assert "2407.21781" in skipped.first_line


def test_a_card_cut_before_its_title_is_reported():
    cards = _variant("daily_2024-08-01.cards.html")
    second = [match.start() for match in re.finditer("<article", cards)][1]
    result = _read(cards[: second + 300])
    assert [paper.title for paper in result.papers] == EXPECTED["titles"][:1]
    assert [(s.first_line, s.reason) for s in result.skipped] == [
        ("the card of arXiv 2407.21705", "incomplete: the page ends inside this card")
    ]


def _card(
    inner: str, *, paper: str = "2407.21783", title: str = "The Llama 3 Herd of Models"
) -> str:
    return (
        '<article class="flex flex-col"><div>Submitted by <span>akhaliq</span></div>'
        f'<label><input type="checkbox"><div class="leading-none">94</div></label>'
        f'<h3><a href="/papers/{paper}">{title}</a></h3>{inner}</article>'
    )


def _page(*cards: str, head: str = "") -> str:
    return (
        "<!doctype html><html><head><title>Daily Papers - Hugging Face</title>"
        f"{head}</head><body><main>{''.join(cards)}</main></body></html>"
    )


def test_a_cards_organisation_github_link_and_date():
    card = _card(
        '<div><a href="/meta-llama"><img alt="meta-llama" src="/a.png"><span>Meta Llama</span></a>'
        '<span>· 533 authors</span><a href="https://github.com/meta-llama/llama3">'
        "<svg><path d=''/></svg><span>1.2k</span></a>"
        '<a href="/papers/2407.21783#community">12</a><span>Published on Jul 29</span></div>'
    )
    head = '<link rel="canonical" href="/papers/date/2024-08-01">'  # relative: names no site
    (paper,) = _read(_page(card, head=head)).papers
    assert (paper.organisation, paper.authors, paper.comments, paper.upvotes) == (
        "Meta Llama",
        533,
        12,
        94,
    )
    assert (paper.github_url, paper.github_stars) == ("https://github.com/meta-llama/llama3", 1200)
    assert (paper.submitter, paper.arxiv_id) == ("akhaliq", "2407.21783")
    assert (paper.published, paper.published_text) == (date(2024, 7, 29), "Jul 29")
    assert (paper.year_inferred, paper.year_source) == (True, "page")


def test_a_date_without_a_year_takes_the_pages_year():
    card = _card("<p>Dec 30</p>")
    head = '<meta property="og:url" content="https://huggingface.co/papers?date=2025-01-05">'
    result = _read(_page(card, head=head))
    assert result.page_date == date(2025, 1, 5)
    assert result.papers[0].published == date(2024, 12, 30)
    assert result.papers[0].abstract == ""  # a date is no abstract


def test_avatars_count_as_authors_only_when_nothing_says_the_count():
    avatars = "<ul>" + "".join(f'<li title="user{n}"><img src="/a.svg"></li>' for n in range(3))
    (paper,) = _read(_page(_card(avatars + "</ul>"))).papers
    assert paper.authors == 3
    (paper,) = _read(_page(_card(avatars + "<li>· 7 authors</li></ul>"))).papers
    assert paper.authors == 7


def test_a_heading_inside_the_link_to_the_paper():
    card = (
        '<article><a href="https://huggingface.co/papers/2404.01300v2"><h3>NeRF-MAE</h3></a>'
        "<p>Neural Radiance Fields (NeRFs) are a representation of 3D scenes that we pre-train.</p>"
        "</article>"
    )
    (paper,) = _read(_page(card)).papers
    assert (paper.title, paper.arxiv_id) == ("NeRF-MAE", "2404.01300")
    assert paper.abstract.startswith("Neural Radiance Fields")


def test_the_page_date_from_its_address_or_title():
    cards = _variant("daily_2024-08-01.cards.html")
    no_header = re.sub(r"<time [^>]*>", "<time>", cards)
    assert _read(no_header).page_date is None
    saved = "<!-- saved from url=(0047)https://huggingface.co/papers?date=2024-07-30 -->\n"
    assert _read(saved + no_header).page_date == date(2024, 7, 30)
    titled = no_header.replace(
        "<title>Daily Papers - Hugging Face</title>", "<title>Daily Papers - Jul 29, 2024</title>"
    )
    assert _read(titled).page_date == date(2024, 7, 29)


# -- the visible text, when there are neither data nor cards ---------------------------


def test_the_visible_text_of_a_page_without_data_or_cards():
    result = read_dump(
        (VARIANTS / "daily_2024-08-01.text.html").read_bytes(), name="text.html", snapshot=SNAPSHOT
    )
    assert result.form == "page-html"
    assert result.page_date == date(2024, 8, 1)  # its canonical link's ?date=
    assert {
        "titles": [paper.title for paper in result.papers],
        "upvotes": [paper.upvotes for paper in result.papers],
        "authors": [paper.authors for paper in result.papers],
    } == {key: EXPECTED[key] for key in ("titles", "upvotes", "authors")}


def test_visible_text_in_the_sample_layout():
    abstract = (
        "We propose a method that learns representations of scenes from posed images, and we"
        " show that it transfers to detection and segmentation with little labelled data."
    )
    page = _page(
        "<p>Daily Papers</p><p>NeRF-MAE: Masked AutoEncoders for Self-Supervised 3D"
        " Representation Learning</p>"
        f"<p>{abstract}</p><p>6 authors · Apr 1</p>"
    )
    (paper,) = _read(page).papers
    assert (paper.title, paper.abstract, paper.authors) == (
        "NeRF-MAE: Masked AutoEncoders for Self-Supervised 3D Representation Learning",
        abstract,
        6,
    )


# -- pages that are not the site's ---------------------------------------------------


@pytest.mark.parametrize("name", ["blog_post.html", "github_readme.html"])
def test_a_page_that_is_not_a_listing_of_the_site_gives_no_papers(name):
    path = VARIANTS / name
    result = _read(path.read_text(encoding="utf-8"))
    assert result.papers == []
    assert [skipped.reason for skipped in result.skipped] == ["not a page of the daily-papers site"]
    with pytest.raises(DumpError, match="no papers found in it"):
        read_dump(path.read_bytes(), name=name, snapshot=SNAPSHOT)


def test_two_cards_of_a_page_that_does_not_say_whose_it_is():
    cards = _card("") + _card("", paper="2407.21705", title="Tora")
    page = f"<html><body>{cards}</body></html>"
    assert [p.title for p in _read(page).papers] == ["The Llama 3 Herd of Models", "Tora"]
    # One card on a page that does not say whose it is: a blog's post with a heading link.
    one = (
        "<html><body><article><h3><a href='https://huggingface.co/papers/2407.21705'>Tora</a>"
        f"</h3><p>{'word ' * 80}</p></article></body></html>"
    )
    assert _read(one).papers == []


def test_the_sites_navigation_never_becomes_a_paper():
    for name in ("daily_2024-08-01.cards.html", "search_2024-08-01.cards-with-abstracts.html"):
        titles = [paper.title for paper in _read(_variant(name)).papers]
        assert titles == EXPECTED["titles"]


# -- arbitrary input -------------------------------------------------------------------

PIECES = [
    "<article>", "</article>", "<h3>", "</h3>", "<a href='/papers/2407.21783'>", "<a href=",
    "</a>", "<p>", "</p>", "<li title='x'>", "Submitted by", "94", "· 5 authors", "Jul 31",
    "<time datetime='2024-08-01'>", ' data-props="', "&quot;", '"', "<div", ">", "<![", "<!--",
    "<script>", "</script>", "<svg>", "</svg>", "{", "}", "[", "]", "&", "\n", " ",
]  # fmt: skip
HTMLISH = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(PIECES)), max_size=40).map(
    "".join
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), HTMLISH))
def test_any_text_wrapped_as_html_gives_a_parse_result(text):
    page = (
        f"<!doctype html><html><head><title>Daily Papers</title></head><body>{text}</body></html>"
    )
    for markup in (page, text):
        result = page_html.read(markup, snapshot=SNAPSHOT)
        assert isinstance(result, ParseResult)
        assert all(isinstance(paper, ParsedPaper) and paper.title for paper in result.papers)
    with contextlib.suppress(DumpError):
        read_text(page, snapshot=SNAPSHOT, name="page.html")


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["paper", "title", "id", "authors", "name", "upvotes", "dailyPapers"]),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.integers(min_value=0, max_value=400))
def test_any_json_in_the_page_data_gives_a_parse_result(value, cut):
    page = _page(
        f'<div data-target="DailyPapers" data-props="{html.escape(json.dumps(value))}"></div>'
    )
    assert isinstance(_read(page), ParseResult)
    assert isinstance(_read(page[: len(page) - cut]), ParseResult)
