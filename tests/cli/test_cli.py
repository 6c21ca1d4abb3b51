"""The command line contract, in process (main(argv) returns the exit code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli import main


@pytest.fixture
def lib(tmp_path: Path) -> str:
    return str(tmp_path / "lib")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("readinglist ")


def test_import_json_contract(capsys, lib, dump_paths):
    code, out, err = run(capsys, "--library", lib, "import", *map(str, dump_paths), "--json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["added"] == 413 and result["merged"] >= 0
    assert set(result["files"][0]) == {
        "path",
        "found",
        "added",
        "merged",
        "unchanged",
        "error",
        "skipped",
        "skipped_more",
        "warnings",
    }
    assert result["files"][0]["skipped"] == [] and result["files"][0]["warnings"] == []
    assert result["stopped"] is None and result["not_imported"] == []
    assert result["index_error"] is None
    code, out, _ = run(capsys, "--library", lib, "import", str(dump_paths[0]), "--json")
    assert json.loads(out)["added"] == 0


def test_failed_input_exits_1_and_names_the_file(capsys, lib, dump_paths, tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(range(256)) * 10)
    code, out, err = run(capsys, "--library", lib, "import", str(bad), str(dump_paths[3]))
    assert code == 1
    assert err.count("\n") == 1 and "bad.bin" in err and "Traceback" not in err
    assert "78 added" in out


def test_env_variable_points_at_the_library(capsys, monkeypatch, tmp_path, dump_paths):
    monkeypatch.setenv("READINGLIST_LIBRARY", str(tmp_path / "envlib"))
    assert run(capsys, "import", str(dump_paths[3]))[0] == 0
    assert (tmp_path / "envlib" / "library.sqlite3").exists()


def test_list_search_show_mark_tag_note(capsys, lib, dump_paths):
    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    code, out, _ = run(capsys, "--library", lib, "search", "title:transformer", "--json")
    assert code == 0
    found = json.loads(out)
    hit = found["hits"][0]
    assert {"score", "highlights", "title", "abstract", "tags", "note"} <= set(hit)
    assert "<b>" in hit["highlights"]["title"]
    paper_id = str(hit["id"])

    assert run(capsys, "--library", lib, "mark", paper_id, "--read")[0] == 0
    assert (
        run(capsys, "--library", lib, "tag", paper_id, "--add", "Vision", "--add", "todo")[0] == 0
    )
    assert run(capsys, "--library", lib, "tag", paper_id, "--remove", "todo")[0] == 0
    assert run(capsys, "--library", lib, "note", paper_id, "--set", "first")[0] == 0
    assert run(capsys, "--library", lib, "note", paper_id, "--append", "second")[0] == 0

    code, out, _ = run(capsys, "--library", lib, "show", paper_id, "--json")
    shown = json.loads(out)
    assert shown["status"] == "read" and shown["read_at"]
    assert shown["tags"] == ["Vision"] and shown["note"] == "first\n\nsecond"
    assert shown["sources"][0]["name"] == dump_paths[3].name

    code, out, _ = run(capsys, "--library", lib, "list", "--status", "read", "--json")
    assert [p["id"] for p in json.loads(out)["papers"]] == [int(paper_id)]
    code, out, _ = run(capsys, "--library", lib, "list", "--tag", "vision")
    assert paper_id in out

    code, out, _ = run(capsys, "--library", lib, "similar", paper_id, "--json", "--limit", "3")
    similar = json.loads(out)
    assert code == 0 and similar["id"] == int(paper_id) and 0 < len(similar["papers"]) <= 3


def test_note_from_file(capsys, lib, dump_paths, tmp_path):
    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    note = tmp_path / "note.md"
    note.write_text("# From a file\n", encoding="utf-8")
    assert run(capsys, "--library", lib, "note", "1", "--file", str(note))[0] == 0
    code, _, err = run(capsys, "--library", lib, "note", "1", "--file", str(tmp_path / "nope.md"))
    assert code == 1 and "nope.md" in err


def test_unknown_id_and_bad_query_are_one_line_errors(capsys, lib, dump_paths):
    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    code, _, err = run(capsys, "--library", lib, "show", "99999")
    assert code == 1 and "No paper with id 99999" in err and "Traceback" not in err
    code, _, err = run(capsys, "--library", lib, "search", "title:(oops")
    assert code == 1 and err.count("\n") == 1


def test_usage_errors_exit_2(capsys, lib):
    for argv in (["mark", "1"], ["search"], ["export"], ["list", "--status", "maybe"]):
        with pytest.raises(SystemExit) as exit_:
            main(["--library", lib, *argv])
        assert exit_.value.code == 2
    capsys.readouterr()
    assert run(capsys, "--library", lib, "tag", "1")[0] == 2


def test_export_and_check(capsys, lib, dump_paths, tmp_path):
    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    run(capsys, "--library", lib, "note", "1", "--set", "worth reading")
    out_dir = tmp_path / "vault"
    code, out, _ = run(capsys, "--library", lib, "export", "--out", str(out_dir), "--json")
    assert code == 0 and len(json.loads(out)["written"]) == 1
    code, out, _ = run(capsys, "--library", lib, "export", "--out", str(out_dir), "--all")
    assert code == 0 and len(list(out_dir.glob("*.md"))) == 78
    assert run(capsys, "--library", lib, "check")[0] == 0


def _rows(lib: str) -> tuple[int, int, int]:
    import sqlite3

    conn = sqlite3.connect(Path(lib) / "library.sqlite3")
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("import_file", "paper_source", "upvote_seen")
        )
    finally:
        conn.close()


def test_an_import_that_adds_nothing_leaves_the_index_in_step(capsys, lib, dump_paths):
    files = list(map(str, dump_paths))
    assert run(capsys, "--library", lib, "import", *files)[0] == 0
    rows = _rows(lib)
    for _ in range(2):
        code, out, err = run(capsys, "--library", lib, "import", *files)
        assert code == 0 and err == ""
        assert out.splitlines()[-1] == "0 added, 0 merged, 0 failed"
    code, out, err = run(capsys, "--library", lib, "check")
    assert code == 0 and err == ""
    assert "the search index is in step with the library (413 papers)" in out
    # The same content is recorded once: repeats add no provenance rows.
    assert _rows(lib) == rows


def test_a_copy_under_another_name_is_recorded_once_as_a_source(capsys, lib, dump_paths, tmp_path):
    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    files, sources, _ = _rows(lib)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(dump_paths[3].read_bytes())
    assert run(capsys, "--library", lib, "import", str(copy))[0] == 0
    assert _rows(lib)[:2] == (files, sources)  # same bytes: nothing new to say
    edited = tmp_path / "edited.txt"
    edited.write_bytes(dump_paths[3].read_bytes() + b"\n")
    assert run(capsys, "--library", lib, "import", str(edited))[0] == 0
    assert _rows(lib)[0] == files + 1  # other bytes, same papers: one more source file
    code, out, _ = run(capsys, "--library", lib, "check")
    assert code == 0 and "in step" in out


def test_check_of_a_missing_index_says_how_to_repair(capsys, lib, dump_paths):
    import shutil

    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    shutil.rmtree(Path(lib) / "index")
    code, _, err = run(capsys, "--library", lib, "check")
    assert code == 1
    assert "missing, damaged or out of step" in err and "check --repair" in err
    code, out, _ = run(capsys, "--library", lib, "check", "--repair")
    assert code == 0 and "rebuilt the search index (78 papers)" in out
