"""Every bad input: its one-line message, its exit status, and a library left as it was.

Exit status 1 is an input that failed (an unknown id or name, a query not
understood, a file that cannot be read); 2 a command line that cannot be
read (argparse's errors, a missing choice, delete without a terminal or --yes).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from readinglist.cli import main

# (argv after `--library LIB`, exit status, the whole of stderr); {tmp} is tmp_path.
FAILED_INPUTS = [
    (["mark", "9999", "--read"], 1, "no paper with id 9999"),
    (["mark", "9999", "9999", "--unread", "--json"], 1, "no paper with id 9999"),
    (["tag", "9999", "--add", "x"], 1, "no paper with id 9999"),
    (["tag", "9999", "--remove", "x", "--json"], 1, "no paper with id 9999"),
    (["note", "9999", "--set", "x"], 1, "No paper with id 9999 in the library."),
    (["note", "9999", "--append", "x", "--json"], 1, "No paper with id 9999 in the library."),
    (
        ["note", "5", "--file", "{tmp}/nope.md"],
        1,
        "{tmp}/nope.md: cannot read it: No such file or directory",
    ),
    (["note", "5", "--file", "{tmp}/latin1.md"], 1, "{tmp}/latin1.md: not UTF-8 text"),
    (["show", "9999"], 1, "No paper with id 9999 in the library."),
    (["show", "9999", "--json"], 1, "No paper with id 9999 in the library."),
    (["similar", "9999"], 1, "No paper with id 9999 in the library."),
    (["delete", "9999", "--yes"], 1, "no paper with id 9999"),
    (
        ["delete", "9999", "8888", "--yes", "--json"],
        1,
        "no paper with id 9999\nreadinglist: no paper with id 8888",
    ),
    (["search", "title:(oops"], 1, None),
    (["search", 'abstract:"unclosed', "--json"], 1, None),
    (["export", "--out", "{tmp}/vault", "--query", "foo:bar"], 1, None),
    (["saved", "add", "broken", "title:(oops"], 1, None),
    (["saved", "add", "   ", "transformer"], 1, "A saved search needs a name."),
    (["saved", "remove", "mien"], 1, "no saved search named 'mien'; did you mean 'mine'?"),
    (
        ["saved", "run", "zzzz", "--json"],
        1,
        "no saved search named 'zzzz'; see readinglist saved list",
    ),
    (["dismiss", "9999"], 1, "no paper with id 9999"),
    (["dismiss", "9999", "--undo", "--json"], 1, "no paper with id 9999"),
    (["tag", "5"], 2, "tag: give --add T or --remove T"),
    (["delete", "5"], 2, "delete: no terminal to ask on; pass --yes to delete without asking"),
    (
        ["delete", "5", "--json"],
        2,
        "delete: no terminal to ask on; pass --yes to delete without asking",
    ),
    (["help", "serch"], 2, "no help on 'serch'; did you mean 'search'?"),
    (["help", "saved", "ad"], 2, "no help on 'saved ad'; did you mean 'add'?"),
    (["help", "xyzzy"], 2, "no help on 'xyzzy'; see readinglist help"),
]


@pytest.fixture
def ready(cli, filled: str, tmp_path: Path) -> str:
    """The filled library with one saved search, and a note file that is not UTF-8."""
    assert cli("--library", filled, "saved", "add", "mine", "transformer")[0] == 0
    (tmp_path / "latin1.md").write_bytes("Düsseldorf".encode("latin-1"))
    return filled


@pytest.mark.parametrize(
    ("argv", "status", "message"), FAILED_INPUTS, ids=[" ".join(a) for a, _, _ in FAILED_INPUTS]
)
def test_a_bad_input_says_why_exits_and_changes_nothing(
    cli, ready, unchanged, tmp_path, monkeypatch, argv, status, message
):
    # A pipe, not a terminal, even with an answer waiting: delete must not take it.
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    argv = [word.replace("{tmp}", str(tmp_path)) for word in argv]
    listed = cli("--library", ready, "list", "--json")
    with unchanged(ready):
        code, out, err = cli("--library", ready, *argv)
    assert code == status
    assert err.startswith("readinglist: ") and "Traceback" not in err
    if message is None:
        assert err.count("\n") == 1  # a query's reason, in one line
    else:
        assert err == f"readinglist: {message.replace('{tmp}', str(tmp_path))}\n"
    # What a partial success prints on stdout is its count or its JSON: nothing done.
    assert (
        out
        in (
            "",
            "marked 0 papers read\n",
            "tags added to 0, removed from 0 paper(s)\n",
            "deleted 0 papers\n",
            "dismissed 0 papers\n",
            "0 papers back in the Inbox\n",
        )
        or '"schema": 1' in out
    )
    assert cli("--library", ready, "list", "--json") == listed
    assert not (tmp_path / "vault").exists()


def test_a_bad_input_with_json_still_prints_what_it_did(cli, ready, unchanged):
    with unchanged(ready):
        code, out, _ = cli("--library", ready, "mark", "9999", "--read", "--json")
    assert code == 1
    assert out.startswith('{\n  "schema": 1,')
    assert '"unknown": [\n    9999\n  ]' in out


# (argv after `--library LIB`, what argparse's one message says)
UNREADABLE = [
    (["list", "--sort", "nope"], "argument --sort: invalid choice: 'nope'"),
    (["list", "--limit", "0"], "argument --limit: must be 1 or more"),
    (["search", "x", "--limit", "ten"], "argument --limit: 'ten' is not a whole number"),
    (["mark", "five", "--read"], "argument ID: 'five' is not a paper id"),
    (["mark", "5"], "one of the arguments --read --unread is required"),
    (["mark", "5", "--read", "--unread"], "argument --unread: not allowed with argument --read"),
    (["delete"], "the following arguments are required: ID"),
    (["saved"], "the following arguments are required: ACTION"),
    (["saved", "drop", "x"], "argument ACTION: invalid choice: 'drop'"),
    (["saved", "add", "only-a-name"], "the following arguments are required: QUERY"),
    (["note", "5"], "one of the arguments --set --append --file is required"),
    (["export"], "the following arguments are required: --out"),
    (["list", "--status", "maybe"], "argument --status: invalid choice: 'maybe'"),
    (["tags", "extra"], "unrecognized arguments: extra"),
    (["dismiss"], "the following arguments are required: ID"),
    (["next", "--limit", "0"], "argument --limit: must be 1 or more"),
    (["inbox", "--sort", "rising"], "unrecognized arguments: --sort rising"),
]


@pytest.mark.parametrize(("argv", "said"), UNREADABLE, ids=[" ".join(a) for a, _ in UNREADABLE])
def test_a_command_line_that_cannot_be_read_exits_2(capsys, filled, unchanged, argv, said):
    with unchanged(filled), pytest.raises(SystemExit) as exit_:
        main(["--library", filled, *argv])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("usage: readinglist")
    assert said in err.splitlines()[-1]
