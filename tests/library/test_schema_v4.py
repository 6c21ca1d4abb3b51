"""Schema version 4: the Inbox's triage, time spent open, and the user's year corrections."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from testdata import DUMP_000

from readinglist.collection import Collection
from readinglist.errors import NotFoundError, ReadingListError
from readinglist.library.columns import PAPER_COLUMNS
from readinglist.library.reader import SCHEMA_VERSION, PaperFilter
from readinglist.library.writes import Library

INBOX = PaperFilter(inbox=True)


@pytest.fixture
def collection(tmp_path: Path):
    dump = tmp_path / "dumps" / DUMP_000.name
    dump.parent.mkdir()
    shutil.copy(DUMP_000, dump)
    collection = Collection.open(tmp_path / "lib")
    collection.import_paths([dump])
    yield collection
    collection.close()


def _db_rows(collection: Collection) -> list[tuple]:
    con = sqlite3.connect(collection.library.db_path)
    try:
        return con.execute("SELECT * FROM paper ORDER BY id").fetchall()
    finally:
        con.close()


def test_every_new_paper_starts_in_the_inbox(collection: Collection):
    every = collection.list_ids()
    assert every and collection.list_ids(INBOX) == every


def test_later_and_dismissed_leave_the_inbox_and_come_back(collection: Collection):
    first, second, third, *_ = collection.list_ids()
    assert collection.set_triage([first], "later") == [first]
    assert collection.dismiss([second]) == [second]
    collection.mark([third], "read")
    inbox = collection.list_ids(INBOX)
    assert first not in inbox and second not in inbox and third not in inbox
    later, dismissed = collection.get_many([first, second])
    assert (later.triage, dismissed.triage) == ("later", "dismissed")
    assert later.status == "unread" and later.triaged_at is not None
    assert len(collection.list_ids()) == len(inbox) + 3  # dismissed papers stay in the library
    assert collection.set_triage([first, second], None) == [first, second]
    assert {first, second} <= set(collection.list_ids(INBOX))
    assert collection.get(first).triaged_at is None


def test_a_note_or_a_tag_deals_with_a_paper_too(collection: Collection):
    first, second, *_ = collection.list_ids()
    count = collection.stats().inbox
    collection.set_note(first, "read the method section")
    collection.add_tags([second], ["ssm"])
    inbox = collection.list_ids(INBOX)
    assert first not in inbox and second not in inbox
    assert collection.stats().inbox == len(inbox) == count - 2


def test_a_triage_that_changes_nothing_writes_nothing(collection: Collection):
    first = collection.list_ids()[0]
    collection.dismiss([first])
    generation = collection.reader.generation()
    assert collection.dismiss([first]) == []
    assert collection.reader.generation() == generation


def test_an_unknown_id_or_triage_is_refused_and_nothing_changes(collection: Collection):
    first = collection.list_ids()[0]
    before = _db_rows(collection)
    with pytest.raises(NotFoundError, match="99999"):
        collection.dismiss([first, 99999])
    with pytest.raises(ReadingListError, match="Unknown triage 'soon'"):
        collection.set_triage([first], "soon")  # type: ignore[arg-type]
    assert _db_rows(collection) == before


def test_the_inbox_holds_the_recent_imports_only(collection: Collection):
    first, second, *rest = collection.list_ids()
    con = sqlite3.connect(collection.library.db_path)
    with con:
        # Two papers added a month before the rest: an older page's.
        con.execute(
            "UPDATE paper SET added_at = datetime(added_at, '-30 days') WHERE id IN (?, ?)",
            (first, second),
        )
    con.close()
    assert collection.list_ids(INBOX) == rest


def test_undo_of_a_dismissal_restores_the_triage(collection: Collection):
    first = collection.list_ids()[0]
    states = collection.states([first])
    collection.dismiss([first])
    collection.restore_states(states)
    paper = collection.get(first)
    assert paper.triage is None and paper.triaged_at is None
    assert first in collection.list_ids(INBOX)


def test_a_year_guessed_from_the_file_time_is_said_so(collection: Collection):
    guessed = [p for p in collection.get_many(collection.list_ids()) if p.year_guessed]
    assert guessed, "the first dump's dates have no year: the file's time gives it"
    assert all(p.year_source == "file" for p in guessed)
    assert guessed[0].to_json()["year_guessed"] is True


def test_a_corrected_year_survives_a_reimport(collection: Collection, tmp_path: Path):
    paper = next(p for p in collection.get_many(collection.list_ids()) if p.year_guessed)
    assert collection.set_year(paper.id, 2023)
    corrected = collection.get(paper.id)
    assert corrected.published == paper.published.replace(year=2023)
    assert corrected.year_source == "user" and not corrected.year_guessed
    assert not collection.set_year(paper.id, 2023)  # already so: nothing written

    # The same paper in the site's JSON, which states a year: a stated year
    # outranks a guessed one, but never the user's.
    page = tmp_path / "site.json"
    page.write_text(
        json.dumps(
            [
                {
                    "paper": {
                        "id": "2601.00001",
                        "title": paper.title,
                        "summary": paper.abstract,
                        "publishedAt": "2026-03-02T00:00:00.000Z",
                        "upvotes": 500,
                    }
                }
            ]
        )
    )
    report = collection.import_paths([page])
    assert report.merged == 1
    again = collection.get(paper.id)
    assert again.upvotes == 500 and again.arxiv_id == "2601.00001"  # the import did merge
    assert (again.published, again.year_source) == (corrected.published, "user")


def test_undo_of_a_year_correction_brings_the_guess_back(collection: Collection):
    paper = next(p for p in collection.get_many(collection.list_ids()) if p.year_guessed)
    states = collection.states([paper.id])
    collection.set_year(paper.id, 2021)
    collection.restore_states(states)
    back = collection.get(paper.id)
    assert (back.published, back.year_source, back.year_inferred) == (
        paper.published,
        "file",
        paper.year_inferred,
    )


@pytest.mark.parametrize("year", [1899, 2101, -5])
def test_a_year_out_of_range_is_refused_and_nothing_changes(collection: Collection, year: int):
    first = collection.list_ids()[0]
    before = _db_rows(collection)
    with pytest.raises(ReadingListError, match=f"{year} is not a year"):
        collection.set_year(first, year)
    assert _db_rows(collection) == before


def test_a_paper_without_a_date_gets_the_first_of_january(collection: Collection):
    first = collection.list_ids()[0]
    con = sqlite3.connect(collection.library.db_path)
    with con:
        con.execute(
            "UPDATE paper SET published = NULL, published_text = NULL, year_source = NULL "
            "WHERE id = ?",
            (first,),
        )
    con.close()
    assert collection.set_year(first, 2024)
    paper = collection.get(first)
    assert (paper.published, paper.published_text, paper.year_source) == (
        date(2024, 1, 1),
        "2024-01-01",
        "user",
    )


def test_opened_time_adds_up_without_touching_the_index(collection: Collection):
    first = collection.list_ids()[0]
    generation = collection.reader.generation()
    collection.add_opened_time(first, 12.5)
    collection.add_opened_time(first, 30)
    collection.add_opened_time(first, -4)  # a clock that went back counts nothing
    assert collection.get(first).opened_seconds == pytest.approx(42.5)
    assert collection.reader.generation() == generation


def test_reading_signals_say_what_the_user_did(collection: Collection):
    first, second, third, *_ = collection.list_ids()
    collection.mark([first], "read")
    collection.set_note(second, "worth it")
    collection.add_tags([second], ["ssm", "later-maybe"])
    collection.dismiss([third])
    signals = {s.id: s for s in collection.reader.reading_signals()}
    assert signals[first].read and not signals[first].note
    assert signals[second].note and signals[second].tags == 2
    assert signals[third].dismissed and not signals[third].read
    assert signals[first].title == collection.get(first).title


def test_upgrade_from_version_3_adds_the_columns_and_keeps_everything(tmp_path: Path):
    folder = tmp_path / "lib"
    collection = Collection.open(folder)
    dump = tmp_path / DUMP_000.name
    shutil.copy(DUMP_000, dump)
    collection.import_paths([dump])
    first = collection.list_ids()[0]
    collection.mark([first], "read")
    collection.close()
    # Make it the file a version-3 readinglist left: without the new columns.
    con = sqlite3.connect(folder / "library.sqlite3")
    for column in ("triage", "triaged_at", "opened_seconds"):
        con.execute(f"ALTER TABLE paper DROP COLUMN {column}")
    con.execute("PRAGMA user_version=3")
    con.commit()
    before = con.execute("SELECT id, title, status FROM paper ORDER BY id").fetchall()
    con.close()

    library = Library(folder)
    try:
        assert library.found_version == 3
        assert library.reader.schema_version() == SCHEMA_VERSION == 4
        con = sqlite3.connect(library.db_path)
        assert [r[1] for r in con.execute("PRAGMA table_info(paper)")] == list(PAPER_COLUMNS)
        assert con.execute("SELECT id, title, status FROM paper ORDER BY id").fetchall() == before
        con.close()
        paper = library.reader.get(first)
        assert paper.status == "read" and paper.triage is None and paper.opened_seconds == 0
    finally:
        library.close()
