"""Reader of a saved page of the site: the daily, weekly, trending, search or paper pages.

What it reads, best first:

1. The data the page carries for its scripts: HTML-escaped JSON in the
   `data-props` attributes of its components (`DailyPapers`, a search's or a
   paper's page...). Every component whose JSON holds the site's entries is
   read, whatever it is called, through `site_records`, as the JSON reader
   does; a component holding lists the page does not show (a search page
   carries the day's papers beside its results) is left out when the page
   links to the papers of another. A page cut short inside that JSON gives
   the entries before the cut.
2. Without usable JSON (a page saved "complete" by some browsers, a later
   layout), the cards: each `<article>` with a heading that links to
   `/papers/<arXiv id>`. Title and id from the heading; the upvote count (a
   number alone before the title), "Submitted by <user>", the author count
   ("533 authors"; the avatars only when nothing says it), the comment count
   (the link to the paper's `#community`), an organisation's link, a GitHub
   link, a date, and the abstract where cards carry one (a `<p>` under the
   title, as search results do). A card cut off by the end of the file is
   imported with what it has, marked incomplete.
3. Otherwise the visible text, read as the same text in a file would be:
   by the browser-copy reader (the current site's cards) or the sample
   reader (the older layouts), as `sniff` tells them apart, each the
   other's fallback.

The page's date comes from its JSON, else from the page itself (a daily
page's URL `?date=` or `/papers/date/` in its canonical link, `og:url` or a
browser's "saved from url" mark; the date header's `<time>`; the `<title>`),
and gives the year of dates written without one.

Whose page it is decides how much is read: a page whose head names another
site (a blog post, a README saved from GitHub) has no cards and no text
read, only data; a page that says nothing (a fragment) needs two cards, or
two of the site's own lines in its text. A page that gives no papers and
is not the site's says so in one skipped block ("not a page of the
daily-papers site"), which also keeps its markup from being read as a text
dump.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from html.parser import HTMLParser

from readinglist.dumps import browser_copy, sample_text, site_records
from readinglist.dumps.dates import DATE_PATTERN, resolve_date
from readinglist.dumps.html_text import html_to_text
from readinglist.dumps.judge import SITE_LISTING_LINES
from readinglist.dumps.result import Form, ParseResult, SkippedBlock
from readinglist.dumps.sniff import sniff
from readinglist.papers import ParsedPaper, YearSource

_FORM: Form = "page-html"
_NOT_THE_SITE = "not a page of the daily-papers site"
_CUT_CARD = "incomplete: the page ends inside this card"

# data-props="..." (or '...'); a value whose quote never closes runs to the end
# of the file: a page cut short inside its data.
_PROPS = re.compile(r"""\sdata-props\s*=\s*(?:"([^"]*)("?)|'([^']*)('?))""", re.IGNORECASE)
_ID = r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?"
_SITE_HOST = r"(?:https?:)?//(?:www\.)?(?:huggingface\.co|hf\.co)"
# A link to a paper's page on the site, relative or absolute.
_PAPER_LINK = re.compile(rf"(?:{_SITE_HOST})?/papers/({_ID})(?=$|[?#/])")
# A literal prefix (no \b, no spaces around "=", no IGNORECASE) keeps the scan of a
# large page fast: 0.1 ms over the sample page against 9 ms.
_PAPER_HREF = re.compile(rf"""href=["']?(?:{_SITE_HOST})?/papers/({_ID})(?=["'#?/\s>])""")
_RELATIVE_PAPER_HREF = re.compile(rf"""\bhref\s*=\s*["']?/papers/(?:{_ID}|\d+)(?=["'#?/\s>])""")

