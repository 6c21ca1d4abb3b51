"""Export dialog (validation, the choice) and the export result over a real export."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from widget_fixtures import collection_fixture, library_template_fixture  # noqa: F401

from readinglist.collection import Collection
from readinglist.export.vault import EDITED_REASON, ExportReport
from readinglist.gui.dialogs.export_dialog import (
    ExportChoice,
    ExportDialog,
    ExportResultDialog,
    result_headline,
    show_export_result,
)


@pytest.fixture
def make_dialog(qtbot):
    def make(**overrides) -> ExportDialog:
        options = {"last_folder": "", "has_selection": False, "view_name": "Unread"}
        options.update(overrides)
        dialog = ExportDialog(**options)
        qtbot.addWidget(dialog)
        return dialog

    return make


def test_defaults(make_dialog, tmp_path: Path) -> None:
    dialog = make_dialog(last_folder=str(tmp_path))
    assert dialog.folder_edit.text() == str(tmp_path)
    assert not dialog.which_radios["selection"].isEnabled()
    assert dialog.which_radios["notes"].isChecked()
    assert "(Unread)" in dialog.which_radios["view"].text()
    assert not dialog.force_check.isChecked()
    assert not dialog.file_name_edit.isEnabled()
    assert dialog.export_button.isDefault()
    assert dialog.choice() == ExportChoice(tmp_path, None, "notes", False)


def test_a_folder_is_required(make_dialog) -> None:
    dialog = make_dialog()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog._error_row.isHidden()
    assert dialog.error_label.text() == "Choose a folder to export to."
    dialog.folder_edit.setText("/x")  # typing clears the message
    assert dialog._error_row.isHidden()


def test_a_relative_folder_or_a_file_is_refused(make_dialog, tmp_path: Path) -> None:
    dialog = make_dialog(last_folder="notes")
    dialog.accept()
    assert "full path" in dialog.error_label.text()
    afile = tmp_path / "file.md"
    afile.write_text("x")
    dialog.folder_edit.setText(str(afile))
    dialog.accept()
    assert dialog.error_label.text() == f"{afile} is a file, not a folder."
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_the_single_file_name_must_be_plain(make_dialog, tmp_path: Path) -> None:
    dialog = make_dialog(last_folder=str(tmp_path / "vault"))
    dialog.single_radio.setChecked(True)
    assert dialog.file_name_edit.isEnabled()
    dialog.file_name_edit.setText("../outside.md")
    dialog.accept()
    assert dialog.error_label.text().startswith("Cannot use that file name: ")
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.file_name_edit.setText("my notes")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice() == ExportChoice(tmp_path / "vault", "my notes.md", "notes", False)


def test_selection_view_all_and_force(make_dialog, tmp_path: Path) -> None:
    dialog = make_dialog(last_folder=str(tmp_path), has_selection=True)
    assert dialog.which_radios["selection"].isEnabled()
    assert dialog._force_warning_row.isHidden()
    for which in ("selection", "view", "all"):
        dialog.which_radios[which].setChecked(True)
        assert dialog.choice().which == which
    dialog.force_check.setChecked(True)
    assert not dialog._force_warning_row.isHidden()
    assert dialog.choice().force is True


def test_result_lists_written_updated_unchanged_and_skipped(
    qtbot, collection: Collection, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    papers = collection.get_many(collection.list_ids()[:6])
    for paper in papers:
        paper.note = f"note on {paper.title}"
    collection.export(papers, vault)
    edited = vault / collection.export(papers[:1], vault).unchanged[0].name
    edited.write_text(edited.read_text("utf-8").replace("note on", "edited note on"), "utf-8")
    papers[1].note = "changed"
    more = collection.get_many(collection.list_ids()[6:8])
    report = collection.export(papers + more, vault)
    assert (len(report.written), len(report.updated), len(report.unchanged)) == (2, 1, 4)
    assert report.skipped == [(vault / edited.name, EDITED_REASON)]

    parent = QWidget()
    qtbot.addWidget(parent)
    show_export_result(parent, report)
    dialog = parent.findChild(ExportResultDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.headline.text() == "Exported: 2 new files, 1 updated; 1 file skipped"
    assert dialog.counts() == {"written": 2, "updated": 1, "unchanged": 4, "skipped": 1}
    groups = {
        dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert list(groups) == ["Skipped (1)", "New files (2)", "Updated (1)", "Already up to date (4)"]
    skipped = groups["Skipped (1)"].child(0)
    assert skipped.text(0) == edited.name
    reason = skipped.child(0).text(0)
    assert "edited in the vault" in reason and "Overwrite files edited in the vault" in reason
    assert "--force" not in reason
    assert dialog.open_button.isEnabled()
    dialog.close()


@pytest.mark.parametrize(
    ("report", "headline"),
    [
        (ExportReport(written=[Path("a")]), "Exported: 1 new file"),
        (ExportReport(unchanged=[Path("a")]), "Nothing to change: the files are up to date"),
        (ExportReport(), "Nothing to export: no papers matched"),
        (
            ExportReport(skipped=[(Path("a"), "x")]),
            "Nothing was exported; 1 file skipped",
        ),
    ],
)
def test_result_headlines(report: ExportReport, headline: str) -> None:
    assert result_headline(report) == headline


def test_skip_reasons_are_worded_for_the_dialog() -> None:
    from readinglist.export.vault import UNRECORDED_REASON
    from readinglist.gui.dialogs.export_dialog import gui_reason

    for reason in (EDITED_REASON, UNRECORDED_REASON):
        worded = gui_reason(reason)
        assert "--force" not in worded and "Overwrite files edited in the vault" in worded
