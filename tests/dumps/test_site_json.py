"""The reader of the site's JSON (its API answers saved to a file)."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import WILD

from readinglist.dumps import ParseResult, read_dump, read_text, site_json
from readinglist.dumps.site_records import unwrap_abstract
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 6, 1, 12, 0)
API = WILD / "daily_papers_api.json"
API_TEXT = API.read_text(encoding="utf-8")


def _read(data: object) -> ParseResult:
    return site_json.read(json.dumps(data), snapshot=SNAPSHOT)


def _entries() -> list[dict]:
    return json.loads(API_TEXT)


def _paper(**fields: object) -> dict:
    """A bare paper object as the search API gives it."""
    paper = {
        "id": "2407.21783",
        "title": "The Llama 3 Herd of Models",
        "summary": "Modern artificial intelligence (AI) systems are powered by foundation models.",
        "authors": [{"name": "Abhimanyu Dubey"}, {"name": "Abhinav Jauhri"}],
        "publishedAt": "2024-07-31T17:54:27.000Z",
        "upvotes": 94,
    }
    paper.update(fields)
    return paper


# -- the API's daily listing ---------------------------------------------------


def test_the_api_listing_gives_its_three_entries_with_every_field():
    result = site_json.read(API_TEXT, snapshot=SNAPSHOT)
    entries = _entries()
    assert result.form == "site-json"
    assert result.skipped == []
    assert result.page_date == date(2026, 5, 8)  # the day all three were submitted on
    first, second, third = result.papers
    assert first == ParsedPaper(
        title=(
            "Beyond Semantic Similarity: Rethinking Retrieval for Agentic Search via Direct"
            " Corpus Interaction"
        ),
        abstract=entries[0]["paper"]["summary"],
        authors=19,
        organisation="TIGER-Lab",
        published=date(2026, 5, 3),
        published_text="May 3, 2026",
        year_inferred=False,
        upvotes=86,
        arxiv_id="2605.05242",
        author_names=tuple(author["name"] for author in entries[0]["paper"]["authors"]),
        comments=3,
        submitter="ZhuofengLi",
        github_url="https://github.com/DCI-Agent/DCI-Agent-Lite",
        github_stars=101,
        summary=(
            "Direct corpus interaction enables more effective agentic search by allowing agents"
            " to query raw text directly, outperforming traditional retrieval methods in complex"
            " tasks."
        ),
        year_source="page",
        incomplete=False,
    )
    assert first.author_names[:3] == ("Zhuofeng Li", "Haoxiang Zhang", "Cong Wei")
    assert first.author_names[-1] == "Yu Zhang"
    assert (second.title, second.arxiv_id, second.upvotes, second.comments) == (
        "Continuous Latent Diffusion Language Model",
        "2605.06548",
        68,
        6,
    )
    assert (second.authors, second.organisation, second.submitter) == (
        11,
        "ByteDance Seed",
        "taesiri",
    )
    assert (second.published, second.published_text) == (date(2026, 5, 7), "May 7, 2026")
    assert (second.github_url, second.github_stars) == (None, None)
    assert second.summary.startswith("Cola DLM presents a hierarchical latent diffusion")
    assert second.abstract == entries[1]["paper"]["summary"]
    assert (third.title, third.arxiv_id, third.upvotes, third.comments, third.authors) == (
        "Skill1: Unified Evolution of Skill-Augmented Agents via Reinforcement Learning",
        "2605.06130",
        67,
        2,
        9,
    )
    # The third entry has no organisation, on the entry or on the paper.
    assert (third.organisation, third.submitter, third.published) == (
        None,
        "taesiri",
        date(2026, 5, 7),
    )
    assert third.summary.startswith("Skill1 is a unified framework")
    assert all(paper.year_source == "page" and not paper.incomplete for paper in result.papers)
    assert [paper.author_names for paper in result.papers] == [
        tuple(author["name"] for author in entry["paper"]["authors"]) for entry in entries
    ]
    assert [paper.abstract for paper in result.papers] == [
        entry["paper"]["summary"]
        for entry in entries  # one paragraph each, unwrapped already
    ]


@pytest.mark.parametrize("name", ["daily_papers.json", "papers.txt", "noext"])
def test_the_dispatcher_reads_the_api_file_whatever_its_name(name):
    result = read_dump(API.read_bytes(), name=name, snapshot=SNAPSHOT)
    assert result.form == "site-json"
    assert result.papers == site_json.read(API_TEXT, snapshot=SNAPSHOT).papers
    assert result.page_date == date(2026, 5, 8)


def test_a_bom_and_crlf_line_ends_change_nothing():
    data = b"\xef\xbb\xbf" + API_TEXT.replace("\n", "\r\n").encode()
    expected = site_json.read(API_TEXT, snapshot=SNAPSHOT).papers
    assert read_dump(data, name="api.json", snapshot=SNAPSHOT).papers == expected


# -- other shapes -----------------------------------------------------------------


def test_a_plain_list_of_paper_objects():
    papers = _read([_paper(), _paper(id="2404.01300", title="NeRF-MAE")]).papers
    assert [(p.title, p.arxiv_id, p.upvotes, p.authors) for p in papers] == [
        ("The Llama 3 Herd of Models", "2407.21783", 94, 2),
        ("NeRF-MAE", "2404.01300", 94, 2),
    ]
    assert papers[0].author_names == ("Abhimanyu Dubey", "Abhinav Jauhri")
    assert papers[0].published == date(2024, 7, 31)


@pytest.mark.parametrize("key", ["dailyPapers", "papers", "searchResults", "items"])
def test_an_object_wrapping_the_list(key):
    assert [p.title for p in _read({key: _entries()}).papers] == [
        p.title for p in _read(_entries()).papers
    ]


def test_a_listing_nested_a_little_deeper():
    papers = _read({"data": {"result": {"papers": [_paper()]}}, "total": 1}).papers
    assert [p.arxiv_id for p in papers] == ["2407.21783"]


def test_a_single_paper_object_or_entry():
    assert [p.title for p in _read(_paper()).papers] == ["The Llama 3 Herd of Models"]
    entry = _entries()[2]
    assert [p.arxiv_id for p in _read(entry).papers] == ["2605.06130"]


def test_the_search_api_shape():
    # /api/papers/search answers entries with a paper wrapper and highlight fields.
    results = [
        {"paper": _paper(), "title": "The Llama 3 Herd of Models", "highlightedTitle": "x"},
        {"paper": _paper(id="2407.21770", title="MoMa"), "numComments": 5},
    ]
    papers = _read(results).papers
    assert [(p.title, p.arxiv_id, p.comments) for p in papers] == [
        ("The Llama 3 Herd of Models", "2407.21783", None),
        ("MoMa", "2407.21770", 5),
    ]


@pytest.mark.parametrize(
    ("upvotes", "expected"),
    [(94, 94), ("94", 94), ("1,204", 1204), ("1.2k", 1200), (None, None), ("many", None),
     (True, None), (-3, None), (12.0, 12), (2.5, None), (10**30, None)],
)  # fmt: skip
def test_upvotes_as_numbers_or_strings(upvotes, expected):
    assert _read([_paper(upvotes=upvotes)]).papers[0].upvotes == expected


def test_titles_are_collapsed_and_abstracts_unwrapped_into_paragraphs():
    summary = (
        "Modern artificial intelligence (AI) systems are powered by foundation models.\n"
        "This paper presents a new set of foundation models, called Llama 3. It is a\n"
        "herd of language models that natively support multilinguality.\n"
        "\n"
        "  A second paragraph, with pre-\n"
        "trained models and  double  spaces.\n"
    )
    paper = _read([_paper(title="MoMa: Efficient Early-Fusion\n  Pre-training  ", summary=summary)])
    (found,) = paper.papers
    assert found.title == "MoMa: Efficient Early-Fusion Pre-training"
    assert found.abstract == (
        "Modern artificial intelligence (AI) systems are powered by foundation models. This paper"
        " presents a new set of foundation models, called Llama 3. It is a herd of language models"
        " that natively support multilinguality.\n\n"
        "A second paragraph, with pre-trained models and double spaces."
    )


def test_unwrap_abstract_keeps_a_spaced_dash_and_crlf_paragraphs():
    assert unwrap_abstract("A -\nB\r\n\r\nC") == "A - B\n\nC"
    assert unwrap_abstract(None) == ""
    assert unwrap_abstract("") == ""


@pytest.mark.parametrize(
    ("given_id", "expected"),
    [("2407.21783", "2407.21783"), ("2407.21783v2", "2407.21783"), ("0704.0001", "0704.0001"),
     ("hep-th/9901001", "hep-th/9901001"), ("math.AG/0309136v1", "math.AG/0309136"),
     ("abc", None), ("12345", None), (2407.21783, None), ("", None)],
)  # fmt: skip
def test_arxiv_ids(given_id, expected):
    assert _read([_paper(id=given_id)]).papers[0].arxiv_id == expected


def test_authors_hidden_from_their_account_still_count_and_empty_names_do_not():
    # "hidden" hides the link to an author's account: the site still counts them.
    authors = [{"name": "A B", "hidden": True}, {"name": "  "}, {"_id": "x"}, "C D", 7]
    (paper,) = _read([_paper(authors=authors)]).papers
    assert (paper.author_names, paper.authors) == (("A B", "C D"), 2)
    (paper,) = _read([_paper(authors=[])]).papers
    assert (paper.author_names, paper.authors) == ((), None)


def test_the_fields_that_fall_back_on_the_paper_or_the_entry():
    entry = {
        "paper": _paper(
            organization={"name": "meta-llama"},
            submittedOnDailyBy={"name": "akhaliq"},
            publishedAt=None,
            summary=None,
            upvotes=None,
        ),
        "title": "Entry title",
        "summary": "The entry's summary.",
        "publishedAt": "2024-08-01T01:21:47.935Z",
        "upvotes": "7",
    }
    (paper,) = _read([entry]).papers
    assert paper.title == "The Llama 3 Herd of Models"  # the paper's own title first
    assert paper.organisation == "meta-llama"  # no fullname: the handle
    assert paper.submitter == "akhaliq"
    assert (paper.published, paper.published_text) == (date(2024, 8, 1), "Aug 1, 2024")
    assert paper.abstract == "The entry's summary."
    assert paper.upvotes == 7
    del entry["paper"]["title"]
    assert _read([entry]).papers[0].title == "Entry title"


def test_the_entry_organisation_wins_and_its_fullname_is_the_name():
    entry = {
        "paper": _paper(organization={"name": "x", "fullname": "Paper Org"}),
        "organization": {"name": "meta-llama", "fullname": "Meta Llama"},
        "submittedBy": {"name": "akhaliq", "fullname": "AK"},
    }
    (paper,) = _read([entry]).papers
    # The organisation by its name; the submitter by the handle every form shows.
    assert (paper.organisation, paper.submitter) == ("Meta Llama", "akhaliq")


def test_the_page_date():
    dated = {"date": "2024-08-01T00:00:00.000Z", "dailyPapers": [{"paper": _paper()}]}
    assert _read(dated).page_date == date(2024, 8, 1)
    assert _read({"dateString": "2026-03-09", "dailyPapers": [_paper()]}).page_date == date(
        2026, 3, 9
    )
    same_day = [_paper(submittedOnDailyAt=f"2024-08-01T0{n}:00:00Z") for n in range(3)]
    assert _read(same_day).page_date == date(2024, 8, 1)
    # A search's results were submitted on different days: no page date.
    spread = [_paper(submittedOnDailyAt=f"2024-08-0{n}T00:00:00Z") for n in range(1, 4)]
    assert _read(spread).page_date is None
    assert _read([_paper()]).page_date is None


# -- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        None,
        [1, 2, 3],
        "a string",
        {"name": "my-app", "version": "1.0.0", "scripts": {"test": "pytest"}},
        {"title": "My app", "id": 3, "items": [{"title": "Settings"}]},
        {"editor.fontSize": 14, "files.exclude": {"**/.git": True}},
        [{"title": "A blog post", "summary": "Not a paper.", "published": "2024-01-01"}],
    ],
    ids=["empty-object", "empty-list", "null", "numbers", "string", "package", "app", "vscode",
         "feed"],
)  # fmt: skip
def test_json_that_is_not_a_listing_gives_no_papers(data):
    assert _read(data).papers == []
    with pytest.raises(DumpError, match="no papers found in it"):
        read_dump(json.dumps(data, indent=2).encode(), name="config.json", snapshot=SNAPSHOT)


def test_entries_without_a_title_are_skipped_with_a_reason():
    entries = [
        {"paper": {"id": "2407.21783", "authors": []}, "numComments": 2},
        {"paper": _paper(id="2407.21770", title="MoMa")},
        {"paper": {"title": "   ", "summary": "x"}},
    ]
    result = _read(entries)
    assert [p.title for p in result.papers] == ["MoMa"]
    assert [(s.first_line, s.reason) for s in result.skipped] == [
        ("an entry without a title (arXiv 2407.21783)", "it has no title"),
        ("an entry without a title", "it has no title"),
    ]


def test_a_listing_of_untitled_entries_alone_gives_no_papers_but_says_why():
    with pytest.raises(DumpError, match="no papers found in it"):
        read_dump(b'[{"paper": {"id": "2407.21783"}}]', name="a.json", snapshot=SNAPSHOT)
    result = site_json.read('[{"paper": {"id": "2407.21783"}}]', snapshot=SNAPSHOT)
    assert [s.reason for s in result.skipped] == ["it has no title"]


def test_a_file_cut_short_gives_the_entries_before_the_cut():
    cut = API_TEXT[: API_TEXT.index('"title": "Skill1')]
    result = read_dump(cut.encode(), name="api.json", snapshot=SNAPSHOT)
    assert result.form == "site-json"
    assert [p.arxiv_id for p in result.papers] == ["2605.05242", "2605.06548"]
    assert result.papers == site_json.read(API_TEXT, snapshot=SNAPSHOT).papers[:2]
    (skipped,) = result.skipped
    assert skipped.reason.startswith("incomplete")
    assert skipped.first_line == "an entry without a title (arXiv 2605.06130)"


def test_a_file_cut_after_the_title_of_its_last_entry_offers_it():
    cut = API_TEXT[: API_TEXT.index('"summary": "A persistent skill')]
    (skipped,) = site_json.read(cut, snapshot=SNAPSHOT).skipped
    assert skipped.first_line.startswith("Skill1: Unified Evolution")
    assert skipped.candidate is not None
    assert (skipped.candidate.arxiv_id, skipped.candidate.incomplete) == ("2605.06130", True)


def test_nesting_deeper_than_the_decoder_allows_is_no_traceback():
    for text in ("[" * 100_000 + "]" * 100_000, '[{"paper": ' * 50_000):
        with pytest.raises(DumpError):
            read_text(text, snapshot=SNAPSHOT, name="deep.json")


# -- arbitrary JSON ------------------------------------------------------------------

KEYS = st.sampled_from(
    ["paper", "title", "id", "authors", "name", "fullname", "hidden", "summary", "upvotes",
     "numComments", "submittedBy", "submittedOnDailyBy", "organization", "publishedAt",
     "submittedOnDailyAt", "githubRepo", "githubStars", "ai_summary", "dailyPapers", "papers",
     "date", "dateString"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["2407.21783", "2024-08-01T00:00:00Z", "94", "1.2k", "2024-13-45", "x/1234567"]
    ),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), inner, max_size=6),
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_gives_a_parse_result(value):
    text = json.dumps(value)
    result = site_json.read(text, snapshot=SNAPSHOT)
    assert isinstance(result, ParseResult)
    for paper in result.papers:
        assert isinstance(paper, ParsedPaper)
        assert paper.title and paper.title == paper.title.strip()
        assert paper.upvotes is None or paper.upvotes >= 0
    # Cut anywhere, it still reads; through the dispatcher only a DumpError escapes.
    site_json.read(text[: len(text) // 2], snapshot=SNAPSHOT)
    with contextlib.suppress(DumpError):
        read_text(text, snapshot=SNAPSHOT, name="x.json")
