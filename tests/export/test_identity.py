"""Vault files are matched to papers by a stable identity, not by a library's row ids.

Two libraries of the same five dumps, imported in opposite orders (as on two
computers), give most papers other row ids. Each must find and update its
own papers' files in one vault. Vaults written before identities existed
(row ids in the front matter and in the record) are still read.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from testdata import WILD, dump_files

from readinglist.collection import Collection
from readinglist.export.filenames import CaseInsensitiveNames, portable_name
from readinglist.export.frontmatter import render_front_matter, split_front_matter
from readinglist.export.identity import paper_identity, title_identity
from readinglist.export.vault import (
    END_MARKER,
    MANIFEST_NAME,
    ExportReport,
    export_notes,
    render_paper_block,
)
from readinglist.papers import Paper

PAPERS = 413
NOW = datetime(2025, 4, 21, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 4, 22, 8, 30, tzinfo=UTC)
DAILY_HTML = WILD / "daily_2024-08-01.html"
DAILY_COPY = WILD / "renderings" / "daily_2024-08-01.chromium.txt"


def make_library(folder: Path, files: list[Path]) -> Path:
    collection = Collection.open(folder)
    try:
        collection.import_paths(files)
    finally:
        collection.close()
    return folder


def papers_of(folder: Path) -> list[Paper]:
    collection = Collection.open(folder)
    try:
        return collection.select_for_export(everything=True)
    finally:
        collection.close()


@pytest.fixture(scope="module")
def first_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("first"), dump_files())


@pytest.fixture(scope="module")
def second_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("second"), dump_files()[::-1])


@pytest.fixture(scope="module")
def first(first_library: Path) -> list[Paper]:
    return papers_of(first_library)


@pytest.fixture(scope="module")
def second(second_library: Path) -> list[Paper]:
    return papers_of(second_library)


def by_title(papers: list[Paper]) -> dict[str, Paper]:
    return {paper.title: paper for paper in papers}


def with_note(papers: list[Paper], title: str, note: str) -> list[Paper]:
    """The papers, the one titled `title` carrying `note` (copies: fixtures are shared)."""
    from dataclasses import replace

    return [replace(p, note=note) if p.title == title else replace(p) for p in papers]


def front_matter(path: Path) -> dict:
    fields, _ = split_front_matter(path.read_text("utf-8"))
    assert fields is not None, path
    return fields


def notes(vault: Path) -> list[Path]:
    return sorted(vault.glob("*.md"))


def holder(vault: Path) -> dict[str, str]:
    """File name -> the title of the paper the file holds."""
    return {path.name: front_matter(path)["title"] for path in notes(vault)}


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def assert_every_file_holds_its_paper(vault: Path, papers: list[Paper]) -> None:
    """One file per paper, named after it, carrying its identity; no '(2)' files."""
    identities = {paper_identity(paper): paper for paper in papers}
    seen = set()
    for path in notes(vault):
        fields = front_matter(path)
        paper = identities[fields["paper-id"]]
        assert fields["title"] == paper.title
        assert "readinglist-id" not in fields
        seen.add(fields["paper-id"])
    assert len(seen) == len(notes(vault)) == len(papers)
    assert not [p for p in notes(vault) if re.search(r" \(\d+\)\.md$", p.name)]


# --- two libraries, one vault ----------------------------------------------------------


def test_the_second_library_numbers_the_papers_otherwise(first, second) -> None:
    # What makes the rest of this module a test: the row ids disagree.
    ids = by_title(second)
    assert len(first) == len(second) == PAPERS
    other = [paper for paper in first if ids[paper.title].id != paper.id]
    assert len(other) > PAPERS * 0.9


def test_a_second_library_exporting_into_a_copy_of_the_vault_finds_every_file(
    first_library: Path, second_library: Path, second: list[Paper], tmp_path: Path
) -> None:
    vault, copy = tmp_path / "vault", tmp_path / "copy"
    command = [sys.executable, "-m", "readinglist", "--library"]
    done = subprocess.run(
        [*command, str(first_library), "export", "--all", "--out", str(vault)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        done.stdout.strip()
        == f"{PAPERS} paper(s): {PAPERS} written, 0 updated, 0 unchanged, 0 skipped"
    )
    mine = notes(vault)[::40]
    for path in mine:
        append(path, f"\nMy thoughts on {front_matter(path)['title']}\n")
    before = holder(vault)
    shutil.copytree(vault, copy)

    done = subprocess.run(
        [*command, str(second_library), "export", "--all", "--out", str(copy), "--json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # The same papers with the same data: nothing to change, whatever the row ids.
    assert report == {
        "schema": 1,
        "selected": PAPERS,
        "written": [],
        "updated": [],
        "unchanged": report["unchanged"],
        "skipped": [],
    }
    assert len(report["unchanged"]) == PAPERS
    assert holder(copy) == before
    for path in mine:
        assert (
            (copy / path.name)
            .read_text("utf-8")
            .endswith(f"{END_MARKER}\n\nMy thoughts on {before[path.name]}\n")
        )
    assert_every_file_holds_its_paper(copy, second)


def test_each_library_updates_the_files_of_its_own_papers(
    first: list[Paper], second: list[Paper], tmp_path: Path
) -> None:
    titles = sorted(by_title(first))
    mine, theirs = titles[10], titles[200]
    ours = with_note(first, mine, "Read on the first computer.")
    others = with_note(second, theirs, "Read on the second computer.")
    vault = tmp_path / "vault"
    report = export_notes(ours, vault, now=NOW)
    assert len(report.written) == PAPERS
    names = {front_matter(p)["title"]: p for p in notes(vault)}
    for title in (mine, theirs):
        append(names[title], f"\nKept below the marker: {title}\n")

    report = export_notes(others, vault, now=LATER)
    assert report.skipped == [] and report.written == []
    # The second library has no note on `mine` and one on `theirs`.
    assert sorted(report.updated) == sorted([names[mine], names[theirs]])
    assert "Read on the second computer." in names[theirs].read_text("utf-8")
    assert "Read on the first computer." not in names[mine].read_text("utf-8")

    report = export_notes(ours, vault, now=LATER)
    assert report.skipped == [] and report.written == []
    assert sorted(report.updated) == sorted([names[mine], names[theirs]])
    assert "Read on the first computer." in names[mine].read_text("utf-8")
    for title in (mine, theirs):
        text = names[title].read_text("utf-8")
        assert front_matter(names[title])["title"] == title
        assert text.endswith(f"{END_MARKER}\n\nKept below the marker: {title}\n")
    assert_every_file_holds_its_paper(vault, first)


def test_a_paper_known_by_arxiv_id_in_one_library_and_by_title_in_another(
    tmp_path: Path,
) -> None:
    site = papers_of(make_library(tmp_path / "site", [DAILY_HTML]))
    copied = tmp_path / "copied"
    text = papers_of(make_library(copied, [DAILY_COPY]))
    assert len(site) == len(text) == 13
    assert all(p.arxiv_id for p in site) and not any(p.arxiv_id for p in text)
    vault = tmp_path / "vault"
    export_notes(site, vault, now=NOW)
    names = holder(vault)
    for path in notes(vault):
        append(path, "\nmine\n")

    # Without the ids the papers are found by their titles...
    report = export_notes(text, vault, now=LATER)
    assert report.written == [] and report.skipped == [] and len(report.updated) == 13
    assert holder(vault) == names
    assert {front_matter(p)["paper-id"] for p in notes(vault)} == {
        title_identity(p.title) for p in text
    }
    # ...and once the library learns the ids, by those again.
    gained = papers_of(make_library(copied, [DAILY_HTML]))
    assert all(p.arxiv_id for p in gained)
    report = export_notes(gained, vault, now=LATER)
    assert report.written == [] and report.skipped == []
    assert holder(vault) == names
    assert {front_matter(p)["paper-id"] for p in notes(vault)} == {
        f"arxiv:{p.arxiv_id}" for p in site
    }
    assert all(p.read_text("utf-8").endswith(f"{END_MARKER}\n\nmine\n") for p in notes(vault))


# --- vaults written before identities ----------------------------------------------------


def old_front_matter(paper: Paper, exported: datetime) -> dict:
    """The front matter as exports wrote it before identities: the row id, no paper-id."""
    read_at = paper.read_at
    return {
        "title": paper.title,
        "authors": paper.authors,
        "organisation": paper.organisation,
        "published": paper.published,
        "upvotes": paper.upvotes,
        "tags": list(paper.tags),
        "status": paper.status,
        "read": read_at.date() if read_at else None,
        "readinglist-id": paper.id,
        "exported": exported,
    }


def write_old_vault(papers: list[Paper], folder: Path) -> dict[int, str]:
    """A vault as the code before identities left it (format 1 record); row id -> file."""
    folder.mkdir()
    taken = CaseInsensitiveNames()
    record, files = {}, {}
    for paper in papers:
        name = portable_name(paper.title, taken=taken)
        taken.add(name)
        text = render_front_matter(old_front_matter(paper, NOW)) + render_paper_block(paper)
        (folder / name).write_text(text, "utf-8")
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        record[str(paper.id)] = {
            "file": name,
            "sha256": sha,
            "owned_sha256": sha,
            "exported": NOW.isoformat(),
        }
        files[paper.id] = name
    manifest = {"format": 1, "papers": record, "combined": {}}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), "utf-8")
    return files


def assert_gained_identities(report: ExportReport, vault: Path, papers: list[Paper]) -> None:
    assert report.written == [] and report.skipped == []
    assert len(report.updated) == PAPERS
    assert_every_file_holds_its_paper(vault, papers)
    data = json.loads((vault / MANIFEST_NAME).read_text("utf-8"))
    assert data["format"] == 2
    assert set(data["papers"]) == {paper_identity(paper) for paper in papers}


def test_an_old_vault_gains_identities_from_the_library_that_wrote_it(
    first: list[Paper], tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    files = write_old_vault(first, vault)
    kept = [vault / files[paper.id] for paper in first[::60]]
    for path in kept:
        append(path, "\nmy own words\n")

    report = export_notes(first, vault, now=LATER)
    assert_gained_identities(report, vault, first)
    assert all(path.read_text("utf-8").endswith(f"{END_MARKER}\n\nmy own words\n") for path in kept)
    assert len(export_notes(first, vault, now=LATER).unchanged) == PAPERS


def test_an_old_vault_is_matched_by_title_in_another_library(
    first: list[Paper], second: list[Paper], tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    files = write_old_vault(first, vault)
    before = holder(vault)
    # The trap of row ids: the second library's paper with a first-library
    # row id is, for most ids, another paper.
    clash = by_title(second)
    moved = [p for p in first if clash[p.title].id != p.id]
    assert moved
    for paper in moved[:5]:
        append(vault / files[paper.id], f"\nabout {paper.title}\n")

    report = export_notes(second, vault, now=LATER)
    assert_gained_identities(report, vault, second)
    assert holder(vault) == before
    for paper in moved[:5]:
        text = (vault / files[paper.id]).read_text("utf-8")
        assert text.endswith(f"{END_MARKER}\n\nabout {paper.title}\n")


def test_an_old_vault_without_its_record_is_recognised_by_its_layout(
    first: list[Paper], tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    write_old_vault(first, vault)
    (vault / MANIFEST_NAME).unlink()
    before = holder(vault)
    report = export_notes(first, vault, now=LATER)
    assert_gained_identities(report, vault, first)
    assert holder(vault) == before


def test_an_edit_in_an_old_vault_is_still_an_edit(first: list[Paper], tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    files = write_old_vault(first, vault)
    edited = vault / files[first[0].id]
    text = edited.read_text("utf-8").replace(END_MARKER, "my line inside\n" + END_MARKER)
    edited.write_text(text, "utf-8")

    report = export_notes(first, vault, now=LATER)
    assert [path for path, _ in report.skipped] == [edited]
    assert "edited in the vault" in report.skipped[0][1]
    assert len(report.updated) == PAPERS - 1
    assert edited.read_text("utf-8") == text
    assert len(notes(vault)) == PAPERS


# --- identities and matching -------------------------------------------------------------


def test_the_identity_is_the_arxiv_id_else_the_normalised_title() -> None:
    assert paper_identity(Paper(1, "Any", "", arxiv_id="2407.21783")) == "arxiv:2407.21783"
    plain = paper_identity(Paper(1, "Transformer-XL:  Attentive Language Models", ""))
    assert re.fullmatch(r"title:[0-9a-f]{16}", plain)
    assert plain == title_identity("transformer xl attentive language models")
    assert plain == title_identity("Transformer–XL: Attentive Language Models")  # en dash
    assert plain != title_identity("Transformer-XL: Attentive Language Models v2")


def test_stronger_marks_are_matched_first_whatever_the_order() -> None:
    from readinglist.export.identity import Identity, match_all

    # The first paper could take the record by its title; the second one's
    # arXiv id names it, and wins.
    record = Identity("arxiv:1", "1", "title:aaaa")
    papers = [Identity("title:aaaa", None, "title:aaaa", 7), Identity("arxiv:1", "1", "title:aaaa")]
    assert match_all(papers, [record]) == [None, 0]
    assert match_all(papers, [Identity("title:aaaa", None, "title:aaaa"), record]) == [0, 1]
    # A paper that gained its arXiv id finds the file it had by its title...
    assert match_all(
        [Identity("arxiv:2", "2", "title:bbbb")], [Identity("title:bbbb", None, "title:bbbb")]
    ) == [0]
    # ...but two arXiv ids are two papers, whatever their titles.
    assert match_all(
        [Identity("arxiv:2", "2", "title:bbbb")], [Identity("arxiv:3", "3", "title:bbbb")]
    ) == [None]
    # A row id counts only for old records that name nothing else.
    old = [Identity(row=7), Identity("title:cccc", None, "title:cccc", 7)]
    assert match_all([Identity("title:dddd", None, "title:dddd", 7)], old) == [0]
    assert match_all([Identity("title:dddd", None, "title:dddd", 7)], old[1:]) == [None]
    # Each record goes to one paper only.
    twice = [
        Identity("title:eeee", None, "title:eeee", 1),
        Identity("title:eeee#2", None, "title:eeee", 2),
    ]
    assert match_all(twice, [Identity("title:eeee", None, "title:eeee")]) == [0, None]
