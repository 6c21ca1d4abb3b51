"""The reader of the sample dumps: text copied from the older listing pages.

Such a dump is the text of a listing page, saved or copied from a browser:

    <site chrome: "new", "Get trending papers...", "Subscribe", a page date>
    Title of a paper
    Its abstract, one long line
      • 6 authors              (or an organisation: "ReactiveAI Reactive AI")
    ·
    Jul 10, 2018 1             (the date; a trailing number is the upvote count)

with or without blank lines between the lines, with or without the three
metadata lines. The parser reads it line by line, in one pass:

- a line is site chrome, a byline, the `·` separator, a date, or text;
- text alternates title, abstract. A title is one line of at most
  _TITLE_MAX characters (or a longer single sentence without a final period,
  where a title is due); an abstract is longer, or ends a sentence. A short
  line after a title is held until the next line tells: followed by more
  text it was a title (the one before had no abstract and is dropped),
  followed by metadata it was a short abstract;
- metadata belongs to the paper just read, until a date closes it. A text
  line right before the `·` (or the date) is the organisation's byline.
  Byline, `·` and date may share a line ("6 authors · Jan 29 4"), as they
  do in text taken from HTML;
- a long line after a blank line, right after an abstract, is a second
  paragraph of it; a line of digits alone (a count) is skipped.

Markdown is read as the text it shows: heading markers, emphasis around a
whole line, list bullets, block quotes and whole-line links are taken off,
images and rules are blank lines. A heading is always a title.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from readinglist.dumps.bylines import organisation_name
from readinglist.dumps.dates import DATE_PATTERN, resolve_date
from readinglist.dumps.judge import is_chrome
from readinglist.dumps.result import ParseResult
from readinglist.papers import ParsedPaper

# The listing site's own lines. Compared whole, after stripping.
_CHROME = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
_CHROME_MAX = max(map(len, _CHROME))
# The page's "Subscribe" button text, glued to the first title when copied:
# "SubscribeFrozen Transformers...".
_GLUED = "Subscribe"

_TITLE_MAX = 300  # the longest title seen is ~250; the shortest abstract ~500
# Longer titles exist; one is told from an abstract by being a single sentence
# that does not end with a period.
_LONG_TITLE_MAX = 1000
_SENTENCE_BREAK = re.compile(r"\.\s")
_ORG_MAX = 120
_META_MAX = 160
_DATE_MAX = 32

_SEPARATOR = "·"
_BYLINE = re.compile(r"(?:•\s*)?(\d{1,6})\s+authors?", re.IGNORECASE)
_BYLINE_MAX = 24
_BYLINE_FIRST = frozenset("•0123456789")
_DATE_LINE = re.compile(DATE_PATTERN + r"(?:\s+(\d{1,7}))?")

_MARKUP_FIRST = frozenset("#>*_-+[!")
_HEADING = re.compile(r"#{1,6}(?:\s+|$)")
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_EMPHASIS = ("**", "__", "*", "_")


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Read a dump of the sample layouts (A, B, C) from its decoded text.

    Args:
        text: the dump's text with LF line ends.
        snapshot: when the page was saved; dates without a year resolve against it.

    Returns:
        The papers in text order; this reader skips nothing as doubtful.
    """
    return ParseResult(parse_lines(text, snapshot), form="sample")


def parse_lines(text: str, snapshot: datetime) -> list[ParsedPaper]:
    """The papers of the sample layouts in `text` (LF line ends), in order."""
    # Whole-text replacements run in C, far cheaper than per line. A BOM can sit
    # mid-text where two files were pasted together; nbsp comes from browsers.
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    return _Parser(snapshot).run(text.split("\n"))


class _Entry:
    """A paper being read: mutable until its metadata is complete."""

    # Class-level defaults: an entry without metadata (most of them) costs two
    # attribute writes, which matters at 10 MB.
    authors: int | None = None
    organisation: str | None = None
    published: date | None = None
    published_text: str | None = None
    year_inferred = False
    upvotes: int | None = None
    dated = False

    def __init__(self, title: str, abstract: str) -> None:
        self.title = title
        self.abstract = abstract

    @property
    def has_byline(self) -> bool:
        return self.authors is not None or self.organisation is not None

    def freeze(self) -> ParsedPaper:
        # Positional arguments: a third cheaper than keywords, which counts at
        # 10 MB. test_dumps checks that ParsedPaper's fields keep this order.
        if not self.dated and self.authors is None and self.organisation is None:
            return ParsedPaper(self.title, self.abstract)
        return ParsedPaper(
            self.title,
            self.abstract,
            self.authors,
            self.organisation,
            self.published,
            self.published_text,
            self.year_inferred,
            self.upvotes,
            # Only dated entries name the year's source; most entries are not.
            year_source=("file" if self.year_inferred else "text") if self.dated else None,
        )


