"""The note editor on its own: debounce, flush, preview, outside updates."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtGui import QTextCursor

from readinglist.gui.widgets.note_editor import NoteEditor, render_markdown


@pytest.fixture
def note(qtbot) -> NoteEditor:
    editor = NoteEditor(debounce_ms=50)
    qtbot.addWidget(editor)
    return editor


def test_loading_a_note_emits_nothing(qtbot, note: NoteEditor) -> None:
    with qtbot.assertNotEmitted(note.noteChanged):
        note.set_text("loaded")
        note.flush()
    assert note.text() == "loaded" and not note.is_dirty()


def test_typing_is_emitted_once_after_a_pause(qtbot, note: NoteEditor) -> None:
    note.set_text("")
    seen = []
    note.noteChanged.connect(seen.append)
    with qtbot.waitSignal(note.noteChanged) as signal:
        qtbot.keyClicks(note.editor, "one two")
    assert signal.args == ["one two"]
    assert seen == ["one two"] and not note.is_dirty()


def test_typing_back_to_the_saved_text_emits_nothing(qtbot, note: NoteEditor) -> None:
    note.set_text("same")
    note.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(note.editor, "x")
    qtbot.keyClick(note.editor, "\b")
    with qtbot.assertNotEmitted(note.noteChanged):
        note.flush()


def test_update_text_keeps_pending_typing(qtbot, note: NoteEditor) -> None:
    note.set_text("base")
    note.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(note.editor, "!")
    assert note.update_text("other") is False
    assert note.text() == "base!"


def test_update_text_clamps_the_cursor(note: NoteEditor) -> None:
    note.set_text("a long note here")
    cursor = note.editor.textCursor()
    cursor.setPosition(12)
    note.editor.setTextCursor(cursor)
    assert note.update_text("short") is True
    assert note.text() == "short"
    assert note.editor.textCursor().position() == 5


def test_update_text_with_keep_newer_ignores_a_stale_note(qtbot, note: NoteEditor) -> None:
    note.set_text("v1")
    note.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(note.editor, "+")
    note.flush()
    assert note.update_text("v1", keep_newer=True) is False  # read before the save landed
    assert note.text() == "v1+"
    assert note.update_text("v0", keep_newer=True) is True  # really changed elsewhere
    assert note.text() == "v0"


def test_preview_renders_markdown_without_html(qtbot, note: NoteEditor) -> None:
    note.set_text("## Steps\n\n- [x] read\n- <img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|")
    note.set_preview(True)
    assert note.is_previewing() and note.preview_button.text() == "Edit"
    shown = note.preview.document().toPlainText()
    assert "Steps" in shown and "<img src=x onerror=alert(1)>" in shown
    assert "##" not in shown
    html = note.preview.document().toHtml()
    assert "<img" not in html
    # Typing in the editor does not change the preview until it is shown again.
    note.set_preview(False)
    assert note.preview_button.text() == "Preview"


def test_empty_note_preview_says_so(note: NoteEditor) -> None:
    note.set_text("")
    note.set_preview(True)
    assert "No note yet" in note.preview.document().toPlainText()


def test_headings_are_sized_for_a_note(qtbot) -> None:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    render_markdown(document, "# Big\n\nbody")
    heading = document.begin().begin().fragment().charFormat()
    body = document.defaultFont().pointSizeF()
    assert body < heading.fontPointSize() <= body * 1.5
