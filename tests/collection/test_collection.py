"""Library and index in step: every change is searchable at once, and a
missing, damaged or stale index is rebuilt from the library on open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readinglist.collection import Collection
from readinglist.errors import NotFoundError, QueryError
from readinglist.paths import INDEX_DIR_NAME


@pytest.fixture
def folder(tmp_path: Path, dump_paths) -> Path:
    lib = tmp_path / "lib"
    collection = Collection.open(lib)
    collection.import_paths(dump_paths[:2])
    collection.close()
    return lib


@pytest.fixture
def collection(folder: Path):
    opened = Collection.open(folder)
    yield opened
    opened.close()


def _ids(collection: Collection, query: str) -> set[int]:
    return {hit.id for hit in collection.search(query, limit=None, highlight=False).hits}


def test_status_tags_and_notes_are_searchable_at_once(collection: Collection):
    paper_id = next(iter(_ids(collection, "title:frozen")))
    assert paper_id not in _ids(collection, "status:read")
    collection.mark([paper_id], "read")
    assert paper_id in _ids(collection, "status:read")
    collection.add_tags([paper_id], ["vision-encoders"])
    assert _ids(collection, "tag:vision-encoders") == {paper_id}
    collection.set_note(paper_id, "Reminds me of Düsseldorf workshop")
    assert _ids(collection, "note:dusseldorf") == {paper_id}
    collection.remove_tags([paper_id], ["vision-encoders"])
    assert _ids(collection, "tag:vision-encoders") == set()


def test_delete_leaves_the_index_and_restore_returns(collection: Collection):
    paper_id = next(iter(_ids(collection, "title:frozen")))
    deleted = collection.delete([paper_id])
    assert paper_id not in _ids(collection, "title:frozen")
    collection.restore(deleted)
    assert paper_id in _ids(collection, "title:frozen")


def test_undo_of_reader_changes_follows_in_the_index(collection: Collection):
    ids = sorted(_ids(collection, "transformer"))[:3]
    states = collection.states(ids)
    collection.add_tags(ids, ["batch"])
    collection.restore_states(states)
    assert _ids(collection, "tag:batch") == set()


def test_missing_index_is_rebuilt_on_open_with_progress(folder: Path):
    shutil.rmtree(folder / INDEX_DIR_NAME)
    calls: list[tuple[int, int]] = []
    collection = Collection.open(folder, progress=lambda done, total: calls.append((done, total)))
    try:
        assert calls and calls[-1][0] == calls[-1][1] == collection.reader.count()
        assert _ids(collection, "title:frozen")
    finally:
        collection.close()


def test_damaged_index_is_rebuilt_on_open(folder: Path):
    for file in (folder / INDEX_DIR_NAME).iterdir():
        if file.is_file():
            file.write_bytes(b"garbage" * 10)
    collection = Collection.open(folder)
    try:
        assert collection.index_is_current()
        assert _ids(collection, "title:frozen")
    finally:
        collection.close()


def test_index_behind_the_library_is_rebuilt_on_open(folder: Path, dump_paths):
    # A change written to the library while the index could not follow
    # (a crash between the two) leaves the index one generation behind.
    collection = Collection(folder)
    paper_id = collection.list_ids()[0]
    collection.library.set_note(paper_id, "written only to the library")
    collection.close()
    reopened = Collection.open(folder)
    try:
        assert paper_id in _ids(reopened, 'note:"written only"')
    finally:
        reopened.close()


def test_check_reports_and_repairs_the_index(folder: Path):
    shutil.rmtree(folder / INDEX_DIR_NAME)
    collection = Collection(folder)
    try:
        report = collection.check()
        assert report.problems and not report.ok
        repaired = collection.check(repair=True)
        assert repaired.ok and repaired.repaired
        assert collection.check().problems == []
    finally:
        collection.close()


def test_similar_papers_exclude_the_paper_itself(collection: Collection):
    paper_id = next(iter(_ids(collection, "title:frozen")))
    similar = collection.similar(paper_id, limit=5)
    assert similar and paper_id not in [p.id for p, _ in similar]
    with pytest.raises(NotFoundError):
        collection.similar(10**6)


def test_query_filters_combine_with_views(collection: Collection):
    ranked = collection.list_ids(query="transformer", sort=None)
    assert ranked[:5] == [h.id for h in collection.search("transformer", limit=5).hits]
    with pytest.raises(QueryError):
        collection.list_ids(query="title:(unbalanced")


def test_export_selection_defaults_to_papers_with_notes(collection: Collection, tmp_path: Path):
    ids = collection.list_ids()[:3]
    collection.set_note(ids[0], "first")
    collection.set_note(ids[1], "second")
    collection.add_tags([ids[1]], ["keep"])
    assert {p.id for p in collection.select_for_export()} == {ids[0], ids[1]}
    assert [p.id for p in collection.select_for_export(tags=["keep"])] == [ids[1]]
    assert len(collection.select_for_export(everything=True)) == collection.reader.count()
    report = collection.export(collection.select_for_export(), tmp_path / "vault")
    assert len(report.written) == 2


def test_saved_search_refuses_a_bad_query(collection: Collection):
    with pytest.raises(QueryError):
        collection.save_search("broken", 'title:"unclosed')
    assert collection.saved_searches() == []


def test_search_listing_leaves_out_papers_the_index_still_has(folder: Path):
    # Another process removed a paper; this index has not followed yet.
    import sqlite3

    from readinglist.library.reader import PaperFilter
    from readinglist.paths import DATABASE_NAME

    collection = Collection.open(folder)
    ranked = collection.list_ids(query="transformer", sort=None)
    assert len(ranked) > 3
    gone = ranked[1]
    with sqlite3.connect(folder / DATABASE_NAME) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM paper WHERE id = ?", (gone,))
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.close()
    assert collection.index.ranked_ids("transformer") == ranked  # the index lags
    assert collection.list_ids(query="transformer", sort=None) == [i for i in ranked if i != gone]
    unread = collection.list_ids(PaperFilter(status="unread"), query="transformer", sort=None)
    assert unread == [i for i in ranked if i != gone]  # all unread, still in rank order
    collection.close()


def test_check_says_what_is_in_order(collection: Collection):
    report = collection.check()
    assert report.ok and report.problems == [] and report.repaired == []
    assert report.fine == [
        "the library file is in order",
        f"the search index is in step with the library ({collection.reader.count()} papers)",
    ]


def test_a_large_write_reaches_the_index_in_chunks(tmp_path: Path, dump_paths, monkeypatch):
    import readinglist.collection as collection_module

    monkeypatch.setattr(collection_module, "_FOLLOW_CHUNK", 50)  # 413 papers: nine commits
    collection = Collection.open(tmp_path / "chunked")
    try:
        report = collection.import_paths(dump_paths)
        assert report.added == 413 and report.index_error is None
        assert collection.index_is_current()
        assert collection.index.doc_count() == 413
        for paper_id in (report.changed_ids[0], report.changed_ids[-1]):
            title = collection.get(paper_id).title
            words = " ".join(w for w in title.split() if w.isalpha())
            assert paper_id in _ids(collection, words)
    finally:
        collection.close()