# What says a page is the site's: its address in the head, its title, its
# framework's hydration markers, its own relative links to papers.
_BODY = re.compile(r"<body\b", re.IGNORECASE)
_HEAD_TAG = re.compile(r"<(?:link|meta|base)\b[^>]*>", re.IGNORECASE)
_ADDRESS_TAG = re.compile(r"""canonical|og:url|og:site_name|<base\b""", re.IGNORECASE)
_SITE_NAME = re.compile(r"huggingface\.co|hf\.co\b|Hugging\s*Face", re.IGNORECASE)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+)", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# The site's titles: "Daily Papers - Hugging Face", "Paper page - <title>"...
_SITE_TITLE = re.compile(r"[-–|]\s*Hugging\s*Face\s*$|^(?:Daily|Trending) Papers\b", re.IGNORECASE)
_HYDRATER = "SVELTE_HYDRATER"
_CARD_LINE = re.compile(r"(?:·\s*)?\d[\d,]*\s+authors?|Submitted by\b.*", re.IGNORECASE)

# The page's date in its address: ?date=2024-08-01 or /papers/date/2024-08-01.
_URL_DATE = re.compile(r"(?:[?&](?:amp;)?date=|/papers/date/)(\d{4}-\d{2}-\d{2})")
_TIME_TAG = re.compile(r"""<time\b[^>]*\bdatetime\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_ARTICLE = re.compile(r"<article\b", re.IGNORECASE)
_DATED_TITLE = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)|(\d{4}-\d{2}-\d{2})")

# Card lines.
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?[kKmM]?")
_BYLINE = re.compile(r"(?:·\s*)?(\d[\d,]*)\s+authors?", re.IGNORECASE)
_SUBMITTED = re.compile(r"Submitted\s+by\b\s*(.*)", re.IGNORECASE)
_CARD_DATE = re.compile(
    r"(?:(?:Published|Submitted)\s+on\s+)?(" + DATE_PATTERN + ")", re.IGNORECASE
)
_GITHUB = re.compile(r"https?://(?:www\.)?github\.com/[\w.\-]+/[\w.\-]+")
_PROFILE = re.compile(rf"(?:{_SITE_HOST})?/([A-Za-z0-9][\w.\-]*)/?")
# First path segments of the site that are not a user or an organisation.
_NOT_PROFILES = frozenset(
    {
        "papers", "models", "datasets", "spaces", "docs", "posts", "blog", "pricing", "login",
        "join", "logout", "settings", "collections", "organizations", "enterprise", "learn",
        "tasks", "search", "notifications", "new", "terms-of-service", "privacy",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN = frozenset({"script", "style", "template", "noscript", "svg"})
_SPACES = re.compile(r"\s+")
_MIN_ABSTRACT_WORDS = 4
_HEAD_MAX = 256 * 1024


def read(text: str, *, snapshot: datetime) -> ParseResult:
    """Read a saved page of the site.

    Args:
        text: the page's HTML (LF line ends).
        snapshot: when the file was saved; dates without a year resolve
            against the page's own date where it states one, else against it.

    Returns:
        The papers in page order, what was skipped as doubtful, and the page's date.
    """
    from_data = _read_props(text)
    if from_data.papers:
        if from_data.page_date is None:
            from_data.page_date = _page_date(text, snapshot)
        return from_data
    page_date = _page_date(text, snapshot)
    site = _whose_page(text)
    from_cards = _read_cards(text, page_date, snapshot, site=site)
    if from_cards.papers:
        return from_cards
    from_text = _read_text(text, page_date, snapshot, site=site)
    if from_text.papers:
        return from_text
    skipped = from_data.skipped or from_cards.skipped or from_text.skipped
    if not skipped and site is not True:
        # Said once for the whole file; nothing else would read its markup as a dump.
        skipped = [SkippedBlock(_page_title(text) or "the page", _NOT_THE_SITE)]
    return ParseResult([], skipped, _FORM, page_date)


# 1. The page's data.


def _read_props(text: str) -> ParseResult:
    """The papers of the entries in the page's `data-props`."""
    listings: list[site_records.Listing] = []
    skipped: list[SkippedBlock] = []
    page_date: date | None = None
    for match in _PROPS.finditer(text):
        raw = match[1] if match[1] is not None else match[3]
        if "title" not in raw:
            continue  # the header's, the banner's...: no paper in them
        value = _unescape(raw)
        whole = bool(match[2] or match[4])
        found, cut, container = _props_listings(value, whole=whole)
        listings += found
        if cut is not None:
            skipped.append(cut)
        if page_date is None and found:
            page_date = site_records.listing_date(container, [e for f in found for e in f.entries])
    if not listings:
        return ParseResult([], skipped, _FORM)
    entries = site_records.choose(listings, _linked_ids(text))
    papers, untitled = site_records.read_entries(entries)
    return ParseResult(papers, untitled + skipped, _FORM, page_date)


def _props_listings(
    value: str, *, whole: bool
) -> tuple[list[site_records.Listing], SkippedBlock | None, object]:
    """The listings of one component's JSON, the entry a cut left in two, and the JSON."""
    if whole:
        try:
            data = json.loads(value)
        except (ValueError, RecursionError):
            data = None
        else:
            return site_records.find_listings(data), None, data
    cut = site_records.salvage(value)
    listings = [found for run in cut.runs for found in site_records.find_listings(run)]
    skipped = site_records.cut_entry(value, cut.rest) if cut.rest is not None else None
    return listings, skipped, cut.fields


def _unescape(value: str) -> str:
    """html.unescape, fast for the JSON of an attribute: nearly all its entities are &quot;.

    Replacing those first is the same as unescaping them with the rest: no
    entity's name holds a quote, so no other entity is made or broken.
    """
    value = value.replace("&quot;", '"')
    return html.unescape(value) if "&" in value else value


def _linked_ids(text: str) -> set[str]:
    """The arXiv ids of the papers the page links to (its cards)."""
    return {
        found for match in _PAPER_HREF.finditer(text) if (found := site_records.arxiv_id(match[1]))
    }


# The page itself: is it the site's, and its date.


def _head(text: str) -> str:
    """What comes before the body (and a browser's "saved from url" mark before the <html>)."""
    body = _BODY.search(text, 0, _HEAD_MAX)
    return text[: body.start() if body else _HEAD_MAX]


def _addresses(head: str) -> list[str]:
    """The tags that give the page's address or site name, and the "saved from url" mark."""
    found = [tag[0] for tag in _HEAD_TAG.finditer(head) if _ADDRESS_TAG.search(tag[0])]
    if saved := _SAVED_FROM.search(head):
        found.append(saved[1])
    return found


def _whose_page(text: str) -> bool | None:
    """Whether the page is one of the site's: True, False, or None when nothing tells.

    False: its head names another site. None: a fragment, a page without a head.
    """
    addresses = _addresses(_head(text))
    if any(_SITE_NAME.search(address) for address in addresses):
        return True
    if any("//" in address or "og:site_name" in address for address in addresses):
        return False  # a relative address names no site
    title = _page_title(text)
    if title and _SITE_TITLE.search(title):
        return True
    if _HYDRATER in text or _RELATIVE_PAPER_HREF.search(text) is not None:
        return True
    return None


def _page_title(text: str) -> str:
    match = _TITLE.search(_head(text))
    return _SPACES.sub(" ", html.unescape(match[1])).strip() if match else ""


def _page_date(text: str, snapshot: datetime) -> date | None:
    """The page's own date, from its address, its date header or its title."""
    head = _head(text)
    for address in _addresses(head):
        if (match := _URL_DATE.search(address)) and (found := site_records.iso_date(match[1])):
            return found
    # The date header comes before the first card; a card's own dates do not count.
    first_card = _ARTICLE.search(text)
    before_cards = text[len(head) : first_card.start() if first_card else len(text)]
    if (match := _TIME_TAG.search(before_cards)) and (found := site_records.iso_date(match[1])):
        return found
    return _title_date(_page_title(text), snapshot)


def _title_date(title: str, snapshot: datetime) -> date | None:
    match = _DATED_TITLE.search(title)
    if match is None:
        return None
    if match[4]:
        return site_records.iso_date(match[4])
    resolved = resolve_date(match[1], match[2], match[3], snapshot=snapshot)
    return resolved[0] if resolved else None


# 2. The cards.


@dataclass(slots=True)
class _Token:
    """A piece of a card's text: where it sits (before or after the title, in which link)."""

    text: str
    link: int  # index into _Card.links; -1 outside any link
    after_title: bool
    heading: int  # which of the card's headings it is in (1, 2...); 0 outside any


@dataclass(slots=True)
class _Card:
    """What an `<article>` holds, as the parser found it."""

    tokens: list[_Token] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # datetime attributes after the title
    title: str | None = None
    title_heading: int = 0  # which heading the title is
    arxiv_id: str | None = None
    first_id: str | None = None  # of the first link to a paper, for a card cut before its title
    avatars: int = 0
    complete: bool = False


class _CardParser(HTMLParser):
    """Collects the `<article>` elements of a page as cards: their text, links and title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[_Card] = []
        self._card: _Card | None = None
        self._depth = 0  # <article> elements open in the current card
        self._links: list[int] = []
        self._hidden: list[str] = []
        self._heading = 0  # headings open (one inside another is one)
        self._headings = 0  # headings opened in the current card
        self._heading_text: list[str] = []
        self._heading_id: str | None = None
        self._paragraph = 0
        self._paragraph_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden.append(tag)
            return
        if self._hidden:
            return
        if tag == "article":
            if self._card is None:
                self._card, self._depth = _Card(), 0
                self._links, self._heading, self._headings, self._paragraph = [], 0, 0, 0
            self._depth += 1
            return
        card = self._card
        if card is None:
            return
        if tag == "a":
            self._open_link(card, dict(attrs).get("href") or "")
        elif tag in _HEADINGS:
            self._heading += 1
            if self._heading == 1:
                self._headings += 1
                self._heading_text = []
                self._heading_id = self._open_paper_link(card)
        elif tag == "p":
            self._paragraph += 1
            if self._paragraph == 1:
                self._paragraph_text = []
        elif tag == "br":
            self._text(" ")
        elif tag == "li" and card.title is not None and dict(attrs).get("title"):
            card.avatars += 1
        elif tag == "time" and card.title is not None and (when := dict(attrs).get("datetime")):
            card.times.append(when)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            if tag in self._hidden:
                del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
            return
        if self._hidden or self._card is None:
            return
        card = self._card
        if tag == "article":
            self._depth -= 1
            if self._depth <= 0:
                self._finish(complete=True)
        elif tag == "a":
            if self._links:
                self._links.pop()
        elif tag in _HEADINGS and self._heading:
            self._heading -= 1
            if self._heading == 0:
                self._end_heading(card)
        elif tag == "p" and self._paragraph:
            self._paragraph -= 1
            if self._paragraph == 0 and card.title is not None:
                paragraph = _collapse("".join(self._paragraph_text))
                if paragraph:
                    card.paragraphs.append(paragraph)

    def handle_data(self, data: str) -> None:
        if self._hidden or self._card is None:
            return
        self._text(data)
        chunk = _collapse(data)
        if chunk:
            card = self._card
            link = self._links[-1] if self._links else -1
            heading = self._headings if self._heading else 0
            card.tokens.append(_Token(chunk, link, card.title is not None, heading))

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # "<![" not followed by CDATA, if, endif... makes the stdlib raise an
        # AssertionError (Python 3.11-3.13); browsers read it as a bogus comment.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    def close(self) -> None:
        super().close()
        if self._card is not None:
            self._finish(complete=False)  # the file ends inside this card

    def _text(self, data: str) -> None:
        if self._heading:
            self._heading_text.append(data)
        if self._paragraph:
            self._paragraph_text.append(data)

    def _open_link(self, card: _Card, href: str) -> None:
        self._links.append(len(card.links))
        card.links.append(href)
        found = _paper_id(href)
        if found and card.first_id is None:
            card.first_id = found
        if found and self._heading and self._heading_id is None:
            self._heading_id = found

    def _open_paper_link(self, card: _Card) -> str | None:
        """The paper a link around the heading goes to (`<a href=/papers/..><h3>`)."""
        for index in reversed(self._links):
            if found := _paper_id(card.links[index]):
                return found
        return None

    def _end_heading(self, card: _Card) -> None:
        title = _collapse("".join(self._heading_text))
        if card.title is None and title and self._heading_id:
            card.title, card.arxiv_id = title, self._heading_id
            card.title_heading = self._headings

    def _finish(self, *, complete: bool) -> None:
        assert self._card is not None
        if not complete and self._heading and self._card.title is None:
            self._end_heading(self._card)  # cut inside the title: keep what there is of it
        self._card.complete = complete
        self.cards.append(self._card)
        self._card = None


def _paper_id(href: str) -> str | None:
    match = _PAPER_LINK.match(href.strip())
    return site_records.arxiv_id(match[1]) if match else None


def _read_cards(
    text: str, page_date: date | None, snapshot: datetime, *, site: bool | None
) -> ParseResult:
    """The papers of the page's cards.

    Another site's page has none (a blog's post is an `<article>` too, its
    headings may link to the site); a page that does not say whose it is
    needs two cards at least.
    """
    if site is False:
        return ParseResult([], [], _FORM, page_date)
    parser = _CardParser()
    parser.feed(text)
    parser.close()
    papers: list[ParsedPaper] = []
    skipped: list[SkippedBlock] = []
    for card in parser.cards:
        if card.title is not None:
            papers.append(_card_paper(card, page_date, snapshot))
        elif not card.complete and card.first_id is not None:
            skipped.append(SkippedBlock(f"the card of arXiv {card.first_id}", _CUT_CARD))
    if site is None and len(papers) < 2:
        return ParseResult([], [], _FORM, page_date)
    return ParseResult(papers, skipped, _FORM, page_date)


def _card_paper(card: _Card, page_date: date | None, snapshot: datetime) -> ParsedPaper:
    """One card with a title as a paper."""
    assert card.title is not None
    fields = [token for token in card.tokens if token.heading != card.title_heading]
    before = [token for token in fields if not token.after_title]
    after = [token for token in fields if token.after_title]
    submitter = _submitter(before) or _submitter(after)
    github, stars = _github(card, after)
    published, published_text, year_inferred, year_source = _card_date(
        card, after, page_date, snapshot
    )
    authors = _author_count(after)
    if authors is None and card.complete and card.avatars:
        # Nothing says the count: the avatars shown are all there is. (Of a card
        # cut short, they are only those before the cut.)
        authors = card.avatars
    return ParsedPaper(
        title=card.title,
        abstract=_abstract(card.paragraphs),
        authors=authors,
        organisation=_organisation(card, after, submitter),
        published=published,
        published_text=published_text,
        year_inferred=year_inferred,
        upvotes=_upvotes(card, before),
        arxiv_id=card.arxiv_id,
        comments=_comments(card, after),
        submitter=submitter,
        github_url=github,
        github_stars=stars,
        year_source=year_source,
        incomplete=not card.complete,
    )


def _upvotes(card: _Card, before: list[_Token]) -> int | None:
    """The last number alone before the title: the vote box."""
    for token in reversed(before):
        if _NUMBER.fullmatch(token.text) and not _is_github(card, token):
            return site_records.count(token.text)
    return None


def _submitter(tokens: list[_Token]) -> str | None:
    """The user of "Submitted by <user>", on one piece of text or two."""
    for index, token in enumerate(tokens):
        if match := _SUBMITTED.fullmatch(token.text):
            name = match[1].strip()
            if not name and index + 1 < len(tokens):
                name = tokens[index + 1].text
            if name and not _NUMBER.fullmatch(name):
                return name
    return None


def _author_count(after: list[_Token]) -> int | None:
    for token in after:
        if match := _BYLINE.fullmatch(token.text):
            return site_records.count(match[1])
    return None


def _comments(card: _Card, after: list[_Token]) -> int | None:
    """The number in the link to the paper's discussion."""
    for token in after:
        in_discussion = token.link >= 0 and "#community" in card.links[token.link]
        if in_discussion and _NUMBER.fullmatch(token.text):
            return site_records.count(token.text)
    return None


