"""Commands about the library as a whole: `tags`, `saved ...`, `export`, `check`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.cli.commands_papers import print_search, run_query
from readinglist.cli.output import print_json, problem, terminal_text
from readinglist.cli.session import EXIT_FAILED, EXIT_OK, library_dir, open_collection
from readinglist.errors import ReadingListError

if TYPE_CHECKING:
    from readinglist.collection import Collection
    from readinglist.library.reader import SavedSearch


def cmd_tags(args: argparse.Namespace) -> int:
    """Every tag in use, by name, with the number of papers carrying it."""
    collection = open_collection(args)
    try:
        counts = collection.stats().tags
    finally:
        collection.close()
    if args.json:
        print_json({"tags": [{"name": name, "papers": count} for name, count in counts]})
    else:
        for name, count in counts:
            print(f"{count:>6}  {terminal_text(name)}")
    return EXIT_OK


# -- saved searches ------------------------------------------------------------------


def cmd_saved_list(args: argparse.Namespace) -> int:
    """The saved searches, by name."""
    collection = open_collection(args)
    try:
        saved = collection.saved_searches()
    finally:
        collection.close()
    if args.json:
        print_json({"saved": [_saved_json(s) for s in saved]})
    else:
        for search in saved:
            print(f"{terminal_text(search.name)}: {terminal_text(search.query)}")
    return EXIT_OK


def cmd_saved_add(args: argparse.Namespace) -> int:
    """Save a query under a name; a query that is not understood is refused."""
    collection = open_collection(args)
    try:
        before = _named(collection, args.name)
        search_id = collection.save_search(args.name, args.query)
        (search,) = [s for s in collection.saved_searches() if s.id == search_id]
    finally:
        collection.close()
    if args.json:
        print_json({"saved": _saved_json(search), "replaced": before is not None})
    else:
        verb = "replaced" if before is not None else "saved"
        print(f'saved search "{terminal_text(search.name)}" {verb}')
    return EXIT_OK


def cmd_saved_remove(args: argparse.Namespace) -> int:
    """Remove a saved search by its name."""
    collection = open_collection(args)
    try:
        search = _find_saved(collection, args.name)
        collection.delete_saved_search(search.id)
    finally:
        collection.close()
    if args.json:
        print_json({"removed": _saved_json(search)})
    else:
        print(f'saved search "{terminal_text(search.name)}" removed')
    return EXIT_OK


def cmd_saved_run(args: argparse.Namespace) -> int:
    """Run a saved search by its name, printing what `search` prints."""
    collection = open_collection(args)
    try:
        search = _find_saved(collection, args.name)
        result, papers = run_query(collection, search.query, args.limit)
    finally:
        collection.close()
    print_search(args, search.query, result, papers, extra={"name": search.name})
    return EXIT_OK


def _saved_json(search: SavedSearch) -> dict:
    return {"id": search.id, "name": search.name, "query": search.query}


def _named(collection: Collection, name: str) -> SavedSearch | None:
    """The saved search of this name (spaces as the library keeps them), else None."""
    wanted = " ".join(name.split())
    return next((s for s in collection.saved_searches() if s.name == wanted), None)


def _find_saved(collection: Collection, name: str) -> SavedSearch:
    """The saved search of this name, or of this name in another case if only one has it."""
    import difflib

    found = _named(collection, name)
    if found is not None:
        return found
    saved = collection.saved_searches()
    wanted = " ".join(name.split()).casefold()
    same = [s for s in saved if s.name.casefold() == wanted]
    if len(same) == 1:
        return same[0]
    close = difflib.get_close_matches(name, [s.name for s in saved], n=1)
    hint = f"did you mean {close[0]!r}?" if close else "see readinglist saved list"
    raise ReadingListError(f"no saved search named {name!r}; {hint}")


# -- export and check -------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    """Write notes to a folder as Markdown; files edited in the vault are skipped."""
    collection = open_collection(args)
    try:
        papers = collection.select_for_export(
            everything=args.all, tags=args.tag, status=args.status, query=args.query
        )
        report = collection.export(
            papers, Path(args.out), single_file=args.single_file, force=args.force
        )
    finally:
        collection.close()
    for path, reason in report.skipped:
        problem(f"{path}: skipped: {reason}")
    if args.json:
        print_json({"selected": len(papers), **report.to_json()})
    else:
        print(
            f"{len(papers)} paper(s): {len(report.written)} written, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.skipped)} skipped"
        )
    return EXIT_FAILED if report.skipped else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Check the library file and its index; with --repair, fix what can be fixed."""
    from readinglist.collection import check_library

    # Without the automatic rebuild of an open, so check reports what it found;
    # a damaged library file is reported (and repaired) without opening it.
    report = check_library(library_dir(args), repair=args.repair)
    for problem_found in report.problems:
        problem(problem_found)
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "fine": report.fine,
                "problems": report.problems,
                "repaired": report.repaired,
                "unrepaired": report.unrepaired,
            }
        )
    else:
        for line in (*report.fine, *report.repaired):
            print(line)
    if report.unrepaired and not args.repair:
        print("run `readinglist check --repair` to fix", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED
