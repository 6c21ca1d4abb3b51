"""The command line keeps the README's word: typos, no display, bad ids, empty queries.

Exit status: 0 all went well, 1 an input failed (the rest still done), 2 usage
errors. Each test runs `main` on a real library in tmp_path, or a real process
where the point is what happens before Qt could be loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.cli import display_problem, main, unknown_command

NO_DISPLAY_LINE = (
    "readinglist: no display to open the window on (DISPLAY is not set); use a command "
    "such as `readinglist list`, or see readinglist --help\n"
)


@pytest.fixture
def lib(tmp_path: Path) -> str:
    return str(tmp_path / "lib")


@pytest.fixture
def filled(capsys, lib: str, dump_paths: list[Path]) -> str:
    """A library holding the 78 papers of one real dump."""
    assert main(["--library", lib, "import", str(dump_paths[3])]) == 0
    capsys.readouterr()
    return lib


@pytest.fixture
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    """No display in this process: a word taken for files can never open a window here."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *argv: str) -> object:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    return json.loads(out)


def _headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return env


def _cli_process(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=_headless_env() if env is None else env,
    )


# -- 1. a mistyped command -------------------------------------------------------


def test_a_mistyped_command_is_a_usage_error_with_a_suggestion(capsys, lib, no_display):
    code, out, err = run(capsys, "--library", lib, "serch", "transformer")
    assert code == 2 and out == ""
    assert err == "readinglist: unknown command 'serch'; did you mean 'search'?\n"
    code, _, err = run(capsys, "--library", lib, "exprot", "--out", "vault")
    assert code == 2 and "did you mean 'export'?" in err
    assert not Path(lib).exists()  # nothing was opened, let alone imported


def test_a_word_like_no_command_points_at_help(capsys, lib, no_display):
    code, _, err = run(capsys, "--library", lib, "xyzzy")
    assert code == 2
    assert err == "readinglist: unknown command 'xyzzy'; see readinglist --help\n"
    assert not Path(lib).exists()


def test_an_existing_path_is_still_taken_for_the_window(capsys, lib, dump_paths, no_display):
    # Not a usage error: it goes to the window, which here says there is no display.
    code, _, err = run(capsys, "--library", lib, str(dump_paths[0]))
    assert code == 2 and err == NO_DISPLAY_LINE
    assert unknown_command(str(dump_paths[0])) is None
    assert unknown_command(str(dump_paths[0].parent)) is None  # a folder too
    assert unknown_command("list") is None


def test_a_typo_in_a_real_process_never_reaches_qt(tmp_path):
    lib = tmp_path / "lib"
    result = _cli_process("--library", str(lib), "serch", "transformer")
    assert result.returncode == 2
    assert result.stderr == "readinglist: unknown command 'serch'; did you mean 'search'?\n"
    assert not lib.exists()


# -- 2. no display ----------------------------------------------------------------


def test_no_display_is_said_in_one_line_in_a_real_process(tmp_path, dump_paths):
    lib = tmp_path / "lib"
    for argv in ([], [str(dump_paths[0])]):
        result = _cli_process("--library", str(lib), *argv)
        assert result.returncode == 2, result.stderr
        assert result.stderr == NO_DISPLAY_LINE and result.stdout == ""
    assert not lib.exists()  # the files were not imported either


def test_a_qt_platform_asking_for_x_without_display_is_refused(tmp_path):
    env = _headless_env()
    env["QT_QPA_PLATFORM"] = "xcb"
    result = _cli_process("--library", str(tmp_path / "lib"), env=env)
    assert result.returncode == 2 and result.stderr == NO_DISPLAY_LINE


@pytest.mark.parametrize(
    ("environ", "platform", "problem"),
    [
        ({}, "linux", "DISPLAY is not set"),
        ({"DISPLAY": ":0"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"DISPLAY": ""}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", None),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", "WAYLAND_DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, "linux", None),
        ({}, "freebsd14", "DISPLAY is not set"),
        ({}, "darwin", None),
        ({}, "win32", None),
        ({"QT_QPA_PLATFORM": "xcb"}, "win32", None),
    ],
)
def test_display_problem(environ, platform, problem):
    assert display_problem(environ, platform) == problem


# -- 3. mark and tag do the valid ids ---------------------------------------------


def _paper(capsys, lib: str, paper_id: int) -> dict:
    return _json(capsys, "--library", lib, "show", str(paper_id), "--json")


def test_mark_does_the_valid_ids_and_names_each_bad_one(capsys, filled):
    code, out, err = run(capsys, "--library", filled, "mark", "5", "9999", "7", "8888", "--read")
    assert code == 1
    assert err == "readinglist: no paper with id 9999\nreadinglist: no paper with id 8888\n"
    assert out == "marked 2 papers read\n"
    assert _paper(capsys, filled, 5)["status"] == "read"
    assert _paper(capsys, filled, 7)["status"] == "read"
    read = _json(capsys, "--library", filled, "list", "--status", "read", "--json")
    assert sorted(p["id"] for p in read["papers"]) == [5, 7]


def test_mark_with_only_bad_ids_changes_nothing(capsys, filled):
    code, out, err = run(capsys, "--library", filled, "mark", "9999", "9999", "--read")
    assert code == 1 and err == "readinglist: no paper with id 9999\n"
    assert out == "marked 0 papers read\n"
    assert _json(capsys, "--library", filled, "list", "--status", "read", "--json")["papers"] == []


def test_tag_does_the_valid_ids_and_names_each_bad_one(capsys, filled):
    code, out, err = run(capsys, "--library", filled, "tag", "5", "9999", "--add", "todo")
    assert code == 1 and err == "readinglist: no paper with id 9999\n"
    assert out == "tags added to 1, removed from 0 paper(s)\n"
    assert _paper(capsys, filled, 5)["tags"] == ["todo"]

    code, out, err = run(capsys, "--library", filled, "tag", "9999", "5", "--remove", "todo")
    assert code == 1 and err == "readinglist: no paper with id 9999\n"
    assert out == "tags added to 0, removed from 1 paper(s)\n"
    assert _paper(capsys, filled, 5)["tags"] == []
    assert _json(capsys, "--library", filled, "list", "--tag", "todo", "--json")["papers"] == []


def test_mark_and_tag_with_good_ids_still_exit_0(capsys, filled):
    code, _, err = run(capsys, "--library", filled, "mark", "5", "6", "--read")
    assert code == 0 and err == ""
    code, _, err = run(capsys, "--library", filled, "tag", "5", "6", "--add", "x")
    assert code == 0 and err == ""


# -- 4. an empty query shows the whole library --------------------------------------


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_shows_the_whole_library_in_list_order(capsys, filled, query):
    listed = [p["id"] for p in _json(capsys, "--library", filled, "list", "--json")["papers"]]
    assert len(listed) == 78

    found = _json(capsys, "--library", filled, "search", query, "--json", "--limit", "100")
    assert set(found) == {"schema", "query", "total", "suggestion", "hits"}
    assert found["total"] == 78 and found["suggestion"] is None
    assert [hit["id"] for hit in found["hits"]] == listed
    assert {"score", "highlights", "title", "status"} <= set(found["hits"][0])

    found = _json(capsys, "--library", filled, "search", query, "--json", "--limit", "5")
    assert found["total"] == 78
    assert [hit["id"] for hit in found["hits"]] == listed[:5]


def test_an_empty_search_in_text_says_how_many(capsys, filled):
    code, out, err = run(capsys, "--library", filled, "search", "")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "78 matches" and len(lines) == 1 + 20  # the default --limit


def test_an_empty_search_of_an_empty_library(capsys, lib):
    found = _json(capsys, "--library", lib, "search", "", "--json")
    assert found["total"] == 0 and found["hits"] == []


# -- 5. a malformed query is a failed input (exit 1) everywhere ----------------------


def test_a_malformed_query_exits_1_in_search_and_export(capsys, filled, tmp_path):
    for query in ("title:(oops", 'abstract:"unclosed'):
        code, out, err = run(capsys, "--library", filled, "search", query)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert err.startswith("readinglist: ") and "Traceback" not in err

        vault = tmp_path / "vault"
        code, out, err = run(
            capsys, "--library", filled, "export", "--out", str(vault), "--all", "--query", query
        )
        assert code == 1 and out == "" and err.count("\n") == 1
        assert not vault.exists()  # nothing written for a query that was not understood


def test_a_good_export_query_still_exports(capsys, filled, tmp_path):
    query = "title:model*"
    found = _json(capsys, "--library", filled, "search", query, "--json")
    assert 0 < found["total"] < 78
    vault = tmp_path / "vault"
    argv = ["--library", filled, "export", "--out", str(vault), "--all", "--query", query]
    assert run(capsys, *argv)[0] == 0
    assert len(list(vault.glob("*.md"))) == found["total"]
