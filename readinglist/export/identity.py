"""The stable identity of a paper, and matching vault files to papers by it.

A library's row ids are its own: the same dumps imported in another order, or
on another computer, give a paper another id. What every library agrees on is
the paper's arXiv id, where a page gave it, and otherwise its title as
`title_key` normalises it. Export writes that identity into each file's
front matter (`paper-id: arxiv:2407.21783`, `paper-id: title:<16 hex>`) and
keys its record by it, so any library finds the files of its papers.

A paper's identity can change: a paper first seen in a text dump has no
arXiv id and gains one from a saved page. A file is therefore matched by the
strongest mark it carries: the same identity, then the same arXiv id, then the
same title (unless both sides have arXiv ids, which then differ: two papers),
and, only for records of the old export format that name no paper at all, the
row id of the library that wrote them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from readinglist.dumps.titles import title_key
from readinglist.papers import Paper

ID_FIELD = "paper-id"  # the front matter key of the identity
LEGACY_ID_FIELD = "readinglist-id"  # the row id, written before identities existed
ARXIV_PREFIX = "arxiv:"
TITLE_PREFIX = "title:"

EXACT, ARXIV, TITLE, ROW = 4, 3, 2, 1  # how strongly a record matches a paper; 0: not at all


def title_identity(title: str) -> str:
    """The identity a paper without an arXiv id has: from its normalised title.

    Args:
        title: The paper's title as any dump spelled it.

    Returns:
        "title:" and the first 16 hex digits of the SHA-1 of its `title_key`.
    """
    digest = hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:16]
    return f"{TITLE_PREFIX}{digest}"


def paper_identity(paper: Paper) -> str:
    """The paper's identity: "arxiv:<id>" where known, else its title identity."""
    return f"{ARXIV_PREFIX}{paper.arxiv_id}" if paper.arxiv_id else title_identity(paper.title)


@dataclass(frozen=True, slots=True)
class Identity:
    """What a paper is, or what a file or an export record says of its paper.

    Every field may be unknown (None). `paper_id` is the identity proper;
    `row` is a library row id, used only for records that carry nothing else.
    """

    paper_id: str | None = None
    arxiv: str | None = None
    title_id: str | None = None
    row: int | None = None


def identities_of(papers: Sequence[Paper]) -> list[Identity]:
    """The identities of papers to export, one distinct `paper_id` each.

    A library never holds two papers with one identity (it matches papers by
    arXiv id and title key on import); a caller's list might. The later paper
    of such a pair gets its row id appended, so that each still has a file.
    """
    seen: set[str] = set()
    found = []
    for paper in papers:
        paper_id = paper_identity(paper)
        if paper_id in seen:
            paper_id = f"{paper_id}#{paper.id}"
        seen.add(paper_id)
        found.append(Identity(paper_id, paper.arxiv_id, title_identity(paper.title), paper.id))
    return found


def identity_from_front_matter(fields: dict[str, Any]) -> Identity | None:
    """What a file's front matter says of its paper; None if readinglist did not write it.

    A file is taken for one of ours only if it carries our identity field, or
    the row id that files of the old format carried: a user's own note with a
    `title:` is not ours.
    """
    paper_id = fields.get(ID_FIELD)
    row = fields.get(LEGACY_ID_FIELD)
    if not isinstance(paper_id, str) or not paper_id:
        paper_id = None
    if not isinstance(row, int) or isinstance(row, bool):
        row = None
    if paper_id is None and row is None:
        return None
    arxiv = fields.get("arxiv")
    title = fields.get("title")
    return Identity(
        paper_id,
        arxiv if isinstance(arxiv, str) and arxiv else None,
        title_identity(title) if isinstance(title, str) else None,
        row,
    )


def exported_at(fields: dict[str, Any]) -> datetime | None:
    """The export time a file's front matter states, if it states one."""
    stamp = fields.get("exported")
    return stamp if isinstance(stamp, datetime) else None


def match_strength(paper: Identity, record: Identity) -> int:
    """How strongly `record` (a file or an export record) belongs to `paper`.

    Returns:
        EXACT, ARXIV, TITLE or ROW; 0 when the record is not this paper's.
    """
    if record.paper_id is not None and record.paper_id == paper.paper_id:
        return EXACT
    if paper.arxiv and record.arxiv == paper.arxiv:
        return ARXIV
    # Two arXiv ids are two papers, whatever their titles say.
    if record.title_id is not None and record.title_id == paper.title_id:
        return 0 if paper.arxiv and record.arxiv else TITLE
    if (record.paper_id, record.arxiv, record.title_id) == (None, None, None):
        return ROW if record.row is not None and record.row == paper.row else 0
    return 0


def match_all(papers: Sequence[Identity], records: Sequence[Identity]) -> list[int | None]:
    """Give each paper at most one record, and each record to at most one paper.

    Stronger matches are made first, across all papers, so that a paper cannot
    take by its title a record that another paper's arXiv id names; within a
    strength the earlier paper and the earlier record win.

    Args:
        papers: The papers' identities.
        records: What each record says of its paper.

    Returns:
        For each paper, the index of its record in `records`, or None.
    """
    by_field: dict[int, dict[object, list[int]]] = {EXACT: {}, ARXIV: {}, TITLE: {}, ROW: {}}
    for index, record in enumerate(records):
        for strength, value in _lookup_values(record):
            if value is not None:
                by_field[strength].setdefault(value, []).append(index)
    found: list[int | None] = [None] * len(papers)
    taken: set[int] = set()
    for strength in (EXACT, ARXIV, TITLE, ROW):
        table = by_field[strength]
        for position, paper in enumerate(papers):
            if found[position] is not None:
                continue
            key = dict(_lookup_values(paper))[strength]
            for index in table.get(key, ()) if key is not None else ():
                if index not in taken and match_strength(paper, records[index]) == strength:
                    found[position] = index
                    taken.add(index)
                    break
    return found


def _lookup_values(identity: Identity) -> Iterable[tuple[int, object]]:
    return (
        (EXACT, identity.paper_id),
        (ARXIV, identity.arxiv),
        (TITLE, identity.title_id),
        (ROW, identity.row),
    )
