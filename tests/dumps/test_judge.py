"""The shared judge: what is never a title, and when a file as a whole holds no papers."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import DATA, DUMPS, WILD

from readinglist.dumps import parse_dump, read_dump, read_text
from readinglist.dumps.judge import (
    SITE_CHROME,
    abstract_problem,
    has_listing_signs,
    is_chrome,
    judge_listing,
    paper_problem,
    title_problem,
)
from readinglist.dumps.result import ParseResult
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 4, 20, 12, 0)
RENDERINGS = WILD / "renderings"


@cache
def _dump_papers() -> tuple[ParsedPaper, ...]:
    papers = []
    for path in sorted(DUMPS.glob("*.txt")):
        papers += parse_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT)
    return tuple(papers)


def _real_titles() -> list[str]:
    titles = {paper.title for paper in _dump_papers()}
    for expected in (WILD / "expected.json", RENDERINGS / "expected.json"):
        for entry in json.loads(expected.read_text(encoding="utf-8")).values():
            titles.update(entry["titles"])
    return sorted(titles)


# -- what is never a title --------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Daily Papers", "site navigation"),
        ("  byAK and the research community ", "site navigation"),
        ("by AK and the research community", "site navigation"),
        ("Get trending papers in your email inbox once a day!", "site navigation"),
        ("Search by arxiv id or title", "site navigation"),
        ("Submit a paper", "site navigation"),
        ("Trending Papers", "site navigation"),
        ("Daily / Weekly / Monthly", "site navigation"),
        ("Daily Weekly Monthly", "site navigation"),
        ("Previous Next", "site navigation"),
        ("TOS Privacy About Jobs", "site navigation"),
        ("Models Datasets Spaces Pricing Docs", "site navigation"),
        ("Hugging Face's logo Hugging Face", "site navigation"),
        ("© Hugging Face", "site navigation"),
        ("Upvote", "site navigation"),
        ("AI-generated summary", "site navigation"),
        ("References", "site navigation"),
        ("Visible links:", "site navigation"),
        ("new", "site navigation"),
        ("97", "a count"),
        ("1.2k", "a count"),
        ("11.3k", "a count"),
        ("1,204", "a count"),
        ("97 upvotes", "a count"),
        ("GitHub 11.3k", "a count"),
        ("https://huggingface.co/papers/2407.21783", "a web address"),
        ("/papers/2407.21783", "a web address"),
        ("www.example.org", "a web address"),
        ("12. file:///papers/2407.21783", "a reference list"),
        ("[12] https://huggingface.co/papers", "a reference list"),
        ("Submitted by sileod", "a 'Submitted by' line"),
        ("Submitted by", "site navigation"),
        ("akhaliq", "a user name"),
        ("leo1117", "a user name"),
        ("ibm-granite", "a user name"),
        ("@taesiri", "a user name"),
        ("user_123", "a user name"),
        ("![thumbnail](https://example.org/t.png)", "an image"),
        ("[be9c948ecf] [de1bb22e89]", "an image"),
        ("(BUTTON)", "an image"),
        ("user avatar", "an image"),
        ("Aug 1", "a date"),
        ("Jul 16, 2023 4", "a date"),
        ("Published on Aug 1, 2024", "a date"),
        ("2024-08-01", "a count"),
        ("July 2024", "a date"),
        ("3 days ago", "a date"),
        ("533 authors", "a byline"),
        ("· 533 authors", "a byline"),
        ("  • 6 authors", "a byline"),
        ("URL: https://huggingface.co/papers", "a capture's header"),
        ("**Page Title:** Trending Papers - Hugging Face", "a capture's header"),
        ("Captured (UTC): 2025-01-12 09:14", "a capture's header"),
        ("[Content truncated]", "a note that the capture was cut short"),
        ("[... 4,000 characters truncated ...]", "a note that the capture was cut short"),
        ("____", "no words"),
        ("G\x7f©PÖ\x03I", "control characters: not text"),
        ("·", "no words"),
    ],
)
def test_what_is_never_a_title(line, reason):
    assert title_problem(line) == reason


@pytest.mark.parametrize(
    "title",
    [
        "Mamba",
        "Hyena",
        "Llama 2",
        "GPT-4 Technical Report",
        "Towards-0",
        "Qwen2.5-VL Technical Report",
        "Attention Is All You Need",
        "Learning to Search",
        "Papers with Code",
        "Next-Token Prediction Is All You Need?",
        "Logo Detection in the Wild",
        "[CLS] Token Tells Everything Needed for Training-free Efficient MLLMs",
        "Scaling Laws for Neural Language Models",
        "March of the Transformers",
        "Truncated Diffusion Models",
        "Truncated Flows for Generative Modeling",
        "Self\xadSupervised Learning with a Soft Hyphen",
        "大規模言語モデルの評価",
    ],
)
def test_real_titles_pass(title):
    assert title_problem(title) is None


def test_every_real_title_passes():
    assert [t for t in _real_titles() if title_problem(t) is not None] == []


def test_chrome_words_alone_and_in_a_row():
    assert all(is_chrome(line) for line in ("Subscribe", "Log In", "Sign Up", "Menu"))
    assert all(line.casefold() == line for line in SITE_CHROME)
    assert not is_chrome("Next Models of Language")


# -- any text: no junk comes out, only a DumpError goes wrong ----------------------

CHROME_LINES = [
    "new", "Subscribe", "Daily Papers", "byAK and the research community", "Trending Papers",
    "Daily / Weekly / Monthly", "Search by arxiv id or title", "Submit a paper", "Previous Next",
    "Models Datasets Spaces Pricing Docs", "TOS Privacy About Jobs", "© Hugging Face", "Upvote",
    "Hugging Face", "AI-generated summary", "(BUTTON)", "[ ]", "References", "Visible links:",
]  # fmt: skip
HANDLES = ["akhaliq", "leo1117", "ibm-granite", "@taesiri", "user_123", "xuuuluuu"]
URLS = [
    "https://huggingface.co/papers/2407.21783",
    "file:///papers/2407.21783#community",
    "www.example.org/x",
    "   12. file:///papers/2404.01300",
    "[51] https://huggingface.co/papers?date=2024-07-31",
]
NUMBERS = st.one_of(
    st.integers(0, 100_000).map(str),
    st.builds("{}.{}k".format, st.integers(1, 99), st.integers(0, 9)),
    st.integers(0, 999).map(lambda n: f"  {n} "),
)
DATES = st.sampled_from(["Aug 1", " Aug 1 ", "Jul 16, 2023", "Oct 3 2", "Published on Aug 1, 2024"])
CARD_LINES = st.sampled_from(["·", "533 authors", "· 8 authors", "  • 6 authors", "Submitted by"])
SUBMITTED = st.sampled_from(HANDLES).map(lambda handle: f"Submitted by  {handle}")


@cache
def _titles_and_abstracts() -> tuple[list[str], list[str]]:
    papers = _dump_papers()
    return sorted({p.title for p in papers})[:60], sorted({p.abstract for p in papers})[:30]


LINES = st.one_of(
    st.sampled_from(CHROME_LINES),
    st.sampled_from(HANDLES),
    st.sampled_from(URLS),
    NUMBERS,
    DATES,
    CARD_LINES,
    SUBMITTED,
    st.just(""),
    st.deferred(lambda: st.sampled_from(_titles_and_abstracts()[0])),
    st.deferred(lambda: st.sampled_from(_titles_and_abstracts()[1])),
    st.text(max_size=30),
)
TEXTS = st.lists(LINES, max_size=60).map("\n".join)
JUNK = {line.strip().casefold() for line in CHROME_LINES + HANDLES + URLS}
_NUMBER = re.compile(r"\s*\d[\d.,]*[kK]?\s*")


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.sampled_from(["a.txt", "a.md", "a.html", "noext"]))
def test_no_text_gives_a_junk_title(text, name):
    try:
        result = read_dump(text.encode(), name=name, snapshot=SNAPSHOT)
    except DumpError:
        return
    for paper in result.papers:
        title = paper.title.strip()
        assert title and title_problem(title) is None
        assert title.casefold() not in JUNK
        assert not _NUMBER.fullmatch(title)
        assert not title.startswith(("Submitted by", "http", "www."))


# -- the file as a whole ---------------------------------------------------------


def test_listings_show_their_signs():
    listings = [*DUMPS.glob("*.txt"), *RENDERINGS.glob("*.txt"), *WILD.glob("*.html")]
    listings += [WILD / "trending_capture.md"]
    for path in listings:
        assert has_listing_signs(path.read_text(encoding="utf-8")), path.name


def test_other_files_show_none():
    for path in (DATA / "nonlistings").iterdir():
        assert not has_listing_signs(path.read_text(encoding="utf-8")), path.name


def test_every_real_abstract_reads_as_one():
    assert [p.title for p in _dump_papers() if paper_problem(p) is not None] == []


@pytest.mark.parametrize(
    ("abstract", "problem"),
    [
        ("We show that it works.", "too short for an abstract"),
        ("I read this paper twice, and my take is that it works. " * 8, "personal writing"),
        ("Run `pip install readinglist` and then start it. " * 8, "code or markup"),
        ("- first item of a list that goes on for a while. " * 8, "a list"),
        ("12, 2017, 0.3, 44, 2018, 0.9, 17, 2019, 0.1, " * 8, "not prose"),
        ("A paragraph that reads well enough. " * 9 + "\n\n| a | b |\n|---|---|", "a table"),
    ],
)
def test_what_does_not_read_as_an_abstract(abstract, problem):
    assert abstract_problem(abstract.strip()).startswith(problem)


def _hand_made(papers: list[ParsedPaper]) -> str:
    return "\n\n".join(f"{p.title}\n\n{p.abstract}" for p in papers) + "\n"


def test_a_hand_made_list_of_real_papers_without_chrome_is_read():
    papers = list(_dump_papers()[:3])
    result = read_text(_hand_made(papers), snapshot=SNAPSHOT)
    assert [(p.title, p.abstract) for p in result.papers] == [(p.title, p.abstract) for p in papers]


def test_one_pasted_entry_may_have_a_short_abstract():
    # A text of nothing but its entry: a title and its abstract pasted by hand.
    (paper,) = read_text("A Title\nWe show that it works.\n", snapshot=SNAPSHOT).papers
    assert (paper.title, paper.abstract) == ("A Title", "We show that it works.")


def test_a_paper_quoted_in_notes_is_not_enough():
    paper = _dump_papers()[0]
    notes = (
        "# My notes\n\nI keep these for the reading group; my plan is to go through one "
        "paper a week and I write down what I think of it.\n\n"
        f"## {paper.title}\n\n{paper.abstract}\n\n"
        "- [ ] reread section 3\n- [ ] ask about the baselines\n\n"
        "I liked it, but I am not sure the comparison is fair; my guess is that the "
        "baselines were not tuned. I will ask at the next meeting.\n\n"
        "## Next week\n\nI have not chosen yet. Suggestions welcome, send me a link.\n\n"
    ) * 3
    with pytest.raises(DumpError, match="no papers found in it"):
        read_text(notes, snapshot=SNAPSHOT)


def test_the_judge_leaves_a_listings_papers_alone():
    papers = [ParsedPaper("A Title", "")]
    result = ParseResult(papers, form="browser-copy")
    assert judge_listing("Submitted by akhaliq\n94\nA Title\n·\n5 authors\n", result) is result
    assert judge_listing("A Title\n", ParseResult(papers, form="site-json")).papers == papers
    judged = judge_listing("A Title\n", ParseResult(papers, form="markdown"))
    assert judged.papers == [] and judged.skipped[0].candidate == papers[0]


# -- a title longer than most is still a paper --------------------------------------

LONG_TITLE = (
    "Towards a Unified View of Parameter-Efficient Transfer Learning, Prompting, Adapters, "
    "Low-Rank Updates and Sparse Fine-Tuning for Large Language Models, Vision Transformers "
    "and Speech Recognisers, with a Benchmark of Forty Tasks, an Analysis of Their Scaling "
    "Behaviour and a Practical Guide to Choosing a Method under a Fixed Compute Budget"
)


@pytest.mark.parametrize("separator", ["\n", "\n\n", "\r\n"])
def test_a_long_title_followed_by_its_abstract_is_imported(separator):
    assert len(LONG_TITLE) > 300
    first, second = _dump_papers()[:2]
    chrome = ["new", "Subscribe", "Daily Papers", "Apr 20"]
    lines = [*chrome, second.title, second.abstract, LONG_TITLE, first.abstract]
    lines += ["  • 6 authors", "·", "Jan 29"]
    papers = read_text(separator.join(lines) + separator, snapshot=SNAPSHOT).papers
    assert [p.title for p in papers] == [second.title, LONG_TITLE]
    assert papers[1].abstract == first.abstract
    assert (papers[1].authors, papers[1].published) == (6, date(2026, 1, 29))


def test_a_long_title_in_a_browser_copy():
    copy = (RENDERINGS / "daily_2024-08-01.chromium.txt").read_text(encoding="utf-8")
    copy = copy.replace("The Llama 3 Herd of Models", LONG_TITLE, 1)
    papers = read_text(copy, snapshot=SNAPSHOT).papers
    assert (papers[0].title, papers[0].upvotes, papers[0].authors) == (LONG_TITLE, 94, 533)


def test_a_paragraph_where_a_title_belongs_is_still_no_title():
    first, second = _dump_papers()[:2]
    text = f"{first.title}\n{first.abstract}\n{second.abstract}\n{second.title}\n{second.abstract}"
    titles = [p.title for p in read_text(text, snapshot=SNAPSHOT).papers]
    assert titles == [first.title, second.title]


def test_program_code_is_never_a_title() -> None:
    from readinglist.dumps.judge import title_problem

    assert title_problem("' f\"{html.escape(abstracts[match[1]])}") == "program code"
    assert title_problem("foo(bar[baz]) == {qux}") == "program code"
    # Brackets, quotes and LaTeX that real titles carry.
    for title in (
        'Llama 2 (70B): "Open" Foundation Models',
        "Don't Stop Pretraining: Adapt Language Models to Domains and Tasks",
        "$\\mathcal{O}(n)$ Attention",
    ):
        assert title_problem(title) is None


def test_a_script_that_quotes_the_site_gives_no_papers() -> None:
    from datetime import UTC, datetime

    import pytest

    from readinglist.dumps import read_text
    from readinglist.errors import DumpError

    script = '''"""Remake the variants of the saved daily page (see README.md).

Run from the repository root: `python make_variants.py`.
"""

import re
from pathlib import Path

SUBMITTED = "Submitted by"


def cards(page):
    return re.findall(r'<a href="/papers/([^"]+)"', page)


def main():
    page = Path("daily.html").read_text()
    for card in cards(page):
        print(card)
    return 0
'''
    with pytest.raises(DumpError):
        read_text(script, snapshot=datetime(2026, 1, 1, tzinfo=UTC))
