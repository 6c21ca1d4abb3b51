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

The pieces: `parser` (the words each command takes, and which function runs
it), `commands_*` (one `cmd_*` function per command), `output` (text and
JSON printing), `session` (opening the library, exit codes), `window` (the
no-command case), `entry` (`main`, which turns every error into one line).
Adding a command is one `cmd_*` function plus one block in `parser`.
"""

from readinglist.cli.entry import main
from readinglist.cli.parser import build_parser
from readinglist.cli.window import display_problem, unknown_command

__all__ = ["build_parser", "display_problem", "main", "unknown_command"]
