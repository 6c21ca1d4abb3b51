"""A year guessed from the file's time is said so, and the user corrects it in the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from user_input import click, press

from readinglist.gui.text import YEAR_GUESSED


def _guessed_paper(collection):
    return next(p for p in collection.get_many(collection.list_ids()) if p.year_guessed)


def _show(qtbot, window, paper_id: int) -> None:
    window.show_paper_id(paper_id)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper_id)


def test_a_guessed_year_is_said_and_corrected_by_keyboard(qtbot, window, collection):
    paper = _guessed_paper(collection)
    _show(qtbot, window, paper.id)
    pane = window.detail
    assert f"{paper.published.year} ({YEAR_GUESSED})" in pane.meta_label.text()
    editor = pane.year_editor
    assert editor.isVisible() and editor.correct_button.isVisible()
    assert not editor.spin.isVisible()

    click(window, editor.correct_button)
    assert editor.spin.hasFocus() and editor.spin.value() == paper.published.year
    # The whole year is selected: typing replaces it, Enter sets it.
    press(window, "2023", Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_idle)
    corrected = collection.get(paper.id)
    assert corrected.published == paper.published.replace(year=2023)
    assert corrected.year_source == "user"
    qtbot.waitUntil(lambda: "2023" in pane.meta_label.text())
    assert YEAR_GUESSED not in pane.meta_label.text()
    assert not editor.isVisible()  # no longer a guess
    assert "2023" in window.statusBar().currentMessage()

    # Undo brings the guess back, in the library and on screen.
    window.undo_stack.undo()
    qtbot.waitUntil(window.is_idle)
    assert collection.get(paper.id).published == paper.published
    qtbot.waitUntil(lambda: YEAR_GUESSED in pane.meta_label.text())


def test_escape_closes_the_year_field_without_a_change(qtbot, window, collection):
    paper = _guessed_paper(collection)
    _show(qtbot, window, paper.id)
    editor = window.detail.year_editor
    click(window, editor.correct_button)
    press(window, "1999", Qt.Key.Key_Escape)
    assert not editor.spin.isVisible() and editor.correct_button.isVisible()
    qtbot.waitUntil(window.is_idle)
    assert collection.get(paper.id).published == paper.published
    assert window.undo_stack.count() == 0


def test_a_stated_year_offers_no_correction(qtbot, window, collection):
    stated = next(
        p
        for p in collection.get_many(collection.list_ids())
        if p.published is not None and not p.year_guessed
    )
    _show(qtbot, window, stated.id)
    assert not window.detail.year_editor.isVisible()
    assert YEAR_GUESSED not in window.detail.meta_label.text()
