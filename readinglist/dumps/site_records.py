"""The site's JSON records -> papers: shared by the JSON reader and the saved-page reader.

The daily-papers site hands out the same records in its API and in the
`data-props` of its saved pages: a listing is a list of entries

    {paper: {id, title, summary, authors: [{name, hidden...}], upvotes,
             publishedAt, submittedOnDailyAt, submittedOnDailyBy, githubRepo,
             githubStars, ai_summary, organization...},
     title, summary, numComments, submittedBy: {name, fullname},
     organization: {name, fullname}, publishedAt...}

or of bare paper objects (the search API, a single paper's page). Every
field may be missing or of another type than expected: nothing here assumes
a shape, and no JSON value makes it raise.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from readinglist.dumps.result import SkippedBlock
from readinglist.papers import ParsedPaper

# New-style ids (2407.21783, 2407.21783v2) and old-style ones (hep-th/9901001,
# math.AG/0309136). The version is not part of the paper's identity.
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?|([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?![\d])")
_COUNT = re.compile(r"\s*(\d[\d,]*)\s*")
_SHORT_COUNT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmM])\s*")
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_LIST_START = re.compile(r"\[\s*(?=\{)")
_JSON_TITLE = re.compile(r'"title"\s*:\s*"((?:[^"\\]|\\.)*)"')
_ENTRY_START = re.compile(r'\{\s*"paper"\s*:\s*\{')
_PREFIX_FIELD = re.compile(r'"(\w{1,40})"\s*:\s*"([^"\\]{0,100})"')
_PREFIX_MAX = 64 * 1024
_JSON_ID = re.compile(r'"id"\s*:\s*"([^"]{1,40})"')
_INCOMPLETE = "incomplete: the data is cut off inside it"

# The keys that make a bare object a paper rather than any record with a title.
_PAPER_KEYS = ("summary", "publishedAt", "upvotes", "submittedOnDailyAt", "ai_summary")
# How deep a listing may sit in a JSON document ({"data": {"papers": [...]}}).
_MAX_DEPTH = 4
_UNTITLED = "an entry without a title"
_MAX_COUNT = 10**9
# A document cut short in a deeply nested list costs a decode per "[{": bounded.
_MAX_RUNS = 200


@dataclass(frozen=True, slots=True, eq=False)  # one listing is itself, not any equal one
class Listing:
    """A list of the site's entries found in a JSON document.

    `single` marks one entry standing alone (a paper's own page, a single
    paper from the API) rather than a list of them.
    """

    entries: list[dict]
    single: bool = False

    def arxiv_ids(self) -> set[str]:
        """The arXiv ids of its entries."""
        return {found for entry in self.entries if (found := entry_arxiv_id(entry))}


def arxiv_id(value: Any) -> str | None:
    """The arXiv id in `value` without its version, or None if it is not one."""
    if not isinstance(value, str):
        return None
    match = ARXIV_ID.fullmatch(value.strip())
    if match is None:
        return None
    return match[1] or match[2]


def entry_arxiv_id(entry: dict) -> str | None:
    """The arXiv id of an entry or a bare paper."""
    return arxiv_id(_paper_of(entry).get("id"))


def collapse(value: Any) -> str:
    """A JSON string with its white space collapsed as a page shows it; "" for anything else."""
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", value).strip()


def unwrap_abstract(value: Any) -> str:
    """An abstract's paragraphs: the site hard-wraps them with single newlines.

    Lines of a paragraph join with a space (a line ending in a hyphen after a
    letter joins without one: "pre-" + "trained"); a blank line stays a
    paragraph break.
    """
    if not isinstance(value, str):
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        joined = ""
        for raw in block.split("\n"):
            line = _SPACES.sub(" ", raw).strip()
            if not line:
                continue
            if joined.endswith("-") and len(joined) > 1 and joined[-2].isalpha():
                joined += line
            else:
                joined = f"{joined} {line}" if joined else line
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def count(value: Any) -> int | None:
    """A count as the site gives it: 94, "94", "1,204", "1.2k"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        found = value
    elif not isinstance(value, str) or len(value) > 32:
        return None
    elif match := _COUNT.fullmatch(value):
        found = int(match[1].replace(",", ""))
    elif match := _SHORT_COUNT.fullmatch(value):
        found = round(float(match[1]) * (1_000 if match[2] in "kK" else 1_000_000))
    else:
        return None
    # No upvote, comment or star count comes near this; a larger one is no count.
    return found if 0 <= found <= _MAX_COUNT else None


