"""Export from the window: the dialog, the core's export on the worker, the result."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from readinglist.gui.dialogs.export_dialog import ExportDialog, ExportResultDialog


def open_export(qtbot, window) -> ExportDialog:
    # Shortcuts work in the active window; after a dialog closes, activation
    # comes back to the window by an event.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.export_flow.dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    return dialog


def wait_report(qtbot, window):
    qtbot.waitUntil(lambda: window.export_flow.last_report is not None)
    qtbot.waitUntil(window.is_idle)
    report, window.export_flow.last_report = window.export_flow.last_report, None
    return report


def test_export_dialog_writes_the_notes_and_remembers_the_folder(
    qtbot, window, collection, tmp_path, settings
):
    ids = window.model.ids()[:2]
    collection.set_note(ids[0], "First note")
    collection.set_note(ids[1], "Second note")
    vault = tmp_path / "vault"

    dialog = open_export(qtbot, window)
    dialog.folder_edit.setText(str(vault))
    dialog.which_radios["notes"].setChecked(True)
    dialog.accept()
    report = wait_report(qtbot, window)

    assert len(report.written) == 2
    assert all(path.parent == vault and path.exists() for path in report.written)
    assert "First note" in "".join(p.read_text(encoding="utf-8") for p in report.written)
    results = window.findChildren(ExportResultDialog)
    assert results and results[0].isVisible()
    assert settings.folder("export") == str(vault)
    results[0].accept()  # window-modal: Ctrl+E waits until it is closed

    again = open_export(qtbot, window)
    assert again.folder_edit.text() == str(vault)
    again.reject()


def test_exporting_the_selection_to_one_file(qtbot, window, collection, tmp_path):
    flags = QItemSelectionModel.SelectionFlag
    window.table.selectionModel().setCurrentIndex(
        window.model.index(0, 0), flags.ClearAndSelect | flags.Rows
    )
    paper = collection.get(window.model.id_at(0))
    dialog = open_export(qtbot, window)
    assert dialog.which_radios["selection"].isEnabled()
    dialog.folder_edit.setText(str(tmp_path / "vault"))
    dialog.which_radios["selection"].setChecked(True)
    dialog.single_radio.setChecked(True)
    dialog.file_name_edit.setText("reading")
    dialog.accept()
    report = wait_report(qtbot, window)

    assert [p.name for p in report.written] == ["reading.md"]
    assert paper.title.split(":")[0] in report.written[0].read_text(encoding="utf-8")


def test_cancelling_the_export_dialog_writes_nothing(qtbot, window, tmp_path):
    dialog = open_export(qtbot, window)
    dialog.folder_edit.setText(str(tmp_path / "vault"))
    dialog.reject()
    qtbot.waitUntil(window.is_idle)
    assert window.export_flow.last_report is None
    assert not (tmp_path / "vault").exists()