_DateLine = tuple[date, bool, str, int | None]  # date, year inferred, its text, upvotes


class _Parser:
    """One pass over the lines of a dump; see the module docstring."""

    def __init__(self, snapshot: datetime) -> None:
        self._snapshot = snapshot
        self._entries: list[_Entry] = []
        self._open: _Entry | None = None  # the last paper, still taking metadata
        self._title: str | None = None  # a title waiting for its abstract
        self._held: str | None = None  # a short line after _title: abstract or title?
        self._blank = False  # a blank line since the last line read
        self._after_abstract = False  # the last line read was _open's abstract
        self._dates: dict[str, _DateLine | None] = {}

    def run(self, lines: list[str]) -> list[ParsedPaper]:
        """Read the lines; the papers found."""
        # The common lines (blank, a title, an abstract) are decided here without
        # further calls: at 10 MB a call per line is a good part of the time.
        entries = self._entries
        for raw in lines:
            line = raw.strip()
            if not line:
                self._blank = True
                continue
            heading = False
            if line[0] in _MARKUP_FIRST:
                line, heading = _unmark(line)
                if not line:
                    self._blank = True
                    continue
            size = len(line)
            if size > _TITLE_MAX and self._title is not None and self._held is None and not heading:
                # An abstract after its title; no title or metadata line is this long.
                entry = self._open = _Entry(self._title, line)
                entries.append(entry)
                self._title = None
                self._after_abstract = True
            elif (
                _CHROME_MAX < size <= _TITLE_MAX
                and self._title is None
                and _SEPARATOR not in line
                and not line.startswith(_GLUED)
            ):
                # A title: too long for chrome, a byline or a date.
                self._title = line
                self._after_abstract = False
            elif line == _SEPARATOR:
                self._metadata(None, None)
            elif size <= _META_MAX:
                self._classify(line, heading)
            else:
                self._text(line, heading)
            self._blank = False
        return self.finish()

    def finish(self) -> list[ParsedPaper]:
        return [entry.freeze() for entry in self._entries]

    def _classify(self, line: str, heading: bool) -> None:
        """A line of at most _META_MAX characters: chrome, metadata or text."""
        size = len(line)
        authors: int | None = None
        dated: _DateLine | None = None
        if line == _SEPARATOR:
            pass
        elif size <= _CHROME_MAX and line in _CHROME:
            self._chrome()
            return
        elif (
            size <= _BYLINE_MAX and line[0] in _BYLINE_FIRST and (byline := _BYLINE.fullmatch(line))
        ):
            authors = int(byline[1])
        elif size <= _DATE_MAX and line[0].isalpha() and (dated := self._date_line(line)):
            pass
        elif _SEPARATOR in line and self._metadata_line(line):
            return
        elif line.isdigit():
            return  # an upvote or comment count on a line of its own (saved HTML): no title
        elif line.startswith(_GLUED) and size > len(_GLUED) and line[len(_GLUED)].isupper():
            self._chrome()
            self._text(line[len(_GLUED) :], heading)
            return
        elif size <= _CHROME_MAX and not heading and is_chrome(line):
            self._chrome()  # the judge knows the site's other chrome ("Submit a paper", "Next")
            return
        else:
            self._text(line, heading)
            return
        self._metadata(authors, dated)

    # Text: titles, abstracts, and what turns out to be an organisation.

    def _text(self, line: str, heading: bool) -> None:
        if self._title is None:
            self._title_line(line, heading)
        elif self._held is None:
            if heading:
                self._title = line  # a heading is a title: the one before had no abstract
            elif len(line) > _TITLE_MAX or line[-1] == ".":
                self._emit(self._title, line)
            else:
                self._held = line
        else:
            # Three text lines in a row: the held line was a title after all.
            self._title, self._held = self._held, None
            self._text(line, heading)

    def _title_line(self, line: str, heading: bool) -> None:
        if heading or len(line) <= _TITLE_MAX or _is_long_title(line):
            self._title = line
        elif self._blank and self._after_abstract and self._open is not None:
            # A second paragraph of the abstract just read.
            self._open.abstract += "\n\n" + line
            return
        # Otherwise a long line where a title should be: no paper to give it to.
        self._after_abstract = False

    def _emit(self, title: str, abstract: str) -> None:
        entry = _Entry(title, abstract)
        self._entries.append(entry)
        self._open = entry
        self._title = self._held = None
        self._after_abstract = True

    def _settle(self, *, organisation_allowed: bool) -> None:
        """Decide what the text lines waiting before a metadata line were."""
        title, held = self._title, self._held
        self._title = self._held = None
        self._after_abstract = False
        if title is None:
            return
        last = held if held is not None else title
        entry = self._open
        if (
            organisation_allowed
            and entry is not None
            and not entry.has_byline
            and not entry.dated
            and len(last) <= _ORG_MAX
        ):
            entry.organisation = organisation_name(last)
        elif held is not None:
            self._emit(title, held)
            self._after_abstract = False

    # Metadata and chrome.

    def _chrome(self) -> None:
        self._title = self._held = self._open = None
        self._after_abstract = False

    def _metadata(self, authors: int | None, dated: _DateLine | None) -> None:
        """A byline (`authors`), a date (`dated`), or the separator (neither)."""
        if self._title is not None:
            # An organisation comes before the separator or the date, not before "6 authors".
            self._settle(organisation_allowed=authors is None)
        self._after_abstract = False
        entry = self._open
        if entry is None or entry.dated:
            return  # the page's own date, or metadata with no paper to take it
        if authors is not None:
            if entry.authors is None and entry.organisation is None:
                entry.authors = authors
        elif dated is not None:
            entry.published, entry.year_inferred, entry.published_text, entry.upvotes = dated
            entry.dated = True

    def _date_line(self, line: str) -> _DateLine | None:
        # A listing repeats its dates; resolving each once keeps short lines cheap.
        try:
            return self._dates[line]
        except KeyError:
            dated = self._dates[line] = self._read_date_line(line)
            return dated

    def _read_date_line(self, line: str) -> _DateLine | None:
        match = _DATE_LINE.fullmatch(line)
        if match is None:
            return None
        month, day, year, upvotes = match.groups()
        resolved = resolve_date(month, day, year, snapshot=self._snapshot)
        if resolved is None:
            return None
        text = line[: match.end(3 if year else 2)]
        return resolved[0], resolved[1], text, None if upvotes is None else int(upvotes)

    def _metadata_line(self, line: str) -> bool:
        """Byline, separator and date on one line ("6 authors · Jan 29"), as HTML gives them."""
        byline, _, rest = (part.strip() for part in line.partition(_SEPARATOR))
        dated = self._date_line(rest) if rest else None
        if _SEPARATOR in rest or (rest and dated is None):
            return False
        authors = _BYLINE.fullmatch(byline)
        if authors is None and (len(byline) > _ORG_MAX or dated is None):
            return False
        if authors is not None:
            self._metadata(int(authors[1]), None)
        elif byline:
            # The organisation is on this line: what waits before it is no organisation.
            if self._title is not None:
                self._settle(organisation_allowed=False)
            self._after_abstract = False
            entry = self._open
            if entry is not None and not entry.has_byline and not entry.dated:
                entry.organisation = organisation_name(byline)
        else:
            self._metadata(None, None)  # "· Jan 29": the separator, then the date
        if dated is not None:
            self._metadata(None, dated)
        return True


