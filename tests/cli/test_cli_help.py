"""Help for every word of the command line, and the query syntax offline (`help query`)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from testdata import DATA

from readinglist.cli import build_parser, query_help
from readinglist.cli.parser import subcommands

README = DATA.parents[1] / "README.md"


def _all_parsers(parser: argparse.ArgumentParser, name: str = "readinglist"):
    """(name, parser) of the program and of every command and subcommand under it."""
    yield name, parser
    for word, child in subcommands(parser).items():
        yield from _all_parsers(child, f"{name} {word}")


def _leaf_commands() -> list[str]:
    """`list`, `saved add`...: every command that runs (not `saved` alone)."""
    return [
        name.removeprefix("readinglist ")
        for name, parser in _all_parsers(build_parser())
        if name != "readinglist" and not subcommands(parser)
    ]


def test_every_option_and_positional_of_every_command_has_help():
    missing = [
        f"{name}: {action.option_strings or action.dest}"
        for name, parser in _all_parsers(build_parser())
        for action in parser._actions
        if not action.help or action.help == argparse.SUPPRESS
    ]
    assert missing == []


def test_every_command_is_listed_with_a_line_of_help():
    for name, parser in _all_parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                listed = {choice.dest for choice in action._choices_actions}
                assert listed == set(action.choices), name
                assert all(choice.help for choice in action._choices_actions), name


def test_help_alone_is_the_command_list(cli, capsys):
    code, out, err = cli("help")
    assert code == 0 and err == ""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    assert out == capsys.readouterr().out
    for command in ("import", "search", "tags", "saved", "delete", "help"):
        assert f"\n    {command} " in out


@pytest.mark.parametrize("topic", ["search", "list", "saved", "saved add", "delete", "help"])
def test_help_command_is_the_command_s_own_help(cli, capsys, topic):
    code, out, err = cli("help", *topic.split())
    assert code == 0 and err == ""
    with pytest.raises(SystemExit):
        build_parser().parse_args([*topic.split(), "--help"])
    assert out == capsys.readouterr().out
    assert out.startswith(f"usage: readinglist {topic} ")


def test_help_query_prints_the_query_syntax(cli):
    code, out, err = cli("help", "query")
    assert code == 0 and err == ""
    assert out == query_help.text()
    for example, meaning in query_help.TABLE:
        for part in query_help.plain(example).split(", "):
            assert part in out
        assert query_help.plain(meaning).split()[0] in out
    assert "`" not in out and "**" not in out  # Markdown rendered, not shown


def test_query_syntax_text_wraps_to_the_width_given():
    for width in (60, 78, 98):
        assert max(len(line) for line in query_help.text(width).splitlines()) <= width


def test_the_readme_query_section_is_the_help_text():
    # One text: the README's section is `query_help.markdown()`. To change the
    # syntax's description, edit readinglist/cli/query_help.py and paste it here.
    readme = README.read_text(encoding="utf-8")
    section = readme.split("\n## Query syntax\n\n", 1)[1].split("\n## ", 1)[0]
    assert section == query_help.markdown()


def test_the_readme_names_every_command_and_help_query():
    readme = README.read_text(encoding="utf-8")
    section = readme.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    for command in _leaf_commands():
        assert f"readinglist [--library DIR] {command}" in section, command
    assert "readinglist help query" in section


PROBE = """
import sys
for name in ("PySide6", "shiboken6"):
    sys.modules[name] = None  # any import of Qt now raises ImportError
from readinglist.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "whoosh", "numpy")
heavy = sorted(m for m in HEAVY if m in sys.modules)
print("heavy:", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--version"], ["help", "query"], ["help", "saved", "run"]])
def test_version_and_help_import_nothing_heavy(argv):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "heavy: []"
    assert result.stdout
