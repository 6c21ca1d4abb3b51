"""The dump parser, on the five real dumps and on what the wild makes of them."""

from __future__ import annotations

import html
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

import pytest

from readinglist.dumps import SUPPORTED_SUFFIXES, parse_dump, parse_text
from readinglist.dumps.titles import title_key
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 4, 20, 12, 0)
CHROME = {
    "new",
    "Get trending papers in your email inbox!",
    "Get trending papers in your email inbox once a day!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
}
ABSTRACT = "A long abstract that says what the paper does. " * 10  # ~480 characters


@pytest.fixture(scope="module")
def texts(dump_paths: list[Path]) -> dict[str, str]:
    """The dumps' text by number: "000" ... "004"."""
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in dump_paths}


@pytest.fixture(scope="module")
def parsed(dump_paths: list[Path]) -> dict[str, list[ParsedPaper]]:
    return {
        path.name[:3]: parse_dump(path.read_bytes(), name=path.name, snapshot=SNAPSHOT)
        for path in dump_paths
    }


def _by_title(papers: list[ParsedPaper], title: str) -> ParsedPaper:
    (paper,) = (p for p in papers if p.title == title)
    return paper


def _parse(text: str) -> list[ParsedPaper]:
    return parse_text(text, snapshot=SNAPSHOT)


# -- the five real dumps ------------------------------------------------------


def test_parsed_paper_fields_keep_the_order_the_parser_builds_them_in():
    # The sample reader builds ParsedPaper positionally, for speed: its first
    # eight fields keep this order.
    assert [f.name for f in fields(ParsedPaper)][:8] == [
        "title",
        "abstract",
        "authors",
        "organisation",
        "published",
        "published_text",
        "year_inferred",
        "upvotes",
    ]


def test_supported_suffixes():
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".json"} <= SUPPORTED_SUFFIXES


def test_entries_per_dump(parsed):
    counts = {number: len(papers) for number, papers in parsed.items()}
    assert counts == {"000": 41, "001": 253, "002": 47, "003": 78, "004": 64}


def test_483_entries_of_413_distinct_papers(parsed):
    papers = [paper for papers in parsed.values() for paper in papers]
    assert len(papers) == 483
    assert len({title_key(paper.title) for paper in papers}) == 413


def test_a_paper_in_several_dumps_has_one_abstract(parsed):
    abstracts: dict[str, set[str]] = {}
    for papers in parsed.values():
        for paper in papers:
            abstracts.setdefault(title_key(paper.title), set()).add(paper.abstract)
    assert all(len(found) == 1 for found in abstracts.values())


@pytest.mark.parametrize(
    ("number", "first", "last"),
    [
        (
            "000",
            "CoFrGeNet: Continued Fraction Architectures for Language Generation",
            "Large Concept Models: Language Modeling in a Sentence Representation Space",
        ),
        (
            "001",
            "Frozen Transformers in Language Models Are Effective Visual Encoder Layers",
            "Zamba: A Compact 7B SSM Hybrid Model",
        ),
        (
            "002",
            "Computational Limits of Low-Rank Adaptation (LoRA) for Transformer-Based Models",
            "HUT: A More Computation Efficient Fine-Tuning Method With Hadamard Updated "
            "Transformation",
        ),
        (
            "003",
            "M2TRec: Metadata-aware Multi-task Transformer for Large-scale and Cold-start free "
            "Session-based Recommendations",
            "kMaX-DeepLab: k-means Mask Transformer",
        ),
        (
            "004",
            "Never Train from Scratch: Fair Comparison of Long-Sequence Models Requires "
            "Data-Driven Priors",
            "Towards Revealing the Mystery behind Chain of Thought: A Theoretical Perspective",
        ),
    ],
)
def test_first_and_last_titles(parsed, number, first, last):
    assert parsed[number][0].title == first
    assert parsed[number][-1].title == last