def _is_long_title(line: str) -> bool:
    """A line longer than _TITLE_MAX where a title is due: a title, or a stray paragraph?"""
    return len(line) <= _LONG_TITLE_MAX and line[-1] != "." and _SENTENCE_BREAK.search(line) is None


def _unmark(line: str) -> tuple[str, bool]:
    """Take Markdown markup off a stripped line: (the text it shows, whether a heading)."""
    heading = False
    first = line[0]
    if first in "-*_" and not line.strip(first + " \t") and line.count(first) >= 3:
        return "", False  # a thematic break: "---", "* * *"
    if first == "#" and (match := _HEADING.match(line)):
        line = line[match.end() :]
        if line.endswith("#"):
            # A closing sequence ("## Title ##") goes; "C#" stays.
            bare = line.rstrip("#")
            if not bare or bare[-1].isspace():
                line = bare.rstrip()
        heading = True
    elif first == ">":
        line = line.lstrip("> \t")
    elif first in "-*+" and line[1:2] == " ":
        line = line[2:].lstrip()
    elif first == "!" and _IMAGE.fullmatch(line):
        return "", False
    line = _unwrap(line)
    if line.startswith("[") and (match := _LINK.fullmatch(line)):
        line = _unwrap(match[1].strip())
    return line, heading


def _unwrap(line: str) -> str:
    """Emphasis around the whole line: **Title**, __Title__, *Title*, _Title_."""
    for marker in _EMPHASIS:
        size = len(marker)
        if len(line) > 2 * size and line.startswith(marker) and line.endswith(marker):
            return line[size:-size].strip()
    return line
