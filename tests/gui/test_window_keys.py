"""The keyboard in the real window, keys sent back to back as a fast typist sends them.

The note in sight after Enter, tag suggestions taken at speed, Escape back
to the list, the first click on the list while suggestions are open, t and s.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from user_input import click, press, show_in_table

from readinglist.gui.models.paper_table import TITLE


def _longest_abstract(collection) -> int:
    papers = collection.get_many(collection.list_ids())
    return max(papers, key=lambda p: len(p.abstract)).id


def _wholly_visible(widget) -> bool:
    """True when no part of `widget` is clipped by a parent (a scroll area, the pane's edge)."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_enter_on_a_long_abstract_lands_in_a_note_that_is_in_sight(qtbot, window, collection):
    window.resize(1000, 700)
    paper_id = _longest_abstract(collection)
    show_in_table(qtbot, window, paper_id)
    pane = window.detail
    assert pane.scroll_area.verticalScrollBar().maximum() > 0  # the abstract alone overflows

    press(window, Qt.Key.Key_Return, "First line\nsecond line\nthird line\nfourth line")

    editor = pane.note_editor.editor
    assert editor.hasFocus()
    assert editor.toPlainText() == "First line\nsecond line\nthird line\nfourth line"
    # The note and the tags are never inside the abstract's scroll area: both
    # are whole on screen, however long the abstract.
    assert not pane.scroll_area.isAncestorOf(editor)
    assert _wholly_visible(editor)
    assert _wholly_visible(pane.tag_editor.field)
    bottom = editor.mapTo(window, QPoint(0, editor.height())).y()
    assert bottom <= window.statusBar().mapTo(window, QPoint(0, 0)).y()
    # All four lines show in the editor, the first as well as the one typed last.
    assert editor.firstVisibleBlock().blockNumber() == 0
    cursor = editor.cursorRect()
    assert cursor.top() >= 0 and cursor.bottom() <= editor.viewport().height()
    assert editor.viewport().height() >= 5 * editor.fontMetrics().lineSpacing()


def test_a_suggestion_taken_at_speed_leaves_the_field_empty(qtbot, window, collection):
    others = window.model.ids()[5:8]
    collection.add_tags(others, ["training", "transformers", "tree search"])
    paper_id = window.model.id_at(0)
    show_in_table(qtbot, window, paper_id)
    window.detail.tag_editor.set_known_tags(collection.all_tags())

    # t (to the tags), t, r, Down, Return, then the next tag, with no pause anywhere.
    press(window, "t", "tr", Qt.Key.Key_Down, Qt.Key.Key_Return)
    field = window.detail.tag_editor.field
    assert field.text() == ""
    assert window.detail.tag_editor.tags() == ["training"]
    press(window, "efficient attention", Qt.Key.Key_Return)
    assert field.text() == ""
    assert window.detail.tag_editor.tags() == ["training", "efficient attention"]
    qtbot.waitUntil(window.is_idle)
    assert sorted(collection.get(paper_id).tags) == ["efficient attention", "training"]


def test_press_t_to_tag_and_a_suggestion_by_tab(qtbot, window, collection):
    collection.add_tags(window.model.ids()[5:6], ["robotics"])
    paper_id = window.model.id_at(0)
    show_in_table(qtbot, window, paper_id)
    press(window, "t")  # t in the list goes to the tag field
    assert window.detail.tag_editor.field.hasFocus()
    press(window, "rob", Qt.Key.Key_Down, Qt.Key.Key_Tab, "later", Qt.Key.Key_Return)
    assert window.detail.tag_editor.tags() == ["robotics", "later"]
    assert window.detail.tag_editor.field.text() == ""


def test_escape_in_the_tags_or_the_note_goes_back_to_the_list(qtbot, window, collection):
    first = window.model.id_at(0)
    show_in_table(qtbot, window, first)
    press(window, "t", "half a tag", Qt.Key.Key_Escape, "j")
    assert window.table.hasFocus()
    assert window.current_paper_id() == window.model.id_at(1)  # j moved, it was not typed
    assert window.detail.tag_editor.tags() == []

    press(window, Qt.Key.Key_Return, "a thought", Qt.Key.Key_Escape, "j")
    assert window.table.hasFocus()
    assert window.current_paper_id() == window.model.id_at(2)
    qtbot.waitUntil(window.is_idle)
    assert collection.get(window.model.id_at(1)).note == "a thought"  # Escape saved it


def test_the_first_click_on_the_list_selects_even_with_suggestions_open(qtbot, window, collection):
    collection.add_tags(window.model.ids()[5:6], ["transformers"])
    show_in_table(qtbot, window, window.model.id_at(0))
    press(window, "t", "tr")
    popup = window.detail.tag_editor.completer.popup()
    qtbot.waitUntil(popup.isVisible)

    target = window.model.index(3, TITLE)
    click(window, window.table.viewport(), window.table.visualRect(target).center())
    assert not popup.isVisible()
    assert window.table.currentIndex().row() == 3
    assert window.table.hasFocus()
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == window.model.id_at(3))


def test_s_goes_to_the_similar_papers_and_enter_opens_one(qtbot, window, collection):
    first = window.model.id_at(0)
    show_in_table(qtbot, window, first)
    press(window, "s")
    similar = window.detail.similar_list
    assert similar.hasFocus() and similar.currentRow() == 0
    chosen = similar.currentItem().data(Qt.ItemDataRole.UserRole)
    press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_paper_id() == chosen)


def test_the_similar_list_shows_every_row_whole(qtbot, window, collection):
    show_in_table(qtbot, window, window.model.id_at(0))
    similar = window.detail.similar_list
    qtbot.waitUntil(lambda: similar.count() >= 7)
    window.detail.scroll_area.ensureWidgetVisible(similar)
    for row in range(similar.count()):
        rect = similar.visualItemRect(similar.item(row))
        assert rect.top() >= 0 and rect.bottom() <= similar.viewport().height(), row
