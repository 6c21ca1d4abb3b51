"""The site's paper cards as plain text shows them, one field per line.

Shared by the readers of browser copies and text-browser dumps. The site's
current pages show each paper as a card, which a copy turns into lines:

    Submitted by akhaliq          ("Submitted by", and the name on the same or the next line)
    94                            the upvote count
    The Llama 3 Herd of Models    the title
    Meta AI                       an organisation, on some cards ("<handle> <Name>" or the name)
    ·
    533 authors                   (or "· 533 authors")
    5                             the comment count
    An abstract...                on search pages; "AI-generated summary" and a summary on some

amid the site's navigation (header, "Daily / Weekly / Monthly", search box,
footer), with the page's date ("Aug 1", "Aug 1, 2024") above the cards.

`classify` names what one line is; `CardReader` walks the lines of a page
once, as a small state machine: what comes before a title (submitter,
upvotes, a link to the paper) waits in a pending card, which the title opens;
what follows the title (organisation, byline, comments, abstract) belongs to
it until the next card begins or navigation ends the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from readinglist.dumps.bylines import organisation_name
from readinglist.dumps.dates import DATE_PATTERN, is_month, resolve_date
from readinglist.dumps.judge import TRUNCATION, is_chrome, title_problem
from readinglist.dumps.result import Form, ParseResult, SkippedBlock
from readinglist.papers import ParsedPaper, YearSource

# What a line is.
BLANK = "blank"
NOISE = "noise"  # images, input fields, rules, link marks: nothing, not even a break
TRUNCATED = "truncated"  # "[Content truncated]": the capture ends here
CHROME = "chrome"  # navigation: ends the card before it
LABEL = "label"  # a card's own labels: "Upvote", "AI-generated summary"
SUBMITTED = "submitted"
COUNT = "count"
SEPARATOR = "separator"
AUTHORS = "authors"
DATE = "date"
TEXT = "text"

INCOMPLETE = "incomplete: the capture ends inside this entry"
NO_CARD = "no card fields around it: not clearly a paper"
FEW_FIELDS = "too few of a card's fields around it: not clearly a paper"

_TITLE_MAX = 300  # longer text is an abstract, unless it opens a card
_LONG_TITLE_MAX = 1000
_ORG_MAX = 100

_AUTHORS = re.compile(r"(?:[·•\-*]\s*)?(\d[\d,]*)\s+authors?", re.IGNORECASE)
_SUBMITTED = re.compile(r"submitted\s+by\b:?\s*(.*)", re.IGNORECASE)
# "94", "1.2k", "5 comments", "Upvote 94", "GitHub 11.3k", "★ 1.2k".
_COUNT = re.compile(
    r"(?:(upvotes?|github|★|⭐|stars?)\s*:?\s*)?(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?"
    r"(?:\s*(upvotes?|votes?|comments?|replies|stars?))?",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"(?:(?:published|submitted|posted|added)\s+)?(?:on\s+)?" + DATE_PATTERN + r"(?:\s+(\d{1,7}))?",
    re.IGNORECASE,
)
# "akhaliq on Aug 1", "akhaliq 2 days ago": the name alone.
_WHEN = re.compile(r"\s+(?:on\s+.*|(?:\d+|an?)\s+\w+\s+ago)$", re.IGNORECASE)
_DATE_IN = re.compile(DATE_PATTERN)
_NAV_DATE_MAX = 80
_CACHED_MAX = 48  # lines this short are classified once and cached (a Line is never changed)
_LABELS = {
    "upvote": None,
    "upvoted": None,
    "ai-generated summary": "summary",
    "ai summary": "summary",
    "abstract": "abstract",
}
_USER = re.compile(r"@?(?=[\w.\-]*[^\W\d_])[\w][\w.\-]{0,41}")  # with a letter: "94" is no name
_PAPER_LINK = re.compile(
    r"(?:/papers/|arxiv\.org/(?:abs|pdf)/)"
    r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?![\d])"
)
_SENTENCE_BREAK = re.compile(r"[^\s.]\.\s+[A-Z(\"“]")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_ENDS_COMPLETE = re.compile(r"[.!?)\]\"'”’]$")


# A date as a line wrote it: month, day, year (or None), and the date's own text.
Dated = tuple[str, str, str | None, str]


@dataclass(slots=True)
class Line:
    """One line of a page as text, with what it is and what it says."""

    kind: str
    text: str
    number: int | None = None  # a count, an author count, the upvotes after a date
    role: str | None = None  # "upvotes", "comments", "stars" when the line says; a label's field
    user: str | None = None  # the submitter on a "Submitted by" line
    date: Dated | None = None
    hrefs: tuple[str, ...] = ()  # the links on the line (text browsers with references)


def normalise(raw: str) -> str:
    """A line as the readers compare it: stripped, runs of white space as one space."""
    return " ".join(raw.replace("\ufeff", "").split())


def classify(text: str, hrefs: tuple[str, ...] = ()) -> Line:
    """What one normalised line of a page is.

    Args:
        text: the line, stripped, with white space runs as one space.
        hrefs: the links on it, where the form shows them.
    """
    if not hrefs and len(text) <= _CACHED_MAX:
        # A page repeats its short lines ("·", counts, chrome) on every card.
        return _classify_short(text)
    return _classify(text, hrefs)


@lru_cache(maxsize=4096)
def _classify_short(text: str) -> Line:
    return _classify(text, ())


def _classify(text: str, hrefs: tuple[str, ...]) -> Line:
    if not text:
        return Line(BLANK, text, hrefs=hrefs)
    if text == "·":
        return Line(SEPARATOR, text, hrefs=hrefs)
    if match := _AUTHORS.fullmatch(text):
        return Line(AUTHORS, text, number=_number(match[1]), hrefs=hrefs)
    if match := _SUBMITTED.fullmatch(text):
        user = _WHEN.sub("", match[1]).strip() or None
        return Line(SUBMITTED, text, user=user, hrefs=hrefs)
    if match := _COUNT.fullmatch(text):
        role = _role(match[1] or match[4])
        return Line(COUNT, text, number=_count(match[2], match[3]), role=role, hrefs=hrefs)
    if dated := _date(text):
        role = "published" if dated[2] else None
        return Line(DATE, text, number=dated[1], role=role, date=dated[0], hrefs=hrefs)
    if TRUNCATION.fullmatch(text):
        return Line(TRUNCATED, text, hrefs=hrefs)
    folded = text.casefold().rstrip(":")
    if folded in _LABELS:
        return Line(LABEL, text, role=_LABELS[folded], hrefs=hrefs)
    if is_chrome(text):
        return Line(CHROME, text, hrefs=hrefs)
    if title_problem(text) in ("an image", "no words"):
        return Line(NOISE, text, hrefs=hrefs)
    return Line(TEXT, text, hrefs=hrefs)


def paper_id(hrefs: tuple[str, ...]) -> str | None:
    """The arXiv id of the first link to a paper (`/papers/<id>`, `arxiv.org/abs/<id>`)."""
    for href in hrefs:
        if match := _PAPER_LINK.search(href):
            return match[1]
    return None


def reads_as_abstract(text: str) -> bool:
    """Whether a line after a card's title is prose (an abstract) rather than a title."""
    if len(text) > _TITLE_MAX:
        return True
    if text.endswith(".") and len(text.split()) >= 6:
        return True
    return len(text) >= 120 and _SENTENCE_BREAK.search(text) is not None


