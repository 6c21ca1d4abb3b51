"""Commands that change papers: `mark`, `tag`, `note`, `delete`.

Given several ids they do what they can: the ids in the library are done,
each one that is not is named on stderr, and the exit code is then 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.cli.output import plural, print_json, problem, terminal_text
from readinglist.cli.session import (
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    known_ids,
    open_collection,
    report_unknown,
)
from readinglist.errors import ReadingListError

if TYPE_CHECKING:
    from readinglist.papers import Paper

TITLES_ASKED = 5  # titles `delete` names in its question; the rest are counted


def cmd_mark(args: argparse.Namespace) -> int:
    """Mark papers read or unread."""
    collection = open_collection(args)
    try:
        known, unknown = known_ids(collection, args.ids)
        changed = collection.mark(known, args.status) if known else []
    finally:
        collection.close()
    if args.json:
        unchanged = [i for i in known if i not in set(changed)]
        print_json(
            {"status": args.status, "changed": changed, "unchanged": unchanged, "unknown": unknown}
        )
    else:
        print(f"marked {plural(len(changed), 'paper')} {args.status}")
    return report_unknown(unknown)


def cmd_tag(args: argparse.Namespace) -> int:
    """Add and remove tags."""
    if not args.add and not args.remove:
        raise UsageError("tag: give --add T or --remove T")
    collection = open_collection(args)
    try:
        known, unknown = known_ids(collection, args.ids)
        added = collection.add_tags(known, args.add) if args.add and known else []
        removed = collection.remove_tags(known, args.remove) if args.remove and known else []
    finally:
        collection.close()
    if args.json:
        print_json(
            {
                "add": args.add,
                "remove": args.remove,
                "added_to": added,
                "removed_from": removed,
                "unknown": unknown,
            }
        )
    else:
        print(f"tags added to {len(added)}, removed from {len(removed)} paper(s)")
    return report_unknown(unknown)


def cmd_note(args: argparse.Namespace) -> int:
    """Set a paper's note, or add a paragraph to it."""
    if args.file is not None:
        text = _read_note_file(args.file)
    else:
        text = args.set if args.set is not None else args.append
    collection = open_collection(args)
    try:
        if args.append is not None:
            current = collection.get(args.id).note
            text = f"{current.rstrip()}\n\n{text}" if current.strip() else text
        changed = collection.set_note(args.id, text)
    finally:
        collection.close()
    if args.json:
        print_json({"id": args.id, "changed": changed, "note": text})
    else:
        print(f"note of paper {args.id} saved")
    return EXIT_OK


def _read_note_file(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReadingListError(f"{name}: cannot read it: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ReadingListError(f"{name}: not UTF-8 text") from exc


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete papers: asked first on a terminal, refused elsewhere without --yes."""
    if not args.yes and not sys.stdin.isatty():
        # Said before the library is opened: a script must choose to delete.
        raise UsageError("delete: no terminal to ask on; pass --yes to delete without asking")
    collection = open_collection(args)
    try:
        known, unknown = known_ids(collection, args.ids)
        if known and not args.yes and not _confirmed(collection.get_many(known)):
            problem("nothing deleted")
            return EXIT_FAILED
        deleted = collection.delete(known).ids if known else []
    finally:
        collection.close()
    if args.json:
        print_json({"deleted": deleted, "unknown": unknown})
    else:
        print(f"deleted {plural(len(deleted), 'paper')}")
    return report_unknown(unknown)


def _confirmed(papers: Sequence[Paper]) -> bool:
    """Ask on stderr whether to delete these papers; True only for a yes."""
    sys.stderr.write(_question(papers))
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _question(papers: Sequence[Paper]) -> str:
    lines = [f"Delete {plural(len(papers), 'paper')}, with their notes and tags?"]
    lines += [f"  {p.id:>6}  {terminal_text(p.title)}" for p in papers[:TITLES_ASKED]]
    if len(papers) > TITLES_ASKED:
        lines.append(f"  and {len(papers) - TITLES_ASKED} more")
    return "\n".join(lines) + "\n[y/N] "
