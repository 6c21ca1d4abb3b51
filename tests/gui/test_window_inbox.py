"""Triage of the Inbox in the real window: keys back to back, the count, undo, the tally."""

from __future__ import annotations

from PySide6.QtCore import Qt
from user_input import press

from readinglist.library.reader import PaperFilter

INBOX = PaperFilter(inbox=True)


def _open_inbox(qtbot, window) -> None:
    window.sidebar.select_view("inbox")
    qtbot.waitUntil(lambda: window.model.listing.view == INBOX)
    qtbot.waitUntil(window.is_idle)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    selection = window.table.selectionModel()
    flags = selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows
    selection.setCurrentIndex(window.model.index(0, 0), flags)
    assert window.selected_ids() == [window.model.id_at(0)]
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == window.model.id_at(0))


def _inbox_count(window) -> str:
    return window.count_label.text()


def test_the_sidebar_counts_the_inbox(qtbot, window, collection):
    qtbot.waitUntil(lambda: window.sidebar_stats.inbox == collection.stats().inbox)
    assert collection.stats().inbox == len(collection.list_ids())  # all came in one import


def test_space_l_x_back_to_back_each_move_on_and_leave_the_inbox(qtbot, window, collection):
    _open_inbox(qtbot, window)
    total = window.model.rowCount()
    first, second, third, fourth = (window.model.id_at(row) for row in range(4))
    assert _inbox_count(window) == f"{total:,} left"

    press(window, Qt.Key.Key_Space, "l", "x")
    qtbot.waitUntil(window.is_idle)
    qtbot.waitUntil(lambda: window.model.rowCount() == total - 3)
    # Each key took the paper under the selection, which moved to the next one.
    assert collection.get(first).status == "read"
    assert (collection.get(second).triage, collection.get(second).status) == ("later", "unread")
    assert collection.get(third).triage == "dismissed"
    assert window.current_paper_id() == fourth
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == fourth)
    assert _inbox_count(window) == f"{total - 3:,} left"
    qtbot.waitUntil(lambda: window.sidebar_stats.inbox == total - 3)
    assert "Undo with Ctrl+Z" in window.statusBar().currentMessage()

    # The dismissal is undone first, and the paper is back in the Inbox and the library.
    press(window, (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    qtbot.waitUntil(window.is_idle)
    assert collection.get(third).triage is None
    qtbot.waitUntil(lambda: window.model.rowCount() == total - 2)


def test_a_tag_typed_in_the_inbox_keeps_the_paper_until_leaving(qtbot, window, collection):
    _open_inbox(qtbot, window)
    total = window.model.rowCount()
    paper_id = window.model.id_at(0)
    press(window, "t", "ssm", Qt.Key.Key_Return, "mamba", Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_idle)
    # Still on screen while the tags are being typed.
    assert window.detail.current_paper_id() == paper_id
    assert window.detail.tag_editor.field.hasFocus()
    assert window.model.rowCount() == total
    press(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.is_idle)
    qtbot.waitUntil(lambda: window.model.rowCount() == total - 1)
    assert sorted(collection.get(paper_id).tags) == ["mamba", "ssm"]
    assert window.table.hasFocus()
    assert window.current_paper_id() != paper_id


def test_an_emptied_inbox_says_what_was_done(qtbot, window, collection):
    ids = collection.list_ids(INBOX)
    collection.dismiss(ids[3:])  # leave three
    window.refresh_stats()
    _open_inbox(qtbot, window)
    assert window.model.rowCount() == 3
    press(window, Qt.Key.Key_Space, "l", "x")
    qtbot.waitUntil(window.is_idle)
    qtbot.waitUntil(lambda: window.table_stack.currentWidget() is window.empty)
    assert window.empty.headline.text() == "Inbox empty"
    assert "1 read, 1 later, 1 dismissed" in window.empty.hint.text()
    assert _inbox_count(window) == "0 left"


def test_the_triage_keys_are_listed_and_in_the_menus(qtbot, window):
    from readinglist.gui.dialogs.shortcuts_dialog import SHORTCUTS

    keys = {key for keys, _ in SHORTCUTS for key in keys}
    assert {"L", "X"} <= keys
    texts = [a.text() for a in window.menuBar().actions()[1].menu().actions()]
    assert "&Later\tL" in texts and "&Not interested\tX" in texts


def test_the_inbox_lists_in_for_you_order(qtbot, window, collection):
    ids = collection.list_ids(INBOX)
    collection.mark(ids[:6], "read")
    window.refresh_stats()
    _open_inbox(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(ids) - 6)
    assert window.model.ids() == collection.list_ids(INBOX, sort="for-you")


def test_the_view_menu_sorts_for_you_and_by_rising(qtbot, window, collection):
    window.menu_actions.sort_rising.trigger()
    qtbot.waitUntil(lambda: window.model.listing.sort == "rising")
    qtbot.waitUntil(window.is_idle)
    assert window.model.ids() == collection.list_ids(sort="rising")
    assert "rising" in window.statusBar().currentMessage()
    window.menu_actions.sort_for_you.trigger()
    qtbot.waitUntil(lambda: window.model.listing.sort == "for-you")
    qtbot.waitUntil(window.is_idle)
    assert window.model.ids() == collection.list_ids(sort="for-you")
    window.menu_actions.default_order.trigger()
    qtbot.waitUntil(lambda: window.model.listing.sort is None)
