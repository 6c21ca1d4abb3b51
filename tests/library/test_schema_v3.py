"""Schema version 3: the site's fields, upvote history, and upgrades from older files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from testdata import LIBRARY_DATA

from readinglist.errors import LibraryError
from readinglist.library.columns import METADATA_COLUMNS, PAPER_COLUMNS
from readinglist.library.importing import known_lookup, plan_papers, split_for_write
from readinglist.library.reader import SCHEMA_VERSION
from readinglist.library.tables import ImportFileRow
from readinglist.library.writes import Library, SourceFile
from readinglist.papers import ParsedPaper

DATA = LIBRARY_DATA

SITE_PAPER = ParsedPaper(
    title="Continuous Latent Diffusion Language Model",
    abstract="Large language models have achieved remarkable success under the "
    "autoregressive paradigm.",
    authors=11,
    organisation="ByteDance Seed",
    published=date(2026, 5, 7),
    published_text="May 7",
    year_inferred=True,
    upvotes=68,
    arxiv_id="2605.06548",
    author_names=(
        *("Hongcan Guo", "Qinyu Zhao", "Yian Zhao", "Shen Nie", "Rui Zhu", "Qiushan Guo"),
        *("Feng Wang", "Tao Yang", "Hengshuang Zhao", "Guoqiang Wei", "Yan Zeng"),
    ),
    comments=6,
    submitter="taesiri",
    github_url="https://github.com/example/cola-dlm",
    github_stars=12,
    summary="Cola DLM presents a hierarchical latent diffusion language model.",
    year_source="page",
    incomplete=True,
)


def _open_fixture(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    con = sqlite3.connect(folder / "library.sqlite3")
    con.executescript((DATA / name).read_text())
    con.close()
    return folder


def _columns(db: Path, table: str) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
    finally:
        con.close()


def _import(library: Library, papers, *, name="a.json", when=None, page_date=None):
    keys, arxiv_ids = known_lookup(papers)
    placeholder = iter(range(-1, -1000, -1))
    planned = plan_papers(
        papers, library.reader.find_known(keys, arxiv_ids), lambda: next(placeholder)
    )
    changes = split_for_write(planned, library.reader.find_known(keys, arxiv_ids))
    source = SourceFile(
        path=f"/dumps/{name}",
        name=name,
        size=1,
        sha256="ab",
        modified_at=when or datetime(2026, 5, 8, 12, 0, tzinfo=UTC),
        page_date=page_date,
        form="site-json",
    )
    return library.write_import(source, library.next_batch(), changes)


def test_a_new_file_has_the_tables_of_schema_3(tmp_path: Path):
    library = Library(tmp_path / "lib")
    library.close()
    db = tmp_path / "lib" / "library.sqlite3"
    assert SCHEMA_VERSION >= 3
    assert _columns(db, "paper") == list(PAPER_COLUMNS)
    assert _columns(db, "upvote_seen") == [
        "id",
        "paper_id",
        "upvotes",
        "seen_at",
        "import_file_id",
        "source",
    ]
    assert "page_date" in _columns(db, "import_file")


def test_every_new_field_is_written_and_read_back(tmp_path: Path):
    library = Library(tmp_path / "lib")
    try:
        (paper_id,) = _import(library, [SITE_PAPER]).added
        paper = library.reader.get(paper_id)
        for name in METADATA_COLUMNS:
            assert getattr(paper, name) == getattr(SITE_PAPER, name), name
        assert paper.url == "https://huggingface.co/papers/2605.06548"
        assert paper.arxiv_url == "https://arxiv.org/abs/2605.06548"
        assert paper.to_json()["author_names"] == list(SITE_PAPER.author_names)
    finally:
        library.close()


def test_arxiv_ids_are_unique_where_given(tmp_path: Path):
    library = Library(tmp_path / "lib")
    library.close()
    con = sqlite3.connect(tmp_path / "lib" / "library.sqlite3")
    insert = (
        "INSERT INTO paper (title_key, title, abstract, year_inferred, status, note, added_at, "
        "arxiv_id) VALUES (?, ?, '', 0, 'unread', '', '2026-01-01', ?)"
    )
    con.execute(insert, ("a", "A", None))
    con.execute(insert, ("b", "B", None))  # many papers have no id
    con.execute(insert, ("c", "C", "2407.21783"))
    with pytest.raises(sqlite3.IntegrityError):
        con.execute(insert, ("d", "D", "2407.21783"))
    con.close()


def test_upgrade_from_a_version_2_file_keeps_everything(tmp_path: Path):
    folder = _open_fixture(tmp_path, "library_v2.sql")
    library = Library(folder)
    try:
        assert library.found_version == 2
        assert library.reader.schema_version() == SCHEMA_VERSION
        assert _columns(library.db_path, "paper") == list(PAPER_COLUMNS)
        assert _columns(library.db_path, "import_file") == [
            c.name for c in ImportFileRow.__table__.columns
        ]
        first, llama, reactive = library.reader.get_many([1, 2, 3])
        assert first.title == "Universal Transformers" and first.authors == 5
        assert (first.status, first.note, first.tags) == ("read", "Loved it", ["Transformers"])
        assert llama.tags == ["llm", "Transformers"]
        assert reactive.organisation == "ReactiveAI Reactive AI"
        assert [s.name for s in library.reader.saved_searches()] == ["transformers"]
        # The new fields are empty, and the year's source is told by the old flag.
        assert first.arxiv_id is None and first.author_names == () and not first.incomplete
        assert (first.year_source, llama.year_source, reactive.year_source) == (
            "text",
            "file",
            None,
        )
        # The counts the library kept start the upvote history, dated by their file.
        history = library.reader.upvote_history(2)
        assert [(h.upvotes, h.source) for h in history] == [(94, "2024-08-01.txt")]
        assert history[0].seen_at == datetime(2024, 8, 1, 9, 0, tzinfo=UTC)
        assert library.reader.upvote_history(3) == []
    finally:
        library.close()


def test_an_upgraded_file_takes_the_new_fields_and_dedups_by_arxiv_id(tmp_path: Path):
    folder = _open_fixture(tmp_path, "library_v2.sql")
    library = Library(folder)
    try:
        seen = ParsedPaper(
            "The Llama 3 Herd of Models",
            "Modern artificial intelligence (AI) systems are powered by foundation models.",
            upvotes=120,
            arxiv_id="2407.21783",
            author_names=("Abhimanyu Dubey", "Abhinav Jauhri"),
        )
        written = _import(library, [seen], when=datetime(2024, 8, 3, tzinfo=UTC))
        assert written.merged == [2] and written.added == []
        llama = library.reader.get(2)
        assert llama.arxiv_id == "2407.21783" and llama.upvotes == 120 and llama.authors == 2
        assert llama.tags == ["llm", "Transformers"]  # the reader's part stays
        assert [h.upvotes for h in library.reader.upvote_history(2)] == [94, 120]
    finally:
        library.close()


def test_upgrade_from_version_1_goes_through_2_to_3(tmp_path: Path):
    folder = _open_fixture(tmp_path, "library_v1.sql")
    library = Library(folder)
    try:
        assert library.found_version == 1
        assert library.reader.schema_version() == SCHEMA_VERSION
        paper = library.reader.get(1)
        assert (paper.title, paper.status, paper.note) == (
            "Universal Transformers",
            "read",
            "Loved it",
        )
        assert paper.tags == ["Transformers"] and paper.year_source == "text"
        library.save_search("transformers", "title:transformer")  # version 2's table
        assert [h.upvotes for h in library.reader.upvote_history(1)] == [1]  # version 3's
        assert _columns(library.db_path, "paper") == list(PAPER_COLUMNS)
    finally:
        library.close()


def test_an_interrupted_upgrade_runs_again_cleanly(tmp_path: Path):
    # DDL is not transactional through the driver: a crash can leave some
    # columns added with the version still 2. The upgrade starts over.
    folder = _open_fixture(tmp_path, "library_v2.sql")
    con = sqlite3.connect(folder / "library.sqlite3")
    con.execute("ALTER TABLE paper ADD COLUMN arxiv_id VARCHAR")
    con.close()
    library = Library(folder)
    try:
        assert library.found_version == 2
        assert _columns(library.db_path, "paper") == list(PAPER_COLUMNS)
        assert library.reader.count() == 3
    finally:
        library.close()


def test_a_file_with_a_newer_schema_is_left_as_it_was(tmp_path: Path):
    folder = tmp_path / "newer"
    library = Library(folder)
    _import(library, [SITE_PAPER])
    library.close()
    db = folder / "library.sqlite3"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    before = list(con.iterdump())
    con.close()
    with pytest.raises(LibraryError, match="newer readinglist"):
        Library(folder)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert list(con.iterdump()) == before
    con.close()
