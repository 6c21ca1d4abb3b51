"""The shapes of a paper as the core hands it around.

`ParsedPaper` is what the dump parser finds in a file; `Paper` is a paper of
the library with the reader's status, note and tags. Both are plain
dataclasses: the GUI, the CLI, export and the index take them without
knowing about SQL or Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Status = Literal["unread", "read"]
STATUSES: tuple[Status, ...] = ("unread", "read")

# Where the year of a date came from: written in the date itself ("Jul 16,
# 2023"), the page's own date (a daily page's header, a capture's "Captured"
# line, the JSON's dates), the file's modification time (a guess), or the
# user, who corrected it (an import never overwrites that).
YearSource = Literal["text", "page", "file", "user"]
# What the user did with a paper of the Inbox besides reading it.
Triage = Literal["later", "dismissed"]
TRIAGES: tuple[Triage, ...] = ("later", "dismissed")

SITE_PAPER_URL = "https://huggingface.co/papers/{}"
ARXIV_URL = "https://arxiv.org/abs/{}"


def site_url(arxiv_id: str | None) -> str | None:
    """The paper's page on the daily-papers site."""
    return SITE_PAPER_URL.format(arxiv_id) if arxiv_id else None


def arxiv_url(arxiv_id: str | None) -> str | None:
    """The paper's abstract page on arXiv."""
    return ARXIV_URL.format(arxiv_id) if arxiv_id else None


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One entry of a page dump, as found in the file."""

    title: str
    abstract: str
    authors: int | None = None
    organisation: str | None = None
    published: date | None = None
    published_text: str | None = None
    year_inferred: bool = False
    upvotes: int | None = None
    # What the site's own pages carry beyond the sample dumps (saved HTML,
    # its JSON, captures with links). Appended after the fields above, which
    # the sample reader passes positionally.
    arxiv_id: str | None = None
    author_names: tuple[str, ...] = ()
    comments: int | None = None
    submitter: str | None = None
    github_url: str | None = None
    github_stars: int | None = None
    summary: str | None = None  # the site's one-sentence AI summary, kept apart from the abstract
    year_source: YearSource | None = None  # who said the year of `published`
    incomplete: bool = False  # cut off: the capture ended inside this entry

    @property
    def url(self) -> str | None:
        """The paper's page on the site, when its arXiv id is known."""
        return site_url(self.arxiv_id)


@dataclass(slots=True)
class Paper:
    """A paper of the library."""

    id: int
    title: str
    abstract: str
    authors: int | None = None
    organisation: str | None = None
    published: date | None = None
    published_text: str | None = None
    year_inferred: bool = False
    upvotes: int | None = None
    status: Status = "unread"
    read_at: datetime | None = None
    note: str = ""
    note_updated_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    added_at: datetime | None = None
    arxiv_id: str | None = None
    author_names: tuple[str, ...] = ()
    comments: int | None = None
    submitter: str | None = None
    github_url: str | None = None
    github_stars: int | None = None
    summary: str | None = None
    year_source: YearSource | None = None
    incomplete: bool = False
    triage: Triage | None = None
    triaged_at: datetime | None = None
    opened_seconds: float = 0.0

    @property
    def url(self) -> str | None:
        """The paper's page on the site, when its arXiv id is known."""
        return site_url(self.arxiv_id)

    @property
    def year_guessed(self) -> bool:
        """True when the year of `published` was guessed from a file's time."""
        return self.published is not None and self.year_source == "file"

    @property
    def arxiv_url(self) -> str | None:
        """The paper on arXiv, when its id is known."""
        return arxiv_url(self.arxiv_id)

    @property
    def byline(self) -> str:
        """Author count or organisation, as a listing shows it."""
        if self.organisation:
            return self.organisation
        if self.authors is not None:
            return f"{self.authors} author" + ("" if self.authors == 1 else "s")
        return ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the CLI contract."""
        return {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": self.authors,
            "organisation": self.organisation,
            "published": self.published.isoformat() if self.published else None,
            "published_text": self.published_text,
            "year_inferred": self.year_inferred,
            "upvotes": self.upvotes,
            "status": self.status,
            "read_at": _iso(self.read_at),
            "tags": list(self.tags),
            "note": self.note,
            "added_at": _iso(self.added_at),
            "arxiv_id": self.arxiv_id,
            "url": self.url,
            "arxiv_url": self.arxiv_url,
            "author_names": list(self.author_names),
            "comments": self.comments,
            "submitter": self.submitter,
            "github_url": self.github_url,
            "github_stars": self.github_stars,
            "summary": self.summary,
            "year_source": self.year_source,
            "incomplete": self.incomplete,
            "year_guessed": self.year_guessed,
            "triage": self.triage,
            "triaged_at": _iso(self.triaged_at),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
