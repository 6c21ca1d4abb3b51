"""The reader of Markdown captures of the site's listing pages.

A capture is what a converter or a capture tool made of a listing page:
html2text, pandoc, markdownify, turndown, a web clipper, a scraper's
Markdown, a text browser's output pasted into a fence. `markdown_text`
reads the Markdown syntax into lines of plain text and links; this module
reads those lines as the site's cards:

- a paper starts at its title: a heading, a line that is only a link to
  `/papers/<id>`, or (as in the text dumps) a short plain line over a
  paragraph of its own. The arXiv id comes from the title's link, the
  thumbnail's or the upvote button's link before it (`/login?next=/papers/
  <id>`), or an `arxiv.org/abs/<id>` link in the card;
- the prose after the title is its text: the abstract when it reads as one
  (several sentences), the site's one-sentence AI summary otherwise
  (`summary`, abstract ""). A label ("AI-generated summary", "Abstract")
  decides when there is one; without one, a single sentence of at most
  _SUMMARY_MAX characters is a summary and anything else an abstract.
  Hard-wrapped paragraphs are unwrapped, wrapped titles joined;
- the card's metadata: author count (`- 8 authors`, `· 8 authors`), an
  organisation (`[[microsoft] Microsoft](...)`, an avatar link to the
  organisation's page, or a plain byline before `·`), a date (`May 29`,
  `Published on Mar 8, 2024`), the comment count (a number linked to
  `#community`, also glued to the date: `May 29[6](...#community)`),
  GitHub links with their stars (`[GitHub 11.3k](...)` -> 11300);
- the upvote count is a number (or `-` for none) before the title, linked
  to the upvote button or bare; when its link names the paper that paper
  gets it, wherever it stands (some layouts put it after the title);
- a header of key/value lines (`**URL:**`, `**Page Title:**`,
  `Captured (UTC): 2025-01-20 ...`, or YAML front matter) is never a paper;
  its capture date is the page's date (`page_date`), against which dates
  without a year resolve (year_source "page"). A daily page's own date
  between its previous/next links (`[](/papers?date=2024-07-31) Aug 1 ...`)
  gives it too;
- site chrome, navigation, images, reference definitions and GitHub star
  lines never become papers; the page's own header ("Daily Papers", "by AK
  and the research community"...) ends the card before it, so that dumps
  pasted together do not run into each other;
- a capture cut off inside an entry ("[Content truncated]", or a last entry
  that stops mid-sentence without the metadata the others have) keeps that
  entry with `incomplete=True`.

Duplicates are folded here, unlike in the other readers: capture tools print
every card of the trending page twice (its HTML holds each card twice), and
a paper is given once, at its first place, with what either copy had. Two
entries are the same when their titles have the same key and their arXiv
ids do not differ. The preview so never sees a second copy to call
"updated".

Precision first: a Markdown file that is not a capture of the site (a
README, notes, a changelog) gives no papers (see `_doubt`); what is left
out becomes a skipped block with the entry as the candidate the user may
take anyway, which also keeps the dispatcher from handing the file to
another reader.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from readinglist.dumps.bylines import organisation_name
from readinglist.dumps.dates import DATE_PATTERN, is_month, resolve_date
from readinglist.dumps.judge import (
    SITE_CHROME,
    SITE_LISTING_LINES,
    abstract_problem,
    title_problem,
)
from readinglist.dumps.markdown_text import Line, Link, read_markdown, unwrap
from readinglist.dumps.result import ParseResult, SkippedBlock
from readinglist.dumps.titles import title_key
from readinglist.papers import ParsedPaper, YearSource

_GLUED = "Subscribe"
_SUMMARY_MAX = 400  # the site's AI summaries are one sentence of at most ~320 characters
_TITLE_MAX = 300
_CARD_TEXT_MIN = 60  # the shortest AI summaries are ~75 characters
_ORG_MAX = 80
_META_MAX = 160

_PAPER_ID = re.compile(r"/papers/(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
_ARXIV_ID = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_LOGIN_ID = re.compile(r"next=(?:%2F|/)papers(?:%2F|/)(\d{4}\.\d{4,5})", re.IGNORECASE)
_NAV_DATE = re.compile(r"(?:[?&]date=|/papers/date/)((?:19|20)\d\d)-(\d\d)-(\d\d)")
_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/[^/\s]+/[^/\s?#]+", re.IGNORECASE)
_GITHUB_TEXT = re.compile(r"(?:LINK:\s*)?GitHub(?:\s+[\d.,]+\s*[kKmM]?)?", re.IGNORECASE)
_SITE_HOST = re.compile(r"^(?:https?://(?:www\.)?huggingface\.co)?/([A-Za-z0-9][\w.\-]*)/?$")
# Site pages that are not an organisation's or a user's profile.
_NOT_PROFILES = frozenset(
    (
        *("papers", "login", "join", "models", "datasets", "spaces", "docs", "pricing"),
        *("posts", "blog", "enterprise", "collections", "settings", "search", "learn"),
        *("tasks", "storage"),
    )
)

_BYLINE = re.compile(r"(?:[•·\-*]\s*)?(\d[\d,]*)\s+authors?", re.IGNORECASE)
_DATE = re.compile(
    r"(?:(?:published|submitted)\s+on\s+)?" + DATE_PATTERN + r"(?:\s+(\d{1,6}))?",
    re.IGNORECASE,
)
_COUNT = re.compile(r"(?:upvotes?\s*)?(\d[\d,]*|-|–)", re.IGNORECASE)
_STARS = re.compile(r"(\d+(?:[.,]\d+)?)\s*([kKmM])?\b")
# "[Content truncated]", "(output truncated due to length)", "Page cut off here."
_TRUNCATED = re.compile(
    r"[\[(]?\s*(?:(?:content|text|page|output|rest of (?:the )?(?:page|content))\s+)?"
    r"(?:was\s+|is\s+)?(?:truncated|cut off|omitted)"
    r"(?:\s+(?:due to|for|at|here|after)\b[^\[\]()]{0,60})?\s*[\])]?\s*[.…]*",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_SUBMITTED = re.compile(r"^submitted\s+by\b[:\s]*(.*)$", re.IGNORECASE)
_BY_AK = re.compile(r"^by\s*(?:AK\b.*|the research community)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[A-Z0-9(\[\"'])")
_TERMINAL = (".", "!", "?", ")", '"', "'", "”", "’", "]")

_HEADER_KEY = re.compile(
    r"^\**\s*(url|source(?: url| html)?|page title|title|captured(?: \(utc\)| at| on)?|"
    r"retrieved(?: at| on)?|fetched(?: at| on)?|saved(?: at| on)?|scraped(?: at| on)?|"
    r"clipped|created|downloaded|accessed|date|generated from|extraction|source sha256)"
    r"\s*\**\s*:\s*\**\s*(.*)$",
    re.IGNORECASE,
)
_DATE_KEYS = ("captured", "retrieved", "fetched", "saved", "scraped", "clipped", "created")
_DATE_KEYS_ALSO = ("downloaded", "accessed", "date")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")

# Headings and lines of the site that are no paper, beyond the judge's chrome.
_CHROME_EXTRA = frozenset(
    line.casefold()
    for line in (
        "Daily Papers - Hugging Face",
        "Trending Papers - Hugging Face",
        "© Hugging Face",
        "Search by arxiv id or title",
        "Papers - Hugging Face",
        # pandoc splits "by AK and the research community" around the avatar.
        "and the research community",
    )
)
_LABELS = {"ai-generated summary": "summary", "ai summary": "summary", "abstract": "abstract"}


@dataclass(slots=True)
class _Item:
    """One thing a line says: a title, text, or a piece of a card's metadata."""

    kind: str
    text: str = ""
    number: int | None = None
    url: str | None = None
    arxiv_id: str | None = None
    linked: bool = False  # a title that is a link to its paper
    blank_before: bool = True


