"""What `show` prints of one paper: text lines made safe for a terminal, or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from readinglist.cli.output import terminal_block, terminal_text

if TYPE_CHECKING:
    from readinglist.library.reader import Source, UpvoteSeen
    from readinglist.papers import Paper

AUTHORS_SHOWN = 5  # names printed by `show`; the rest are counted


def show_json(paper: Paper, sources: Sequence[Source], history: Sequence[UpvoteSeen]) -> dict:
    """A paper in JSON, plus the files it was seen in and its upvote history."""
    entry = paper.to_json()
    entry["sources"] = [
        {
            "name": s.name,
            "path": s.path,
            "sha256": s.sha256,
            "imported_at": s.imported_at.isoformat(),
            "outcome": s.outcome,
        }
        for s in sources
    ]
    entry["upvote_history"] = [seen.to_json() for seen in history]
    return entry


def show_lines(paper: Paper, sources: Sequence[Source]) -> list[str]:
    """What `show` prints of a paper, line by line, made safe for the terminal."""
    lines = [terminal_text(paper.title), terminal_text(" · ".join(_facts(paper)))]
    lines += _links(paper)
    lines.append(f"[{paper.status}]" + (f" tags: {', '.join(paper.tags)}" if paper.tags else ""))
    lines.append("")
    lines.append(terminal_block(paper.abstract) if paper.abstract.strip() else "(no abstract)")
    if paper.summary:
        lines += ["", "Summary: " + terminal_block(paper.summary)]
    if paper.incomplete:
        lines += ["", "(the page was cut off inside this entry)"]
    if paper.note:
        lines += ["", "Note:", paper.note]
    if sources:
        lines.append("")
    lines += [
        f"from {terminal_text(s.name)} ({s.outcome} {s.imported_at:%Y-%m-%d %H:%M})"
        for s in sources
    ]
    return lines


def _facts(paper: Paper) -> list[str]:
    facts = [
        paper.byline,
        paper.published.isoformat() if paper.published else "",
        f"{paper.upvotes} upvotes" if paper.upvotes is not None else "",
        _count(paper.comments, "comment"),
    ]
    return [fact for fact in facts if fact]


def _links(paper: Paper) -> list[str]:
    """The lines of who wrote it and where it lives (site, arXiv, GitHub)."""
    lines = []
    if paper.author_names:
        lines.append("by " + _authors_text(paper.author_names))
    if paper.arxiv_id:
        lines.append(f"arXiv {terminal_text(paper.arxiv_id)}: {paper.url} · {paper.arxiv_url}")
    if paper.github_url:
        stars = f" ({_count(paper.github_stars, 'star')})" if paper.github_stars is not None else ""
        lines.append(f"GitHub: {terminal_text(paper.github_url)}{stars}")
    if paper.submitter:
        lines.append(f"submitted by {terminal_text(paper.submitter)}")
    return lines


def _authors_text(names: Sequence[str]) -> str:
    shown = ", ".join(terminal_text(name) for name in names[:AUTHORS_SHOWN])
    rest = len(names) - AUTHORS_SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown


def _count(value: int | None, noun: str) -> str:
    if value is None:
        return ""
    return f"{value} {noun}" + ("" if value == 1 else "s")
