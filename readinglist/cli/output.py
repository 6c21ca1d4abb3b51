"""What the commands print: JSON documents, lines about papers, problems on stderr.

Every JSON document is an object whose `schema` says which shape it has, so a
script can tell a document it knows from one of a later version. Text from
dumps may hold control characters: it is made safe before it reaches a terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readinglist.papers import Paper

# The version of every JSON document's shape; raised when a key changes
# meaning or goes away (new keys alone keep it).
SCHEMA = 1


def print_json(document: Mapping[str, object]) -> None:
    """Print one JSON document (an object) with its `schema` first, on stdout."""
    json.dump({"schema": SCHEMA, **document}, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def problem(message: str) -> None:
    """Say one problem on stderr, as `readinglist: <message>`."""
    print(f"readinglist: {message}", file=sys.stderr)


def plural(count: int, noun: str) -> str:
    """`1 paper`, `2 papers`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def paper_line(paper: Paper) -> str:
    """A paper on one line: its id, `*` when unread, its title and tags."""
    mark = " " if paper.status == "read" else "*"
    tags = f"  [{', '.join(paper.tags)}]" if paper.tags else ""
    return f"{paper.id:>6} {mark} {terminal_text(paper.title)}{tags}"


def terminal_text(text: str) -> str:
    """Text made safe for the terminal: what is not printable becomes a space."""
    # Dump text may hold control characters; never let them reach the terminal.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def terminal_block(text: str) -> str:
    """Text of several lines for the terminal: its lines kept, each made safe."""
    return "\n".join(terminal_text(line) for line in text.splitlines())


def terminal_fragment(fragment: str) -> str:
    """A highlight fragment for the terminal: matches bold on a tty, text made safe."""
    import html
    import re

    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("", "")
    out: list[str] = []
    for piece in re.split(r"(</?b>)", fragment):
        if piece == "<b>":
            out.append(bold)
        elif piece == "</b>":
            out.append(plain)
        else:
            out.append(terminal_text(html.unescape(piece)))
    return "".join(out)


def papers_json(papers: Sequence[Paper]) -> list[dict]:
    """Papers in their JSON form (README: "A paper in JSON")."""
    return [paper.to_json() for paper in papers]


class ProgressBar:
    """A one-line progress bar on stderr, for terminals only."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < 2:
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def progress_bar(label: str) -> ProgressBar | None:
    """A progress bar when stderr is a terminal, else None (a log is no place for one)."""
    return ProgressBar(label) if sys.stderr.isatty() else None