@dataclass(slots=True)
class _Entry:
    title: str
    arxiv_id: str | None = None
    linked: bool = False
    paragraphs: list[list[str]] = field(default_factory=list)
    label: str | None = None
    authors: int | None = None
    organisation: str | None = None
    date_text: str | None = None
    upvotes: int | None = None
    upvotes_on_date: int | None = None
    comments: int | None = None
    submitter: str | None = None
    github_url: str | None = None
    github_stars: int | None = None
    incomplete: bool = False
    has_meta: bool = False  # a piece of card metadata came after the text
    preamble: bool = False  # it came before the first line of the site's own

    @property
    def text(self) -> str:
        return "\n\n".join(unwrap(lines) for lines in self.paragraphs if lines)

    @property
    def card_metadata(self) -> bool:
        """Details that only the site's cards have (a date or a name any notes may have)."""
        return any(
            value is not None
            for value in (
                self.authors,
                self.upvotes,
                self.comments,
                self.github_url,
                self.github_stars,
            )
        )


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Read a Markdown capture of a listing page.

    Args:
        text: the decoded text (any line ends).
        snapshot: when the file was saved; dates without a year resolve against
            it unless the capture states its own date.

    Returns:
        The papers in page order (each once), the entries skipped as doubtful,
        and the page's date when the capture states it.
    """
    document = read_markdown(text, keep_fence=_is_capture_text)
    header = dict(document.front_matter)
    items = _items(document.lines, header)
    reader = _Assembler()
    for index, item in enumerate(items):
        reader.take(item, items[index + 1] if index + 1 < len(items) else None)
    entries = reader.finish()
    page_date = _page_date(header) or reader.page_date
    site = _shows_site(header, reader.site_marks)
    papers: list[ParsedPaper] = []
    skipped: list[SkippedBlock] = []
    for entry in entries:
        if _is_empty(entry):
            continue  # a section heading: nothing a paper could be made of
        paper = _paper(entry, snapshot, page_date)
        reason = _doubt(entry, entries, site)
        if reason is None:
            papers.append(paper)
        else:
            skipped.append(SkippedBlock(entry.title[:200], reason, paper))
    return ParseResult(_folded(papers), skipped, form="markdown", page_date=page_date)


def _is_capture_text(block: str) -> bool:
    """Whether a fenced block holds a capture of the site (read it) or code (drop it)."""
    head = block[:20000]
    if "/papers/" in head or _BYLINE.search(head):
        return True
    folded = head.casefold()
    return any(mark in folded for mark in ("daily papers", "trending papers", "huggingface.co"))


# -- lines -> items -------------------------------------------------------------


def _items(lines: list[Line], header: dict[str, str]) -> list[_Item]:
    items: list[_Item] = []
    submitted = False  # a "Submitted by" line alone: the next short line is the name
    for line in lines:
        if submitted and line.kind == "text" and _is_name(line.text):
            items.append(_Item("submitter", line.text))
            submitted = False
            continue
        found = _line_items(line, header)
        if found:
            submitted = False  # an image between "Submitted by" and the name keeps it
        for item in found:
            item.blank_before = line.blank_before
            if item.kind == "submitter" and not item.text:
                submitted = True
            items.append(item)
    return items


def _line_items(line: Line, header: dict[str, str]) -> list[_Item]:
    if line.kind == "rule":
        return []
    text = line.text
    if not text:
        return _link_only_items(line)
    if line.kind == "heading":
        return [_heading_item(line, text)]
    if (metadata := _metadata(line)) is not None:
        return metadata
    header_match = _HEADER_KEY.match(text) if ":" in text else None
    if header_match is not None:
        header.setdefault(_header_key(header_match[1]), header_match[2].strip().strip("*"))
        return [_Item("header")]
    if _BRACKETED.fullmatch(text):
        # "[Content truncated]", or an image as a text browser writes it.
        return [_Item("truncated")] if _TRUNCATED.fullmatch(text) else []
    return [_text_item(line, text)]


def _link_only_items(line: Line) -> list[_Item]:
    """A line of links that show nothing (thumbnails, date arrows): hints only."""
    items: list[_Item] = []
    for link in line.links:
        if link.url and (nav := _NAV_DATE.search(link.url)):
            items.append(_Item("nav-date", nav[0], url=link.url))
        elif link.url and (paper := _paper_id(link.url)):
            items.append(_Item("paper-ref", arxiv_id=paper))
    return items


def _heading_item(line: Line, text: str) -> _Item:
    if (label := _LABELS.get(text.casefold().rstrip(":"))) is not None:
        return _Item("label", label)
    if _is_chrome(text):
        return _Item("chrome", text)
    if _TRUNCATED.fullmatch(text):
        return _Item("truncated")
    paper_id = next((_paper_id(link.url) for link in line.links if link.url), None)
    linked = bool(line.links) and not line.bare_text and paper_id is not None
    return _Item("title", " ".join(text.split()), arxiv_id=paper_id, linked=linked)


def _text_item(line: Line, text: str) -> _Item:
    if (submitted := _SUBMITTED.match(text)) is not None:
        return _Item("submitter", submitted[1].strip())
    if (label := _LABELS.get(text.casefold().rstrip(":"))) is not None:
        return _Item("label", label)
    if _is_chrome(text):
        return _Item("chrome", text)
    if _TRUNCATED.fullmatch(text) and len(text) < 60:
        return _Item("truncated")
    links = line.links
    if len(links) == 1 and not line.bare_text and (url := links[0].url):
        link = links[0]
        paper_id = _paper_id(url)
        if paper_id is not None and "\n" not in link.text and _reads_as_title(link.text):
            # A title as a bare link: search results, lists of papers. (The
            # assembler reads it as text when it follows its own title.)
            return _Item("title", link.text, arxiv_id=paper_id, linked=True, url="bare")
    if len(links) == 1 and not line.bare_text and "\n\n" in links[0].text:
        return _Item("text", links[0].text, url=links[0].url)
    return _Item("text", text)


def _metadata(line: Line) -> list[_Item] | None:
    """The line as pieces of card metadata, or None when any piece is something else."""
    if len(line.parts) == 1 and isinstance(line.parts[0], str) and len(line.parts[0]) > _META_MAX:
        return None  # prose: no metadata line is this long
    items: list[_Item] = []
    previous_date = False
    for part in line.parts:
        if isinstance(part, Link):
            item = _link_metadata(part, after_date=previous_date)
            if item is None:
                return None
            items.append(item)
            previous_date = item.kind == "date"
            continue
        for piece in re.split(r"\s*[·|]\s*", part):
            piece = piece.strip(" •*-") if piece.strip() not in ("-", "–") else piece.strip()
            if not piece:
                items.append(_Item("separator"))
                continue
            item = _text_metadata(piece)
            if item is None:
                return None
            items.append(item)
            previous_date = item.kind == "date"
    meaningful = [item for item in items if item.kind != "ignore"]
    if not meaningful or sum(item.kind == "org" for item in meaningful) > 1:
        return None  # nothing, or a row of links to people: navigation
    if all(item.kind == "separator" for item in meaningful) and len(line.text) > 1:
        return None
    return meaningful


def _text_metadata(piece: str) -> _Item | None:
    if (byline := _BYLINE.fullmatch(piece)) is not None:
        return _Item("authors", number=int(byline[1].replace(",", "")))
    if (dated := _DATE.fullmatch(piece)) is not None and is_month(dated[1]) and dated[2] != "0":
        upvotes = dated[4]
        text = piece[: dated.end(3 if dated[3] else 2)]
        text = re.sub(r"^(?:published|submitted)\s+on\s+", "", text, flags=re.IGNORECASE)
        return _Item("date", text, number=None if upvotes is None else int(upvotes))
    if (count := _COUNT.fullmatch(piece)) is not None:
        # A number alone: the upvote count, printed bare (saved HTML, pandoc).
        return _Item("upvotes", number=_number(count[1]))
    return None


def _link_metadata(link: Link, *, after_date: bool) -> _Item | None:
    text, url = " ".join(link.text.split()), link.url or ""
    if not text:
        if url and (nav := _NAV_DATE.search(url)):
            return _Item("nav-date", nav[0], url=url)
        paper = _paper_id(url) if url else None
        return _Item("paper-ref", arxiv_id=paper) if paper else _Item("ignore")
    if (count := _COUNT.fullmatch(text)) is not None:
        number = _number(count[1])
        if "#community" in url or (after_date and not url) or "comment" in text.casefold():
            return _Item("comments", number=number)
        return _Item("upvotes", number=number, arxiv_id=_upvote_id(url))
    if (byline := _BYLINE.fullmatch(text.lstrip("·• "))) is not None:
        return _Item("authors", number=int(byline[1].replace(",", "")))
    if url and _GITHUB.match(url):
        return _Item("github", url=url, number=_stars(text))
    if url and (arxiv := _ARXIV_ID.search(url)):
        return _Item("arxiv", arxiv_id=arxiv[1])
    if not url and _GITHUB_TEXT.fullmatch(text):
        return _Item("github", number=_stars(text))
    if (dated := _text_metadata(text)) is not None and dated.kind == "date":
        return dated
    if _is_organisation(link, text):
        return _Item("org", text)
    return None


def _is_organisation(link: Link, text: str) -> bool:
    if len(text) > _ORG_MAX or text.endswith(_TERMINAL[:3]) or not any(c.isalpha() for c in text):
        return False
    url = link.url or ""
    profile = _SITE_HOST.match(url)
    if profile is not None and profile[1].casefold() in _NOT_PROFILES:
        return False
    return link.image or profile is not None


def _paper_id(url: str) -> str | None:
    match = _PAPER_ID.search(url) or _ARXIV_ID.search(url)
    return match[1] if match else None


def _upvote_id(url: str) -> str | None:
    match = _LOGIN_ID.search(url)
    return match[1] if match else None


def _number(text: str) -> int | None:
    digits = text.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _stars(text: str) -> int | None:
    """A star count as written: "GitHub 11.3k" -> 11300, "1.32k" -> 1320, "476" -> 476."""
    matches = _STARS.findall(text)
    if not matches:
        return None
    number, unit = matches[-1]
    value = float(number.replace(",", "."))
    scale = {"k": 1_000, "m": 1_000_000}.get(unit.casefold(), 1)
    return round(value * scale)


def _is_chrome(text: str) -> bool:
    folded = text.casefold().strip(" :")
    return (
        folded in SITE_CHROME
        or folded in _CHROME_EXTRA
        or bool(_BY_AK.match(folded))
        or title_problem(text) == "site navigation"
    )


def _is_name(text: str) -> bool:
    return 0 < len(text) <= 40 and " " not in text.strip()


def _reads_as_title(text: str) -> bool:
    return 0 < len(text) <= _TITLE_MAX and len(_SENTENCE_END.findall(text)) == 0


def _header_key(key: str) -> str:
    return " ".join(key.casefold().split())


# -- items -> entries -------------------------------------------------------------


class _Assembler:
    """Walks the items in order and builds the entries (see the module docstring)."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []
        self.current: _Entry | None = None
        self.pending_upvotes: _Item | None = None
        self.pending_id: str | None = None
        self.pending_submitter: str | None = None
        self.page_date: date | None = None
        self.site_marks: set[str] = set()
        self._nav_dates: list[date] = []
        self._page_day: str | None = None
        self._month: str | None = None  # "Aug" alone on a line, the day on the next
        self._chrome_seen = False

    def take(self, item: _Item, following: _Item | None) -> None:
        kind = item.kind
        handler = getattr(self, "_" + kind.replace("-", "_"), None)
        if handler is not None:
            handler(item, following)

    def finish(self) -> list[_Entry]:
        self._close_page_date()
        if self.entries and not self.entries[-1].incomplete:
            self._mark_cut_off(self.entries[-1])
        return self.entries

    # titles and text

    def _title(self, item: _Item, following: _Item | None) -> None:
        current = self.current
        if (
            item.url == "bare"
            and current is not None
            and current.arxiv_id == item.arxiv_id
            and not current.paragraphs
        ):
            # The card's text as a link to the paper, right under its title.
            self._text(_Item("text", item.text, blank_before=item.blank_before), following)
            return
        title = _unglued(item.text)
        entry = _Entry(title, arxiv_id=item.arxiv_id or self.pending_id, linked=item.linked)
        pending = self.pending_upvotes
        if pending is not None and (
            pending.arxiv_id is None or entry.arxiv_id in (None, pending.arxiv_id)
        ):
            entry.upvotes = pending.number
            entry.arxiv_id = entry.arxiv_id or pending.arxiv_id  # "/login?next=/papers/<id>"
        entry.submitter = self.pending_submitter
        entry.preamble = not self._chrome_seen
        self.pending_upvotes = self.pending_id = self.pending_submitter = None
        self.entries.append(entry)
        self.current = entry
        self._close_page_date()

    def _text(self, item: _Item, following: _Item | None) -> None:
        entry = self.current
        after_card = entry is None or entry.has_meta or bool(entry.paragraphs)
        if after_card and _is_plain_title(item, following, _text_is_whole(entry)):
            # A title as plain text, as the text dumps have them: a short line
            # after the last card, over a paragraph of its own.
            self._title(_Item("title", item.text, blank_before=item.blank_before), following)
            return
        if entry is None:
            self._month_line(item)
            return
        if entry.has_meta:
            return  # prose after the card's metadata is no part of it
        if following is not None and following.kind in ("separator", "date") and _is_byline(item):
            entry.organisation = organisation_name(item.text)
            entry.has_meta = True
            return
        if "\n\n" in item.text:
            entry.paragraphs.extend([p] for p in item.text.split("\n\n"))
        elif item.blank_before or not entry.paragraphs:
            entry.paragraphs.append([item.text])
        else:
            entry.paragraphs[-1].append(item.text)

    def _header(self, _item: _Item, _following: _Item | None) -> None:
        entry = self.current
        if entry is not None and _is_empty(entry) and not entry.linked:
            # "# Web source" over "- URL: ...": the header's own heading.
            self.entries.remove(entry)
            self.current = None

    def _label(self, item: _Item, _following: _Item | None) -> None:
        if self.current is not None and not self.current.paragraphs:
            self.current.label = item.text

    def _chrome(self, item: _Item, _following: _Item | None) -> None:
        self._chrome_seen = True
        folded = item.text.casefold()
        if folded in SITE_LISTING_LINES or _BY_AK.match(folded):
            # The page's own header: a page starts (again, when dumps were pasted
            # together); nothing before it belongs to what follows. A button's
            # word inside a card ("Upvote", "Share") ends nothing.
            self.site_marks.add(folded)
            self.current = None
            self.pending_upvotes = self.pending_id = self.pending_submitter = None

    def _truncated(self, _item: _Item, _following: _Item | None) -> None:
        if self.current is not None:
            self.current.incomplete = True

    # metadata

    def _meta(self) -> _Entry | None:
        entry = self.current
        if entry is not None:
            entry.has_meta = True
        return entry

    def _authors(self, item: _Item, _following: _Item | None) -> None:
        entry = self._meta()
        if entry is not None and entry.authors is None and entry.organisation is None:
            entry.authors = item.number

    def _org(self, item: _Item, _following: _Item | None) -> None:
        entry = self._meta()
        if entry is not None and entry.authors is None and entry.organisation is None:
            entry.organisation = item.text

    def _date(self, item: _Item, _following: _Item | None) -> None:
        entry = self.current
        if entry is None:
            self._page_day = item.text
            return
        entry.has_meta = True
        if entry.date_text is None:
            entry.date_text = item.text
            entry.upvotes_on_date = item.number

    def _nav_date(self, item: _Item, _following: _Item | None) -> None:
        match = _NAV_DATE.search(item.text)
        if match is not None and self.current is None:
            with contextlib.suppress(ValueError):  # no such day
                self._nav_dates.append(date(int(match[1]), int(match[2]), int(match[3])))

    def _comments(self, item: _Item, _following: _Item | None) -> None:
        entry = self._meta()
        if entry is not None and entry.comments is None:
            entry.comments = item.number

    def _upvotes(self, item: _Item, _following: _Item | None) -> None:
        entry = self.current
        if entry is None and self._month and item.number is not None and item.number <= 31:
            self._page_day = f"{self._month} {item.number}"  # "Aug" then "1"
            self._month = None
            return
        if entry is not None and item.arxiv_id is not None and item.arxiv_id == entry.arxiv_id:
            entry.has_meta = True
            if entry.upvotes is None:
                entry.upvotes = item.number
            return
        self.pending_upvotes = item

    def _github(self, item: _Item, _following: _Item | None) -> None:
        entry = self._meta()
        if entry is not None and entry.github_url is None and entry.github_stars is None:
            entry.github_url, entry.github_stars = item.url, item.number

    def _arxiv(self, item: _Item, _following: _Item | None) -> None:
        entry = self._meta()
        if entry is not None and entry.arxiv_id is None:
            entry.arxiv_id = item.arxiv_id

    def _paper_ref(self, item: _Item, _following: _Item | None) -> None:
        # A thumbnail links to the paper before its title does.
        self.pending_id = item.arxiv_id

    def _submitter(self, item: _Item, _following: _Item | None) -> None:
        if item.text:
            self.pending_submitter = item.text

    def _separator(self, _item: _Item, _following: _Item | None) -> None:
        if self.current is not None and self.current.paragraphs:
            self.current.has_meta = True

    # the page's date and cut-off entries

    def _month_line(self, item: _Item) -> None:
        """A month ("Aug") alone before the first card: the page's date, whose day follows."""
        self._month = item.text if is_month(item.text) else None

    def _close_page_date(self) -> None:
        if self.page_date is not None or self._page_day is None:
            return
        match = re.fullmatch(DATE_PATTERN, self._page_day)
        if match is None:
            return
        month, day, year = match.groups()
        if year is None and self._nav_dates:
            # Between the previous and the next day's links: their year.
            year = str(max(self._nav_dates).year)
        if year is not None:
            resolved = resolve_date(month, day, year, snapshot=datetime.min)
            if resolved is not None:
                self.page_date = resolved[0]
        self._page_day = None

    def _mark_cut_off(self, last: _Entry) -> None:
        """The last entry stops mid-sentence without the metadata the others have."""
        text = last.text
        if not text or text.endswith(_TERMINAL) or last.has_meta:
            return
        others = self.entries[:-1]
        if others and sum(entry.has_meta for entry in others) * 2 >= len(others):
            last.incomplete = True


