"""`main`: read the command line, run the command, turn every error into one line."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from readinglist.cli.output import problem
from readinglist.cli.parser import build_parser, command_names
from readinglist.cli.session import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, database
from readinglist.cli.window import open_window, split_gui_files
from readinglist.errors import ReadingListError, describe_os_error, library_problem


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Args:
        argv: the words after the program's name (default: `sys.argv[1:]`).

    Returns:
        0 when all went well, 1 when some input failed, 2 on a usage error.
        argparse's own usage errors (and `--help`, `--version`) raise
        SystemExit with 2 (or 0), as argparse does.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = command_names(parser)
    gui = split_gui_files(argv, commands)
    if gui is not None:
        return open_window(parser.parse_args(gui[0]), gui[1], commands)
    args = parser.parse_args(argv)
    _log_to_file()
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    """Run the command `args` names; every error becomes one line and an exit code."""
    try:
        code = args.run(args)
        note = getattr(args, "index_note", None)
        if note and code == EXIT_OK:
            # Said after a read that went well; a write that could not reach the
            # index already said it in its own error.
            problem(note)
        return code
    except ReadingListError as exc:
        problem(str(exc))
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED
    except sqlite3.Error as exc:
        # Met on the library file outside a write (a read of a damaged page...).
        problem(str(library_problem(exc, database(args))))
        return EXIT_FAILED
    except KeyboardInterrupt:
        problem("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`readinglist list | head`): not an error.
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:  # the environment's doing (a full disk...), not a bug
        where = f" ({exc.filename})" if exc.filename else ""
        problem(f"{describe_os_error(exc)}{where}")
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line here, the details in the log
        log_file = _log_bug()
        problem(f"unexpected error: {exc!r} (details in {log_file})")
        return EXIT_FAILED


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


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

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging.Handler's name)
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