def iso_date(value: Any) -> date | None:
    """The date part of an ISO timestamp ("2024-07-31T17:54:27.000Z"), or None."""
    if not isinstance(value, str) or not (match := _ISO_DATE.match(value)):
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def date_text(day: date) -> str:
    """A date as the site shows it: "May 3, 2026"."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def is_entry(value: Any) -> bool:
    """Whether `value` is one of the site's entries or a bare paper object."""
    if not isinstance(value, dict):
        return False
    paper = value.get("paper")
    if isinstance(paper, dict):
        return _is_paper(paper) or isinstance(paper.get("title"), str) or "title" in value
    return _is_paper(value)


def _is_paper(value: dict) -> bool:
    # A title alone is any record ({"title": "My app"}); the site's papers carry
    # an arXiv id, or a list of authors with the site's own keys.
    if arxiv_id(value.get("id")) is not None:
        return True
    return isinstance(value.get("authors"), list) and any(key in value for key in _PAPER_KEYS)


def find_listings(data: Any) -> list[Listing]:
    """Every list of the site's entries in a JSON document, in document order.

    A list holding entries is a listing (what else it holds is left out); an
    object that is an entry is a listing of one; any other object is searched
    a few levels down ({"dailyPapers": [...]}, {"data": {"papers": [...]}}).
    """
    return list(_listings(data, 0))


def _listings(data: Any, depth: int) -> Iterator[Listing]:
    if isinstance(data, list):
        entries = [item for item in data if is_entry(item)]
        if entries:
            yield Listing(entries)
        return
    if not isinstance(data, dict):
        return
    if is_entry(data):
        yield Listing([data], single=True)
        return
    if depth >= _MAX_DEPTH:
        return
    for value in data.values():
        if isinstance(value, (list, dict)):
            yield from _listings(value, depth + 1)


def choose(listings: list[Listing], visible: set[str] | None = None) -> list[dict]:
    """The entries a reader keeps, in order, from the listings of one page or file.

    A page's data can hold lists it does not show (a search page carries the
    day's papers beside its results): when the page links to the papers of
    some lists, the lists none of whose papers it links to are left out. An
    entry standing alone (a paper's own page) always stays. An entry already
    taken from another list is not taken twice.
    """
    if visible and len(listings) > 1:
        shown = [listing for listing in listings if listing.arxiv_ids() & visible]
        if shown:
            listings = [item for item in listings if item.single or item in shown]
    entries: list[dict] = []
    seen: set[str] = set()
    for listing in listings:
        taken: set[str] = set()
        for entry in listing.entries:
            key = entry_arxiv_id(entry)
            if key is not None and key in seen:
                continue
            if key is not None:
                taken.add(key)
            entries.append(entry)
        seen |= taken
    return entries


def read_entries(entries: list[dict]) -> tuple[list[ParsedPaper], list[SkippedBlock]]:
    """The papers of a listing's entries in order, and the entries without a title."""
    papers: list[ParsedPaper] = []
    skipped: list[SkippedBlock] = []
    for entry in entries:
        paper = entry_paper(entry)
        if paper is None:
            found = entry_arxiv_id(entry)
            first = f"{_UNTITLED} (arXiv {found})" if found else _UNTITLED
            skipped.append(SkippedBlock(first, "it has no title"))
        else:
            papers.append(paper)
    return papers, skipped


def entry_paper(entry: dict) -> ParsedPaper | None:
    """One entry (or bare paper object) as a paper; None when it has no title."""
    paper = _paper_of(entry)
    title = collapse(paper.get("title")) or collapse(entry.get("title"))
    if not title:
        return None
    names = _author_names(paper.get("authors"))
    published = iso_date(paper.get("publishedAt")) or iso_date(entry.get("publishedAt"))
    github = paper.get("githubRepo")
    return ParsedPaper(
        title=title,
        abstract=unwrap_abstract(paper.get("summary")) or unwrap_abstract(entry.get("summary")),
        authors=len(names) if names else None,
        organisation=_name(entry.get("organization")) or _name(paper.get("organization")),
        published=published,
        published_text=date_text(published) if published else None,
        year_inferred=False,
        upvotes=_first_count(paper.get("upvotes"), entry.get("upvotes")),
        arxiv_id=arxiv_id(paper.get("id")),
        author_names=names,
        comments=_first_count(entry.get("numComments"), paper.get("numComments")),
        submitter=_handle(entry.get("submittedBy")) or _handle(paper.get("submittedOnDailyBy")),
        github_url=collapse(github) if _is_web_address(github) else None,
        github_stars=count(paper.get("githubStars")),
        summary=collapse(paper.get("ai_summary")) or None,
        year_source="page" if published else None,
    )