def _unglued(title: str) -> str:
    """A browser's copy glues the "Subscribe" button to the first title: "SubscribeFrozen ..."."""
    rest = title[len(_GLUED) :]
    if title.startswith(_GLUED) and rest[:1].isupper() and len(rest) > 10:
        return rest
    return title


def _is_plain_title(item: _Item, following: _Item | None, after_sentence: bool) -> bool:
    """A short line over its abstract: a paragraph of its own, or a line over a long one.

    Without blank lines (the text dumps' layout B) the abstract is one long line
    and the line before the title ends a sentence; a hard-wrapped abstract's
    lines are never that long.
    """
    if following is None or following.kind != "text":
        return False
    text, after = item.text, following.text
    separate = (
        item.blank_before and following.blank_before and len(after) > max(len(text), _CARD_TEXT_MIN)
    )
    unbroken = len(after) > _TITLE_MAX and (item.blank_before or after_sentence)
    return (
        (separate or unbroken)
        and "\n" not in text
        and _reads_as_title(text)
        and not text.endswith((".", "!", "?", ":", ";", ","))
        and not is_month(text)
    )


def _text_is_whole(entry: _Entry | None) -> bool:
    """Whether the entry's text so far is a whole abstract: one long line, or a sentence's end."""
    if not (entry and entry.paragraphs):
        return False
    last = entry.paragraphs[-1][-1]
    return len(last) > _TITLE_MAX or last.endswith(_TERMINAL)