def test_an_exact_abstract(parsed):
    paper = _by_title(
        parsed["001"], "Not all layers are equally as important: Every Layer Counts BERT"
    )
    assert paper.abstract == (
        "This paper introduces a novel modification of the transformer architecture, tailored "
        "for the data-efficient pretraining of language models. This aspect is evaluated by "
        "participating in the BabyLM challenge, where our solution won both the strict and "
        "strict-small tracks. Our approach allows each transformer layer to select which "
        "outputs of previous layers to process. The empirical results verify the potential of "
        "this simple modification and show that not all layers are equally as important."
    )


def test_every_abstract_is_a_line_of_its_dump(parsed, texts):
    for number, papers in parsed.items():
        lines = set(texts[number].split("\n"))
        assert all(paper.abstract in lines for paper in papers), number
        assert all(paper.title in lines for paper in papers[1:]), number


def test_a_byline_with_a_date_without_year(parsed):
    paper = parsed["000"][0]
    assert (paper.authors, paper.organisation) == (6, None)
    assert (paper.published, paper.published_text, paper.year_inferred) == (
        date(2026, 1, 29),
        "Jan 29",
        True,
    )
    assert paper.upvotes is None


def test_a_date_with_year_and_upvotes(parsed):
    paper = _by_title(parsed["000"], "Universal Transformers")
    assert paper.authors == 5
    assert (paper.published, paper.published_text, paper.year_inferred) == (
        date(2018, 7, 10),
        "Jul 10, 2018",
        False,
    )
    assert paper.upvotes == 1


def test_one_authors(parsed):
    title = (
        "Future Token Prediction -- Causal Language Modelling with Per-Token Semantic State "
        "Vector for Multi-Token Prediction"
    )
    assert _by_title(parsed["000"], title).authors == 1


def test_an_organisation_byline(parsed):
    title = (
        "Reactive Transformer (RxT) -- Stateful Real-Time Processing for Event-Driven Reactive "
        "Language Models"
    )
    paper = _by_title(parsed["002"], title)
    assert (paper.organisation, paper.authors) == ("Reactive AI", None)
    assert (paper.published, paper.published_text, paper.year_inferred, paper.upvotes) == (
        date(2025, 10, 3),
        "Oct 3",
        True,
        2,
    )


def test_upvotes_after_a_date_without_year(parsed):
    paper = _by_title(
        parsed["002"], "ATLAS: Learning to Optimally Memorize the Context at Test Time"
    )
    assert (paper.published, paper.published_text, paper.upvotes) == (
        date(2025, 5, 29),
        "May 29",
        3,
    )


def test_an_entry_without_metadata_amid_entries_with(parsed):
    title = (
        "Efficient Parallel Samplers for Recurrent-Depth Models and Their Connection to "
        "Diffusion Language Models"
    )
    paper = _by_title(parsed["000"], title)
    assert paper == ParsedPaper(title=title, abstract=paper.abstract)
    next_paper = parsed["000"][parsed["000"].index(paper) + 1]
    assert next_paper.authors == 4


def test_metadata_counts(parsed):
    def count(number: str, field: str) -> int:
        return sum(getattr(p, field) not in (None, False) for p in parsed[number])

    assert [count("000", f) for f in ("authors", "published", "year_inferred", "upvotes")] == [
        40,
        40,
        2,
        10,
    ]
    assert [count("002", f) for f in ("authors", "organisation", "published", "upvotes")] == [
        43,
        1,
        44,
        11,
    ]
    for number in ("001", "003", "004"):
        assert all(p == ParsedPaper(p.title, p.abstract) for p in parsed[number])


def test_chrome_is_not_a_paper(parsed):
    for papers in parsed.values():
        for paper in papers:
            assert paper.title not in CHROME
            assert not paper.title.startswith("Subscribe")
            assert paper.title not in ("Apr 20", "Mar 12", "Mar 11")


def test_a_year_without_date_resolves_against_the_snapshot(texts):
    papers = parse_text(texts["000"], snapshot=datetime(2026, 1, 10))
    assert papers[0].published == date(2025, 1, 29)


# -- what the wild makes of a dump --------------------------------------------


