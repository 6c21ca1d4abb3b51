"""The command line: `readinglist [--library DIR] COMMAND ...`.

With no command it opens the window (and imports any files named). With a
command it runs headless and never imports Qt. Heavy modules are imported
inside the commands, so `--version` and `search` stay quick. A first word
that is neither a command nor an existing path is a usage error (a typo),
and the window is not tried where there is no display to open it on.

Exit codes: 0 all went well, 1 some input failed (the rest was done),
2 usage errors. Problems go to stderr, one line each, never a traceback:
what the environment did (a full disk, a damaged library file) is said in
words; only a bug reads "unexpected error", its details in the log file.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.errors import ReadingListError, describe_os_error, library_problem
from readinglist.version import __version__

if TYPE_CHECKING:
    from readinglist.collection import Collection
    from readinglist.importer import ImportReport
    from readinglist.search import SearchResult

COMMANDS = ("import", "list", "search", "show", "similar", "mark", "tag", "note", "export", "check")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(ReadingListError):
    """The command line's words are off (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readinglist",
        description="A reading-list manager for research papers saved as page dumps. "
        "With no command, opens the window (and imports any FILEs given).",
    )
    parser.add_argument("--version", action="version", version=f"readinglist {__version__}")
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="the library folder (default: $READINGLIST_LIBRARY, else the user data dir)",
    )
    parser.add_argument(
        "--import-dialog",
        action="store_true",
        help="open the window with its Import dialog (the desktop file's Import action)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import page dumps (files or folders)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser("list", help="list papers")
    p.add_argument("--status", choices=("read", "unread"))
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help="full-text search (see README for the query syntax)")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="show one paper")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("similar", help="papers similar to one paper")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--limit", type=_positive, default=10, metavar="N")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("mark", help="mark papers read or unread")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--read", action="store_const", const="read", dest="status")
    which.add_argument("--unread", action="store_const", const="unread", dest="status")

    p = sub.add_parser("tag", help="add or remove tags")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--add", action="append", default=[], metavar="T")
    p.add_argument("--remove", action="append", default=[], metavar="T")

    p = sub.add_parser("note", help="set or extend a paper's note")
    p.add_argument("id", type=int, metavar="ID")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--set", metavar="TEXT")
    how.add_argument("--append", metavar="TEXT")
    how.add_argument("--file", metavar="F", help="read the note from a file (- for stdin)")

    p = sub.add_parser("export", help="export notes to Markdown")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--single-file", metavar="NAME")
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--status", choices=("read", "unread"))
    p.add_argument("--query", default="", metavar="Q")
    p.add_argument("--all", action="store_true", help="all papers, not only those with a note")
    p.add_argument("--force", action="store_true", help="overwrite files edited in the vault")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="check the library and its index")
    p.add_argument("--repair", action="store_true", help="rebuild what is broken")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _split_gui_files(argv: list[str]) -> tuple[list[str], list[str]] | None:
    """For `readinglist [--library DIR] FILE...`: (global options, files), else None."""
    options: list[str] = []
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        if rest[0] in ("-h", "--help", "--version"):
            return None
        options.append(rest.pop(0))
        if options[-1] == "--library" and rest:
            options.append(rest.pop(0))
    if rest and rest[0] in COMMANDS:
        return None
    return options, rest


def unknown_command(word: str) -> str | None:
    """The usage message for a first word that is neither a command nor a path, else None.

    Without this a mistyped command (`readinglist serch x`) would be taken for
    files to import and open the window, which is no answer to a typo.
    """
    import difflib

    if word in COMMANDS or Path(word).exists():
        return None
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    if close:
        return f"unknown command {word!r}; did you mean {close[0]!r}?"
    return f"unknown command {word!r}; see readinglist --help"