def _organisation(card: _Card, after: list[_Token], submitter: str | None) -> str | None:
    """The text of the first link after the title to a user or organisation page."""
    texts: dict[int, list[str]] = {}
    for token in after:
        if token.link >= 0 and _is_profile(card.links[token.link]):
            texts.setdefault(token.link, []).append(token.text)
    for parts in texts.values():
        name = " ".join(parts)
        if name != submitter and not _NUMBER.fullmatch(name) and not _BYLINE.fullmatch(name):
            return name
    return None


def _is_profile(href: str) -> bool:
    match = _PROFILE.fullmatch(href.strip())
    return match is not None and match[1].lower() not in _NOT_PROFILES


def _github(card: _Card, after: list[_Token]) -> tuple[str | None, int | None]:
    """The card's GitHub repository and the stars its link shows."""
    for index, href in enumerate(card.links):
        if match := _GITHUB.match(href.strip()):
            stars = [t.text for t in after if t.link == index and _NUMBER.fullmatch(t.text)]
            return match[0], site_records.count(stars[0]) if stars else None
    return None, None


def _is_github(card: _Card, token: _Token) -> bool:
    return token.link >= 0 and _GITHUB.match(card.links[token.link].strip()) is not None


def _card_date(
    card: _Card, after: list[_Token], page_date: date | None, snapshot: datetime
) -> tuple[date | None, str | None, bool, YearSource | None]:
    """(date, its text, year inferred, year source) of the card's date, if it shows one."""
    for when in card.times:
        if found := site_records.iso_date(when):
            return found, site_records.date_text(found), False, "page"
    against = datetime.combine(page_date, time(23, 59)) if page_date else snapshot
    for token in after:
        if (match := _CARD_DATE.fullmatch(token.text)) and (
            resolved := resolve_date(match[2], match[3], match[4], snapshot=against)
        ):
            found, inferred = resolved
            source: YearSource = ("page" if page_date else "file") if inferred else "text"
            return found, match[1], inferred, source
    return None, None, False, None


