"""The reader of text-browser dumps: `lynx -dump` and `w3m -dump` of the site's pages.

A text browser lays the page out at a fixed width:

       Submitted by akhaliq
       [14]
       [ ]
       94

    [15]The Llama 3 Herd of Models

         * ·
           533 authors

       [16]5
    ...
    [51]NeRF-MAE: Masked AutoEncoders for Self-Supervised 3D Representation Learning for Neural
    Radiance Fields
    ...
    References

       15. https://huggingface.co/papers/2407.21783
       16. https://huggingface.co/papers/2407.21783#community

Link marks (lynx `[12]`, w3m `[12]` with `-o display_link_number=1`) are glued
to the words they link; the numbered list at the end maps each mark to its
address, which gives the paper's arXiv id, tells a comment count (a link to
the discussion) from an upvote count, and the page's year (the previous and
next days' links). Images show as `[alt]` or their file's name, buttons as
`(BUTTON)`, inputs as `[ ]` or `____`, list items as bullets. Titles and
abstracts longer than the width wrap onto further lines.

The reader splits off the references (several dumps may be pasted together,
each with its own), strips marks, placeholders and bullets, joins wrapped
lines again, and reads the cards as a browser copy is read (`site_text`).
"""  # noqa: D214, D411, D412, D416 ("References" above is the dump's, not a section)

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from readinglist.dumps.result import ParseResult
from readinglist.dumps.site_text import TEXT, CardReader, Line, classify, normalise

_REFERENCES = re.compile(r"\s*References:?\s*")
_REFERENCE = re.compile(r"\s*(?:(\d{1,5})\.|\[(\d{1,5})\])\s+(\S+)\s*")
_LINK_LISTS = re.compile(r"\s*(?:Visible|Hidden)\s+links:?\s*", re.IGNORECASE)
_MARK = re.compile(r"\[(\d{1,5})\]")
# Images as w3m shows them ("[alt]", or the file's name when alt is empty:
# "[2407]", "[be9c948ecf]", "[Os7_qgMei-]", "[papers-by]"), buttons, checkboxes,
# text inputs. A bracketed word in capitals ("[CLS]") may be a title's and stays.
_PLACEHOLDER = re.compile(
    r"\[(?:(?=[^\]\s]*[\d_\-])[^\[\]\s]{1,40}|[a-z][a-z.]{0,40}|\s*|[xX]|IMG|IMAGE|INLINE|LINK)\]"
    r"|\((?:BUTTON|IMAGE|IMG|FORM|submit)\)"
    r"|_{3,}"
)
_BULLET = re.compile(r"[*•◦▪+#@\-](?:\s+|$)")
_URL_END = re.compile(r"[a-z]+://(?:\S*/)?$")
_DAY_LINK = re.compile(r"[?&]date=((?:19|20)\d\d)-(\d\d)-(\d\d)\b")


