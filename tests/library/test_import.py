"""Import of the real dumps through the collection: library and index together."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from readinglist.collection import Collection
from readinglist.library.reader import PaperFilter


@pytest.fixture
def collection(tmp_path: Path):
    opened = Collection.open(tmp_path / "lib")
    yield opened
    opened.close()


def _snapshot(collection: Collection) -> tuple:
    """What a bad input must leave as it was."""
    return (collection.reader.generation(), collection.reader.count(), collection.stats().tags)


def test_the_five_dumps_hold_413_distinct_papers(collection: Collection, dump_paths):
    report = collection.import_paths(dump_paths)
    assert [f.error for f in report.files] == [None] * 5
    assert sum(f.found for f in report.files) == 483
    assert report.added == 413
    assert collection.reader.count() == 413
    first = collection.get(collection.list_ids(sort="added")[0])
    assert first.title  # every paper has a title and an abstract
    frozen = collection.search('title:"Frozen Transformers"').hits
    paper = collection.get(frozen[0].id)
    assert (
        paper.title == "Frozen Transformers in Language Models Are Effective Visual Encoder Layers"
    )


def test_importing_twice_adds_nothing(collection: Collection, dump_paths):
    collection.import_paths(dump_paths)
    count = collection.reader.count()
    again = collection.import_paths(dump_paths)
    assert again.added == 0 and again.merged == 0
    # A paper listed twice in a file is found once there.
    assert again.unchanged == sum(f.found for f in again.files)
    assert collection.reader.count() == count


def test_known_paper_gains_metadata_but_keeps_the_readers_part(tmp_path: Path, collection):
    bare = tmp_path / "bare.txt"
    bare.write_text("Universal Transformers\n\nRecurrent neural networks process data.\n")
    rich = tmp_path / "rich.txt"
    rich.write_text(
        "Universal Transformers\n\nRecurrent neural networks process data.\n\n"
        "  • 5 authors\n·\nJul 10, 2018 7\n"
    )
    fewer_votes = tmp_path / "fewer.txt"
    fewer_votes.write_text(
        "Universal Transformers\n\nRecurrent neural networks process data.\n\n"
        "  • 5 authors\n·\nJul 10, 2018 2\n"
    )
    collection.import_paths([bare])
    (paper_id,) = collection.list_ids()
    collection.mark([paper_id], "read")
    collection.set_note(paper_id, "my note")
    collection.add_tags([paper_id], ["seminal"])

    report = collection.import_paths([rich])
    assert (report.added, report.merged) == (0, 1)
    paper = collection.get(paper_id)
    assert paper.authors == 5 and paper.upvotes == 7 and paper.published.year == 2018
    assert (paper.status, paper.note, paper.tags) == ("read", "my note", ["seminal"])

    report = collection.import_paths([fewer_votes])
    assert report.unchanged == 1
    assert collection.get(paper_id).upvotes == 7  # the highest count seen is kept


def test_date_without_year_resolves_against_the_file_time(tmp_path: Path, collection):
    dump = tmp_path / "d.txt"
    dump.write_text("A Paper\n\nAn abstract that is long enough.\n\n  • 2 authors\n·\nDec 30\n")
    snapshot = 1_700_000_000  # 2023-11-14: Dec 30 is then in 2022
    os.utime(dump, (snapshot, snapshot))
    collection.import_paths([dump])
    paper = collection.get(collection.list_ids()[0])
    assert paper.published.isoformat() == "2022-12-30"
    assert paper.year_inferred and paper.published_text == "Dec 30"


def test_provenance_names_each_file(collection: Collection, dump_paths):
    collection.import_paths(dump_paths[:1])
    paper_id = collection.list_ids()[0]
    (source,) = collection.reader.sources(paper_id)
    assert source.name == dump_paths[0].name
    assert len(source.sha256) == 64 and source.outcome == "added"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 300, "binary"),
        ("chrome-only.txt", b"new\n\nSubscribe\n\nDaily Papers\n", "no papers"),
    ],
)
def test_bad_file_is_named_with_its_reason_and_changes_nothing(
    tmp_path: Path, collection, dump_paths, name, content, reason
):
    collection.import_paths(dump_paths[:1])
    before = _snapshot(collection)
    bad = tmp_path / name
    bad.write_bytes(content)
    report = collection.import_paths([bad])
    (outcome,) = report.files
    assert outcome.path.endswith(name)
    assert reason in outcome.error
    assert _snapshot(collection) == before


def test_missing_path_and_empty_folder_are_reported(tmp_path: Path, collection):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    before = _snapshot(collection)
    report = collection.import_paths([tmp_path / "missing.txt", empty])
    errors = {Path(f.path).name: f.error for f in report.files}
    assert errors == {
        "missing.txt": "no such file or folder",
        "nothing-here": "no .txt, .md, .html or .json files in this folder",
    }
    assert _snapshot(collection) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported(tmp_path: Path, collection, dump_paths):
    locked = tmp_path / "locked.txt"
    shutil.copy(dump_paths[0], locked)
    locked.chmod(0)
    report = collection.import_paths([locked])
    assert "cannot read it" in report.files[0].error
    assert collection.reader.count() == 0


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path, collection, dump_paths):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff" * 500)
    report = collection.import_paths([dump_paths[0], bad, dump_paths[2]])
    assert [f.error is None for f in report.files] == [True, False, True]
    assert report.added > 0


def test_folders_are_searched_recursively(tmp_path: Path, collection, dump_paths):
    nested = tmp_path / "inbox" / "2025" / "april"
    nested.mkdir(parents=True)
    shutil.copy(dump_paths[0], nested / "a.txt")
    (nested / "b.md").write_bytes(dump_paths[3].read_bytes())
    (nested / "notes.pdf").write_bytes(b"%PDF-1.4 ignored inside folders")
    report = collection.import_paths([tmp_path / "inbox"])
    assert sorted(Path(f.path).name for f in report.files) == ["a.txt", "b.md"]
    assert all(f.error is None for f in report.files)


def test_encodings_and_line_ends_give_the_same_papers(tmp_path: Path, dump_paths):
    text = dump_paths[0].read_text(encoding="utf-8")
    variants = {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "utf16.txt": text.encode("utf-16"),
        "page.html": (
            "<html><head><style>p{}</style><script>var x = 1;</script></head><body>"
            + "".join(f"<p>{line}</p>" for line in text.split("\n"))
            + "</body></html>"
        ).encode("utf-8"),
    }
    titles = {}
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        collection = Collection.open(tmp_path / f"lib-{name}")
        collection.import_paths([tmp_path / name])
        titles[name] = [p.title for p in collection.get_many(collection.list_ids(sort="title"))]
        collection.close()
    reference = titles["utf8.txt"]
    assert len(reference) == 41
    for name, found in titles.items():
        assert found == reference, name


def test_preview_writes_nothing_and_unticked_papers_stay_out(collection, dump_paths):
    collection.import_paths(dump_paths[:1])
    before = _snapshot(collection)
    plan = collection.plan_import(dump_paths[:2])
    assert _snapshot(collection) == before
    first, second = plan.files
    assert {p.action for p in first.papers} == {"unchanged"}
    assert {p.action for p in second.papers} >= {"new"}
    new = [p for p in second.papers if p.action == "new"]
    for paper in new[1:]:
        paper.include = False
    report = collection.run_import(plan)
    assert report.added == 1
    assert collection.reader.count() == before[1] + 1


def test_clipboard_text_imports(collection, dump_paths):
    text = dump_paths[3].read_text(encoding="utf-8")
    plan = collection.plan_text(text)
    report = collection.run_import(plan)
    assert report.added == 78
    assert report.files[0].path == "clipboard"


def test_recently_imported_view_shows_the_last_batch(collection, dump_paths):
    collection.import_paths(dump_paths[3:4])
    collection.import_paths(dump_paths[4:5])
    recent = collection.list_ids(PaperFilter(last_import=True))
    assert len(recent) == 64
    assert collection.stats().last_import == 64


def test_a_plan_lets_go_of_the_files_bytes_once_read(collection, dump_paths):
    plan = collection.plan_import(dump_paths)
    assert all(f.data is None for f in plan.files)  # a folder of thousands stays small
    assert all(f.source is not None and len(f.source.sha256) == 64 for f in plan.files)
    assert collection.run_import(plan).added == 413


def test_file_by_file_import_adds_a_paper_seen_in_two_files_once(tmp_path, collection, dump_paths):
    # 000 and 002 share papers; each file is planned after the one before is written.
    report = collection.import_paths([dump_paths[0], dump_paths[2], dump_paths[0]])
    assert [f.error for f in report.files] == [None, None]  # a path named twice is read once
    second = report.files[1]
    assert second.unchanged + second.merged > 0
    assert collection.reader.count() == report.added


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_what_is_not_a_regular_file_is_named_and_never_opened(tmp_path, collection):
    from readinglist.library.importing import collect_files

    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    (planned,) = collect_files([pipe])
    assert planned.error == "not a regular file (a named pipe): skipped"
    report = collection.import_paths([pipe])  # returns: the pipe is never opened
    assert report.files[0].error == planned.error and report.failed