def _abstract(paragraphs: list[str]) -> str:
    """The card's paragraphs of prose under the title; a daily card has none."""
    prose = [text for text in paragraphs if len(text.split()) >= _MIN_ABSTRACT_WORDS]
    return "\n\n".join(prose)


# 3. The visible text.


def _read_text(
    text: str, page_date: date | None, snapshot: datetime, *, site: bool | None
) -> ParseResult:
    """The page's visible text through the text readers, when the page is the site's.

    When the page does not say, when its text shows the site's lines.
    """
    if site is False:
        return ParseResult([], [], _FORM, page_date)
    visible = html_to_text(text)
    if site is None and not _has_site_lines(visible):
        return ParseResult([], [], _FORM, page_date)
    against = datetime.combine(page_date, time(23, 59)) if page_date else snapshot
    # The text is read as the same text dropped as a file would be: the current
    # site's cards by the browser-copy reader, the older layouts by the sample
    # reader; each is the other's fallback.
    readers = (browser_copy.read, sample_text.read)
    if sniff(visible) != "browser-copy":
        readers = readers[::-1]
    result = readers[0](visible, snapshot=against)
    if not result.papers:
        result = readers[1](visible, snapshot=against)
    papers = result.papers
    if page_date is not None:
        # A year guessed from the page's own date is the page's, not the file's.
        papers = [
            replace(paper, year_source="page") if paper.year_inferred else paper for paper in papers
        ]
    return ParseResult(papers, result.skipped, _FORM, page_date or result.page_date)


def _has_site_lines(visible: str) -> bool:
    """Two different lines of the site's chrome or cards at least."""
    seen: set[str] = set()
    for line in visible.split("\n"):
        stripped = line.strip()
        folded = stripped.casefold()
        if folded in SITE_LISTING_LINES:
            seen.add(folded)
        elif match := _CARD_LINE.fullmatch(stripped):
            seen.add("submitted" if match[0][:1] in "Ss" else "authors")
        if len(seen) >= 2:
            return True
    return False


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