def _is_byline(item: _Item) -> bool:
    text = item.text
    return (
        len(text) <= _ORG_MAX
        and not text.endswith(_TERMINAL[:3])
        and not _SENTENCE_END.search(text)
        and len(text.split()) <= 8
    )


# -- entries -> papers ------------------------------------------------------------


def _paper(entry: _Entry, snapshot: datetime, page_date: date | None) -> ParsedPaper:
    abstract, summary = _abstract_or_summary(entry.text, entry.label)
    published: date | None = None
    inferred = False
    year_source: YearSource | None = None
    upvotes = entry.upvotes if entry.upvotes is not None else entry.upvotes_on_date
    if entry.date_text is not None:
        match = re.fullmatch(DATE_PATTERN, entry.date_text)
        if match is not None:
            month, day, year = match.groups()
            anchor = datetime.combine(page_date, time(23, 59)) if page_date else snapshot
            resolved = resolve_date(month, day, year, snapshot=anchor)
            if resolved is not None:
                published, inferred = resolved
                if inferred and page_date is not None:
                    year_source = "page"
    return ParsedPaper(
        title=entry.title,
        abstract=abstract,
        authors=entry.authors,
        organisation=entry.organisation,
        published=published,
        published_text=entry.date_text if published else None,
        year_inferred=inferred,
        upvotes=upvotes,
        arxiv_id=entry.arxiv_id,
        comments=entry.comments,
        submitter=entry.submitter,
        github_url=entry.github_url,
        github_stars=entry.github_stars,
        summary=summary,
        year_source=year_source,
        incomplete=entry.incomplete,
    )


