"""Properties of the parsing stack on arbitrary input, and round trips of generated dumps."""

from __future__ import annotations

import string
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.dumps import parse_dump, parse_text
from readinglist.dumps.dates import parse_date
from readinglist.dumps.decoding import decode_bytes
from readinglist.dumps.html_text import html_to_text
from readinglist.dumps.titles import title_key
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 4, 20, 12, 0)
FAST = settings(max_examples=200, deadline=None)

# Text that looks like dumps: their own lines and markup, not just random characters.
DUMP_LINES = st.sampled_from(
    [
        "",
        " ",
        "new",
        "Subscribe",
        "Daily Papers",
        "SubscribeX",
        "Apr 20",
        "  • 6 authors",
        "1 authors",
        "·",
        "· Jan 29",
        "Jul 10, 2018 1",
        "Oct 3 2",
        "ReactiveAI Reactive AI",
        "6 authors · Jan 29 4",
        "Feb 29",
        "#",
        "## Title ##",
        "**",
        "* * *",
        "- ",
        "> ",
        "[x](y)",
        "[ ** x ** ](y)",
        "# [ _x_ ](y) #",
        "![]()",
        "A Title",
        "A sentence.",
        "x" * 400,
        "\u00a0\t\ufeff\r",
    ]
)
DUMPISH = st.lists(st.one_of(DUMP_LINES, st.text(max_size=40)), max_size=40).map("\n".join)
BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
BYTES = st.one_of(st.binary(), st.builds(bytes.__add__, BOMS, st.binary()))


def _check(papers: list[ParsedPaper]) -> None:
    assert isinstance(papers, list) and papers
    for paper in papers:
        assert isinstance(paper, ParsedPaper)
        assert paper.title and paper.title == paper.title.strip()
        # Daily cards carry no abstract: "" is a paper's abstract then, never junk text.
        assert paper.abstract == paper.abstract.strip()
        assert (paper.published is None) == (paper.published_text is None)
        if paper.published is not None and paper.year_inferred:
            assert paper.published <= SNAPSHOT.date()


@FAST
@given(st.one_of(st.text(), DUMPISH))
def test_parse_text_gives_papers_or_a_dump_error(text):
    try:
        papers = parse_text(text, snapshot=SNAPSHOT)
    except DumpError:
        return
    _check(papers)


@FAST
@given(
    st.one_of(BYTES, DUMPISH.map(str.encode), DUMPISH.map(lambda t: t.encode("utf-16"))),
    st.sampled_from(["a.txt", "a.md", "a.html", "A.HTM", "noext"]),
)
def test_parse_dump_gives_papers_or_a_dump_error(data, name):
    try:
        papers = parse_dump(data, name=name, snapshot=SNAPSHOT)
    except DumpError:
        return
    _check(papers)


@FAST
@given(BYTES)
def test_decode_bytes_gives_lf_text_or_a_dump_error(data):
    try:
        text = decode_bytes(data)
    except DumpError:
        return
    assert "\r" not in text
    assert not text.startswith("\ufeff")


HTML_PIECES = [
    "<p>", "</p>", "<br>", "<script>", "</script>", "<head>", "<body>", "<pre>", "</pre>", "<!--",
    "-->", "<!", "<![CDATA[", "]]>", "&amp;", "&#", "&#x", "&nbsp;", "<svg/>", "</", "<a href='",
    "'>", "<?xml", "<template>", "</head>", "<div", ">", "<![", "<![if", "<![endif]>", "<!DOCTYPE",
    "<textarea>", "<title>", "<plaintext>", "<xmp>", "0", " ", "<a", "=", '"',
]  # fmt: skip
HTMLISH = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(HTML_PIECES)), max_size=30).map(
    "".join
)


@FAST
@given(st.one_of(st.text(), HTMLISH))
def test_html_to_text_never_fails(markup):
    text = html_to_text(markup)
    assert "\n\n\n" not in text
    assert text == text.strip("\n")


@FAST
@given(st.text())
def test_title_key_is_idempotent_and_ignores_case_and_spacing(title):
    key = title_key(title)
    assert title_key(key) == key
    assert title_key(f"  {title.upper()} !") == title_key(title.upper())


@FAST
@given(st.text(max_size=30), st.datetimes(min_value=datetime(1950, 1, 1)))
def test_parse_date_never_fails(text, snapshot):
    result = parse_date(text, snapshot=snapshot)
    if result is not None:
        day, inferred = result
        assert isinstance(day, date)
        if inferred:
            assert day <= snapshot.date()


# -- round trips: papers rendered as a dump are read back -------------------------

WORD = st.text(string.ascii_letters + string.digits + "éüßΩЖ日本語", min_size=1, max_size=12)
PUNCT = st.sampled_from([" ", " ", " ", ": ", "-", ", ", "? ", " (", ") ", "'"])
# A first word that is no month, no chrome, no markup, no digit (a byline).
FIRST_WORD = st.sampled_from(["Towards", "Provable", "Quantized", "Transformers"])
TITLES = st.builds(
    lambda first, rest: (first + "".join(p + w for p, w in rest)).strip(),
    FIRST_WORD,
    st.lists(st.tuples(PUNCT, WORD), max_size=10),
)
ABSTRACTS = st.builds(
    lambda sentence, end: ((sentence + ". ") * (300 // len(sentence) + 1)).strip() + end,
    TITLES,
    st.sampled_from([".", "", " https://example.org/x"]),
)

# An organisation's byline as the dump shows it, and the name kept of it.
ORGANISATIONS = {
    "ReactiveAI Reactive AI": "Reactive AI",
    "OpenAI": "OpenAI",
    "facebook AI at Meta": "facebook AI at Meta",
}
BYLINES = st.one_of(
    st.none(),
    st.integers(1, 500).map(lambda n: (f"  • {n} authors", {"authors": n})),
    st.sampled_from(sorted(ORGANISATIONS)).map(
        lambda line: (line, {"organisation": ORGANISATIONS[line]})
    ),
)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def entries(draw) -> tuple[ParsedPaper, list[str]]:
    """A paper and its lines in a dump."""
    title, abstract = draw(TITLES), draw(ABSTRACTS)
    byline, day = draw(BYLINES), draw(st.none() | DATES)
    upvotes = draw(st.none() | st.integers(1, 999))
    lines = [title, abstract]
    fields: dict = {}
    if byline is not None and day is not None:
        byline_line, byline_fields = byline
        lines += [byline_line, "·"]
        fields.update(byline_fields)
        day_text = f"{day:%b} {day.day}, {day.year}"
        lines.append(day_text if upvotes is None else f"{day_text} {upvotes}")
        fields.update(published=day, published_text=day_text, upvotes=upvotes, year_source="text")
    return ParsedPaper(title, abstract, **fields), lines


@FAST
@given(st.lists(entries(), min_size=1, max_size=4), st.sampled_from(["\n\n", "\n", "\r\n\r\n\n"]))
def test_generated_dumps_read_back(items, separator):
    chrome = ["new", "Get trending papers in your email inbox!", "Subscribe", "Apr 20"]
    text = separator.join(chrome + [line for _, lines in items for line in lines])
    assert parse_text(text, snapshot=SNAPSHOT) == [paper for paper, _ in items]
