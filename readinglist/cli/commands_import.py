"""The `import` command, and the lines it says about what it left out."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from readinglist.cli.output import print_json, problem, progress_bar, terminal_text
from readinglist.cli.session import EXIT_FAILED, EXIT_OK, open_collection

if TYPE_CHECKING:
    from readinglist.library.importing import ImportReport

SKIPPED_SHOWN = 3  # first lines named on the skipped line; the rest are counted
_FIRST_LINE_CHARS = 60


def cmd_import(args: argparse.Namespace) -> int:
    """Import files and folders; a file that fails is named and the others still import."""
    collection = open_collection(args)
    try:
        # File by file: read, plan and write one before the next is read,
        # so memory holds one file whatever the number of files.
        progress = progress_bar("Importing")
        report = collection.import_paths(args.paths, progress=progress)
        if progress:
            progress.finish()
    finally:
        collection.close()
    for line in import_problems(report):
        problem(line)
    if args.json:
        print_json(report.to_json())
    else:
        for outcome in report.files:
            if not outcome.error:
                print(
                    f"{outcome.path}: {outcome.found} found, {outcome.added} added, "
                    f"{outcome.merged} merged, {outcome.unchanged} unchanged"
                )
        print(_import_summary(report))
    return EXIT_OK if report.ok else EXIT_FAILED


def import_problems(report: ImportReport) -> list[str]:
    """The stderr lines of an import: failed files, warnings, skipped blocks, a stop."""
    lines: list[str] = []
    for outcome in report.files:
        if outcome.error:
            lines.append(f"{outcome.path}: {outcome.error}")
        lines += [f"{outcome.path}: {warning}" for warning in outcome.warnings]
        if outcome.skipped_count:
            lines.append(skipped_line(outcome.path, outcome.skipped, outcome.skipped_more))
    if report.stopped:
        left = len(report.not_imported)
        files = "1 more file was" if left == 1 else f"{left} more files were"
        lines.append(
            f"import stopped: {report.stopped} {files} not imported; make room and import "
            "again (what is in the library already is skipped)"
        )
    if report.index_error:
        lines.append(report.index_error)
    return lines


def _import_summary(report: ImportReport) -> str:
    summary = f"{report.added} added, {report.merged} merged, {len(report.failed)} failed"
    if report.not_imported:
        summary += f", {len(report.not_imported)} not imported"
    return summary


def skipped_line(path: str, skipped: Sequence[dict], more: int = 0) -> str:
    """`<file>: skipped N blocks that do not read as papers: "<first line>", ... and K more`.

    `more` counts blocks skipped beyond those listed in `skipped`.
    """
    count = len(skipped) + more
    what = (
        "1 block that does not read as a paper"
        if count == 1
        else (f"{count} blocks that do not read as papers")
    )
    shown = [f'"{_short(block["first_line"])}"' for block in skipped[:SKIPPED_SHOWN]]
    rest = f" and {count - SKIPPED_SHOWN} more" if count > SKIPPED_SHOWN else ""
    return f"{path}: skipped {what}: {', '.join(shown)}{rest}"


def _short(line: str) -> str:
    text = " ".join(terminal_text(line).split())
    return text if len(text) <= _FIRST_LINE_CHARS else text[: _FIRST_LINE_CHARS - 1] + "…"