@dataclass(slots=True)
class _Card:
    """A card being read: its title and the fields found so far."""

    title: str
    arxiv_id: str | None = None
    submitter: str | None = None
    upvotes: int | None = None
    organisation: str | None = None
    separator: bool = False
    authors: int | None = None
    comments: int | None = None
    github_stars: int | None = None
    abstract: list[str] = field(default_factory=list)
    summary: str | None = None
    dated: Dated | None = None
    against: date | None = None  # the page's date with a stated year, when the card began
    after_title: int = 0  # field lines read after the title
    incomplete: bool = False
    title_cut: bool = False  # the capture ended right after the title, maybe inside it
    counted: bool = False  # the upvotes came on a line of their own (not after a date)

    def facts(self) -> int:
        """How many of a card's own fields were found besides its title."""
        return sum(
            (
                self.submitter is not None,
                self.upvotes is not None,
                self.authors is not None or self.organisation is not None,
                self.comments is not None,
                self.github_stars is not None,
                self.dated is not None,
            )
        )

    def is_clear(self) -> bool:
        """Clearly a paper: linked to one, with an abstract, or with two fields of a card.

        Of those two fields, one only the current site's cards show (a submitter, an upvote or a
        comment count): the older layout's byline and date come with an abstract.
        """
        if self.arxiv_id or self.abstract or self.summary:
            return True
        current = (
            self.submitter is not None
            or self.counted
            or self.comments is not None
            or self.github_stars is not None
        )
        return current and self.facts() >= 2

    def has_byline(self) -> bool:
        return self.separator or self.authors is not None or self.organisation is not None