@pytest.mark.parametrize("number", ["000", "001", "002", "003"])
@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        lambda t: b"\xef\xbb\xbf" + t.encode(),
        lambda t: t.replace("\n", "\r\n").encode(),
        lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
        lambda t: t.replace("\n", "\r").encode("utf-16"),
    ],
    ids=["utf16", "utf16le-nobom", "utf16be", "utf8-bom", "crlf", "bom-crlf", "utf16-cr"],
)
def test_encodings_and_line_ends_give_the_same_papers(texts, parsed, number, encode):
    papers = parse_dump(encode(texts[number]), name="dump.txt", snapshot=SNAPSHOT)
    assert papers == parsed[number]


def _browser_paste(text: str) -> str:
    """Extra blank lines, trailing spaces, tabs, and nbsp for spaces at line ends."""
    out = []
    for line in text.split("\n"):
        out.append(f"\t{line}\u00a0  " if line else "  \n\t")
    return "\n\n".join(out)


@pytest.mark.parametrize("number", ["000", "001", "002"])
def test_browser_pasted_text_gives_the_same_papers(texts, parsed, number):
    assert _parse(_browser_paste(texts[number])) == parsed[number]


def test_layout_a_without_blank_lines_gives_the_same_papers(texts, parsed):
    for number in ("000", "002", "003"):
        dense = "\n".join(line for line in texts[number].split("\n") if line.strip())
        assert _parse(dense) == parsed[number], number


def test_layout_b_with_blank_lines_gives_the_same_papers(texts, parsed):
    assert _parse(texts["001"].replace("\n", "\n\n")) == parsed["001"]


def test_several_dumps_pasted_into_one_file(texts, parsed):
    # `cat` of files saved with a BOM leaves one mid-file; chrome comes again.
    data = b"\xef\xbb\xbf".join(texts[n].encode() + b"\n" for n in ("000", "003", "001", "002"))
    papers = parse_dump(b"\xef\xbb\xbf" + data, name="all.txt", snapshot=SNAPSHOT)
    assert papers == parsed["000"] + parsed["003"] + parsed["001"] + parsed["002"]


def test_a_dump_pasted_after_itself_without_a_line_break(texts, parsed):
    # 003 does not end with a newline: the next dump's "new" starts a line of its own anyway.
    assert _parse(texts["003"] + "\n" + texts["003"]) == parsed["003"] * 2


def _as_html(text: str) -> str:
    body = "\n".join(f"<p>  {html.escape(line)}\n</p>" for line in text.split("\n") if line)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Daily Papers</title>"
        "<style>p { margin: 0 }</style><script>window.x = '<p>Not a paper</p>';</script>"
        f"</head><body><nav>new</nav><main>{body}</main>"
        "<script>console.log('A script title\\n' + 'An abstract.')</script>"
        "<noscript>Enable JavaScript</noscript></body></html>"
    )


@pytest.mark.parametrize("number", ["000", "001", "002"])
@pytest.mark.parametrize("name", ["page.html", "PAGE.HTM"])
def test_a_saved_html_page_gives_the_same_papers(texts, parsed, number, name):
    data = _as_html(texts[number]).encode("utf-8")
    assert parse_dump(data, name=name, snapshot=SNAPSHOT) == parsed[number]


def test_counts_on_lines_of_their_own_are_not_titles():
    papers = _parse(f"12\nA Title\n3\n{ABSTRACT}\n  • 2 authors\n·\n7\nJan 3\n")
    assert [(p.title, p.authors, p.published) for p in papers] == [("A Title", 2, date(2026, 1, 3))]


def test_html_with_the_metadata_on_one_line(parsed):
    paper = _by_title(parsed["000"], "Universal Transformers")
    page = (
        f"<article><h3><a href='/papers/1'>{paper.title}</a></h3><p>{paper.abstract}</p>"
        "<div><span>5 authors</span> <span>&middot;</span> <span>Jul 10, 2018</span>"
        " <span>1</span></div></article>"
    )
    assert parse_dump(page.encode(), name="p.html", snapshot=SNAPSHOT) == [paper]


