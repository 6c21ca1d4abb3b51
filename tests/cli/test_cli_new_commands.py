"""The commands scripts needed and the window had: tags, saved searches, sorted lists, delete.

Each runs `main` on a real library in tmp_path (the 78 papers of one dump);
the delete question is answered through a real pseudo-terminal.
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

# -- tags ------------------------------------------------------------------------


def test_tags_lists_each_tag_with_its_paper_count(cli, cli_json, filled):
    assert cli("--library", filled, "tag", "1", "2", "3", "--add", "to read")[0] == 0
    assert cli("--library", filled, "tag", "2", "--add", "ML", "--add", "zeta")[0] == 0
    assert cli("--library", filled, "tag", "2", "--remove", "zeta")[0] == 0  # gone with its use

    found = cli_json("--library", filled, "tags", "--json")
    assert found == {
        "schema": 1,
        "tags": [{"name": "ML", "papers": 1}, {"name": "to read", "papers": 3}],
    }
    code, out, err = cli("--library", filled, "tags")
    assert code == 0 and err == ""
    assert out.splitlines() == ["     1  ML", "     3  to read"]


def test_tags_of_a_library_without_tags(cli, cli_json, filled):
    assert cli_json("--library", filled, "tags", "--json") == {"schema": 1, "tags": []}
    assert cli("--library", filled, "tags") == (0, "", "")


# -- saved searches ---------------------------------------------------------------------


def test_saved_add_list_run_remove(cli, cli_json, filled):
    added = cli_json("--library", filled, "saved", "add", "models", "title:model*", "--json")
    assert added["schema"] == 1 and added["replaced"] is False
    assert added["saved"]["name"] == "models" and added["saved"]["query"] == "title:model*"
    code, out, _ = cli("--library", filled, "saved", "add", "everything", "")
    assert code == 0 and out == 'saved search "everything" saved\n'

    listed = cli_json("--library", filled, "saved", "list", "--json")
    assert [(s["name"], s["query"]) for s in listed["saved"]] == [
        ("everything", ""),
        ("models", "title:model*"),
    ]
    assert cli("--library", filled, "saved", "list")[1] == "everything: \nmodels: title:model*\n"

    # `saved run` finds what `search` finds with the same query, in the same shape.
    ran = cli_json("--library", filled, "saved", "run", "models", "--json", "--limit", "100")
    searched = cli_json("--library", filled, "search", "title:model*", "--json", "--limit", "100")
    assert ran.pop("name") == "models"
    assert ran == searched and 0 < ran["total"] < 78
    whole = cli_json("--library", filled, "saved", "run", "everything", "--json", "--limit", "5")
    assert whole["total"] == 78 and len(whole["hits"]) == 5
    code, out, _ = cli("--library", filled, "saved", "run", "MODELS")  # any case, if unique
    assert code == 0 and out.startswith(f"{searched['total']} match")

    removed = cli_json("--library", filled, "saved", "remove", "models", "--json")
    assert removed == {"schema": 1, "removed": added["saved"]}
    assert [
        s["name"] for s in cli_json("--library", filled, "saved", "list", "--json")["saved"]
    ] == ["everything"]


def test_saved_add_under_a_known_name_replaces_its_query(cli, cli_json, filled):
    first = cli_json("--library", filled, "saved", "add", "mine", "tag:x", "--json")
    code, out, _ = cli("--library", filled, "saved", "add", "  mine ", "status:read")
    assert code == 0 and out == 'saved search "mine" replaced\n'
    (only,) = cli_json("--library", filled, "saved", "list", "--json")["saved"]
    assert only == {"id": first["saved"]["id"], "name": "mine", "query": "status:read"}


# -- list --sort --desc --limit ------------------------------------------------------------


def test_list_sorts_by_title_both_ways_and_limits(cli_json, filled):
    every = cli_json("--library", filled, "list", "--json")["papers"]
    by_title = sorted(every, key=lambda p: (p["title"].casefold(), p["id"]))
    first = cli_json("--library", filled, "list", "--sort", "title", "--limit", "5", "--json")
    assert first["total"] == 78
    assert [p["id"] for p in first["papers"]] == [p["id"] for p in by_title[:5]]
    last = cli_json("--library", filled, "list", "--sort", "title", "--desc", "--json")
    assert [p["id"] for p in last["papers"]] == [p["id"] for p in reversed(by_title)]


def test_list_sorts_by_upvotes_and_filters_before_the_limit(cli, cli_json, filled):
    assert cli("--library", filled, "mark", "3", "9", "30", "--read")[0] == 0
    argv = ["--library", filled, "list", "--status", "read", "--sort", "upvotes", "--desc"]
    found = cli_json(*argv, "--limit", "2", "--json")
    assert found["total"] == 3 and len(found["papers"]) == 2
    votes = [p["upvotes"] if p["upvotes"] is not None else -1 for p in found["papers"]]
    assert votes == sorted(votes, reverse=True)
    code, out, _ = cli(*argv)
    assert code == 0 and len(out.splitlines()) == 3


# -- delete ------------------------------------------------------------------------------------


def test_delete_with_yes_removes_the_papers_from_list_search_and_tags(cli, cli_json, filled):
    title = cli_json("--library", filled, "show", "4", "--json")["title"]
    assert cli("--library", filled, "tag", "4", "--add", "gone")[0] == 0
    deleted = cli_json("--library", filled, "delete", "4", "6", "4", "--yes", "--json")
    assert deleted == {"schema": 1, "deleted": [4, 6], "unknown": []}

    listed = cli_json("--library", filled, "list", "--json")
    assert listed["total"] == 76 and not {4, 6} & {p["id"] for p in listed["papers"]}
    found = cli_json("--library", filled, "search", f'title:"{title}"', "--json")
    assert 4 not in [hit["id"] for hit in found["hits"]]
    assert cli_json("--library", filled, "tags", "--json")["tags"] == []
    code, out, err = cli("--library", filled, "delete", "7", "--yes")
    assert (code, out, err) == (0, "deleted 1 paper\n", "")


class _Terminal(io.StringIO):
    """Typed answers on a terminal's stdin."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("answer", ["y\n", "YES\n"])