@dataclass(slots=True)
class _Pending:
    """What a card shows before its title: it waits for the title."""

    active: bool = False  # a line of the next card has been read
    first_line: str = ""
    submitter: str | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None
    dated: Dated | None = None
    want_user: bool = False  # "Submitted by" alone: the name is on the next line


class CardReader:
    """One pass over the lines of a page, assembling its cards (see the module docstring)."""

    def __init__(
        self, snapshot: datetime, *, form: Form, linked_dates: tuple[date, ...] = ()
    ) -> None:
        self._snapshot = snapshot
        self._form: Form = form
        self._linked_dates = linked_dates
        self._cards: list[_Card] = []
        self._skipped: list[SkippedBlock] = []
        self._card: _Card | None = None
        self._pending = _Pending()
        self._want: str | None = None  # the field a label announced
        self._page_date: date | None = None  # the first page date, for the result
        self._against: date | None = None  # the latest page date with a stated year
        self._lines: list[Line] = []

    def read(self, lines: list[Line]) -> ParseResult:
        """Read the classified lines of a page (or of several pasted together)."""
        self._lines = lines
        handlers = {
            BLANK: _ignore,
            NOISE: self._noise,
            TRUNCATED: self._truncated,
            CHROME: self._chrome,
            LABEL: self._label,
            SUBMITTED: self._submitted,
            COUNT: self._count,
            SEPARATOR: self._separator,
            AUTHORS: self._authors,
            DATE: self._date,
            TEXT: self._text,
        }
        for index, line in enumerate(lines):
            handlers[line.kind](index, line)
        self._end_of_text()
        papers = [self._paper(card) for card in self._cards]
        return ParseResult(papers, self._skipped, self._form, self._page_date)

    # Lines.

    def _noise(self, index: int, line: Line) -> None:
        self._link(line)

    def _truncated(self, index: int, line: Line) -> None:
        card = self._card
        if card is not None and not self._pending.active:
            card.incomplete = True
            card.title_cut = card.after_title == 0 and not card.abstract
        elif self._pending.active:
            self._skipped.append(SkippedBlock(self._pending.first_line[:200], INCOMPLETE))
        self._close()
        self._pending = _Pending()

    def _chrome(self, index: int, line: Line) -> None:
        self._close()
        self._pending = _Pending()
        self._want = None

    def _label(self, index: int, line: Line) -> None:
        self._want = line.role

    def _submitted(self, index: int, line: Line) -> None:
        pending = self._open_pending(line)
        if pending.submitter is not None:
            # A second "Submitted by" before any title: the first card had none.
            pending = self._pending = _Pending(active=True, first_line=line.text)
        pending.submitter = line.user
        pending.want_user = line.user is None
        self._link(line)

    def _count(self, index: int, line: Line) -> None:
        role = line.role or _link_role(line.hrefs)
        card = self._my_card()
        if role == "stars":
            if card is not None and card.github_stars is None:
                card.github_stars = line.number
                card.after_title += 1
            return
        if role == "comments" or (
            role is None
            and card is not None
            and card.comments is None
            and (card.has_byline() or self._next_kind(index) in (SUBMITTED, COUNT, CHROME, None))
        ):
            if card is not None and card.comments is None:
                card.comments = line.number
                card.after_title += 1
            return
        self._open_pending(line).upvotes = line.number
        self._link(line)

    def _separator(self, index: int, line: Line) -> None:
        card = self._my_card()
        if card is not None:
            card.separator = True
            card.after_title += 1

    def _authors(self, index: int, line: Line) -> None:
        card = self._my_card()
        if card is not None and card.authors is None:
            card.authors = line.number
            card.after_title += 1

    def _date(self, index: int, line: Line) -> None:
        card = self._my_card()
        if card is not None and (line.role == "published" or card.comments is None):
            # A bare date after a card's last line heads what follows (a day of a week's page).
            if card.dated is None:
                card.dated = line.date
                card.after_title += 1
                if card.upvotes is None:
                    card.upvotes = line.number
        elif self._pending.active:
            self._pending.dated = line.date
        else:
            # classify() gives every DATE line its date; this reader is only called for those.
            assert line.date is not None, "a date line without its date"
            self._page_header(line.date)

    def _text(self, index: int, line: Line) -> None:
        text = line.text
        pending = self._pending
        if pending.want_user:
            pending.want_user = False
            if self._is_user(index, text):
                pending.submitter = text
                return
        card = self._my_card()
        if card is not None:
            want, self._want = self._want, None
            if want == "summary" and card.summary is None:
                card.summary = text
                card.after_title += 1
                return
            if want == "abstract" or (card.abstract and reads_as_abstract(text)):
                card.abstract.append(text)
                card.after_title += 1
                return
            if card.after_title == 0 and self._is_organisation(index, text):
                card.organisation = organisation_name(text)
                card.after_title += 1
                return
            if reads_as_abstract(text):
                card.abstract.append(text)
                card.after_title += 1
                return
        if self._opens_card(text):
            self._close()
            self._card = self._new_card(text, line)
            return
        self._want = None

    # Cards.

    def _my_card(self) -> _Card | None:
        """The open card, when a field line now belongs to it (no next card begun)."""
        return None if self._pending.active else self._card

    def _open_pending(self, line: Line) -> _Pending:
        """The next card has begun (its submitter, upvotes or link): close the open one."""
        if not self._pending.active:
            self._close()
            self._pending = _Pending(active=True, first_line=line.text)
        return self._pending

    def _link(self, line: Line) -> None:
        arxiv_id = paper_id(line.hrefs)
        if arxiv_id is None:
            return
        card = self._my_card()
        if card is not None and card.arxiv_id in (None, arxiv_id):
            card.arxiv_id = arxiv_id
            return
        pending = self._open_pending(line)
        pending.arxiv_id = pending.arxiv_id or arxiv_id

    def _opens_card(self, text: str) -> bool:
        if title_problem(text) is not None:
            return False
        if len(text) <= _TITLE_MAX:
            return True
        # A long line opens a card only where a title is due, and reads as no prose.
        return (
            self._pending.active
            and len(text) <= _LONG_TITLE_MAX
            and not _ENDS_SENTENCE.search(text)
            and _SENTENCE_BREAK.search(text) is None
        )

    def _new_card(self, title: str, line: Line) -> _Card:
        pending, self._pending = self._pending, _Pending()
        self._want = None
        return _Card(
            title=title,
            arxiv_id=paper_id(line.hrefs) or pending.arxiv_id,
            submitter=pending.submitter,
            upvotes=pending.upvotes,
            counted=pending.upvotes is not None,
            dated=pending.dated,
            against=self._against,
        )

    def _close(self) -> None:
        card, self._card = self._card, None
        self._want = None
        if card is None:
            return
        if card.title_cut:
            self._skipped.append(SkippedBlock(card.title[:200], INCOMPLETE, self._paper(card)))
        elif not card.is_clear():
            reason = FEW_FIELDS if card.facts() else NO_CARD
            self._skipped.append(SkippedBlock(card.title[:200], reason, self._paper(card)))
        else:
            self._cards.append(card)

    def _end_of_text(self) -> None:
        """The text ends: a card still open may have been cut off."""
        card, seen = self._card, self._cards
        if card is not None and not self._pending.active:
            if len(seen) >= 2:
                if card.after_title == 0 and all(other.after_title for other in seen):
                    card.incomplete = card.title_cut = True
                elif (card.authors is None and all(o.authors is not None for o in seen)) or (
                    card.comments is None and all(o.comments is not None for o in seen)
                ):
                    card.incomplete = True
            if card.abstract and not _ENDS_COMPLETE.search(card.abstract[-1]):
                card.incomplete = True
        elif self._pending.active and self._cards:
            self._skipped.append(SkippedBlock(self._pending.first_line[:200], INCOMPLETE))
        self._close()

    def _next_kind(self, index: int) -> str | None:
        lines = self._lines
        for following in range(index + 1, len(lines)):
            if lines[following].kind not in (BLANK, NOISE, LABEL):
                return lines[following].kind
        return None

    def _is_user(self, index: int, text: str) -> bool:
        if _USER.fullmatch(text):
            return True
        # A display name ("Ahsen Khaliq") before the upvote count.
        return len(text) <= 40 and len(text.split()) <= 3 and self._next_kind(index) == COUNT

    def _is_organisation(self, index: int, text: str) -> bool:
        if len(text) > _ORG_MAX or _ENDS_SENTENCE.search(text):
            return False
        return self._next_kind(index) in (SEPARATOR, AUTHORS, DATE)

    # Dates.

    def _page_header(self, dated: Dated) -> None:
        month, day, year, _ = dated
        if year is None:
            year = self._linked_year(month, day)
        resolved = resolve_date(month, day, year, snapshot=self._snapshot)
        if resolved is None:
            return
        stated = year is not None
        if self._page_date is None:
            self._page_date = resolved[0]
        if stated:
            self._against = resolved[0]

    def _linked_year(self, month: str, day: str) -> str | None:
        """The year of the page's date from the dates it links to (previous, next day)."""
        for linked in self._linked_dates:
            for year in (linked.year, linked.year - 1, linked.year + 1):
                resolved = resolve_date(month, day, str(year), snapshot=self._snapshot)
                if resolved and abs(resolved[0] - linked) <= timedelta(days=7):
                    return str(year)
        return None

    def _paper(self, card: _Card) -> ParsedPaper:
        published = published_text = None
        year_source: YearSource | None = None
        inferred = False
        if card.dated is not None:
            month, day, year, published_text = card.dated
            against = self._snapshot
            if card.against is not None:
                against = datetime.combine(card.against, time(23, 59))
            resolved = resolve_date(month, day, year, snapshot=against)
            if resolved is not None:
                published, inferred = resolved
                year_source = "text" if not inferred else "page" if card.against else "file"
            else:
                published_text = None
        return ParsedPaper(
            card.title,
            "\n\n".join(card.abstract),
            card.authors,
            card.organisation,
            published,
            published_text,
            inferred,
            card.upvotes,
            arxiv_id=card.arxiv_id,
            comments=card.comments,
            submitter=card.submitter,
            github_stars=card.github_stars,
            summary=card.summary,
            year_source=year_source,
            incomplete=card.incomplete,
        )