def _as_markdown(text: str) -> str:
    out = ["# Daily Papers", "", "# My reading list", "", "---", ""]
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("•"):
            out.append("- " + stripped[1:].strip())
        elif stripped == "·":
            out.append("*·*")
        elif 40 < len(stripped) <= 300:
            out += ["![thumbnail](https://example.org/t.png)", "", f"## **{stripped}**"]
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("number", ["000", "002", "004"])
def test_markdown_gives_the_same_papers(texts, parsed, number):
    papers = parse_dump(_as_markdown(texts[number]).encode(), name="n.md", snapshot=SNAPSHOT)
    assert papers == parsed[number]


def test_markdown_headings_links_and_emphasis_are_not_part_of_titles():
    text = (
        f"## Title One ##\n\n{ABSTRACT}\n\n"
        f'### [Title Two](https://example.org/2 "two")\n> {ABSTRACT}\n\n'
        f"**Title Three**\n\n__{ABSTRACT}__\n\n"
        f"# Learning C#\n\n{ABSTRACT}\n\n"
        f"*   [*Title Five*](/p/5)\n\n{ABSTRACT}\n"
    )
    titles = [paper.title for paper in _parse(text)]
    assert titles == ["Title One", "Title Two", "Title Three", "Learning C#", "Title Five"]
    assert all(paper.abstract == ABSTRACT.strip() for paper in _parse(text))


# -- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"\xff\xfe", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file (binary data)"),
        (bytes(range(256)) * 4, "not a text file (binary data)"),
        (
            "\u65e5\u672c\u8a9e".encode("shift_jis") * 9,
            "cannot decode the text (not UTF-8 or UTF-16)",
        ),
        (b"just a line of text\n", "no papers found in it"),
        (b"new\n\nSubscribe\n\nDaily Papers\n\nApr 20\n", "no papers found in it"),
    ],
    ids=[
        "empty",
        "blank",
        "utf8-bom-only",
        "utf16-bom-only",
        "png",
        "binary",
        "sjis",
        "text",
        "chrome",
    ],
)
def test_errors_have_a_reason_for_the_user(data, reason):
    with pytest.raises(DumpError) as caught:
        parse_dump(data, name="dump.txt", snapshot=SNAPSHOT)
    assert str(caught.value) == reason


def test_an_html_page_without_papers():
    data = b"<html><head><script>var a = 1;</script></head><body><p>Nothing here</p></body></html>"
    with pytest.raises(DumpError, match="no papers found in it"):
        parse_dump(data, name="page.html", snapshot=SNAPSHOT)


def test_parse_text_raises_when_there_are_no_papers():
    with pytest.raises(DumpError, match="no papers found in it"):
        _parse("")


# -- how lines are told apart -------------------------------------------------


def test_text_is_kept_exact_apart_from_surrounding_white_space():
    text = f"  MiXeD  case:  Title?  \n\t{ABSTRACT}  Ends with  spaces  \n"
    (paper,) = _parse(text)
    assert paper.title == "MiXeD  case:  Title?"
    assert paper.abstract == ABSTRACT + "  Ends with  spaces"


def test_a_title_without_abstract_is_dropped():
    papers = _parse(f"Lonely Title\n\nReal Title\n\n{ABSTRACT}\n")
    assert [p.title for p in papers] == ["Real Title"]


def test_a_short_abstract_ending_a_sentence_is_an_abstract():
    (paper,) = _parse("A Title\nWe show that it works.\n")
    assert (paper.title, paper.abstract) == ("A Title", "We show that it works.")


def test_a_short_abstract_followed_by_metadata_is_an_abstract():
    (paper,) = _parse("A Title\nA short abstract without a period\n  • 2 authors\n·\nMar 3\n")
    assert (paper.abstract, paper.authors, paper.published) == (
        "A short abstract without a period",
        2,
        date(2026, 3, 3),
    )


def test_a_long_title_line_then_a_long_abstract():
    title = "A " + "very " * 50 + "long title"
    (paper,) = _parse(f"{title}\n{ABSTRACT}\n")
    assert paper.title == title


def test_a_second_abstract_paragraph_joins_the_abstract():
    (paper,) = _parse(f"A Title\n\n{ABSTRACT}\n\n{ABSTRACT}\n\n  • 3 authors\n·\nJan 2, 2020\n")
    assert paper.abstract == f"{ABSTRACT.strip()}\n\n{ABSTRACT.strip()}"
    assert paper.authors == 3


