"""`--json` on every command that reports something: one object, its `schema` an int, 1."""

from __future__ import annotations

import json

import pytest

from readinglist.cli import build_parser
from readinglist.cli.output import SCHEMA
from readinglist.cli.parser import subcommands

# Every command that reports, run on the filled library; {tmp} is tmp_path, {dump} a dump.
REPORTING = {
    "import": ["import", "{dump}", "--json"],
    "list": ["list", "--json"],
    "search": ["search", "transformer", "--json"],
    "show": ["show", "3", "--json"],
    "similar": ["similar", "3", "--json"],
    "mark": ["mark", "3", "--read", "--json"],
    "tag": ["tag", "3", "--add", "x", "--json"],
    "note": ["note", "3", "--set", "x", "--json"],
    "delete": ["delete", "4", "--yes", "--json"],
    "tags": ["tags", "--json"],
    "saved list": ["saved", "list", "--json"],
    "saved add": ["saved", "add", "s", "transformer", "--json"],
    "saved run": ["saved", "run", "kept", "--json"],
    "saved remove": ["saved", "remove", "kept", "--json"],
    "export": ["export", "--out", "{tmp}/vault", "--all", "--json"],
    "check": ["check", "--json"],
    "dismiss": ["dismiss", "5", "--json"],
    "inbox": ["inbox", "--limit", "3", "--json"],
    "next": ["next", "--json"],
}

# The keys of each document besides `schema` (README, Command line, documents them).
KEYS = {
    "import": {"files", "added", "merged", "stopped", "not_imported", "index_error"},
    "list": {"total", "papers"},
    "search": {"query", "total", "suggestion", "hits"},
    "similar": {"id", "papers"},
    "mark": {"status", "changed", "unchanged", "unknown"},
    "tag": {"add", "remove", "added_to", "removed_from", "unknown"},
    "note": {"id", "changed", "note"},
    "delete": {"deleted", "unknown"},
    "tags": {"tags"},
    "saved list": {"saved"},
    "saved add": {"saved", "replaced"},
    "saved run": {"name", "query", "total", "suggestion", "hits"},
    "saved remove": {"removed"},
    "export": {"selected", "written", "updated", "unchanged", "skipped"},
    "check": {"ok", "fine", "problems", "repaired", "unrepaired"},
    "dismiss": {"dismissed", "changed", "unchanged", "unknown"},
    "inbox": {"learned", "note", "total", "papers"},
    "next": {"learned", "note", "papers"},
}


def _commands_with_json(parser, prefix=""):
    for word, child in subcommands(parser).items():
        name = f"{prefix}{word}"
        if subcommands(child):
            yield from _commands_with_json(child, f"{name} ")
        elif any("--json" in action.option_strings for action in child._actions):
            yield name


def test_every_command_but_help_takes_json():
    with_json = set(_commands_with_json(build_parser()))
    assert with_json == set(REPORTING)
    assert "help" not in with_json


@pytest.mark.parametrize("command", sorted(REPORTING))
def test_every_json_document_is_an_object_with_schema_1(cli, filled, tmp_path, dump_paths, command):
    assert cli("--library", filled, "saved", "add", "kept", "title:model*")[0] == 0
    argv = [
        word.replace("{tmp}", str(tmp_path)).replace("{dump}", str(dump_paths[0]))
        for word in REPORTING[command]
    ]
    code, out, err = cli("--library", filled, *argv)
    assert code == 0, err
    document = json.loads(out)
    assert isinstance(document, dict)
    assert type(document["schema"]) is int and document["schema"] == SCHEMA == 1
    assert next(iter(document)) == "schema"  # first, where a reader looks for it
    if command in KEYS:
        assert set(document) - {"schema"} == KEYS[command]
    else:  # show: a paper's keys, with its sources and upvote history
        assert {"id", "title", "sources", "upvote_history"} <= set(document)
