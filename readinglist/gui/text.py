"""How the GUI writes a paper's facts as text, and how it keeps dump text inert.

Everything a dump supplies (titles, abstracts, bylines, file names) is plain
text. Widgets either show it in a `Qt.PlainText` label or pass it through
`escape()` before it meets rich text; the only HTML that is trusted as it is
comes from the search index's highlights (already escaped, with <b> around
matches). Pure Python, no Qt: the table model can use it too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

from readinglist.papers import Paper

# Month names are spelled out here instead of `strftime("%b")`: QApplication
# sets the C locale from the environment, and a French "janv." between
# English words reads worse than a consistent English listing style.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

SEPARATOR = " · "
UPVOTE = "▲"


def escape(text: str | None) -> str:
    """Text made safe to embed in Qt rich text (quotes too, for attributes)."""
    return html.escape(text or "", quote=True)


def plain_to_html(text: str | None) -> str:
    """Escaped text whose line breaks survive in rich text."""
    return escape(text).replace("\n", "<br>")


# Tooltip lines up to this long stay on one line; longer text wraps in a
# box this wide (Qt wraps a bare <p> tooltip into a box a few words wide).
TOOLTIP_LINE_CHARS = 100
TOOLTIP_WIDTH_PX = 520


def plain_tooltip(text: str | None) -> str:
    """A tooltip that shows `text` as text, whatever it holds, at a readable width.

    Qt guesses whether a tooltip is rich text from its content, so a title
    such as "<b>Bold</b> claims" would render as markup: escaping and a rich
    text wrapper make the guess certain. Short lines are kept whole; longer
    text wraps in a box of TOOLTIP_WIDTH_PX rather than Qt's narrow default.
    """
    if not text:
        return ""
    body = plain_to_html(text)
    if max(len(line) for line in text.splitlines() or [""]) <= TOOLTIP_LINE_CHARS:
        return f'<p style="white-space:pre">{body}</p>'
    return f'<table width="{TOOLTIP_WIDTH_PX}"><tr><td>{body}</td></tr></table>'


# LaTeX that abstracts carry over from arXiv, shown as the characters it stands for.
_LATEX_ESCAPES = re.compile(r"\\([%&_#$])")
_LATEX_DASHES = (
    (re.compile(r"(?<=\S)---(?=\S)|(?<=\s)---(?=\s)"), "\u2014"),
    (re.compile(r"(?<=\w)--(?=\w)|(?<=\s)--(?=\s)"), "\u2013"),
)
_LATEX_QUOTES = re.compile(r"``(.+?)''", re.DOTALL)


def display_latex(text: str) -> str:
    r"""Common LaTeX in an abstract as the reader would see it typeset, for display only.

    `\%`, `\&`, `\_`, `\#` and `\$` become the character; `--` between
    words or spaces an en dash, `---` an em dash; ``quotes'' curly quotes.
    Math (`$...$`) is left as the text it is, and so is anything else: the
    library keeps the abstract as the page had it.
    """
    if "\\" not in text and "--" not in text and "``" not in text:
        return text
    shown = _LATEX_ESCAPES.sub(r"\1", text)
    for pattern, dash in _LATEX_DASHES:
        shown = pattern.sub(dash, shown)
    return _LATEX_QUOTES.sub("\u201c\\1\u201d", shown)


_MARKED = re.compile(r"<b>(.*?)</b>", re.DOTALL)


def marked_words(fragment_html: str | None) -> list[str]:
    """The words a highlight fragment marks (its <b> contents, unescaped), longest first."""
    words = {html.unescape(m).strip() for m in _MARKED.findall(fragment_html or "")}
    return sorted((w for w in words if w), key=lambda w: (-len(w), w))


def highlight_text(text: str, words: list[str]) -> str:
    """All of `text`, escaped, with every whole-word occurrence of `words` in <b>.

    The index highlights the best passages of an abstract, not all of it; the
    detail pane shows the whole abstract, so it marks the same words (as the
    passages show them) everywhere in the text, ignoring case.
    """
    if not words:
        return escape(text)
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    out: list[str] = []
    index = 0
    for match in pattern.finditer(text):
        out.append(escape(text[index : match.start()]))
        out.append(f"<b>{escape(match.group(0))}</b>")
        index = match.end()
    out.append(escape(text[index:]))
    return "".join(out)


# Said next to a date whose year came from the file's time, which copying,
# syncing or a checkout changes.
YEAR_GUESSED = "year guessed"


def date_text(day: date | None) -> str:
    """A date as listing pages write it, always with its year: "Jan 29, 2025".

    Dates whose year was inferred (the dump said only "Jan 29") show the year
    too, so that two papers a year apart never read the same; callers that
    care can say it was inferred (see `date_tooltip`).
    """
    if day is None:
        return ""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def date_tooltip(paper: Paper) -> str:
    """A hint for dates whose year is a guess or came from the page; empty otherwise."""
    if paper.published is None:
        return ""
    if paper.year_source == "user":
        return "You set this year; imports leave it as it is."
    if not paper.year_inferred:
        return ""
    if paper.year_source == "page":
        return "The listing showed no year; it is the year of the page's own date."
    return "The page showed no year; it is taken from when the page was saved."


def authors_text(names: tuple[str, ...] | list[str], shown: int = 6) -> str:
    """The byline shown: "Ada Lovelace, Alan Turing and 531 more", or "" without names."""
    names = list(names)
    if not names:
        return ""
    if len(names) <= shown + 1:
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names[:shown]) + f" and {len(names) - shown:,} more"


def stars_text(stars: int | None) -> str:
    """A star count as shown: "1.3k stars", "476 stars", or ""."""
    if stars is None:
        return ""
    if stars >= 1000:
        return f"{stars / 1000:.1f}k stars".replace(".0k", "k")
    return count_text(stars, "star")


def upvotes_text(upvotes: int | None) -> str:
    """An upvote count as shown: "▲ 4", or "" when the listing showed no count."""
    return "" if upvotes is None else f"{UPVOTE} {upvotes}"


def byline_text(paper: Paper) -> str:
    """Author count or organisation ("6 authors", "Reactive AI"), or ""."""
    return paper.byline


def meta_line(paper: Paper) -> str:
    """Byline, date and upvotes joined: "6 authors · Jan 29, 2025 · ▲ 4".

    Parts the listing did not show are left out, so a paper without metadata
    gives "".
    """
    day = date_text(paper.published)
    if paper.year_guessed:
        day += f" ({YEAR_GUESSED})"
    parts = [byline_text(paper), day, upvotes_text(paper.upvotes)]
    if paper.comments:
        parts.append(count_text(paper.comments, "comment"))
    return SEPARATOR.join(p for p in parts if p)


def _grouped(number: int) -> str:
    return f"{number:,}"


_number_format: Callable[[int], str] = _grouped


def use_number_format(format_number: Callable[[int], str] | None) -> None:
    """How counts are written: the GUI passes its locale's (None: "100,000")."""
    global _number_format
    _number_format = format_number or _grouped


def number_text(number: int) -> str:
    """A count with the thousands separators of the chosen format: "100,000"."""
    return _number_format(number)


def count_text(count: int, singular: str, plural: str | None = None) -> str:
    """A count and its noun: "1 paper", "3 papers", "100,000 papers"; `plural` if irregular."""
    word = singular if count == 1 else (plural or singular + "s")
    return f"{number_text(count)} {word}"


def time_ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago `moment` was, in words: "just now", "5 minutes ago", "on Jan 3, 2025".

    Naive datetimes are taken as UTC (the library stores UTC).
    """
    if moment is None:
        return ""
    now = now or datetime.now(UTC)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return count_text(int(seconds // 60), "minute") + " ago"
    if seconds < 86400:
        return count_text(int(seconds // 3600), "hour") + " ago"
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return "on " + date_text(moment.astimezone().date())


def elide_middle(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters with "…" in the middle (for paths)."""
    if len(text) <= limit or limit < 5:
        return text
    head = (limit - 1) // 2
    tail = limit - 1 - head
    return text[:head] + "…" + text[-tail:]