def _abstract_or_summary(text: str, label: str | None) -> tuple[str, str | None]:
    """(abstract, summary): the text is one or the other, as the module docstring says."""
    if not text:
        return "", None
    if label == "summary":
        return "", text
    if label == "abstract":
        return text, None
    one_sentence = not _SENTENCE_END.search(text.rstrip()) and "\n\n" not in text
    if one_sentence and len(text) <= _SUMMARY_MAX:
        return "", text
    return text, None


def _is_empty(entry: _Entry) -> bool:
    return not (
        entry.text
        or entry.card_metadata
        or entry.organisation
        or entry.arxiv_id
        or entry.date_text
        or entry.incomplete
    )


def _doubt(entry: _Entry, entries: list[_Entry], site: bool) -> str | None:
    """Why `entry` is left out as doubtful, or None when it reads as a paper.

    A title that links to its paper is a paper; so is any entry of a file that
    shows the site, but for headings above the captured page. In a file that
    does not, an entry needs an abstract that reads as one (a title and its
    abstract typed by hand), or a summary with the cards' own details (author
    counts, upvotes, GitHub stars) that other entries have too.
    """
    if (problem := title_problem(entry.title)) is not None:
        return problem
    if entry.linked:
        return None
    if site:
        if entry.preamble and any(not other.preamble for other in entries):
            return "above the captured page"
        return None
    if entry.text and abstract_problem(entry.text) is None:
        return None
    carded = sum(other.card_metadata for other in entries)
    if entry.text and entry.card_metadata and carded >= 2:
        return None
    return "not a listing of the site's papers"


