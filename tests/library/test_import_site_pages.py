"""End to end on real captures of the site: the readers of its JSON and saved
pages, then the library (dedup by arXiv id, merges, page dates, upvote
history), through the collection and the CLI.

These need the readers of `readinglist/dumps/` for the site's JSON and
saved HTML; the last test also needs `read_dump` to hand its skipped blocks
over with a "no papers" error (see its marker).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from testdata import WILD

from readinglist.cli import main
from readinglist.collection import Collection
from readinglist.dumps import NO_PAPERS
from readinglist.paths import DATABASE_NAME

API_JSON = WILD / "daily_papers_api.json"
DAILY_HTML = WILD / "daily_2024-08-01.html"
# The same day's page as cards only (no data-props, no abstracts), and the
# search page's cards, which show the abstracts.
DAILY_CARDS = WILD / "html" / "daily_2024-08-01.cards.html"
SEARCH_CARDS = WILD / "html" / "search_2024-08-01.cards-with-abstracts.html"
EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))

NOT_PAPERS = (
    "Groceries for the weekend\n\n"
    "Milk, eggs and bread for the weekend, then call mom about the trip to the lake.\n\n"
    "- 2 kg apples\n- 1 kg pears\n- 12 eggs\n- 3 loaves\n1.\n2.\n42\n"
    "Books to return\n\n"
    "The library wants the two novels back by Friday, and the fine is a euro a day.\n"
)


@pytest.fixture
def collection(tmp_path: Path):
    opened = Collection.open(tmp_path / "lib")
    yield opened
    opened.close()


def copy(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(path, folder / path.name))


def rows(folder: Path, table: str) -> list[tuple]:
    with sqlite3.connect(folder / DATABASE_NAME) as conn:
        found = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    conn.close()
    return found


def by_arxiv(collection: Collection) -> dict[str, object]:
    return {p.arxiv_id: p for p in collection.get_many(collection.list_ids())}


def test_the_sites_json_imports_with_its_fields_once(collection: Collection):
    report = collection.import_paths([API_JSON])
    assert (report.added, report.files[0].error) == (3, None)
    papers = by_arxiv(collection)
    assert set(papers) == {"2605.05242", "2605.06548", "2605.06130"}
    beyond = papers["2605.05242"]
    assert beyond.upvotes == 86 and len(beyond.author_names) == 19 and beyond.authors == 19
    assert beyond.github_url == "https://github.com/DCI-Agent/DCI-Agent-Lite"
    assert beyond.github_stars == 101 and beyond.comments == 3
    assert beyond.abstract.startswith("Modern retrieval systems")
    (history,) = collection.upvote_history(beyond.id)
    assert history.upvotes == 86 and history.source == API_JSON.name
    (file_row,) = rows(collection.folder, "import_file")
    assert file_row[-1] == "site-json"
    page_date = file_row[-2]
    if page_date is not None:  # the JSON's own date dates the counts
        assert history.seen_at == datetime.combine(
            date.fromisoformat(page_date), datetime.min.time(), UTC
        )

    before = [rows(collection.folder, t) for t in ("paper", "upvote_seen")]
    again = collection.import_paths([API_JSON])
    assert (again.added, again.merged, again.unchanged) == (0, 0, 3)
    assert [rows(collection.folder, t) for t in ("paper", "upvote_seen")] == before


def test_the_saved_daily_page_gives_its_papers(collection: Collection):
    expected = EXPECTED[DAILY_HTML.name]
    report = collection.import_paths([DAILY_HTML])
    assert report.added == len(expected["titles"]) == 13
    papers = by_arxiv(collection)
    assert list(papers) == expected["arxiv_ids"]  # in page order
    assert [p.title for p in papers.values()] == expected["titles"]
    assert [p.upvotes for p in papers.values()] == expected["upvotes"]
    assert [p.authors for p in papers.values()] == expected["authors"]
    assert [bool(p.abstract) for p in papers.values()] == expected["has_abstract"]
    assert all(p.published is not None and p.year_source == "page" for p in papers.values())


def test_cards_without_abstracts_gain_them_from_a_later_page(collection: Collection):
    collection.import_paths([DAILY_CARDS])
    assert collection.reader.count() == 13
    assert {p.abstract for p in collection.get_many(collection.list_ids())} == {""}
    tora = by_arxiv(collection)["2407.21705"]
    assert {h.id for h in collection.search("title:tora").hits} == {tora.id}
    collection.mark([tora.id], "read")

    report = collection.import_paths([SEARCH_CARDS])
    assert (report.added, report.merged) == (0, 13)
    tora = collection.get(tora.id)
    assert tora.abstract.startswith("Recent advancements in Diffusion Transformer")
    assert tora.status == "read"
    assert tora.id in {h.id for h in collection.search("abstract:trajectory").hits}


def test_the_page_and_its_json_are_the_same_papers(collection: Collection):
    collection.import_paths([DAILY_CARDS])
    report = collection.import_paths([DAILY_HTML])
    assert report.added == 0 and report.merged + report.unchanged == 13
    llama = by_arxiv(collection)["2407.21783"]
    assert len(llama.author_names) == 533 and llama.abstract
    assert collection.reader.count() == 13


def test_cli_import_and_show_of_a_saved_page(capsys, tmp_path: Path):
    lib = str(tmp_path / "lib")
    saved = copy(DAILY_HTML, tmp_path / "saved")
    assert main(["--library", lib, "import", str(saved), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["added"] == 13 and result["files"][0]["skipped"] == []
    assert main(["--library", lib, "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["arxiv_id"] == "2407.21783"
    assert shown["url"] == "https://huggingface.co/papers/2407.21783"
    assert shown["upvote_history"] == [
        {"upvotes": 94, "seen_at": "2024-08-01T00:00:00+00:00", "source": saved.name}
    ]
    assert main(["--library", lib, "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "arXiv 2407.21783" in out and "and 528 more" in out


def test_a_file_without_papers_lists_what_it_skipped(capsys, tmp_path: Path):
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "import", str(API_JSON)]) == 0
    capsys.readouterr()
    before = rows(tmp_path / "lib", "paper")
    notes = tmp_path / "notes.txt"
    notes.write_text(NOT_PAPERS, encoding="utf-8")
    code, (out, err) = main(["--library", lib, "import", str(notes)]), capsys.readouterr()
    assert code == 1 and "0 added, 0 merged, 1 failed" in out
    first, second = err.splitlines()
    assert first == f"readinglist: {notes}: {NO_PAPERS}"
    assert second.startswith(f"readinglist: {notes}: skipped 3 blocks that do not read as papers:")
    assert '"Groceries for the weekend"' in second
    assert rows(tmp_path / "lib", "paper") == before
