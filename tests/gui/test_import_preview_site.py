"""The import preview shows what the site's pages carry, and what was left out."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from readinglist.dumps import SkippedBlock
from readinglist.gui.dialogs.import_dialogs import (
    BADGE_COLUMN,
    DETAILS_COLUMN,
    KIND_ROLE,
    ImportPreviewDialog,
)
from readinglist.library.importing import ImportPlan, PlanItem, PlannedFile
from readinglist.papers import ParsedPaper

LLAMA = ParsedPaper(
    "The Llama 3 Herd of Models",
    "",
    authors=3,
    published=date(2024, 7, 31),
    upvotes=94,
    arxiv_id="2407.21783",
    author_names=("Abhimanyu Dubey", "Abhinav Jauhri", "Abhinav Pandey"),
    comments=5,
)
TORA = ParsedPaper("Tora: Trajectory-oriented Diffusion Transformer", "An abstract. " * 30)
HANDLE = ParsedPaper("akhaliq", "")


def _plan() -> ImportPlan:
    papers = [
        PlanItem(0, "llama", LLAMA, "new"),
        PlanItem(1, "tora", TORA, "new"),
        PlanItem(2, "akhaliq", HANDLE, "new", include=False, skipped_reason="a user name"),
    ]
    skipped = [
        SkippedBlock("akhaliq", "a user name", HANDLE),
        SkippedBlock("Search by arxiv id or title", "site navigation"),
    ]
    planned = PlannedFile(Path("daily.html"), papers=papers, skipped=skipped, form="page-html")
    return ImportPlan([planned])


@pytest.fixture
def dialog(qtbot) -> ImportPreviewDialog:
    widget = ImportPreviewDialog(_plan())
    qtbot.addWidget(widget)
    return widget


def _file(dialog: ImportPreviewDialog):
    return dialog.tree.topLevelItem(0)


def _group(dialog: ImportPreviewDialog):
    item = _file(dialog)
    [group] = [
        item.child(i)
        for i in range(item.childCount())
        if item.child(i).data(0, KIND_ROLE) == "group"
    ]
    return group


def test_rows_show_what_the_page_said(dialog: ImportPreviewDialog) -> None:
    llama = _file(dialog).child(0)
    details = llama.text(DETAILS_COLUMN)
    assert (
        details == "3 authors · Jul 31, 2024 · ▲ 94 · 5 comments · no abstract · arXiv 2407.21783"
    )
    assert "Abhimanyu Dubey" in llama.toolTip(0)
    assert _file(dialog).text(DETAILS_COLUMN) == "saved web page"
    # Two papers read as papers; the skipped block is not counted among them.
    assert dialog.headline.text() == "2 papers found in 1 file"
    assert dialog.totals.text() == "Import 2 new papers"


def test_skipped_blocks_are_listed_unticked_and_can_be_taken(
    dialog: ImportPreviewDialog,
) -> None:
    group = _group(dialog)
    assert group.text(0) == "Not imported: 2 blocks that do not read as a paper"
    assert group.isExpanded()
    handle, navigation = group.child(0), group.child(1)
    assert handle.text(0) == "akhaliq"
    assert handle.text(BADGE_COLUMN) == "Not imported: a user name"
    assert handle.checkState(0) == Qt.CheckState.Unchecked
    assert navigation.text(0) == "Search by arxiv id or title"
    assert not navigation.flags() & Qt.ItemFlag.ItemIsUserCheckable  # nothing to take
    assert "2 blocks that do not read as a paper will be left out" in dialog.details.text()

    handle.setCheckState(0, Qt.CheckState.Checked)
    assert dialog.totals.text() == "Import 3 new papers"
    assert group.checkState(0) == Qt.CheckState.Checked
    dialog.accept()
    assert [p.include for p in dialog.plan.files[0].papers] == [True, True, True]


def test_select_all_leaves_the_skipped_blocks_out(dialog: ImportPreviewDialog) -> None:
    dialog.select_none_button.click()
    dialog.select_all_button.click()
    assert _group(dialog).child(0).checkState(0) == Qt.CheckState.Unchecked
    dialog.apply_ticks()
    assert [p.include for p in dialog.plan.files[0].papers] == [True, True, False]


def test_unticking_the_file_leaves_the_skipped_group_alone(dialog: ImportPreviewDialog) -> None:
    _group(dialog).setCheckState(0, Qt.CheckState.Checked)
    _file(dialog).setCheckState(0, Qt.CheckState.Unchecked)
    dialog.apply_ticks()
    assert [p.include for p in dialog.plan.files[0].papers] == [False, False, True]
    assert dialog.totals.text() == "Import 1 new paper"


def test_tooltips_show_dump_text_as_text(qtbot) -> None:
    sly = ParsedPaper("<b>Bold</b> <img src='file:///etc/passwd'> claims", "x " * 200)
    plan = ImportPlan(
        [PlannedFile(Path("a.txt"), papers=[PlanItem(0, "k", sly, "new")], form="sample")]
    )
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)
    tip = _file(dialog).child(0).toolTip(0)
    assert "<b>Bold" not in tip and "&lt;b&gt;Bold&lt;/b&gt;" in tip
    assert "<img" not in tip


def test_the_summary_says_why_it_stopped_and_what_was_left_out(qtbot) -> None:
    from readinglist.gui.dialogs.import_dialogs import ImportSummaryDialog, summary_headline
    from readinglist.library.importing import FileOutcome, ImportReport

    report = ImportReport(
        files=[
            FileOutcome(
                "/d/a.txt",
                found=3,
                added=3,
                skipped=[{"first_line": "akhaliq", "reason": "a user name"}],
                skipped_more=2,
                warnings=["3 bytes could not be decoded and were replaced"],
            ),
            FileOutcome("/d/b.txt", error="the disk is full"),
        ],
        stopped="the disk is full",
        not_imported=["/d/c.txt", "/d/d.txt"],
    )
    assert summary_headline(report) == (
        "Imported 3 new papers; 1 file failed; 2 files not imported"
    )
    dialog = ImportSummaryDialog(report)
    qtbot.addWidget(dialog)
    notes = dialog.notes.text().split("\n")
    assert notes[0].startswith("Stopped: the disk is full. Not imported: c.txt, d.txt.")
    assert "a.txt: 3 bytes could not be decoded and were replaced" in notes
    assert "a.txt: 3 blocks that do not read as a paper left out." in notes


def test_the_details_column_hides_when_the_page_said_nothing_more(qtbot) -> None:
    bare = ParsedPaper("A Title of a Paper", "An abstract. " * 30)
    plan = ImportPlan(
        [PlannedFile(Path("a.txt"), papers=[PlanItem(0, "k", bare, "new")], form="sample")]
    )
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)
    assert dialog.tree.isColumnHidden(DETAILS_COLUMN)
    site = ImportPreviewDialog(_plan())
    qtbot.addWidget(site)
    assert not site.tree.isColumnHidden(DETAILS_COLUMN)
