"""`readinglist help [TOPIC...]`: the commands, one command's options, or the query syntax."""

from __future__ import annotations

import argparse
import difflib

from readinglist.cli.session import EXIT_OK, UsageError

QUERY_TOPIC = "query"


def cmd_help(args: argparse.Namespace) -> int:
    """Print the help of the topic named (`query`, a command, `saved add`...)."""
    from readinglist.cli.parser import build_parser

    if args.topic == [QUERY_TOPIC]:
        from readinglist.cli import query_help

        print(query_help.text(), end="")
        return EXIT_OK
    print(help_of(build_parser(), args.topic), end="")
    return EXIT_OK


def help_of(parser: argparse.ArgumentParser, topic: list[str]) -> str:
    """The help text of the (sub)command `topic` names; UsageError for one that is not."""
    from readinglist.cli.parser import subcommands

    for depth, word in enumerate(topic):
        choices = subcommands(parser)
        if word not in choices:
            raise UsageError(_unknown_topic(topic[: depth + 1], choices, top=depth == 0))
        parser = choices[word]
    return parser.format_help()


def _unknown_topic(words: list[str], choices: dict, *, top: bool) -> str:
    known = [QUERY_TOPIC, *choices] if top else list(choices)
    close = difflib.get_close_matches(words[-1], known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "see readinglist help"
    return f"no help on {' '.join(words)!r}; {hint}"
