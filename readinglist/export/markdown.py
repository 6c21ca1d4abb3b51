"""The Markdown of exported notes: front matter, the app-owned block, combined files.

A paper's file has a part the app owns and a part the user owns:

    ---                            <- front matter (owned)
    title: "..."
    paper-id: "arxiv:2407.21783"
    ---
    <!-- readinglist:begin -->     <- block (owned): title, abstract, note
    ...
    <!-- readinglist:end -->
    anything the user writes here is theirs and is kept on re-export

Text from dumps is written as inert text: the front matter quotes every
string (see `frontmatter`), and the block escapes what Markdown, HTML and
note apps would read as markup. The user's own note is written as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from readinglist.export.identity import ID_FIELD, LEGACY_ID_FIELD, paper_identity
from readinglist.papers import Paper

BEGIN_MARKER = "<!-- readinglist:begin -->"
END_MARKER = "<!-- readinglist:end -->"
COMBINED_TITLE = "Reading notes"


def render_paper_block(paper: Paper) -> str:
    """The app-owned body of a paper's file, markers included.

    Args:
        paper: The paper.

    Returns:
        Markdown from the begin marker to the end marker, ending in a newline.
    """
    parts = [BEGIN_MARKER, f"# {_heading(paper.title)}", ""]
    parts += _abstract_and_note(paper, note_heading="## Note")
    return "\n".join([*parts, END_MARKER]) + "\n"


def paper_front_matter(
    paper: Paper, exported: datetime, *, paper_id: str | None = None
) -> dict[str, Any]:
    """The front matter fields of a paper's file.

    Args:
        paper: The paper.
        exported: The time of the export that last changed the file.
        paper_id: The identity written; the paper's own (`paper_identity`)
            if None.

    Returns:
        The fields, in the order they are written.
    """
    return _front_matter(paper, exported, ID_FIELD, paper_id or paper_identity(paper))


def legacy_front_matter(paper: Paper, exported: datetime, row: int) -> dict[str, Any]:
    """The front matter that exports before identities wrote: the row id in its place.

    Only to recognise such a file as untouched; it is never written.
    """
    return _front_matter(paper, exported, LEGACY_ID_FIELD, row)


def _front_matter(paper: Paper, exported: datetime, id_field: str, id_value: object) -> dict:
    read_at = paper.read_at
    fields: dict[str, Any] = {"title": paper.title}
    # Only where known, so that files of papers without them read as before.
    if paper.arxiv_id:
        fields["arxiv"] = paper.arxiv_id
        fields["url"] = paper.url
    fields["authors"] = paper.authors
    if paper.author_names:
        fields["author-names"] = list(paper.author_names)
    fields |= {
        "organisation": paper.organisation,
        "published": paper.published,
        "upvotes": paper.upvotes,
        "tags": list(paper.tags),
        "status": paper.status,
        "read": read_at.date() if isinstance(read_at, datetime) else read_at,
        # Not the library's row id: another library (another computer, the
        # same dumps in another order) gives the paper another one.
        id_field: id_value,
        "exported": exported,
    }
    return fields


def combined_block(sections: Sequence[str]) -> str:
    """The app-owned body of a combined file, from its papers' `combined_section`s."""
    # Each section ends with a blank line.
    return f"{BEGIN_MARKER}\n# {COMBINED_TITLE}\n\n{''.join(sections)}{END_MARKER}\n"


def combined_front_matter(count: int, exported: datetime) -> dict[str, Any]:
    """The front matter fields of a combined file."""
    return {"title": COMBINED_TITLE, "papers": count, "exported": exported}


def combined_section(paper: Paper, paper_id: str) -> str:
    """A paper's section in a combined file: facts as a list, abstract, note."""
    read_at = paper.read_at
    status = paper.status + (f", {read_at.date().isoformat()}" if read_at else "")
    facts = [
        ("Byline", paper.byline),
        ("Authors", _names(paper.author_names)),
        ("arXiv", paper.arxiv_id or ""),
        ("Published", paper.published.isoformat() if paper.published else ""),
        ("Upvotes", "" if paper.upvotes is None else str(paper.upvotes)),
        ("Tags", ", ".join(paper.tags)),
        ("Status", status),
        ("paper-id", paper_id),
    ]
    parts = [f"## {_heading(paper.title)}", ""]
    parts += [f"- {label}: {_inline(value)}" for label, value in facts if value]
    parts.append("")
    parts += _abstract_and_note(paper, note_heading="### Note")
    return "\n".join(parts) + "\n"  # parts end with "", so this ends in a blank line


COMBINED_AUTHORS = 10  # names listed in a combined file's section; the rest are counted


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:COMBINED_AUTHORS])
    rest = len(names) - COMBINED_AUTHORS
    return f"{shown} and {rest} more" if rest > 0 else shown


def _abstract_and_note(paper: Paper, *, note_heading: str) -> list[str]:
    lines: list[str] = []
    if paper.abstract.strip():
        lines += [*_quote(paper.abstract), ""]
    note = paper.note.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if note.strip():
        # The note is the user's own Markdown: written as it is.
        lines += [note_heading, "", note, ""]
    return lines


_INLINE_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`<[]&#"})
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_LINE_START = re.compile(r"[-+*=_~|>]|\d{1,9}[.)]")


def _inline(text: str) -> str:
    """Dump text as inert Markdown on one line: no HTML, links, code or tags.

    Backslash escapes render as the character itself, so the text reads the
    same when rendered. '<' stops raw HTML and autolinks, '[' and ']' stop
    links, images and wikilinks, '#' stops Obsidian tags, '%%' Obsidian
    comments.
    """
    # Control characters (NUL, ESC...) make some tools treat the file as
    # binary; U+FFFD shows that something was there.
    text = _CONTROL.sub("\ufffd", text.replace("\t", " "))
    return text.translate(_INLINE_ESCAPES).replace("%%", "%\\%")


def _heading(title: str) -> str:
    return _inline(" ".join(title.split())) or "(untitled)"


def _quote(text: str) -> list[str]:
    """Dump text as a Markdown quote whose lines cannot start a block."""
    out = []
    for raw in text.splitlines():
        line = _inline(raw.strip())
        # A line starting a list, rule, setext heading, table or nested quote
        # would not read as the text itself ("---" would become a rule).
        match = _LINE_START.match(line)
        if match:
            cut = match.end() - 1
            line = f"{line[:cut]}\\{line[cut:]}"
        out.append(f"> {line}" if line else ">")
    return out
