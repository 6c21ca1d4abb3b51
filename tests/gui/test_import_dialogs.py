"""Import preview and summary over real plans of the dumps."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from testdata import DUMP_000, DUMP_002

from readinglist.collection import Collection
from readinglist.gui.dialogs.import_dialogs import (
    BADGE_COLUMN,
    KIND_ROLE,
    ImportPreviewDialog,
    ImportSummaryDialog,
    gains_text,
    show_import_summary,
    summary_headline,
)
from readinglist.library.importing import FileOutcome, ImportPlan, ImportReport


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Collection]:
    """A library that already holds dump 002."""
    collection = Collection.open(tmp_path / "lib")
    collection.import_paths([DUMP_002])
    yield collection
    collection.close()


@pytest.fixture
def plan(library: Collection, tmp_path: Path) -> ImportPlan:
    """Dump 000 (mostly new), dump 002 (all known), a binary and an empty file."""
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    return library.plan_import([DUMP_000, DUMP_002, binary, empty])


@pytest.fixture
def dialog(qtbot, plan: ImportPlan) -> ImportPreviewDialog:
    widget = ImportPreviewDialog(plan)
    qtbot.addWidget(widget)
    return widget


def _rows(dialog: ImportPreviewDialog, file_index: int) -> list:
    item = dialog.tree.topLevelItem(file_index)
    return [item.child(i) for i in range(item.childCount())]


def test_badges_say_what_each_paper_would_do(dialog: ImportPreviewDialog, plan: ImportPlan) -> None:
    assert dialog.tree.topLevelItemCount() == 4
    rows = _rows(dialog, 0)
    assert len(rows) == len(plan.files[0].papers)
    for row, planned in zip(rows, plan.files[0].papers, strict=True):
        assert row.text(0) == planned.paper.title
        if planned.action == "new":
            assert row.text(BADGE_COLUMN) == "New"
            assert row.checkState(0) == Qt.CheckState.Checked
        elif planned.action == "merge":
            assert row.text(BADGE_COLUMN).startswith("Gains: ")
            assert row.checkState(0) == Qt.CheckState.Checked
        else:
            assert row.text(BADGE_COLUMN) == "Already in library"
            assert not row.flags() & Qt.ItemFlag.ItemIsEnabled  # greyed
            assert not row.flags() & Qt.ItemFlag.ItemIsUserCheckable
    actions = {p.action for p in plan.files[0].papers}
    assert actions == {"new", "merge", "unchanged"}
    # Every paper of the dump already imported is known and greyed.
    assert {r.text(BADGE_COLUMN) for r in _rows(dialog, 1)} == {"Already in library"}
    assert not dialog.tree.topLevelItem(1).flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_failed_files_are_listed_with_their_reason(dialog: ImportPreviewDialog) -> None:
    for index, name in ((2, "photo.jpg"), (3, "empty.txt")):
        item = dialog.tree.topLevelItem(index)
        assert item.text(0) == name
        assert item.text(BADGE_COLUMN) == "Cannot be imported"
        [reason] = _rows(dialog, index)
        assert reason.text(0)  # the core's reason, e.g. "not a text file (binary data)"
    assert "2 files cannot be imported: photo.jpg, empty.txt." in dialog.details.text()


def test_totals_follow_the_ticks_and_are_written_back(
    dialog: ImportPreviewDialog, plan: ImportPlan
) -> None:
    papers = plan.files[0].papers
    new = sum(1 for p in papers if p.action == "new")
    merges = sum(1 for p in papers if p.action == "merge")
    assert dialog.totals.text() == f"Import {new} new and {merges} updated papers"
    assert dialog.import_button.isEnabled() and dialog.import_button.isDefault()

    first_new = next(i for i, p in enumerate(papers) if p.action == "new")
    _rows(dialog, 0)[first_new].setCheckState(0, Qt.CheckState.Unchecked)
    assert dialog.totals.text() == f"Import {new - 1} new and {merges} updated papers"
    assert dialog.tree.topLevelItem(0).checkState(0) == Qt.CheckState.PartiallyChecked

    dialog.accept()
    assert papers[first_new].include is False
    assert all(p.include for i, p in enumerate(papers) if i != first_new)
    assert all(p.include for p in plan.files[1].papers)  # unchanged: still recorded


def test_select_none_and_all(dialog: ImportPreviewDialog, plan: ImportPlan) -> None:
    dialog.select_none_button.click()
    assert dialog.totals.text() == "Nothing selected to import"
    assert not dialog.import_button.isEnabled()
    assert dialog.tree.topLevelItem(0).checkState(0) == Qt.CheckState.Unchecked
    dialog.select_all_button.click()
    assert dialog.import_button.isEnabled()
    assert dialog.tree.topLevelItem(0).checkState(0) == Qt.CheckState.Checked


def test_the_file_box_ticks_its_papers(dialog: ImportPreviewDialog, plan: ImportPlan) -> None:
    file_item = dialog.tree.topLevelItem(0)
    file_item.setCheckState(0, Qt.CheckState.Unchecked)
    tickable = [r for r in _rows(dialog, 0) if r.flags() & Qt.ItemFlag.ItemIsUserCheckable]
    assert all(r.checkState(0) == Qt.CheckState.Unchecked for r in tickable)
    dialog.apply_ticks()
    assert not any(p.include for p in plan.files[0].papers if p.action != "unchanged")


def test_cancel_leaves_the_plan_alone(dialog: ImportPreviewDialog, plan: ImportPlan) -> None:
    dialog.select_none_button.click()
    dialog.reject()
    assert all(p.include for f in plan.files for p in f.papers)


def test_badge_and_gains_words() -> None:
    assert gains_text(("authors", "published", "published_text", "year_inferred", "upvotes")) == (
        "byline, date, upvotes"
    )
    assert gains_text(("organisation",)) == "byline"


def test_a_paper_repeated_within_one_import(qtbot, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(DUMP_000.read_bytes())
    collection = Collection.open(tmp_path / "fresh")
    try:
        plan = collection.plan_import([DUMP_000, copy])
    finally:
        collection.close()
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)
    # The copy repeats papers new in this very import: not "already in library".
    assert {r.data(BADGE_COLUMN, KIND_ROLE) for r in _rows(dialog, 1)} == {"repeat"}
    assert {r.text(BADGE_COLUMN) for r in _rows(dialog, 1)} == {"Repeated in this import"}
    new = sum(1 for p in plan.files[0].papers if p.action == "new")
    assert dialog.totals.text() == f"Import {new} new papers"
    assert "already in your library" not in dialog.details.text()


def test_summary_shows_numbers_per_file_and_failures(
    qtbot, library: Collection, plan: ImportPlan
) -> None:
    report = library.run_import(plan)
    parent = QWidget()
    qtbot.addWidget(parent)
    show_import_summary(parent, report)
    dialog = parent.findChild(ImportSummaryDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.headline.text() == (
        f"Imported {report.added} new papers, updated {report.merged}; 2 files failed"
    )
    rows = [dialog.table.topLevelItem(i) for i in range(dialog.table.topLevelItemCount())]
    assert [r.text(0) for r in rows[:2]] == [DUMP_000.name, DUMP_002.name]
    first = report.files[0]
    assert [rows[0].text(c) for c in (1, 2, 3)] == [
        str(first.added),
        str(first.merged),
        str(first.unchanged),
    ]
    assert rows[1].text(1) == "0" and rows[1].text(3) == str(report.files[1].unchanged)
    assert rows[2].text(0).startswith("photo.jpg: not imported, ")
    assert rows[3].text(0).startswith("empty.txt: not imported, ")
    dialog.close()


@pytest.mark.parametrize(
    ("files", "cancelled", "headline"),
    [
        ([FileOutcome("a", 3, added=3)], False, "Imported 3 new papers"),
        ([FileOutcome("a", 1, added=1, merged=1)], False, "Imported 1 new paper, updated 1"),
        ([FileOutcome("a", 2, merged=2)], False, "Updated 2 papers"),
        (
            [FileOutcome("a", 2, unchanged=2)],
            False,
            "Nothing new: every paper was already in your library",
        ),
        ([FileOutcome("a", error="binary")], False, "Nothing was imported; 1 file failed"),
        ([FileOutcome("a", 1, added=1)], True, "Import cancelled. Imported 1 new paper"),
    ],
)
def test_summary_headlines(files, cancelled, headline) -> None:
    assert summary_headline(ImportReport(files=files, cancelled=cancelled)) == headline