def _ignore(index: int, line: Line) -> None:
    """A blank line separates nothing in a card."""


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _count(number: str, unit: str | None) -> int:
    """A count as written: "94" -> 94, "1,204" -> 1204, "1.2k" -> 1200, "11.3k" -> 11300."""
    if unit is None:
        return int(float(number.replace(",", "")))
    scale = 1_000 if unit in "kK" else 1_000_000
    return round(float(number.replace(",", "")) * scale)


def _role(word: str | None) -> str | None:
    if word is None:
        return None
    word = word.casefold()
    if word.startswith(("comment", "repl")):
        return "comments"
    return "upvotes" if word.startswith(("upvote", "vote")) else "stars"


def _link_role(hrefs: tuple[str, ...]) -> str | None:
    """What a count links to: a paper's discussion (comments) or its upvote button."""
    for href in hrefs:
        if "#community" in href or "#comments" in href:
            return "comments"
        if "login?next=" in href or "/upvote" in href:
            return "upvotes"
    return None


def _date(text: str) -> tuple[Dated, int | None, bool] | None:
    """A line that is a date: the date, the upvote count after it, and whose it is.

    Dates as in "Aug 1", "Published on Aug 1, 2024", "Jul 10, 2018 4", "Daily Papers Aug 1"; the
    third part tells whether words before the date say it is a paper's ("Published on").
    """
    match = _DATE.fullmatch(text)
    upvotes, labelled = None, False
    if match is not None:
        month, day, year, count = match.groups()
        upvotes = None if count is None else int(count)
        labelled = match.start(1) > 0
    else:
        # The page's date on a line of navigation ("Daily Papers · Aug 1, 2024").
        match = _DATE_IN.search(text) if len(text) <= _NAV_DATE_MAX else None
        if match is None or not is_chrome((text[: match.start()] + text[match.end() :]).strip()):
            return None
        month, day, year = match.groups()
    if not is_month(month) or not 1 <= int(day) <= 31:
        return None
    written = text[match.start(1) : match.end(3 if year else 2)]
    return (month, day, year, written), upvotes, labelled
