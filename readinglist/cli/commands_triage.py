"""What to read next: `dismiss`, `inbox`, `next`.

`inbox` and `next` print papers in "for you" order, learned from what was
read, noted, tagged, kept open and dismissed, each with the reason; with
too few of those the order is upvotes and date, and the note says so.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from readinglist.cli.output import paper_line, plural, print_json, terminal_text
from readinglist.cli.session import EXIT_OK, known_ids, open_collection, report_unknown

if TYPE_CHECKING:
    from readinglist.collection import Collection
    from readinglist.papers import Triage
    from readinglist.recommendations import ForYou


def cmd_dismiss(args: argparse.Namespace) -> int:
    """Not interested: out of the Inbox, kept in the library (--undo puts them back)."""
    collection = open_collection(args)
    try:
        known, unknown = known_ids(collection, args.ids)
        triage: Triage | None = None if args.undo else "dismissed"
        changed = collection.set_triage(known, triage) if known else []
    finally:
        collection.close()
    if args.json:
        unchanged = [i for i in known if i not in set(changed)]
        print_json(
            {
                "dismissed": not args.undo,
                "changed": changed,
                "unchanged": unchanged,
                "unknown": unknown,
            }
        )
    elif args.undo:
        print(f"{plural(len(changed), 'paper')} back in the Inbox")
    else:
        print(f"dismissed {plural(len(changed), 'paper')}")
    return report_unknown(unknown)


def cmd_inbox(args: argparse.Namespace) -> int:
    """The Inbox: recent papers not dealt with yet, best first."""
    collection = open_collection(args)
    try:
        found = collection.inbox(limit=args.limit)
        total = collection.stats().inbox
        _print_ranked(args, collection, found, total)
    finally:
        collection.close()
    return EXIT_OK


def cmd_next(args: argparse.Namespace) -> int:
    """The unread papers ranked for you, each with its reason."""
    collection = open_collection(args)
    try:
        _print_ranked(args, collection, collection.next_papers(limit=args.limit), None)
    finally:
        collection.close()
    return EXIT_OK


def _print_ranked(
    args: argparse.Namespace, collection: Collection, found: ForYou, total: int | None
) -> None:
    papers = {p.id: p for p in collection.get_many([r.id for r in found.ranked])}
    ranked = [(r, papers[r.id]) for r in found.ranked if r.id in papers]
    if args.json:
        document: dict = {
            "learned": not found.fallback,
            "note": found.note,
            "papers": [
                {**paper.to_json(), "score": r.score, "reason": r.reason} for r, paper in ranked
            ],
        }
        if total is not None:
            document["total"] = total
        print_json(document)
        return
    print(terminal_text(found.note))
    if not ranked:
        print("nothing to read: the Inbox is empty" if total is not None else "nothing unread")
    for r, paper in ranked:
        print(paper_line(paper))
        print(f"{'':8}{terminal_text(r.reason)}")
