"""`dismiss`, `inbox`, `next` and the ranking sorts of `list`, on a real library."""

from __future__ import annotations


def _ids(document: dict) -> list[int]:
    return [paper["id"] for paper in document["papers"]]


def test_next_falls_back_to_upvotes_and_says_so(cli, cli_json, filled):
    document = cli_json("--library", filled, "next", "--limit", "5", "--json")
    assert document["schema"] == 1 and document["learned"] is False
    assert "upvotes" in document["note"]
    upvotes = [paper["upvotes"] or 0 for paper in document["papers"]]
    assert upvotes == sorted(upvotes, reverse=True) and len(upvotes) == 5
    assert all(paper["reason"] for paper in document["papers"])
    code, out, _ = cli("--library", filled, "next", "--limit", "2")
    assert code == 0 and out.splitlines()[0] == document["note"]
    assert len(out.splitlines()) == 5  # the note, then each paper with its reason


def test_after_reading_next_is_learned_and_leaves_out_read_and_dismissed(cli, cli_json, filled):
    assert cli("--library", filled, "mark", *map(str, range(1, 9)), "--read")[0] == 0
    assert cli("--library", filled, "dismiss", "9", "10")[1] == "dismissed 2 papers\n"
    document = cli_json("--library", filled, "next", "--limit", "100", "--json")
    assert document["learned"] is True and "8 papers you read" in document["note"]
    found = _ids(document)
    assert not set(found) & set(range(1, 11))
    assert len(found) == 78 - 10


def test_the_inbox_counts_what_is_left_and_dismiss_undo_brings_back(cli, cli_json, filled):
    before = cli_json("--library", filled, "inbox", "--json")
    assert before["total"] == len(before["papers"]) == 78
    cli("--library", filled, "dismiss", "3")
    cli("--library", filled, "tag", "4", "--add", "ssm")
    after = cli_json("--library", filled, "inbox", "--limit", "5", "--json")
    assert after["total"] == 76 and len(after["papers"]) == 5
    assert 3 not in _ids(cli_json("--library", filled, "inbox", "--json"))
    undone = cli_json("--library", filled, "dismiss", "3", "--undo", "--json")
    assert undone == {
        "schema": 1,
        "dismissed": False,
        "changed": [3],
        "unchanged": [],
        "unknown": [],
    }
    assert cli_json("--library", filled, "inbox", "--json")["total"] == 77
    assert cli_json("--library", filled, "show", "3", "--json")["triage"] is None


def test_list_sorts_by_rising_and_for_you(cli_json, filled):
    every = sorted(_ids(cli_json("--library", filled, "list", "--json")))
    for sort in ("rising", "for-you"):
        listed = cli_json("--library", filled, "list", "--sort", sort, "--json")
        assert sorted(_ids(listed)) == every
        assert listed["total"] == 78
    limited = cli_json("--library", filled, "list", "--sort", "for-you", "--limit", "3", "--json")
    assert len(limited["papers"]) == 3 and limited["total"] == 78


def test_an_empty_inbox_says_so(cli, filled):
    cli("--library", filled, "dismiss", *map(str, range(1, 79)))
    code, out, _ = cli("--library", filled, "inbox")
    assert code == 0 and "the Inbox is empty" in out
