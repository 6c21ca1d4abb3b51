"""The SQLite library: schema, upgrades and the reader's changes, on real files."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from testdata import LIBRARY_DATA

from readinglist.errors import LibraryError, NotFoundError, ReadingListError
from readinglist.library.importing import known_lookup, plan_papers, split_for_write
from readinglist.library.reader import SCHEMA_VERSION, PaperFilter
from readinglist.library.writes import Library, SourceFile, utcnow
from readinglist.papers import ParsedPaper

DATA = LIBRARY_DATA

PAPERS = [
    ParsedPaper("Universal Transformers", "Recurrent networks process data.", authors=5),
    ParsedPaper("LLaMA Pro: Progressive LLaMA", "Humans acquire new skills.", upvotes=3),
    ParsedPaper(
        "Reactive Transformer",
        "Event driven models.",
        organisation="ReactiveAI Reactive AI",
        published=date(2025, 10, 3),
        published_text="Oct 3",
        year_inferred=True,
        upvotes=2,
    ),
]


def _source(name: str = "a.txt") -> SourceFile:
    return SourceFile(path=f"/dumps/{name}", name=name, size=1, sha256="ab", modified_at=utcnow())


def _import(library: Library, papers=PAPERS, name: str = "a.txt"):
    keys, arxiv_ids = known_lookup(papers)
    placeholder = iter(range(-1, -1000, -1))
    planned = plan_papers(
        papers, library.reader.find_known(keys, arxiv_ids), lambda: next(placeholder)
    )
    changes = split_for_write(planned, library.reader.find_known(keys, arxiv_ids))
    return library.write_import(_source(name), library.next_batch(), changes)


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def test_new_library_has_schema_wal_and_foreign_keys(library: Library):
    con = sqlite3.connect(library.db_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    with library.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrade_from_a_first_version_file(tmp_path: Path):
    folder = tmp_path / "old"
    folder.mkdir()
    con = sqlite3.connect(folder / "library.sqlite3")
    con.executescript((DATA / "library_v1.sql").read_text())
    con.close()

    library = Library(folder)
    try:
        assert library.found_version == 1
        assert library.reader.schema_version() == SCHEMA_VERSION
        paper = library.reader.get(1)
        assert paper.title == "Universal Transformers"
        assert paper.status == "read" and paper.note == "Loved it"
        assert paper.tags == ["Transformers"]
        # The version 2 feature works on the upgraded file.
        library.save_search("transformers", "title:transformer")
        assert [s.name for s in library.reader.saved_searches()] == ["transformers"]
    finally:
        library.close()


def test_a_newer_schema_is_refused_with_a_message(tmp_path: Path):
    folder = tmp_path / "new"
    Library(folder).close()
    con = sqlite3.connect(folder / "library.sqlite3")
    con.execute("PRAGMA user_version=99")
    con.close()
    with pytest.raises(LibraryError, match="newer readinglist"):
        Library(folder)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="Cannot open the library file"):
        Library(folder)


def test_library_path_that_is_a_file_is_refused(tmp_path: Path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(LibraryError):
        Library(tmp_path / "file")


def test_write_import_records_papers_and_provenance(library: Library):
    written = _import(library)
    assert len(written.added) == 3
    assert library.reader.count() == 3
    paper = library.reader.get(written.added[2])
    assert paper.organisation == "ReactiveAI Reactive AI"
    assert paper.published == date(2025, 10, 3) and paper.year_inferred
    sources = library.reader.sources(paper.id)
    assert [(s.name, s.outcome) for s in sources] == [("a.txt", "added")]


def test_generation_moves_with_every_write(library: Library):
    start = library.reader.generation()
    written = _import(library)
    after_import = library.reader.generation()
    assert after_import > start
    library.set_status(written.added[:1], "read")
    assert library.reader.generation() > after_import


def test_status_read_at_and_filter(library: Library):
    ids = _import(library).added
    assert library.set_status(ids[:2], "read") == ids[:2]
    assert library.set_status(ids[:2], "read") == []
    paper = library.reader.get(ids[0])
    assert paper.status == "read" and paper.read_at is not None
    assert library.reader.list_ids(PaperFilter(status="unread")) == ids[2:]
    library.set_status([ids[0]], "unread")
    assert library.reader.get(ids[0]).read_at is None
    with pytest.raises(ReadingListError, match="Unknown status"):
        library.set_status(ids, "skimmed")


def test_tags_are_unique_without_regard_to_case(library: Library):
    ids = _import(library).added
    library.add_tags(ids[:2], ["ML", "to read"])
    library.add_tags(ids[2:], ["ml"])
    assert library.reader.tag_counts() == [("ML", 3), ("to read", 2)]
    assert library.reader.list_ids(PaperFilter(tags=("ml", "TO READ"))) == ids[:2]
    library.remove_tags(ids, ["to read"])
    assert library.reader.all_tags() == ["ML"]
    assert library.set_tags(ids[0], ["b", "a", "B"]) is True
    assert library.reader.get(ids[0]).tags == ["a", "b"]


def test_note_saves_with_time(library: Library):
    paper_id = _import(library).added[0]
    assert library.set_note(paper_id, "# Key idea\nshared weights") is True
    assert library.set_note(paper_id, "# Key idea\nshared weights") is False
    paper = library.reader.get(paper_id)
    assert paper.note.startswith("# Key idea") and paper.note_updated_at is not None
    assert library.reader.list_ids(PaperFilter(with_notes=True)) == [paper_id]


def test_delete_and_restore_bring_everything_back(library: Library):
    ids = _import(library).added
    library.add_tags(ids[:1], ["keep"])
    library.set_note(ids[0], "my note")
    before = library.reader.get(ids[0])
    deleted = library.delete(ids[:2])
    assert library.reader.count() == 1
    assert library.reader.all_tags() == []
    library.restore(deleted)
    after = library.reader.get(ids[0])
    assert after == before
    assert library.reader.sources(ids[0])


def test_states_restore_undoes_reader_changes(library: Library):
    ids = _import(library).added
    states = library.states(ids)
    library.set_status(ids, "read")
    library.add_tags(ids, ["x"])
    library.set_note(ids[1], "text")
    library.restore_states(states)
    for paper in library.reader.get_many(ids):
        assert paper.status == "unread" and paper.tags == [] and paper.note == ""


def test_unknown_ids_are_refused_and_change_nothing(library: Library):
    ids = _import(library).added
    generation = library.reader.generation()
    with pytest.raises(NotFoundError, match="No paper with id 999"):
        library.set_status([ids[0], 999], "read")
    with pytest.raises(NotFoundError):
        library.add_tags([999], ["x"])
    with pytest.raises(NotFoundError):
        library.set_note(999, "x")
    assert library.reader.generation() == generation
    assert library.reader.get(ids[0]).status == "unread"


def test_saved_searches(library: Library):
    first = library.save_search("Transformers", "title:transformer")
    assert library.save_search("transformers", "abstract:transformer") == first
    assert library.reader.saved_searches()[0].query == "abstract:transformer"
    second = library.save_search("Unread", "status:unread")
    with pytest.raises(ReadingListError, match="exists already"):
        library.rename_saved_search(second, "TRANSFORMERS")
    library.rename_saved_search(second, "Still unread")
    library.delete_saved_search(first)
    assert [s.name for s in library.reader.saved_searches()] == ["Still unread"]
    with pytest.raises(ReadingListError, match="needs a name"):
        library.save_search("  ", "x")


def test_sorting_in_sql(library: Library):
    ids = _import(library).added
    by_title = library.reader.list_ids(sort="title")
    assert by_title == [ids[1], ids[2], ids[0]]
    by_votes = library.reader.list_ids(sort="upvotes", descending=True)
    assert by_votes[0] == ids[1]
    ranked = [ids[2], ids[0]]
    assert library.reader.list_ids(sort=None, within=ranked) == ranked


def test_delete_and_restore_keep_the_site_fields_and_the_upvote_history(library: Library):
    site = ParsedPaper(
        "The Llama 3 Herd of Models",
        "Modern artificial intelligence systems are powered by foundation models.",
        upvotes=94,
        arxiv_id="2407.21783",
        author_names=("Abhimanyu Dubey", "Abhinav Jauhri"),
        summary="A herd of language models.",
    )
    (paper_id,) = _import(library, [site]).added
    _import(library, [replace(site, upvotes=120)], name="b.txt")
    before = library.reader.get(paper_id)
    history = library.reader.upvote_history(paper_id)
    assert [h.upvotes for h in history] == [94, 120]
    deleted = library.delete([paper_id])
    assert library.reader.upvote_history(paper_id) == []
    library.restore(deleted)
    assert library.reader.get(paper_id) == before
    assert library.reader.upvote_history(paper_id) == history


def test_restore_refuses_when_its_arxiv_id_came_back_meanwhile(library: Library):
    site = ParsedPaper("Tora", "Trajectory-oriented diffusion.", arxiv_id="2407.21705")
    (paper_id,) = _import(library, [site]).added
    deleted = library.delete([paper_id])
    _import(library, [replace(site, title="Tora: Trajectory-oriented Diffusion")], name="b.txt")
    with pytest.raises(LibraryError, match="same title or arXiv id"):
        library.restore(deleted)
    assert library.reader.count() == 1


def _rows(library: Library) -> tuple[int, int]:
    conn = sqlite3.connect(library.db_path)
    try:
        return (
            conn.execute("SELECT count(*) FROM import_file").fetchone()[0],
            conn.execute("SELECT count(*) FROM paper_source").fetchone()[0],
        )
    finally:
        conn.close()


def test_importing_the_same_content_again_writes_nothing(library: Library):
    _import(library)
    rows, generation = _rows(library), library.reader.generation()
    written = _import(library, name="again.txt")  # same sha256 as the first
    assert written.added == [] and written.merged == [] and len(written.unchanged) == 3
    assert _rows(library) == rows
    assert library.reader.generation() == generation  # the index has nothing to follow


def test_other_content_with_known_papers_is_provenance_only(library: Library):
    _import(library)
    generation = library.reader.generation()
    keys, arxiv_ids = known_lookup(PAPERS)
    changes = split_for_write(
        plan_papers(PAPERS, library.reader.find_known(keys, arxiv_ids), lambda: -1),
        library.reader.find_known(keys, arxiv_ids),
    )
    other = SourceFile(path="/d/b.txt", name="b.txt", size=2, sha256="cd", modified_at=utcnow())
    library.write_import(other, library.next_batch(), changes)
    assert _rows(library) == (2, 6)
    assert library.reader.generation() == generation


def test_an_import_decides_with_the_library_locked_for_writing(library: Library):
    seen: list[str] = []

    def decide():
        # Another process trying to write now has to wait: nothing can change
        # between this decision and the write.
        other = sqlite3.connect(library.db_path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            seen.append(str(exc))
        finally:
            other.close()
        keys, arxiv_ids = known_lookup(PAPERS)
        return split_for_write(
            plan_papers(PAPERS, library.reader.find_known(keys, arxiv_ids), lambda: -1),
            library.reader.find_known(keys, arxiv_ids),
        )

    written = library.write_import(_source(), library.next_batch(), decide)
    assert seen == ["database is locked"]
    assert len(written.added) == 3


def test_a_full_disk_and_a_damaged_file_are_said_in_words(tmp_path: Path):
    import errno

    from readinglist.errors import DamagedLibraryError, DiskFullError, library_problem

    db = tmp_path / "library.sqlite3"
    full = library_problem(OSError(errno.ENOSPC, "No space left on device"), db)
    assert isinstance(full, DiskFullError) and "the disk is full" in str(full)
    broken = tmp_path / "broken.sqlite3"
    conn = sqlite3.connect(broken)
    conn.execute("CREATE TABLE t (a)")
    conn.close()
    header = broken.read_bytes()[:100]
    broken.write_bytes(header + b"\x01" * 8000)  # the header says pages the rest is not
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(broken).execute("SELECT * FROM t").fetchall()
    damaged = library_problem(caught.value, db)
    assert isinstance(damaged, DamagedLibraryError)
    assert "readinglist check --repair" in str(damaged)
