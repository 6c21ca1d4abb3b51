"""Feedback a user waits for: the drop overlay, the first write shown at once, import
progress and wording, and the small messages of the window."""

from __future__ import annotations

import threading
from pathlib import Path

import PySide6
from PySide6.QtCore import QLocale, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget
from testdata import dump_files
from user_input import press

from readinglist.collection import Collection
from readinglist.gui import text
from readinglist.gui.dialogs.import_dialogs import ImportSummaryDialog, summary_headline
from readinglist.gui.main_window import window_title
from readinglist.gui.models.paper_table import STATUS
from readinglist.gui.progress import ProgressJob
from readinglist.gui.worker import Worker


def _mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def _point(widget: QWidget):
    centre = widget.rect().center()
    return QPointF(centre) if PySide6.__version_info__ >= (6, 12) else centre


_KEPT: list[QMimeData] = []  # an event does not own its data: keep it alive


def _drag_event(kind, widget: QWidget, paths: list[Path]):
    mime = _mime(paths)
    _KEPT.append(mime)
    return kind(
        _point(widget),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


# -- dragging files over the window ----------------------------------------------------


def test_dragging_files_over_the_window_shows_what_a_drop_does(qtbot, window, tmp_path):
    files = dump_files()
    enter = _drag_event(QDragEnterEvent, window.table.viewport(), files)
    QApplication.sendEvent(window.search.field, enter)  # a widget that takes drops itself
    assert enter.isAccepted()
    overlay = window.drop_overlay
    assert overlay.isVisible()
    assert overlay.caption == "Drop to import 5 files"
    assert overlay.geometry() == window.centralWidget().rect()
    # The overlay is now what lies under the pointer: the drag moves onto it.
    hover = _drag_event(QDragEnterEvent, overlay, files)
    QApplication.sendEvent(overlay, hover)
    assert hover.isAccepted()
    QApplication.sendEvent(overlay, QDragLeaveEvent())  # the drag leaves the window
    assert not overlay.isVisible()

    folder = tmp_path / "more"
    folder.mkdir()
    both = [files[0], folder]
    QApplication.sendEvent(window, _drag_event(QDragEnterEvent, window, both))
    assert overlay.caption == "Drop to import 1 file and 1 folder"
    QApplication.sendEvent(overlay, _drag_event(QDragEnterEvent, overlay, both))
    QApplication.sendEvent(overlay, _drag_event(QDropEvent, overlay, files[:1]))
    assert not overlay.isVisible()
    qtbot.waitUntil(lambda: window.import_flow.preview is not None)
    window.import_flow.preview.reject()
    qtbot.waitUntil(lambda: not window.import_flow.busy)


def test_text_dragged_over_the_window_shows_no_overlay(window):
    mime = QMimeData()
    mime.setText("just words")
    enter = QDragEnterEvent(
        _point(window),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert not window.drop_overlay.isVisible()


# -- the first write --------------------------------------------------------------------


def test_the_write_side_loads_once_the_window_is_shown(qtbot, library_dir, window_factory):
    collection = Collection(library_dir)
    try:
        assert collection._library is None  # reads never open it
        window = window_factory(collection)
        try:
            assert collection._library is not None  # start() opened it on the worker
        finally:
            window.shut_down()
    finally:
        collection.close()


def test_space_shows_read_at_once(qtbot, window, collection):
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    paper_id = window.current_paper_id()
    row = window.model.row_of(paper_id)
    press(window, " ")
    # Before any event is processed (the write lands later, by signal):
    assert window.model.index(row, STATUS).data() == "Read"
    assert window.detail.status_label.text() == "Read"
    assert window.detail.status_button.isChecked()
    qtbot.waitUntil(lambda: collection.get(paper_id).status == "read")


# -- import ------------------------------------------------------------------------------


def test_importing_the_dumps_into_an_empty_library_says_no_updates(qtbot, empty_collection):
    plan = empty_collection.plan_import(dump_files())
    report = empty_collection.run_import(plan)
    assert report.merged or report.unchanged  # the dumps repeat papers across files
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ImportSummaryDialog(report, parent, plan)
    qtbot.addWidget(dialog)
    headline = dialog.headline.text()
    assert headline.startswith(f"Imported {report.added} new papers")
    assert "updated" not in headline
    assert "in more than one file: imported once" in headline
    header = dialog.table.headerItem()
    columns = [header.text(c) for c in range(dialog.table.columnCount())]
    assert columns == ["File", "New", "Updated", "Already in library", "In an earlier file"]
    rows = [dialog.table.topLevelItem(i) for i in range(dialog.table.topLevelItemCount())]
    assert all(r.text(2) == "0" and r.text(3) == "0" for r in rows)
    repeated = sum(int(r.text(4)) for r in rows)
    assert repeated == report.merged + report.unchanged
    # Without the plan the numbers are the library's, as before.
    assert "updated" in summary_headline(report) or report.merged == 0


def test_progress_turns_busy_once_every_step_is_done(qtbot):
    worker = Worker()
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()

    def job(task):
        task.progress(2, 2)
        release.wait(10)
        return "done"

    results = []
    try:
        job_view = ProgressJob(
            parent, worker, "Importing…", job, on_done=results.append, finishing="Indexing…"
        )
        dialog: QProgressDialog = job_view.dialog
        qtbot.waitUntil(lambda: dialog.labelText() == "Indexing…")
        assert dialog.maximum() == 0  # busy, not full
        release.set()
        qtbot.waitUntil(lambda: results == ["done"])
    finally:
        release.set()
        worker.shutdown()


# -- the small things --------------------------------------------------------------------


def test_the_title_names_a_library_other_than_the_default(tmp_path, monkeypatch):
    from readinglist import paths

    monkeypatch.setattr(paths, "default_library_dir", lambda: tmp_path / "default")
    assert window_title(tmp_path / "default") == "readinglist"
    assert window_title(tmp_path / "papers-2024") == "papers-2024 — readinglist"


def test_counts_use_the_locale_separators(window):
    try:
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert text.count_text(100000, "paper") == "100.000 papers"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert text.count_text(100000, "paper") == "100,000 papers"
        QLocale.setDefault(QLocale.c())
        assert text.count_text(1234, "match", "matches") == "1,234 matches"
    finally:
        QLocale.setDefault(QLocale.system())


def test_an_empty_library_does_not_announce_its_index(qtbot, empty_window):
    assert "search index" not in empty_window.last_message


def test_undoing_a_delete_reselects_the_paper_and_says_so(qtbot, window, collection):
    window.table.selectRow(2)
    paper_id = window.current_paper_id()
    window.delete_selected()
    qtbot.waitUntil(lambda: window.model.row_of(paper_id) is None)
    qtbot.waitUntil(window.is_idle)
    window.undo()
    qtbot.waitUntil(lambda: window.current_paper_id() == paper_id)
    assert window.selected_ids() == [paper_id]
    assert window.last_message == "Restored 1 paper."


def test_the_message_line_under_the_search_keeps_its_place(qtbot, window):
    top = window.splitter.mapTo(window, QPoint(0, 0)).y()
    window.search.set_query("colour:blue")
    assert window.search.error_text()
    assert window.splitter.mapTo(window, QPoint(0, 0)).y() == top
    window.search.set_query("transfomer")
    qtbot.waitUntil(lambda: bool(window.search.suggestion()))
    assert window.splitter.mapTo(window, QPoint(0, 0)).y() == top


def test_search_all_papers_in_the_empty_state_is_a_link(qtbot, window, collection):
    matching = set(collection.list_ids(query="attention", sort=None))
    collection.mark([i for i in window.model.ids() if i not in matching][:2], "read")
    window.sidebar.select_view("read")
    window.search.set_query("attention")
    assert window.table_stack.currentWidget() is window.empty
    assert window.empty.offers_widening()
    assert "search all papers" in window.empty.hint.text()
    window.empty.hint.linkActivated.emit("#search-all")
    assert window.sidebar.view_key() == "all"
    assert window.search.query() == "attention"
    assert sorted(window.model.ids()) == sorted(matching)
    # Already over all papers: nothing to widen, no link.
    window.search.set_query("zzzznothing")
    assert window.table_stack.currentWidget() is window.empty
    assert not window.empty.offers_widening()
    assert "search all papers" not in window.empty.hint.text()


def test_abstracts_show_latex_escapes_as_characters(qtbot, window, collection):
    papers = collection.get_many(collection.list_ids())
    paper = next(p for p in papers if "\\%" in p.abstract or "\\&" in p.abstract)
    window.show_paper_id(paper.id)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper.id)
    shown = window.detail.abstract_label.text()
    assert "\\%" not in shown and "\\&amp;" not in shown
    assert collection.get(paper.id).abstract == paper.abstract  # the library keeps it
    assert text.display_latex("10--20 -- and \\% of $x_1$") == "10–20 – and % of $x_1$"


def test_tooltips_are_text_at_a_readable_width(qtbot, window, collection, markup_title):
    titles = [p.title for p in collection.get_many(collection.list_ids())]
    title = max((t for t in titles if len(t) <= text.TOOLTIP_LINE_CHARS), key=len)
    assert text.plain_tooltip(title).startswith('<p style="white-space:pre">')  # one line
    wrapped = text.plain_tooltip("word " * 60)
    assert wrapped.startswith(f'<table width="{text.TOOLTIP_WIDTH_PX}">')
    shown = text.plain_tooltip(markup_title)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
