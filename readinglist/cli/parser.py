"""The words the command line takes: one block per command, which names its `cmd_*`.

Adding a command is one `cmd_*` function (in a `commands_*` module) and one
block here that ends with `p.set_defaults(run=cmd_...)`. Every option and
positional carries a `help=` (a test walks the parser for any without).
"""

from __future__ import annotations

import argparse

from readinglist.cli import commands_changes as changes
from readinglist.cli import commands_help as helping
from readinglist.cli import commands_import as importing
from readinglist.cli import commands_library as library
from readinglist.cli import commands_papers as papers
from readinglist.cli import commands_triage as triage
from readinglist.library.reader import LIST_SORTS
from readinglist.version import __version__

STATUSES = ("read", "unread")
_QUERY_HINT = "query syntax: readinglist help query"


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line, every command with its handler as `run`."""
    parser = argparse.ArgumentParser(
        prog="readinglist",
        description="A reading-list manager for research papers saved as page dumps. "
        "With no command, opens the window (and imports any FILEs given).",
        epilog="`readinglist help COMMAND` shows a command's options; "
        "`readinglist help query` the query syntax.",
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", help="what to do")
    _add_import_command(sub)
    _add_reading_commands(sub)
    _add_change_commands(sub)
    _add_triage_commands(sub)
    _add_library_commands(sub)
    return parser


def command_names(parser: argparse.ArgumentParser | None = None) -> tuple[str, ...]:
    """The names of the commands, in the order `--help` lists them."""
    return tuple(subcommands(parser or build_parser()))


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parsers of a parser's subcommands, by name (empty if it has none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


# -- argument types --------------------------------------------------------------


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def paper_id(text: str) -> int:
    """An argparse type: a paper's id (as `list` shows it)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a paper id (a number, as `readinglist list` shows)"
        ) from None


def _json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--json",
        action="store_true",
        help="print the result as a JSON object (its shape: README, Command line)",
    )


def _limit_option(p: argparse.ArgumentParser, default: int | None, what: str) -> None:
    shown = f" (default: {default})" if default else " (default: all)"
    p.add_argument(
        "--limit", type=positive_int, default=default, metavar="N", help=f"{what}{shown}"
    )


# -- the commands ------------------------------------------------------------------


def _add_import_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import page dumps (files or folders)",
        description="Import page dumps; folders are searched for .txt, .md, .html, .htm "
        "and .json files.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a dump file or a folder of them")
    _json_option(p)
    p.set_defaults(run=importing.cmd_import)


def _add_reading_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list papers", description="List papers, filtered and sorted.")
    p.add_argument("--status", choices=STATUSES, help="only read or only unread papers")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="only papers with this tag (repeat for papers with every one)",
    )
    p.add_argument(
        "--sort",
        choices=LIST_SORTS,
        default="added",
        metavar="KEY",
        help=f"sort by {', '.join(LIST_SORTS)} (default: added; for-you and rising "
        "are rankings, best first)",
    )
    p.add_argument("--desc", action="store_true", help="sort in descending order")
    _limit_option(p, None, "list at most N papers")
    _json_option(p)
    p.set_defaults(run=papers.cmd_list)

    p = sub.add_parser(
        "search",
        help="full-text search",
        description="Search titles, abstracts, notes and tags, best match first.",
        epilog=_QUERY_HINT,
    )
    p.add_argument("query", metavar="QUERY", help="what to find ('' lists the whole library)")
    _limit_option(p, 20, "show at most N matches")
    _json_option(p)
    p.set_defaults(run=papers.cmd_search)

    p = sub.add_parser("show", help="show one paper", description="Show one paper in full.")
    p.add_argument("id", type=paper_id, metavar="ID", help="the paper's id")
    _json_option(p)
    p.set_defaults(run=papers.cmd_show)

    p = sub.add_parser(
        "similar",
        help="papers similar to one paper",
        description="Papers that share a paper's key terms, most similar first.",
    )
    p.add_argument("id", type=paper_id, metavar="ID", help="the paper's id")
    _limit_option(p, 10, "show at most N papers")
    _json_option(p)
    p.set_defaults(run=papers.cmd_similar)


def _add_triage_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dismiss",
        help="not interested: take papers out of the Inbox",
        description="Dismiss papers: they leave the Inbox and sink in the for-you order, "
        "and stay in the library.",
    )
    p.add_argument("ids", type=paper_id, nargs="+", metavar="ID", help="the papers' ids")
    p.add_argument("--undo", action="store_true", help="put them back in the Inbox instead")
    _json_option(p)
    p.set_defaults(run=triage.cmd_dismiss)

    p = sub.add_parser(
        "inbox",
        help="the recent papers not dealt with yet, best first",
        description="The Inbox: papers of the recent imports that are unread, not dismissed "
        "or kept for later, and have no note or tags, in for-you order with reasons.",
    )
    _limit_option(p, None, "show at most N papers")
    _json_option(p)
    p.set_defaults(run=triage.cmd_inbox)

    p = sub.add_parser(
        "next",
        help="what to read next: the unread papers ranked for you",
        description="The unread papers, not dismissed, ranked by what you read, noted, "
        "tagged and dismissed, each with the reason.",
    )
    _limit_option(p, 10, "show at most N papers")
    _json_option(p)
    p.set_defaults(run=triage.cmd_next)


