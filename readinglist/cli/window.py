"""No command: open the window, unless the first word is a typo or there is no display."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from readinglist.cli.output import problem
from readinglist.cli.session import EXIT_FAILED, EXIT_USAGE, library_dir


def split_gui_files(argv: list[str], commands: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """For `readinglist [--library DIR] FILE...`: (global options, files), else None."""
    options: list[str] = []
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        if rest[0] in ("-h", "--help", "--version"):
            return None
        options.append(rest.pop(0))
        if options[-1] == "--library" and rest:
            options.append(rest.pop(0))
    if rest and rest[0] in commands:
        return None
    return options, rest


def unknown_command(word: str, commands: Sequence[str] | None = None) -> str | None:
    """The usage message for a first word that is neither a command nor a path, else None.

    Without this a mistyped command (`readinglist serch x`) would be taken for
    files to import and open the window, which is no answer to a typo.
    """
    import difflib

    if commands is None:
        from readinglist.cli.parser import command_names

        commands = command_names()
    if word in commands or Path(word).exists():
        return None
    close = difflib.get_close_matches(word, list(commands), n=1)
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


def open_window(args: argparse.Namespace, files: list[str], commands: Sequence[str]) -> int:
    """Open the window on the files, unless the first is a typo or there is no display."""
    mistyped = unknown_command(files[0], commands) if files else None
    if mistyped:
        problem(mistyped)
        return EXIT_USAGE
    return _run_window(args, files)


def _run_window(args: argparse.Namespace, files: list[str]) -> int:
    import os

    # Said before Qt is loaded: without a display Qt aborts the process with a
    # message about missing X libraries, which sends the user the wrong way.
    missing = display_problem(os.environ, sys.platform)
    if missing:
        problem(
            f"no display to open the window on ({missing}); use a command such as "
            "`readinglist list`, or see readinglist --help"
        )
        return EXIT_USAGE
    try:
        from readinglist.gui.app import run
    except ImportError as exc:
        problem(f"the window cannot start: {exc}")
        return EXIT_FAILED
    return run(library_dir(args), files, import_dialog=args.import_dialog)