def listing_date(container: Any, entries: list[dict]) -> date | None:
    """The page's own date: its `date`, else the day most entries were submitted on.

    The date is the JSON's `date` where it has one; a daily listing's entries share a submission
    day, a search's do not.
    """
    if isinstance(container, dict):
        for key in ("date", "dateString", "day"):
            if found := iso_date(container.get(key)):
                return found
    days = Counter(day for entry in entries if (day := _submitted_on(entry)))
    if not days:
        return None
    day, seen = days.most_common(1)[0]
    return day if seen * 2 > len(entries) else None


@dataclass(frozen=True, slots=True)
class Cut:
    """What a JSON document cut short still holds.

    `runs`: the whole objects of each list, in document order. `rest`: where
    the first list that holds entries broke off (the entry cut in two), or
    None when no such list was cut. `fields`: the plain string fields before
    the first list (a page's "date").
    """

    runs: list[list[Any]]
    rest: int | None
    fields: dict[str, str]


def salvage(text: str) -> Cut:
    """The complete objects of the lists of a JSON document cut short.

    A page or a file saved or captured only in part ends inside its data; the
    entries before the cut are whole and worth reading. Each run of objects
    in a list ("[{...}, {...}, {... <cut>") gives the objects that decode.
    """
    decoder = json.JSONDecoder()
    runs: list[list[Any]] = []
    rest: int | None = None
    done = attempts = 0
    for start in _LIST_START.finditer(text):
        if start.start() < done:
            continue
        attempts += 1
        if attempts > _MAX_RUNS:
            break
        position, run, closed = start.end(), [], False
        while True:
            try:
                value, end = decoder.raw_decode(text, position)
            except (ValueError, RecursionError):
                break
            run.append(value)
            position = _skip_spaces(text, end)
            if position >= len(text) or text[position] != ",":
                closed = position < len(text)
                break
            position = _skip_spaces(text, position + 1)
        done = position
        if run:
            runs.append(run)
        broken = not closed and rest is None
        if broken and (any(is_entry(item) for item in run) or _ENTRY_START.match(text, position)):
            rest = position
    first_list = _LIST_START.search(text)
    prefix = text[: first_list.start() if first_list else _PREFIX_MAX][:_PREFIX_MAX]
    return Cut(runs, rest, {match[1]: match[2] for match in _PREFIX_FIELD.finditer(prefix)})


def cut_entry(text: str, rest: int) -> SkippedBlock:
    """The entry a JSON document breaks off in, as a skipped block ("incomplete")."""
    tail = text[rest : rest + 200_000]
    title = _JSON_TITLE.search(tail)
    found = _JSON_ID.search(tail)
    name = collapse(_json_string(title[1])) if title else ""
    ident = arxiv_id(found[1]) if found else None
    candidate = ParsedPaper(name, "", arxiv_id=ident, incomplete=True) if name else None
    first = name or (f"{_UNTITLED} (arXiv {ident})" if ident else "the end of the data")
    return SkippedBlock(first, _INCOMPLETE, candidate)


def _json_string(body: str) -> str:
    try:
        return json.loads(f'"{body}"')
    except ValueError:
        return body


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _submitted_on(entry: dict) -> date | None:
    return iso_date(_paper_of(entry).get("submittedOnDailyAt")) or iso_date(
        entry.get("submittedOnDailyAt")
    )


def _paper_of(entry: dict) -> dict:
    paper = entry.get("paper")
    return paper if isinstance(paper, dict) else entry


def _author_names(authors: Any) -> tuple[str, ...]:
    # "hidden" hides the link to an author's account, not the author: the site
    # still counts them ("6 authors" over five visible names).
    if not isinstance(authors, list):
        return ()
    names = []
    for author in authors:
        name = collapse(author.get("name")) if isinstance(author, dict) else collapse(author)
        if name:
            names.append(name)
    return tuple(names)


def _name(holder: Any) -> str | None:
    """The display name of an organisation or a user object: its fullname, else its name."""
    if isinstance(holder, dict):
        return collapse(holder.get("fullname")) or collapse(holder.get("name")) or None
    return collapse(holder) or None


def _handle(holder: Any) -> str | None:
    """A user's handle ("akhaliq"), as every card and copy of the page shows the submitter.

    The JSON also has the display name ("AK"); the handle is what the other
    forms carry, so a paper seen in both keeps one submitter.
    """
    if isinstance(holder, dict):
        return (
            collapse(holder.get("name"))
            or collapse(holder.get("user"))
            or collapse(holder.get("fullname"))
            or None
        )
    return collapse(holder) or None


def _first_count(*values: Any) -> int | None:
    for value in values:
        if (found := count(value)) is not None:
            return found
    return None


def _is_web_address(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith(("https://", "http://"))