def _add_change_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mark", help="mark papers read or unread")
    p.add_argument("ids", type=paper_id, nargs="+", metavar="ID", help="the papers' ids")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--read", action="store_const", const="read", dest="status", help="mark them read"
    )
    which.add_argument(
        "--unread", action="store_const", const="unread", dest="status", help="mark them unread"
    )
    _json_option(p)
    p.set_defaults(run=changes.cmd_mark)

    p = sub.add_parser("tag", help="add or remove tags")
    p.add_argument("ids", type=paper_id, nargs="+", metavar="ID", help="the papers' ids")
    p.add_argument(
        "--add", action="append", default=[], metavar="T", help="add this tag (repeatable)"
    )
    p.add_argument(
        "--remove", action="append", default=[], metavar="T", help="remove this tag (repeatable)"
    )
    _json_option(p)
    p.set_defaults(run=changes.cmd_tag)

    p = sub.add_parser("note", help="set or extend a paper's note")
    p.add_argument("id", type=paper_id, metavar="ID", help="the paper's id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--set", metavar="TEXT", help="replace the note with TEXT")
    how.add_argument("--append", metavar="TEXT", help="add TEXT as a new paragraph")
    how.add_argument(
        "--file", metavar="F", help="replace the note with a file's text (- for stdin)"
    )
    _json_option(p)
    p.set_defaults(run=changes.cmd_note)

    p = sub.add_parser(
        "delete",
        help="delete papers from the library",
        description="Delete papers with their notes and tags. Asks first on a terminal; "
        "elsewhere it needs --yes.",
    )
    p.add_argument("ids", type=paper_id, nargs="+", metavar="ID", help="the papers' ids")
    p.add_argument("--yes", action="store_true", help="delete without asking")
    _json_option(p)
    p.set_defaults(run=changes.cmd_delete)


def _add_library_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tags", help="list the tags with their paper counts")
    _json_option(p)
    p.set_defaults(run=library.cmd_tags)

    _add_saved(sub)

    p = sub.add_parser(
        "export",
        help="export notes to Markdown",
        description="Write the papers that have a note (or --all) to a folder as Markdown.",
        epilog=_QUERY_HINT,
    )
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write to")
    p.add_argument("--single-file", metavar="NAME", help="write one combined file of this name")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="only papers with this tag (repeatable)",
    )
    p.add_argument("--status", choices=STATUSES, help="only read or only unread papers")
    p.add_argument("--query", default="", metavar="Q", help="only papers this query finds")
    p.add_argument("--all", action="store_true", help="all papers, not only those with a note")
    p.add_argument("--force", action="store_true", help="overwrite files edited in the vault")
    _json_option(p)
    p.set_defaults(run=library.cmd_export)

    p = sub.add_parser("check", help="check the library and its index")
    p.add_argument("--repair", action="store_true", help="rebuild what is broken")
    _json_option(p)
    p.set_defaults(run=library.cmd_check)

    p = sub.add_parser(
        "help",
        help="show help: of a command, or of the query syntax",
        description="Without a topic, the list of commands.",
    )
    p.add_argument(
        "topic",
        nargs="*",
        metavar="TOPIC",
        help="query (the query syntax), or a command such as search or saved add",
    )
    p.set_defaults(run=helping.cmd_help)


def _add_saved(sub: argparse._SubParsersAction) -> None:
    saved = sub.add_parser(
        "saved", help="saved searches: list, add, remove, run", epilog=_QUERY_HINT
    )
    actions = saved.add_subparsers(
        dest="action", metavar="ACTION", required=True, help="what to do with saved searches"
    )

    p = actions.add_parser("list", help="list the saved searches")
    _json_option(p)
    p.set_defaults(run=library.cmd_saved_list)

    p = actions.add_parser("add", help="save a query under a name (replacing one of that name)")
    p.add_argument("name", metavar="NAME", help="the search's name")
    p.add_argument("query", metavar="QUERY", help="the query to save")
    _json_option(p)
    p.set_defaults(run=library.cmd_saved_add)

    p = actions.add_parser("remove", help="remove a saved search")
    p.add_argument("name", metavar="NAME", help="the search's name")
    _json_option(p)
    p.set_defaults(run=library.cmd_saved_remove)

    p = actions.add_parser("run", help="run a saved search (as `search` does)")
    p.add_argument("name", metavar="NAME", help="the search's name")
    _limit_option(p, 20, "show at most N matches")
    _json_option(p)
    p.set_defaults(run=library.cmd_saved_run)