@dataclass(slots=True)
class _Physical:
    """A line as the text browser printed it, cleaned."""

    text: str  # marks, placeholders and bullet taken off, white space normalised
    hrefs: tuple[str, ...]
    indent: int  # where the line starts
    start: int  # where its text starts, after a bullet
    width: int  # its printed width
    first_word: int  # the printed width of its first word
    multiword: bool  # more than one word: it was wrapped (a long word runs past the width)


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Read a lynx or w3m dump of the site's listing pages.

    Args:
        text: the dump's text with LF line ends.
        snapshot: when it was made; dates without a year resolve against the
            page's own date where it (or its links) state the year, else this.

    Returns:
        The cards that read as papers in page order, and the doubtful blocks.
    """
    papers, skipped, page_date = [], [], None
    for body, references in _segments(text.split("\n")):
        lines = _joined(_physical(body, references))
        result = CardReader(
            snapshot, form="text-browser", linked_dates=_linked_dates(references)
        ).read(lines)
        papers += result.papers
        skipped += result.skipped
        page_date = page_date or result.page_date
    return ParseResult(papers, skipped, "text-browser", page_date)


def _segments(lines: list[str]) -> list[tuple[list[str], dict[int, str]]]:
    """The page bodies of the dump, each with the references listed after it."""
    segments: list[tuple[list[str], dict[int, str]]] = []
    body: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _REFERENCES.fullmatch(line):
            references, end = _references(lines, index + 1)
            if references:
                segments.append((body, references))
                body, index = [], end
                continue
        body.append(line)
        index += 1
    if body or not segments:
        segments.append((body, {}))
    return segments


def _references(lines: list[str], start: int) -> tuple[dict[int, str], int]:
    """The numbered links from `start` on, and the index of the first line after them."""
    references: dict[int, str] = {}
    index = start
    while index < len(lines):
        line = lines[index]
        if match := _REFERENCE.fullmatch(line):
            references[int(match[1] or match[2])] = match[3]
        elif line.strip() and not _LINK_LISTS.fullmatch(line):
            break
        index += 1
    return references, index


def _physical(body: list[str], references: dict[int, str]) -> list[_Physical]:
    lines = []
    for raw in body:
        raw = raw.rstrip()
        hrefs = tuple(references[n] for n in map(int, _MARK.findall(raw)) if n in references)
        bare = _PLACEHOLDER.sub("", _MARK.sub("", raw))
        stripped = bare.lstrip()
        indent = len(raw) - len(raw.lstrip())
        start = indent
        if bullet := _BULLET.match(stripped):
            stripped = stripped[bullet.end() :]
            start = indent + bullet.end()
        text = normalise(stripped)
        words = raw.split(None, 1)
        first = words[0] if words else ""
        lines.append(
            _Physical(text, hrefs, indent, start, _width(raw), _width(first), len(words) > 1)
        )
    return lines


def _joined(lines: list[_Physical]) -> list[Line]:
    """Classified lines, with the lines a title or an abstract wrapped onto joined again."""
    widths = _widths(lines)
    out: list[Line] = []
    run: list[_Physical] = []  # the physical lines of one wrapped text line
    for line in lines:
        classified = classify(line.text, line.hrefs)
        if classified.kind == TEXT and run and _goes_on(run[-1], line, widths):
            run.append(line)
            continue
        if len(run) > 1:
            out[-1] = _unwrapped(run)
        run = [line] if classified.kind == TEXT else []
        out.append(classified)
    if len(run) > 1:
        out[-1] = _unwrapped(run)
    return out


def _goes_on(previous: _Physical, line: _Physical, widths: dict[int, int]) -> bool:
    """Whether `line` continues `previous`: that one was full, and this one starts under it."""
    if line.indent not in (previous.indent, previous.start):
        return False
    return previous.width + 1 + line.first_word > widths.get(previous.indent, 0)


def _unwrapped(run: list[_Physical]) -> Line:
    text = run[0].text
    for line in run[1:]:
        # w3m breaks a web address after a slash: no space was there.
        last_word = text[text.rfind(" ") + 1 :]
        text += ("" if _URL_END.search(last_word) else " ") + line.text
    return classify(text, tuple(href for line in run for href in line.hrefs))


def _widths(lines: list[_Physical]) -> dict[int, int]:
    """The width the browser wrapped at, for each indentation, as far as the lines tell.

    The widest line of an indentation is at most the width the browser wrapped
    that block at (lynx wraps paragraphs short of its headings), so a line that
    could not take the next line's first word within it was wrapped. Lines of
    one word are left out: a word longer than the width runs past it.
    """
    widths: dict[int, int] = {}
    for line in lines:
        if line.multiword and line.width > widths.get(line.indent, 0):
            widths[line.indent] = line.width
    return widths


def _linked_dates(references: dict[int, str]) -> tuple[date, ...]:
    """The days the page links to ("?date=2024-07-31": the previous and next days)."""
    days = []
    for url in references.values():
        if match := _DAY_LINK.search(url):
            try:
                days.append(date(int(match[1]), int(match[2]), int(match[3])))
            except ValueError:
                continue
    return tuple(days)


def _width(text: str) -> int:
    """Printed width: wide (CJK) characters take two columns."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
