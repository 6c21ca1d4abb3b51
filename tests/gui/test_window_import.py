"""Import from the window: drops, File > Import…, the clipboard; preview, cancel, summary."""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QPlainTextEdit, QTextEdit, QWidget

from readinglist.gui.dialogs.import_dialogs import ImportPreviewDialog, ImportSummaryDialog


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop(widget: QWidget, *paths: Path) -> bool:
    """Drag files over `widget` and drop them; True if the drag was accepted."""
    mime = file_mime(*paths)
    center = widget.rect().center()
    # PySide6 6.12 wants a QPointF here, earlier versions a QPoint.
    point = QPointF(center) if PySide6.__version_info__ >= (6, 12) else center
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    dropped = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, dropped)
    return enter.isAccepted()


def wait_preview(qtbot, window) -> ImportPreviewDialog:
    qtbot.waitUntil(lambda: window.import_flow.preview is not None)
    preview = window.import_flow.preview
    assert isinstance(preview, ImportPreviewDialog)
    return preview


def wait_summary(qtbot, window, *, idle: bool = True) -> ImportSummaryDialog:
    qtbot.waitUntil(lambda: bool(window.findChildren(ImportSummaryDialog)))
    if idle:
        qtbot.waitUntil(lambda: not window.import_flow.busy)
        qtbot.waitUntil(window.is_idle)
    return window.findChildren(ImportSummaryDialog)[-1]


def titles(collection) -> set[str]:
    return {p.title for p in collection.get_many(collection.list_ids())}


def test_dropping_files_shows_a_preview_and_cancel_writes_nothing(
    qtbot, window, collection, zebra_dump
):
    before = collection.stats()
    assert drop(window, zebra_dump)
    preview = wait_preview(qtbot, window)
    assert preview.isVisible()
    assert preview.plan.counts()["new"] == 2

    preview.reject()
    qtbot.waitUntil(lambda: not window.import_flow.busy)
    after = collection.stats()
    assert (after.papers, after.last_import) == (before.papers, before.last_import)
    assert "Quokka Smiles Are Real" not in titles(collection)
    assert not window.findChildren(ImportSummaryDialog)


def test_accepting_the_preview_imports_and_shows_the_recent_import(
    qtbot, window, collection, zebra_dump, markup_title
):
    window.search.set_query("attention")
    papers = collection.stats().papers
    assert drop(window, zebra_dump)
    wait_preview(qtbot, window).accept()
    summary = wait_summary(qtbot, window)
    assert summary.isVisible()

    assert collection.stats().papers == papers + 2
    assert window.sidebar.view_key() == "recent"
    assert window.search.query() == ""
    assert window.model.rowCount() == 2
    shown = {window.model.paper_at(row).title for row in range(2)}
    assert shown == {markup_title, "Quokka Smiles Are Real"}
    assert window.count_label.text() == "2 papers"


def test_a_dump_seen_again_changes_nothing(qtbot, window, collection, shared_dumps):
    papers = collection.stats().papers
    drop(window, shared_dumps[0])
    preview = wait_preview(qtbot, window)
    assert preview.plan.counts()["new"] == 0
    preview.accept()
    wait_summary(qtbot, window)
    report = window.import_flow.last_report
    assert report.added == 0 and report.unchanged > 0
    assert collection.stats().papers == papers


def test_dropping_on_the_note_editor_imports_instead_of_pasting(qtbot, window, zebra_dump):
    editors = window.detail.findChildren(QPlainTextEdit) + window.detail.findChildren(QTextEdit)
    editor = next(e for e in editors if not e.isReadOnly())
    note_before = editor.toPlainText()
    assert drop(editor.viewport(), zebra_dump)
    wait_preview(qtbot, window).reject()
    assert editor.toPlainText() == note_before


def test_a_dropped_binary_file_is_named_with_its_reason(qtbot, window, collection, tmp_path):
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    papers = collection.stats().papers
    assert drop(window, binary)
    preview = wait_preview(qtbot, window)
    assert preview.plan.files[0].error
    preview.accept()
    summary = wait_summary(qtbot, window)
    report = window.import_flow.last_report
    assert [f.path for f in report.failed] == [str(binary)]
    assert report.failed[0].error
    assert collection.stats().papers == papers
    assert summary.isVisible()
    assert window.sidebar.view_key() == "all"  # nothing came in: the view stays


def test_a_folder_drop_imports_what_is_inside(qtbot, window, collection, make_dump):
    first = make_dump("a.txt", [("Otters Hold Hands", "Sea otters hold hands while they sleep.")])
    make_dump("b.txt", [("Crows Remember Faces", "Crows recognise people who wronged them.")])
    assert drop(window, first.parent)
    wait_preview(qtbot, window).accept()
    wait_summary(qtbot, window)
    assert {"Otters Hold Hands", "Crows Remember Faces"} <= titles(collection)


def test_drops_during_an_import_wait_their_turn(qtbot, window, collection, make_dump):
    one = make_dump("one.txt", [("Bees Count To Four", "Honey bees can count up to four.")])
    two = make_dump("two.txt", [("Ants Farm Fungus", "Leafcutter ants grow fungus gardens.")])
    drop(window, one)
    preview = wait_preview(qtbot, window)
    drop(window, two)
    preview.accept()
    wait_summary(qtbot, window, idle=False)
    second = wait_preview(qtbot, window)
    assert second is not preview
    second.accept()
    qtbot.waitUntil(lambda: "Ants Farm Fungus" in titles(collection))
    assert "Bees Count To Four" in titles(collection)


def test_import_from_the_clipboard(qtbot, window, collection, dump_text):
    QGuiApplication.clipboard().setText(
        dump_text([("Octopus Dreams", "Sleeping octopuses change colour as if dreaming.")])
    )
    qtbot.keyClick(
        window,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    preview = wait_preview(qtbot, window)
    assert [p.paper.title for p in preview.plan.files[0].papers] == ["Octopus Dreams"]
    preview.accept()
    wait_summary(qtbot, window)
    assert "Octopus Dreams" in titles(collection)
    assert window.model.rowCount() == 1


def test_an_empty_clipboard_says_so(qtbot, window):
    QGuiApplication.clipboard().setText("")
    window.menu_actions.import_clipboard.trigger()
    assert "clipboard" in window.last_message
    assert window.import_flow.preview is None and not window.import_flow.busy


def test_file_import_dialog_remembers_the_folder(qtbot, window, collection, zebra_dump, settings):
    window.menu_actions.import_files.trigger()
    dialog = window.last_dialog
    assert isinstance(dialog, QFileDialog)
    dialog.filesSelected.emit([str(zebra_dump)])
    dialog.close()
    wait_preview(qtbot, window).accept()
    wait_summary(qtbot, window)
    assert "Quokka Smiles Are Real" in titles(collection)
    assert settings.folder("import") == str(zebra_dump.parent)

    window.menu_actions.import_files.trigger()
    assert Path(window.last_dialog.directory().absolutePath()) == zebra_dump.parent
    window.last_dialog.close()


def test_the_empty_library_offers_import(qtbot, empty_window, zebra_dump):
    empty_window.empty.import_button.click()
    assert isinstance(empty_window.last_dialog, QFileDialog)
    empty_window.last_dialog.close()
    drop(empty_window, zebra_dump)
    wait_preview(qtbot, empty_window).accept()
    wait_summary(qtbot, empty_window)
    assert empty_window.table_stack.currentWidget() is empty_window.table
    assert empty_window.model.rowCount() == 2
