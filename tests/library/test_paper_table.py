"""The `paper` table is declared by `Paper`'s fields: its columns, types and writers."""

from __future__ import annotations

import sqlite3
import typing
from dataclasses import fields
from pathlib import Path

from testdata import DUMP_002, LIBRARY_DATA

from readinglist.collection import Collection
from readinglist.library.columns import (
    METADATA_COLUMNS,
    PAPER_COLUMNS,
    READER_COLUMNS,
    UNDO_COLUMNS,
    column_nullable,
    column_type,
)
from readinglist.library.tables import PaperRow, table_of
from readinglist.library.writes import Library
from readinglist.papers import Paper, ParsedPaper


def _schema(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
    finally:
        con.close()
    return "".join("\n".join(line.rstrip() for line in sql.splitlines()) + ";\n" for (sql,) in rows)


def _committed_schema() -> str:
    text = (LIBRARY_DATA / "schema_4.sql").read_text(encoding="utf-8")
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith("--"))


def test_a_new_library_file_has_exactly_the_tables_of_schema_4(tmp_path: Path):
    # The declaration is derived from Paper; the file it makes is the one
    # schema 4 always made, so old and new files stay alike.
    Library(tmp_path / "lib").close()
    assert _schema(tmp_path / "lib" / "library.sqlite3") == _committed_schema()


def test_the_columns_are_paper_fields_in_order_with_the_key_after_the_id():
    names = [f.name for f in fields(Paper) if f.name != "tags"]
    assert (names[0], "title_key", *names[1:]) == PAPER_COLUMNS
    assert tuple(c.name for c in table_of(PaperRow).columns) == PAPER_COLUMNS


def test_nullability_follows_the_field_types():
    table = table_of(PaperRow)
    for name in PAPER_COLUMNS:
        if name in ("id", "title_key"):
            continue
        assert table.c[name].nullable == column_nullable(name), name
    assert not column_nullable("added_at")  # None on a Paper built elsewhere, never stored so
    assert column_nullable("author_names")  # empty: the names are unknown
    assert column_type("status") is str and column_type("author_names") is tuple


def test_what_an_import_writes_is_what_a_reader_parses_under_the_same_names_and_types():
    paper_types = typing.get_type_hints(Paper)
    parsed_types = typing.get_type_hints(ParsedPaper)
    assert set(METADATA_COLUMNS) | {"title"} == set(parsed_types)
    for name in METADATA_COLUMNS:
        assert paper_types[name] == parsed_types[name], name
    assert not set(METADATA_COLUMNS) & READER_COLUMNS
    assert {"status", "note", "triage", "title_key", "added_at"} <= READER_COLUMNS


def test_undo_puts_back_the_readers_part_but_keeps_the_time_spent_reading(tmp_path: Path):
    collection = Collection(tmp_path / "lib")
    try:
        collection.import_paths([DUMP_002])
        paper_id = collection.list_ids()[0]
        before = collection.states([paper_id])
        collection.mark([paper_id], "read")
        collection.set_note(paper_id, "A note.")
        collection.set_tags(paper_id, ["rl"])
        collection.set_triage([paper_id], "later")
        collection.set_year(paper_id, 1999)
        collection.add_opened_time(paper_id, 42.0)
        collection.restore_states(before)
        after = collection.get(paper_id)
        for name in UNDO_COLUMNS:
            assert getattr(after, name) == getattr(before[0], name), name
        assert after.tags == [] and after.opened_seconds == 42.0
    finally:
        collection.close()


def test_the_json_of_a_paper_holds_every_field_and_its_links():
    paper = Paper(id=3, title="T", abstract="A", arxiv_id="2401.00001", author_names=("Ada",))
    document = paper.to_json()
    assert set(document) == {f.name for f in fields(Paper)} | {"url", "arxiv_url", "year_guessed"}
    assert document["author_names"] == ["Ada"]
    assert document["url"] == "https://huggingface.co/papers/2401.00001"
