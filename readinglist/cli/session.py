"""What every command shares: exit codes, usage errors, opening the library, ids.

Nothing here imports the core at import time: `--version` and `search` pay
only for what they use.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.cli.output import problem, progress_bar
from readinglist.errors import ReadingListError

if TYPE_CHECKING:
    from readinglist.collection import Collection

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(ReadingListError):
    """The command line's words are off (exit 2)."""


def library_dir(args: argparse.Namespace) -> Path:
    """The library folder the command line names (or the default one)."""
    from readinglist.paths import resolve_library_dir

    return resolve_library_dir(args.library)


def database(args: argparse.Namespace) -> Path:
    """The library file, for messages about a damaged one."""
    from readinglist.paths import DATABASE_NAME

    return library_dir(args) / DATABASE_NAME


def open_collection(args: argparse.Namespace) -> Collection:
    """Open the library (rebuilding its index first if it must), noting any index problem."""
    from readinglist.collection import Collection

    progress = progress_bar("Rebuilding the search index")
    collection = Collection.open(library_dir(args), progress=progress)
    if progress:
        progress.finish()
    # The command goes on (reads need only the library); `main` tells the user once
    # why searches may lag and what to do.
    args.index_note = collection.index_problem
    return collection


def known_ids(collection: Collection, ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """(ids in the library, ids that are not), each in the order given, without repeats.

    A command given several ids does what it can: one mistyped id must not
    undo the rest (the collection refuses a batch that names an unknown id).
    """
    wanted = list(dict.fromkeys(ids))
    present = {paper.id for paper in collection.get_many(wanted)}
    return (
        [i for i in wanted if i in present],
        [i for i in wanted if i not in present],
    )


def report_unknown(unknown: Sequence[int]) -> int:
    """Name each id that is not in the library; the exit code that follows."""
    for paper_id in unknown:
        problem(f"no paper with id {paper_id}")
    return EXIT_FAILED if unknown else EXIT_OK