def test_delete_on_a_terminal_asks_and_a_yes_deletes(cli, cli_json, filled, monkeypatch, answer):
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    code, out, err = cli("--library", filled, "delete", "2", "9999")
    assert code == 1 and out == "deleted 1 paper\n"
    assert err.startswith("Delete 1 paper, with their notes and tags?\n       2  ")
    assert err.endswith("[y/N] readinglist: no paper with id 9999\n")
    assert cli_json("--library", filled, "list", "--json")["total"] == 77


@pytest.mark.parametrize("answer", ["\n", "n\n", "", "yes please\n"])
def test_delete_on_a_terminal_anything_but_yes_keeps_them(
    cli, filled, unchanged, monkeypatch, answer
):
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    with unchanged(filled):
        code, out, err = cli("--library", filled, "delete", *map(str, range(1, 8)))
    assert code == 1 and out == ""
    assert "Delete 7 papers, with their notes and tags?" in err and "  and 2 more\n" in err
    assert err.endswith("[y/N] readinglist: nothing deleted\n")


def _delete_on_a_pty(lib: str, answer: bytes) -> tuple[int, str]:
    """`readinglist delete 1` in a real process whose stdin is a pseudo-terminal."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "readinglist", "--library", lib, "delete", "1"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.write(leader, answer)
        out, err = process.communicate(timeout=120)
    finally:
        os.close(leader)
        os.close(follower)
    return process.returncode, (out + err).decode()


def test_delete_asks_on_a_real_terminal(cli_json, filled):
    code, said = _delete_on_a_pty(filled, b"n\n")
    assert code == 1 and "[y/N]" in said and "nothing deleted" in said
    assert cli_json("--library", filled, "list", "--json")["total"] == 78
    code, said = _delete_on_a_pty(filled, b"y\n")
    assert code == 0 and "deleted 1 paper" in said
    assert cli_json("--library", filled, "list", "--json")["total"] == 77
