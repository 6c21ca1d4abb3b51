"""Bytes of a dump -> its papers: decode, sniff the form, run its reader, judge.

Every reader is a pure function `read(text, *, snapshot) -> ParseResult`.
What they return passes the shared judge once more here, so that no reader
can let a chrome line, a count, a URL or a user name in as a title.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from readinglist.dumps import (
    browser_copy,
    markdown_capture,
    page_html,
    sample_text,
    site_json,
    text_browser,
)
from readinglist.dumps.decoding import decode_text
from readinglist.dumps.judge import judge_listing, title_problem
from readinglist.dumps.result import Form, ParseResult, SkippedBlock
from readinglist.dumps.sniff import sniff
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json"}
)

EMPTY = "the file is empty"
NO_PAPERS = "no papers found in it"

_TEXT_FORMS = frozenset({"browser-copy", "text-browser", "markdown"})

_READERS = {
    "sample": sample_text.read,
    "page-html": page_html.read,
    "site-json": site_json.read,
    "browser-copy": browser_copy.read,
    "text-browser": text_browser.read,
    "markdown": markdown_capture.read,
}


def read_dump(data: bytes, *, name: str, snapshot: datetime) -> ParseResult:
    """Read the bytes of one dump file, whatever its form.

    Args:
        data: the file's bytes.
        name: the file's name; a hint only, the content decides the form.
        snapshot: the file's modification time; dates without a year resolve
            against it unless the page states its own date.

    Returns:
        The papers in page order and the blocks skipped as doubtful.

    Raises:
        DumpError: with a short reason for the user ("the file is empty", "no
            papers found in it", "not a text file (binary data)"...). The
            caller adds the file name.
    """
    decoded = decode_text(data)
    if not decoded.text or decoded.text.isspace():
        raise DumpError(EMPTY)
    result = read_text(decoded.text, snapshot=snapshot, name=name)
    result.replaced_bytes = decoded.replaced
    return result


def read_text(text: str, *, snapshot: datetime, name: str = "") -> ParseResult:
    """Read the text of a dump (any line ends), such as a clipboard paste.

    Raises:
        DumpError: "no papers found in it" when there are none.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    form: Form = sniff(text, name=name)
    result = _READERS[form](text, snapshot=snapshot)
    result = judge_listing(text, _judged(result))
    if not result.papers and form in _TEXT_FORMS and not result.skipped:
        # A text form sniffed wrongly must not cost the user a dump the sample
        # reader reads. (HTML and JSON readers fall back on their own terms.)
        fallback = judge_listing(text, _judged(sample_text.read(text, snapshot=snapshot)))
        if fallback.papers:
            result = fallback
    if not result.papers:
        raise DumpError(NO_PAPERS, result if result.skipped else None)
    return result


def parse_dump(data: bytes, *, name: str, snapshot: datetime) -> list[ParsedPaper]:
    """The papers of one dump file (see `read_dump`)."""
    return read_dump(data, name=name, snapshot=snapshot).papers


def parse_text(text: str, *, snapshot: datetime) -> list[ParsedPaper]:
    """The papers of a dump's text (see `read_text`)."""
    return read_text(text, snapshot=snapshot).papers


def _judged(result: ParseResult) -> ParseResult:
    """Move papers whose title fails the judge to the skipped blocks; name the year's source."""
    papers: list[ParsedPaper] = []
    skipped = list(result.skipped)
    # Pasted and concatenated dumps repeat their titles: judge each once.
    problems: dict[str, str | None] = {}
    for paper in result.papers:
        try:
            problem = problems[paper.title]
        except KeyError:
            problem = problems[paper.title] = title_problem(paper.title)
        if problem is not None:
            skipped.append(SkippedBlock(paper.title.strip()[:200], problem, paper))
            continue
        if paper.published is not None and paper.year_source is None:
            paper = replace(paper, year_source="file" if paper.year_inferred else "text")
        papers.append(paper)
    return ParseResult(papers, skipped, result.form, result.page_date)