def _shows_site(header: dict[str, str], marks: set[str]) -> bool:
    for key in ("url", "source url", "source", "page title", "title"):
        value = header.get(key, "").casefold()
        if "huggingface.co/papers" in value or ("hugging face" in value and "papers" in value):
            return True
    return len(marks) >= 2


def _page_date(header: dict[str, str]) -> date | None:
    for keys in (_DATE_KEYS, _DATE_KEYS_ALSO):
        for key, value in header.items():
            if key.split(" ")[0] in keys and (match := _ISO_DATE.search(value)):
                try:
                    return date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    continue
    return None


def _folded(papers: list[ParsedPaper]) -> list[ParsedPaper]:
    """Each paper once, at its first place, with what any of its copies had."""
    out: list[ParsedPaper] = []
    seen: dict[str, list[int]] = {}
    for paper in papers:
        key = title_key(paper.title)
        for index in seen.get(key, []):
            kept = out[index]
            if kept.arxiv_id is None or paper.arxiv_id is None or kept.arxiv_id == paper.arxiv_id:
                out[index] = _merged(kept, paper)
                break
        else:
            seen.setdefault(key, []).append(len(out))
            out.append(paper)
    return out


def _merged(first: ParsedPaper, second: ParsedPaper) -> ParsedPaper:
    """One paper of two copies: the complete copy's fields, the other's where it has none."""
    if first.incomplete and not second.incomplete:
        first, second = second, first
    filled = {
        name: getattr(second, name)
        for name in first.__dataclass_fields__
        if name not in _TEXT_FIELDS
        and getattr(first, name) in (None, "")
        and getattr(second, name) not in (None, "")
    }
    if not (first.abstract or first.summary):
        # The text is the abstract or the summary: both come from one copy.
        filled.update(abstract=second.abstract, summary=second.summary)
    return replace(first, **filled, incomplete=first.incomplete and second.incomplete)


_TEXT_FIELDS = frozenset({"abstract", "summary", "incomplete"})