# Qt platforms that draw on a display server, and the variable that names it.
_DISPLAY_VARIABLES = {
    "xcb": "DISPLAY",
    "wayland": "WAYLAND_DISPLAY",
    "wayland-egl": "WAYLAND_DISPLAY",
}


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """Why the window has no display to open on (e.g. "DISPLAY is not set"), else None.

    Only where Qt needs a display server (Linux and the like); macOS and
    Windows always have their own. A `QT_QPA_PLATFORM` that needs no server
    (offscreen, vnc, eglfs...) is taken at its word.
    """
    if platform.startswith(("darwin", "win32", "cygwin")):
        return None
    chosen = [
        name.split(":", 1)[0].strip()
        for name in environ.get("QT_QPA_PLATFORM", "").split(";")
        if name.strip()
    ]
    if not chosen:
        # Qt's own default: Wayland when it is there, else X.
        if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
            return None
        return "DISPLAY is not set"
    missing = []
    for name in chosen:
        variable = _DISPLAY_VARIABLES.get(name)
        if variable is None or environ.get(variable):
            return None  # a platform that can start (Qt tries them in turn)
        missing.append(variable)
    return f"{missing[0]} is not set"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    gui = _split_gui_files(argv)
    parser = build_parser()
    if gui is not None:
        args = parser.parse_args(gui[0])
        mistyped = unknown_command(gui[1][0]) if gui[1] else None
        if mistyped:
            _problem(mistyped)
            return EXIT_USAGE
        return _run_window(args, gui[1])
    args = parser.parse_args(argv)
    _log_to_file()
    try:
        code = COMMAND_HANDLERS[args.command](args)
        note = getattr(args, "index_note", None)
        if note and code == EXIT_OK:
            # Said after a read that went well; a write that could not reach the
            # index already said it in its own error.
            print(f"readinglist: {note}", file=sys.stderr)
        return code
    except ReadingListError as exc:
        _problem(str(exc))
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED
    except sqlite3.Error as exc:
        # Met on the library file outside a write (a read of a damaged page...).
        _problem(str(library_problem(exc, _database(args))))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _problem("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`readinglist list | head`): not an error.
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:  # the environment's doing (a full disk...), not a bug
        where = f" ({exc.filename})" if exc.filename else ""
        _problem(f"{describe_os_error(exc)}{where}")
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line here, the details in the log
        log_file = _log_bug()
        _problem(f"unexpected error: {exc!r} (details in {log_file})")
        return EXIT_FAILED


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _run_window(args: argparse.Namespace, files: list[str]) -> int:
    import os

    from readinglist.paths import resolve_library_dir

    # Said before Qt is loaded: without a display Qt aborts the process with a
    # message about missing X libraries, which sends the user the wrong way.
    missing = display_problem(os.environ, sys.platform)
    if missing:
        _problem(
            f"no display to open the window on ({missing}); use a command such as "
            "`readinglist list`, or see readinglist --help"
        )
        return EXIT_USAGE
    try:
        from readinglist.gui.app import run
    except ImportError as exc:
        _problem(f"the window cannot start: {exc}")
        return EXIT_FAILED
    return run(resolve_library_dir(args.library), files, import_dialog=args.import_dialog)


def _problem(message: str) -> None:
    print(f"readinglist: {message}", file=sys.stderr)


def _database(args: argparse.Namespace) -> Path:
    from readinglist.paths import DATABASE_NAME, resolve_library_dir

    return resolve_library_dir(args.library) / DATABASE_NAME


def _log_to_file() -> None:
    """Send the core's log records to the log file, not to stderr.

    Without a handler, Python prints warnings and their tracebacks to
    stderr, where a command's problems are one line each.
    """
    from readinglist.paths import log_dir

    root = logging.getLogger()
    if root.handlers:
        return  # set up already (the window, a test run)
    handler = _LogFile(log_dir() / "readinglist.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


class _LogFile(logging.FileHandler):
    """The log file, made with its folder at the first record (most runs log nothing)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass  # no log can be written: the command's one-line problem still shows


def _log_bug() -> Path:
    import traceback

    from readinglist.paths import log_dir

    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "readinglist.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(traceback.format_exc())
    except OSError:
        traceback.print_exc(file=sys.stderr)  # no log file to hold it
        return Path("stderr")
    return path


def _open(args: argparse.Namespace) -> Collection:
    from readinglist.collection import Collection
    from readinglist.paths import resolve_library_dir

    progress = _ProgressBar("Rebuilding the search index") if sys.stderr.isatty() else None
    collection = Collection.open(resolve_library_dir(args.library), progress=progress)
    if progress:
        progress.finish()
    # The command goes on (reads need only the library); `main` tells the user once
    # why searches may lag and what to do.
    args.index_note = collection.index_problem
    return collection


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class _ProgressBar:
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


# -- commands ------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    collection = _open(args)
    try:
        # File by file: read, plan and write one before the next is read,
        # so memory holds one file whatever the number of files.
        progress = _ProgressBar("Importing") if sys.stderr.isatty() else None
        report = collection.import_paths(args.paths, progress=progress)
        if progress:
            progress.finish()
    finally:
        collection.close()
    for line in import_problems(report):
        _problem(line)
    if args.json:
        _print_json(report.to_json())
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


SKIPPED_SHOWN = 3  # first lines named on the skipped line; the rest are counted
_FIRST_LINE_CHARS = 60


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
    more = f" and {count - SKIPPED_SHOWN} more" if count > SKIPPED_SHOWN else ""
    return f"{path}: skipped {what}: {', '.join(shown)}{more}"


def _short(line: str) -> str:
    text = " ".join(_terminal_text(line).split())
    return text if len(text) <= _FIRST_LINE_CHARS else text[: _FIRST_LINE_CHARS - 1] + "…"


def cmd_list(args: argparse.Namespace) -> int:
    from readinglist.reader import PaperFilter

    collection = _open(args)
    try:
        ids = collection.list_ids(
            PaperFilter(status=args.status, tags=tuple(args.tag)), sort="added"
        )
        papers = collection.get_many(ids)
    finally:
        collection.close()
    if args.json:
        _print_json([p.to_json() for p in papers])
    else:
        for paper in papers:
            print(_line(paper))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    # Opening a collection reads with sqlite3 and Whoosh only (sqlmodel waits
    # for a first write), so this stays quick on a large library.
    from readinglist.search_query import clean_query

    collection = _open(args)
    try:
        if clean_query(args.query).strip():
            result = collection.search(args.query, limit=args.limit)
        else:
            result = _whole_library(collection, args.limit)
        papers = {p.id: p for p in collection.get_many([hit.id for hit in result.hits])}
    finally:
        collection.close()
    if args.json:
        hits = []
        for hit in result.hits:
            if hit.id in papers:
                entry = papers[hit.id].to_json()
                entry["score"] = round(hit.score, 4)
                entry["highlights"] = hit.highlights
                hits.append(entry)
        _print_json(
            {
                "query": clean_query(args.query),
                "total": result.total,
                "suggestion": result.suggestion,
                "hits": hits,
            }
        )
        return EXIT_OK
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    print(f"{result.total} match{'es' if result.total != 1 else ''}")
    for hit in result.hits:
        paper = papers.get(hit.id)
        if paper is None:
            continue
        print(_line(paper))
        fragment = hit.highlights.get("abstract") or hit.highlights.get("note")
        if fragment:
            print("      " + _terminal_fragment(fragment))
    return EXIT_OK


def _whole_library(collection: Collection, limit: int) -> SearchResult:
    """What an empty query finds: every paper, in `list`'s order (as the window shows it)."""
    from readinglist.search import Hit, SearchResult

    ids = collection.list_ids(sort="added")
    return SearchResult(
        hits=[Hit(id=paper_id, score=0.0, highlights={}) for paper_id in ids[:limit]],
        total=len(ids),
        suggestion=None,
    )


def cmd_show(args: argparse.Namespace) -> int:
    collection = _open(args)
    try:
        paper = collection.get(args.id)
        sources = collection.reader.sources(args.id)
        history = collection.upvote_history(args.id)
    finally:
        collection.close()
    if args.json:
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
        _print_json(entry)
        return EXIT_OK
    for line in _show_lines(paper, sources):
        print(line)
    return EXIT_OK


AUTHORS_SHOWN = 5  # names printed by `show`; the rest are counted


def _show_lines(paper, sources) -> list[str]:
    """What `show` prints of a paper, line by line, made safe for the terminal."""
    facts = [
        paper.byline,
        paper.published.isoformat() if paper.published else "",
        _votes(paper),
        _count(paper.comments, "comment"),
    ]
    lines = [_terminal_text(paper.title), _terminal_text(" · ".join(f for f in facts if f))]
    if paper.author_names:
        lines.append("by " + _authors_text(paper.author_names))
    if paper.arxiv_id:
        lines.append(f"arXiv {_terminal_text(paper.arxiv_id)}: {paper.url} · {paper.arxiv_url}")
    if paper.github_url:
        stars = f" ({_count(paper.github_stars, 'star')})" if paper.github_stars is not None else ""
        lines.append(f"GitHub: {_terminal_text(paper.github_url)}{stars}")
    if paper.submitter:
        lines.append(f"submitted by {_terminal_text(paper.submitter)}")
    lines.append(f"[{paper.status}]" + (f" tags: {', '.join(paper.tags)}" if paper.tags else ""))
    lines.append("")
    lines.append(_terminal_block(paper.abstract) if paper.abstract.strip() else "(no abstract)")
    if paper.summary:
        lines += ["", "Summary: " + _terminal_block(paper.summary)]
    if paper.incomplete:
        lines += ["", "(the page was cut off inside this entry)"]
    if paper.note:
        lines += ["", "Note:", paper.note]
    if sources:
        lines.append("")
    lines += [
        f"from {_terminal_text(s.name)} ({s.outcome} {s.imported_at:%Y-%m-%d %H:%M})"
        for s in sources
    ]
    return lines


def _authors_text(names: Sequence[str]) -> str:
    shown = ", ".join(_terminal_text(name) for name in names[:AUTHORS_SHOWN])
    rest = len(names) - AUTHORS_SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown


def _count(value: int | None, noun: str) -> str:
    if value is None:
        return ""
    return f"{value} {noun}" + ("" if value == 1 else "s")


def cmd_similar(args: argparse.Namespace) -> int:
    collection = _open(args)
    try:
        similar = collection.similar(args.id, limit=args.limit)
    finally:
        collection.close()
    if args.json:
        _print_json([{**p.to_json(), "score": round(score, 4)} for p, score in similar])
    else:
        for paper, _score in similar:
            print(_line(paper))
    return EXIT_OK


def cmd_mark(args: argparse.Namespace) -> int:
    collection = _open(args)
    try:
        known, unknown = _known_ids(collection, args.ids)
        changed = collection.mark(known, args.status) if known else []
    finally:
        collection.close()
    print(f"marked {len(changed)} paper{'s' if len(changed) != 1 else ''} {args.status}")
    return _report_unknown(unknown)


def cmd_tag(args: argparse.Namespace) -> int:
    if not args.add and not args.remove:
        raise UsageError("tag: give --add T or --remove T")
    collection = _open(args)
    try:
        known, unknown = _known_ids(collection, args.ids)
        added = collection.add_tags(known, args.add) if args.add and known else []
        removed = collection.remove_tags(known, args.remove) if args.remove and known else []
    finally:
        collection.close()
    print(f"tags added to {len(added)}, removed from {len(removed)} paper(s)")
    return _report_unknown(unknown)


def _known_ids(collection: Collection, ids: Sequence[int]) -> tuple[list[int], list[int]]:
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


def _report_unknown(unknown: Sequence[int]) -> int:
    for paper_id in unknown:
        _problem(f"no paper with id {paper_id}")
    return EXIT_FAILED if unknown else EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    if args.file is not None:
        text = _read_note_file(args.file)
    else:
        text = args.set if args.set is not None else args.append
    collection = _open(args)
    try:
        if args.append is not None:
            current = collection.get(args.id).note
            text = f"{current.rstrip()}\n\n{text}" if current.strip() else text
        collection.set_note(args.id, text)
    finally:
        collection.close()
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


def cmd_export(args: argparse.Namespace) -> int:
    collection = _open(args)
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
        _problem(f"{path}: skipped: {reason}")
    if args.json:
        _print_json(report.to_json())
    else:
        print(
            f"{len(papers)} paper(s): {len(report.written)} written, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.skipped)} skipped"
        )
    return EXIT_FAILED if report.skipped else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from readinglist.collection import check_library
    from readinglist.paths import resolve_library_dir

    # Without the automatic rebuild of an open, so check reports what it found;
    # a damaged library file is reported (and repaired) without opening it.
    report = check_library(resolve_library_dir(args.library), repair=args.repair)
    for fine in report.fine:
        print(fine)
    for problem in report.problems:
        _problem(problem)
    for done in report.repaired:
        print(done)
    if report.unrepaired and not args.repair:
        print("run `readinglist check --repair` to fix", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


COMMAND_HANDLERS = {
    "import": cmd_import,
    "list": cmd_list,
    "search": cmd_search,
    "show": cmd_show,
    "similar": cmd_similar,
    "mark": cmd_mark,
    "tag": cmd_tag,
    "note": cmd_note,
    "export": cmd_export,
    "check": cmd_check,
}


def _votes(paper) -> str:
    return f"{paper.upvotes} upvotes" if paper.upvotes is not None else ""


def _line(paper) -> str:
    mark = " " if paper.status == "read" else "*"
    tags = f"  [{', '.join(paper.tags)}]" if paper.tags else ""
    return f"{paper.id:>6} {mark} {_terminal_text(paper.title)}{tags}"


def _terminal_text(text: str) -> str:
    # Dump text may hold control characters; never let them reach the terminal.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _terminal_block(text: str) -> str:
    """Text of several lines for the terminal: its lines kept, each made safe."""
    return "\n".join(_terminal_text(line) for line in text.splitlines())


def _terminal_fragment(fragment: str) -> str:
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
            out.append(_terminal_text(html.unescape(piece)))
    return "".join(out)