def test_a_long_line_where_a_title_belongs_is_dropped_without_blank_lines():
    papers = _parse(f"Title One\n{ABSTRACT}\n{ABSTRACT}\nTitle Two\n{ABSTRACT}\n")
    assert [(p.title, p.abstract) for p in papers] == [
        ("Title One", ABSTRACT.strip()),
        ("Title Two", ABSTRACT.strip()),
    ]


@pytest.mark.parametrize(
    ("byline", "organisation"),
    [
        ("ReactiveAI Reactive AI", "Reactive AI"),
        ("nvidia NVIDIA", "NVIDIA"),
        ("google Google DeepMind", "Google DeepMind"),
        ("ibm-granite IBM Granite", "IBM Granite"),
        ("facebook AI at Meta", "facebook AI at Meta"),
        ("OpenAI", "OpenAI"),
    ],
)
def test_organisation_bylines(byline, organisation):
    (paper,) = _parse(f"A Title\n\n{ABSTRACT}\n\n{byline}\n·\nOct 3 2\n")
    assert (paper.organisation, paper.authors, paper.upvotes) == (organisation, None, 2)
    assert paper.published == date(2025, 10, 3)


def test_an_organisation_on_the_metadata_line_is_not_taken_from_the_line_before():
    (paper,) = _parse(f"A Title\n{ABSTRACT}\nstray line\nReactiveAI Reactive AI · Oct 3 2\n")
    assert (paper.organisation, paper.upvotes) == ("Reactive AI", 2)


def test_an_organisation_line_without_the_separator_before_a_date():
    (paper,) = _parse(f"A Title\n{ABSTRACT}\nReactiveAI Reactive AI\nOct 3\n")
    assert paper.organisation == "Reactive AI"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Jul 16 2023", (date(2023, 7, 16), "Jul 16 2023", False, None)),
        ("Jul 16 2023 12", (date(2023, 7, 16), "Jul 16 2023", False, 12)),
        ("Jul 16, 2023 3", (date(2023, 7, 16), "Jul 16, 2023", False, 3)),
        ("Oct 3 2", (date(2025, 10, 3), "Oct 3", True, 2)),
        ("Apr 20 1234", (date(2026, 4, 20), "Apr 20", True, 1234)),
    ],
)
def test_date_lines(line, expected):
    (paper,) = _parse(f"A Title\n{ABSTRACT}\n  • 1 authors\n·\n{line}\n")
    assert (paper.published, paper.published_text, paper.year_inferred, paper.upvotes) == expected


@pytest.mark.parametrize(
    "line",
    [
        "6 authors · Jan 29 4",
        "• 6 authors·Jan 29 4",
        "- 6 authors · Jan 29 4",
        "6 authors\n· Jan 29 4",
    ],
)
def test_metadata_on_fewer_lines(line):
    (paper,) = _parse(f"A Title\n{ABSTRACT}\n{line}\n")
    assert (paper.authors, paper.published, paper.upvotes) == (6, date(2026, 1, 29), 4)


def test_metadata_after_a_date_is_not_taken():
    text = f"A Title\n{ABSTRACT}\n  • 2 authors\n·\nJan 2, 2020\n  • 9 authors\n·\nFeb 3, 2021\n"
    (paper,) = _parse(text)
    assert (paper.authors, paper.published) == (2, date(2020, 1, 2))


def test_chrome_in_the_middle_ends_the_paper_before_it():
    text = f"Title One\n{ABSTRACT}\nnew\nSubscribe\nDaily Papers\nApr 20\nTitle Two\n{ABSTRACT}\n"
    papers = _parse(text)
    assert [(p.title, p.published) for p in papers] == [("Title One", None), ("Title Two", None)]


def test_subscribe_glued_to_a_title_anywhere():
    text = f"Get trending papers in your email inbox!\nSubscribeA Title\n{ABSTRACT}\n"
    assert [p.title for p in _parse(text)] == ["A Title"]
    # A title that merely starts with the word keeps it.
    assert [p.title for p in _parse(f"Subscribers Matter\n{ABSTRACT}\n")] == ["Subscribers Matter"]
