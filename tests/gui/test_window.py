"""The main window over a real library: listing, search, detail, keys, notes, tags, sorting."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from readinglist.gui.dialogs.shortcuts_dialog import ShortcutsDialog
from readinglist.gui.models.paper_table import BYLINE, DATE, STATUS, TITLE
from readinglist.gui.widgets.sidebar import Sidebar


def select_row(qtbot, window, row: int, *, add: bool = False) -> int:
    """Select a row as a click would (`add`: as a Ctrl+click), whatever keys QTest left down."""
    window.table.setFocus()
    flags = QItemSelectionModel.SelectionFlag
    window.table.selectionModel().setCurrentIndex(
        window.model.index(row, 0), (flags.Select if add else flags.ClearAndSelect) | flags.Rows
    )
    paper_id = window.model.id_at(row)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper_id)
    return paper_id


def note_editor(window):
    editors = window.detail.findChildren(QPlainTextEdit) + window.detail.findChildren(QTextEdit)
    return next(e for e in editors if not e.isReadOnly())


def type_query(qtbot, window, query: str) -> None:
    window.search.field.setFocus()
    window.search.field.clear()
    qtbot.keyClicks(window.search.field, query)
    qtbot.waitUntil(lambda: window.model.listing.query == query and not window.search.pending())


def test_window_lists_the_library_newest_first(window, collection):
    papers = collection.stats().papers
    assert window.model.rowCount() == papers
    assert window.count_label.text() == f"{papers} papers"
    assert window.model.ids() == collection.list_ids(sort="added", descending=True)
    assert window.detail.current_paper_id() == window.model.id_at(0)
    # Not the default library: the title names it.
    assert window.windowTitle() == f"{collection.folder.name} — readinglist"
    assert not window.windowIcon().isNull()


def test_typing_a_query_fills_the_table_in_rank_order(qtbot, window, collection):
    type_query(qtbot, window, "transformer")

    ranked = collection.list_ids(query="transformer", sort=None)
    assert ranked and window.model.ids() == ranked
    assert len(ranked) < collection.stats().papers
    assert window.count_label.text() == f"{len(ranked)} matches"
    # Highlights are fetched for the rows on screen only.
    qtbot.waitUntil(lambda: window.model.has_highlight(ranked[0]))
    assert not window.model.has_highlight(ranked[-1])
    first_title = window.model.index(0, TITLE).data(Qt.ItemDataRole.UserRole + 2)
    assert "<b>" in first_title


def test_a_query_with_a_syntax_error_is_shown_under_the_field(qtbot, window):
    before = window.model.ids()
    window.search.set_query("colour:blue")
    assert window.search.error_text()
    assert window.search.error_label.isVisible()
    assert window.model.ids() == before  # the table keeps the last good answer
    window.search.set_query("transformer")
    assert not window.search.error_text()


def test_did_you_mean_offers_a_correction_and_uses_it(qtbot, window, collection):
    window.search.set_query("transfomer")
    qtbot.waitUntil(lambda: bool(window.search.suggestion()))
    suggestion = window.search.suggestion()
    assert "transformer" in suggestion
    assert window.search.suggestion_label.isVisible()
    window.search.suggestion_label.linkActivated.emit("#suggestion")
    assert window.search.query() == suggestion
    assert window.model.ids() == collection.list_ids(query=suggestion, sort=None)


def test_the_list_has_the_keyboard_at_the_start(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.table.hasFocus)
    assert window.table.currentIndex().row() == 0


def test_search_shortcuts_focus_the_field(qtbot, window):
    for key, modifier in (
        (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Slash, Qt.KeyboardModifier.NoModifier),
    ):
        window.table.setFocus()
        qtbot.keyClick(window.table, key, modifier)
        qtbot.waitUntil(window.search.field.hasFocus)


def test_selecting_a_row_shows_the_paper_in_the_detail_pane(qtbot, window, collection):
    paper_id = select_row(qtbot, window, 3)
    paper = collection.get(paper_id)
    assert window.detail.title_label.text() == paper.title
    assert window.detail.title_label.textFormat() == Qt.TextFormat.PlainText


def test_j_and_k_move_through_the_table(qtbot, window):
    select_row(qtbot, window, 2)
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.table.currentIndex().row() == 3
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert window.table.currentIndex().row() == 1


def test_space_toggles_read_and_unread_rows_are_bold(qtbot, window, collection):
    paper_id = select_row(qtbot, window, 0)
    assert collection.get(paper_id).status == "unread"
    bold = window.model.index(0, TITLE).data(Qt.ItemDataRole.FontRole)
    assert isinstance(bold, QFont) and bold.bold()

    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: collection.get(paper_id).status == "read")
    qtbot.waitUntil(window.is_idle)
    row = window.model.row_of(paper_id)
    assert window.model.index(row, TITLE).data(Qt.ItemDataRole.FontRole) is None
    assert window.model.index(row, STATUS).data() == "Read"
    assert window.sidebar_stats.read == 1

    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: collection.get(paper_id).status == "unread")


def test_marking_read_in_the_unread_view_moves_to_the_next_paper(qtbot, window, collection):
    window.sidebar.select_view("unread")
    first = select_row(qtbot, window, 0)
    second = window.model.id_at(1)
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.model.row_of(first) is None)
    assert window.current_paper_id() == second


def test_editing_tags_in_the_detail_pane_and_filtering_by_them(qtbot, window, collection):
    first = select_row(qtbot, window, 0)
    window.detail.tag_editor.add_tag("to-read")
    qtbot.waitUntil(lambda: collection.get(first).tags == ["to-read"])
    second = select_row(qtbot, window, 1)
    window.detail.tag_editor.add_tag("to-read")
    window.detail.tag_editor.add_tag("vision")
    qtbot.waitUntil(lambda: collection.get(second).tags == ["to-read", "vision"])
    qtbot.waitUntil(window.is_idle)

    tags = {
        window.sidebar.tags.topLevelItem(i).text(0): window.sidebar.tags.topLevelItem(i).text(1)
        for i in range(window.sidebar.tags.topLevelItemCount())
    }
    assert tags == {"to-read": "2", "vision": "1"}

    window.sidebar.set_tag_selection(["to-read"])
    assert sorted(window.model.ids()) == sorted([first, second])
    window.sidebar.set_tag_selection(["to-read", "vision"])  # several tags combine
    assert window.model.ids() == [second]


def test_clicking_a_tag_toggles_it(qtbot, window, collection):
    ids = window.model.ids()[:2]
    collection.add_tags(ids, ["later"])
    window.refresh_stats()
    qtbot.waitUntil(lambda: window.sidebar.tags.topLevelItemCount() == 1)
    item = window.sidebar.tags.topLevelItem(0)
    rect = window.sidebar.tags.visualItemRect(item)
    qtbot.mouseClick(window.sidebar.tags.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sorted(window.model.ids()) == sorted(ids)
    qtbot.mouseClick(window.sidebar.tags.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.rowCount() == collection.stats().papers


def test_tags_for_several_papers_through_the_small_dialog(qtbot, window, collection):
    select_row(qtbot, window, 0)
    select_row(qtbot, window, 1, add=True)
    ids = window.selected_ids()
    assert len(ids) == 2

    window.menu_actions.add_tags.trigger()
    dialog = window.last_dialog
    dialog.field.setText("survey, later")
    dialog.accept()
    qtbot.waitUntil(lambda: all(collection.get(i).tags == ["later", "survey"] for i in ids))

    window.menu_actions.remove_tags.trigger()
    dialog = window.last_dialog
    dialog.field.setText("survey")
    dialog.accept()
    qtbot.waitUntil(lambda: all(collection.get(i).tags == ["later"] for i in ids))
    qtbot.waitUntil(window.is_idle)
    assert window.selection_label.text() == "2 selected"


def test_a_typed_note_is_saved_after_the_debounce(qtbot, window, collection):
    paper_id = select_row(qtbot, window, 0)
    editor = note_editor(window)
    editor.setFocus()
    qtbot.keyClicks(editor, "Read section 3 again.")
    qtbot.waitUntil(lambda: collection.get(paper_id).note == "Read section 3 again.", timeout=5000)
    qtbot.waitUntil(window.is_idle)
    assert window.sidebar_stats.with_notes == 1


def test_a_typed_note_is_saved_on_close(qtbot, window, collection):
    paper_id = select_row(qtbot, window, 0)
    editor = note_editor(window)
    editor.setFocus()
    qtbot.keyClicks(editor, "half a thought")
    window.close()  # before the debounce: the close flushes and waits for the write
    assert collection.get(paper_id).note == "half a thought"


def test_enter_in_the_table_focuses_the_note(qtbot, window):
    select_row(qtbot, window, 0)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: note_editor(window).hasFocus())


def test_delete_and_undo_bring_the_papers_back(qtbot, window, collection):
    papers = collection.stats().papers
    first = select_row(qtbot, window, 0)
    second = select_row(qtbot, window, 1, add=True)
    collection.set_note(first, "keep me")
    collection.add_tags([first], ["precious"])

    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: collection.stats().papers == papers - 2)
    qtbot.waitUntil(window.is_idle)
    assert window.model.rowCount() == papers - 2
    assert window.model.row_of(first) is None
    assert window.current_paper_id() == window.model.id_at(0)
    assert "Undo" in window.last_message

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: collection.stats().papers == papers)
    qtbot.waitUntil(window.is_idle)
    restored = collection.get(first)
    assert restored.note == "keep me" and restored.tags == ["precious"]
    assert window.model.row_of(second) is not None

    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: collection.stats().papers == papers - 2)


def test_undo_and_redo_of_a_mark_a_tag_and_a_note(qtbot, window, collection):
    paper_id = select_row(qtbot, window, 0)
    window.mark([paper_id], "read")
    window.detail.tag_editor.add_tag("deep")
    editor = note_editor(window)
    editor.setFocus()
    qtbot.keyClicks(editor, "one")
    window.flush_note()
    qtbot.keyClicks(editor, " two")
    window.flush_note()
    qtbot.waitUntil(window.is_idle)
    paper = collection.get(paper_id)
    assert (paper.status, paper.tags, paper.note) == ("read", ["deep"], "one two")

    stack = window.undo_stack
    assert stack.count() == 3  # the two note saves merged into one step
    stack.undo()
    qtbot.waitUntil(lambda: collection.get(paper_id).note == "")
    qtbot.waitUntil(window.is_idle)
    assert note_editor(window).toPlainText() == ""
    stack.undo()
    qtbot.waitUntil(lambda: collection.get(paper_id).tags == [])
    stack.undo()
    qtbot.waitUntil(lambda: collection.get(paper_id).status == "unread")
    stack.redo()
    stack.redo()
    stack.redo()
    qtbot.waitUntil(window.is_idle)
    paper = collection.get(paper_id)
    assert (paper.status, paper.tags, paper.note) == ("read", ["deep"], "one two")


def test_sorting_by_clicking_headers_goes_through_the_core(qtbot, window, collection):
    header = window.table.horizontalHeader()
    header.sectionClicked.emit(DATE)
    assert window.model.ids() == collection.list_ids(sort="published", descending=True)
    assert header.sortIndicatorSection() == DATE
    header.sectionClicked.emit(DATE)
    assert window.model.ids() == collection.list_ids(sort="published", descending=False)
    header.sectionClicked.emit(TITLE)
    assert window.model.ids() == collection.list_ids(sort="title")

    # A new search starts in rank order; clearing it brings the sort back.
    window.search.set_query("attention")
    assert window.model.ids() == collection.list_ids(query="attention", sort=None)
    assert not header.isSortIndicatorShown()
    window.search.set_query("")
    assert window.model.ids() == collection.list_ids(sort="title")


def test_window_state_and_sort_are_remembered(qtbot, window, collection, window_factory):
    window.table.horizontalHeader().sectionClicked.emit(TITLE)
    window.table.setColumnWidth(BYLINE, 133)
    window.close()

    again = window_factory(collection)
    try:
        again.resize(1400, 860)  # the offscreen screen is small: restored windows shrink
        qtbot.waitUntil(lambda: again.table.columnWidth(BYLINE) == 133)
        assert again.model.listing.sort == "title"
        assert again.model.ids() == collection.list_ids(sort="title")
    finally:
        again.shut_down()


def test_saved_searches_save_run_rename_and_delete(qtbot, window, collection):
    window.search.set_query("attention")
    window.sidebar.save_button.click()
    dialog = window.last_dialog
    # The dialog shows the query it keeps and how many papers it finds.
    assert dialog.query_label.text() == "attention"
    assert dialog.query_label.textFormat() == Qt.TextFormat.PlainText
    matches = len(collection.list_ids(query="attention", sort=None))
    assert dialog.found_label.text() == f"Finds {matches} papers now."
    dialog.name_field.setText("")
    assert not dialog.ok_button.isEnabled()
    dialog.name_field.setText("Attention")
    dialog.accept()
    qtbot.waitUntil(lambda: [s.name for s in collection.saved_searches()] == ["Attention"])
    qtbot.waitUntil(lambda: window.sidebar.saved.topLevelItemCount() == 1)

    window.search.set_query("")
    item = window.sidebar.saved.topLevelItem(0)
    window.sidebar.saved.itemClicked.emit(item, 0)
    assert window.search.query() == "attention"
    assert window.model.ids() == collection.list_ids(query="attention", sort=None)

    # Saved searches show how many papers they find.
    qtbot.waitUntil(lambda: window.sidebar.saved.topLevelItem(0).text(1) == str(matches))

    search_id = collection.saved_searches()[0].id
    window.sidebar.renameSavedSearchRequested.emit(search_id, "Attention")
    dialog = window.last_dialog
    dialog.name_field.setText("Attention papers")
    dialog.accept()
    qtbot.waitUntil(lambda: [s.name for s in collection.saved_searches()] == ["Attention papers"])

    window.sidebar.deleteSavedSearchRequested.emit(search_id)
    qtbot.waitUntil(lambda: collection.saved_searches() == [])
    qtbot.waitUntil(lambda: window.sidebar.saved.topLevelItemCount() == 0)


def test_views_in_the_sidebar_filter_the_table(qtbot, window, collection):
    ids = window.model.ids()
    collection.mark(ids[:3], "read")
    collection.set_note(ids[0], "noted")
    window.refresh_stats()
    qtbot.waitUntil(lambda: window.sidebar_stats.read == 3)
    window.sidebar.select_view("read")
    assert sorted(window.model.ids()) == sorted(ids[:3])
    window.sidebar.select_view("notes")
    assert window.model.ids() == [ids[0]]
    window.sidebar.select_view("unread")
    assert window.model.rowCount() == len(ids) - 3
    assert isinstance(window.sidebar, Sidebar)


def test_similar_papers_select_the_paper(qtbot, window, collection):
    first = select_row(qtbot, window, 0)
    similar = collection.similar(first, limit=3)
    assert similar
    target = similar[0][0].id
    window.search.set_query("zzzznothing")
    window.detail.similarActivated.emit(target)
    assert window.current_paper_id() == target


def test_f1_and_question_mark_list_the_shortcuts(qtbot, window):
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    assert isinstance(window.last_dialog, ShortcutsDialog)
    window.last_dialog.close()
    window.last_dialog = None
    qtbot.keyClick(window.table, "?")
    assert isinstance(window.last_dialog, ShortcutsDialog)
    window.last_dialog.close()


def test_about_shows_the_version(qtbot, window):
    from readinglist import __version__

    window.menu_actions.about.trigger()
    box = window.last_dialog
    assert __version__ in box.text()
    box.close()


def test_the_context_menu_offers_the_selection_actions(window):
    texts = [a.text().split("\t")[0] for a in window.table.actions()]
    assert "&Delete" in texts and "&Add tags…" in texts and "&Export notes…" in texts
    assert window.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu


def test_empty_library_says_what_to_do(qtbot, empty_window):
    assert empty_window.table_stack.currentWidget() is empty_window.empty
    assert "Drop page dumps here, or press Ctrl+O" in empty_window.empty.text()
    assert empty_window.empty.import_button.isVisibleTo(empty_window)
    assert empty_window.detail.current_paper_id() is None


def test_a_search_without_matches_says_so(qtbot, window):
    window.search.set_query("zzzznothing")
    assert window.table_stack.currentWidget() is window.empty
    assert "zzzznothing" in window.empty.text()
    assert window.count_label.text() == "0 matches"


def test_markup_in_a_title_is_shown_as_text(qtbot, window, collection, zebra_dump, markup_title):
    collection.import_paths([zebra_dump])
    window.search.set_query("zebra stripes")
    paper_id = window.model.ids()[0]
    assert collection.get(paper_id).title == markup_title
    row = window.model.row_of(paper_id)
    select_row(qtbot, window, row)

    assert window.model.index(row, TITLE).data() == markup_title
    tooltip = window.model.index(row, TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "<script>" not in tooltip and "&lt;script&gt;" in tooltip
    assert window.detail.title_label.text() == markup_title
    assert window.detail.title_label.textFormat() == Qt.TextFormat.PlainText
    # The highlighted title keeps the markup as text, only <b> marks the hit.
    qtbot.waitUntil(lambda: window.model.has_highlight(paper_id))
    highlighted = window.model.index(row, TITLE).data(Qt.ItemDataRole.UserRole + 2)
    assert "<script>" not in highlighted and "&lt;script&gt;" in highlighted
    # No label anywhere in the window renders it as rich text.
    for label in window.findChildren(QLineEdit):
        assert "<script>" not in label.text() or label is window.search.field
    QApplication.processEvents()
    window.table.viewport().grab()  # paints the highlighted row without errors


def test_selection_actions_need_a_selection(window):
    assert window.menu_actions.delete.isEnabled()
    window.table.clearSelection()
    assert not window.menu_actions.delete.isEnabled()
    assert not window.menu_actions.toggle_read.isEnabled()


def test_undo_from_the_table_takes_back_the_note_being_typed(qtbot, window, collection):
    paper_id = select_row(qtbot, window, 0)
    editor = note_editor(window)
    editor.setFocus()
    qtbot.keyClicks(editor, "draft")
    window.table.setFocus()  # leaving the pane saves the note: it becomes undoable
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.undo_stack.index() == 0 and window.undo_stack.count() == 1)
    qtbot.waitUntil(window.is_idle)
    assert collection.get(paper_id).note == ""
    assert note_editor(window).toPlainText() == ""
    window.menu_actions.redo.trigger()
    qtbot.waitUntil(lambda: collection.get(paper_id).note == "draft")
