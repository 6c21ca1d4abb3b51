"""The detail pane over a real library built from the dumps."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCursor, QTextDocument
from PySide6.QtWidgets import QToolButton
from widget_fixtures import collection_fixture, library_template_fixture, paper_with  # noqa: F401

from readinglist.collection import Collection
from readinglist.gui.text import display_latex
from readinglist.gui.widgets.detail_pane import EMPTY_TEXT, DetailPane

MARKUP_DUMP = """\
<b>Bold</b> claims<script>alert(1)</script> about <a href="http://x">links</a> & things

We show that <i>markup</i> in an abstract & <img src=x onerror=alert(1)> stays text, \
while transformers model language.

  • 3 authors

·

Jan 29, 2024 7
"""


@pytest.fixture
def pane(qtbot, collection: Collection) -> DetailPane:
    widget = DetailPane(collection)
    qtbot.addWidget(widget)
    widget.resize(560, 900)
    return widget


def _rendered(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(html)
    return document


def _bold_runs(document: QTextDocument) -> list[str]:
    runs = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                runs.append(fragment.text())
            fragments += 1
        block = block.next()
    return runs


def _with_metadata(collection: Collection) -> int:
    return paper_with(collection, lambda p: p.authors and p.published and p.upvotes is not None)


def test_empty_state_until_a_paper_is_shown(pane: DetailPane) -> None:
    assert pane.current_paper_id() is None
    assert pane.stack.currentWidget() is not pane.body
    assert pane.empty_label.text() == EMPTY_TEXT


def test_showing_a_paper_fills_the_fields(pane: DetailPane, collection: Collection) -> None:
    paper = collection.get(_with_metadata(collection))
    pane.show_paper(paper)
    assert pane.current_paper_id() == paper.id
    assert pane.stack.currentWidget() is pane.body
    assert pane.title_label.text() == paper.title
    meta = pane.meta_label.text()
    assert f"{paper.authors} author" in meta
    assert str(paper.published.year) in meta
    assert f"▲ {paper.upvotes}" in meta
    shown = _rendered(pane.abstract_label.text()).toPlainText()
    assert shown == display_latex(paper.abstract)
    assert pane.status_button.text() == "Mark as read"
    assert pane.status_label.text() == "Unread"
    assert pane.note_editor.text() == paper.note
    assert pane.tag_editor.tags() == paper.tags
    assert pane.provenance_label.text().startswith("Imported from ")
    assert pane.provenance_label.text().count(".txt") == 1

    pane.show_paper(None)
    assert pane.current_paper_id() is None
    assert pane.stack.currentWidget() is not pane.body


def test_markup_from_a_dump_shows_as_text(pane: DetailPane, collection: Collection) -> None:
    report = collection.run_import(collection.plan_text(MARKUP_DUMP, "markup.txt"))
    [paper] = collection.get_many(report.changed_ids)
    assert paper.title.startswith("<b>Bold</b>")
    pane.show_paper(paper, query="markup transformers")

    assert pane.title_label.textFormat() == Qt.TextFormat.PlainText
    assert pane.title_label.text() == paper.title
    abstract_html = pane.abstract_label.text()
    assert "<img" not in abstract_html and "<i>" not in abstract_html
    assert _rendered(abstract_html).toPlainText() == paper.abstract
    assert pane.provenance_label.textFormat() == Qt.TextFormat.PlainText


def test_search_hits_are_bold_in_the_whole_abstract(
    pane: DetailPane, collection: Collection
) -> None:
    paper_id = paper_with(collection, lambda p: p.abstract.lower().count("transformer") >= 3)
    paper = collection.get(paper_id)
    pane.show_paper(paper, query="transformer")
    document = _rendered(pane.abstract_label.text())
    assert document.toPlainText() == display_latex(paper.abstract)
    runs = _bold_runs(document)
    assert runs and all(r.lower().startswith("transformer") for r in runs)
    # Every occurrence, not only those in the index's best passages.
    expected = sum(1 for w in paper.abstract.split() if w.lower().startswith("transformer"))
    assert len(runs) >= min(expected, 3)

    pane.show_paper(paper, query="")
    assert _bold_runs(_rendered(pane.abstract_label.text())) == []


def test_a_bad_query_only_means_no_highlights(pane: DetailPane, collection: Collection) -> None:
    paper = collection.get(collection.list_ids()[0])
    pane.show_paper(paper, query='title:"unclosed AND (')
    assert _rendered(pane.abstract_label.text()).toPlainText() == display_latex(paper.abstract)


def test_status_toggle_emits_and_shows_the_new_state(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper = collection.get(collection.list_ids()[0])
    pane.show_paper(paper)
    with qtbot.waitSignal(pane.statusToggled) as signal:
        qtbot.mouseClick(pane.status_button, Qt.MouseButton.LeftButton)
    assert signal.args == [paper.id, "read"]
    assert pane.status_button.text() == "Mark as unread"
    with qtbot.waitSignal(pane.statusToggled) as signal:
        qtbot.mouseClick(pane.status_button, Qt.MouseButton.LeftButton)
    assert signal.args == [paper.id, "unread"]


def test_tag_editing_emits_the_full_list_and_completes_known_tags(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    first, second = collection.list_ids()[:2]
    collection.set_tags(second, ["robotics", "reinforcement learning"])
    collection.set_tags(first, ["llm"])
    pane.show_paper(collection.get(first))
    assert pane.tag_editor.tags() == ["llm"]

    completer = pane.tag_editor.completer
    completer.setCompletionPrefix("robo")
    assert completer.currentCompletion() == "robotics"
    completer.setCompletionPrefix("learn")
    assert completer.currentCompletion() == "reinforcement learning"
    completer.setCompletionPrefix("llm")  # already on the paper: not offered
    assert completer.completionCount() == 0

    # Typed tags, Enter with no suggestion chosen: the typed text.
    field = pane.tag_editor.field
    with qtbot.waitSignal(pane.tagsEdited) as signal:
        qtbot.keyClicks(field, "Robotics")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    # The library's spelling wins over the typed case.
    assert signal.args == [first, ["llm", "robotics"]]
    assert field.text() == ""

    edits = []
    pane.tagsEdited.connect(lambda *args: edits.append(args))
    qtbot.keyClicks(field, "a, b,")  # a comma ends a tag
    assert edits == [(first, ["llm", "robotics", "a"]), (first, ["llm", "robotics", "a", "b"])]

    with qtbot.waitSignal(pane.tagsEdited) as signal:
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert signal.args == [first, ["llm", "robotics", "a"]]

    chip = next(c for c in pane.tag_editor._chips if c.name == "robotics")
    with qtbot.waitSignal(pane.tagsEdited) as signal:
        chip.findChild(QToolButton).click()
    assert signal.args == [first, ["llm", "a"]]


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: popups cannot grab
def test_choosing_a_completion_adds_that_tag(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    first, second = collection.list_ids()[:2]
    collection.set_tags(second, ["robotics"])
    pane.show_paper(collection.get(first))
    pane.show()
    qtbot.waitExposed(pane)
    field = pane.tag_editor.field
    field.setFocus()
    qtbot.keyClicks(field, "rob")
    popup = pane.tag_editor.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    with qtbot.waitSignal(pane.tagsEdited) as signal:
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert signal.args == [first, ["robotics"]]
    assert field.text() == ""


def test_note_is_emitted_once_after_typing_stops(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper = collection.get(collection.list_ids()[0])
    pane.show_paper(paper)
    emitted = []
    pane.noteChanged.connect(lambda *args: emitted.append(args))
    with qtbot.waitSignal(pane.noteChanged, timeout=5000) as signal:
        qtbot.keyClicks(pane.note_editor.editor, "Good idea")
    assert signal.args == [paper.id, "Good idea"]
    assert emitted == [(paper.id, "Good idea")]
    pane.flush_note()  # nothing pending any more
    assert emitted == [(paper.id, "Good idea")]


def test_flush_note_emits_at_once(qtbot, pane: DetailPane, collection: Collection) -> None:
    paper = collection.get(collection.list_ids()[0])
    pane.show_paper(paper)
    qtbot.keyClicks(pane.note_editor.editor, "draft")
    with qtbot.waitSignal(pane.noteChanged, timeout=100) as signal:
        pane.flush_note()
    assert signal.args == [paper.id, "draft"]
    with qtbot.assertNotEmitted(pane.noteChanged):
        pane.flush_note()


def test_switching_paper_flushes_the_note_to_its_own_paper(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    first, second = collection.get_many(collection.list_ids()[:2])
    collection.set_note(second.id, "second's note")
    second = collection.get(second.id)
    pane.show_paper(first)
    qtbot.keyClicks(pane.note_editor.editor, "about the first")
    with qtbot.waitSignal(pane.noteChanged, timeout=100) as signal:
        pane.show_paper(second)
    assert signal.args == [first.id, "about the first"]
    assert pane.note_editor.text() == "second's note"
    pane.note_editor.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.note_editor.editor, "!")
    with qtbot.waitSignal(pane.noteChanged, timeout=100) as signal:
        pane.show_paper(None)  # the empty state flushes too
    assert signal.args == [second.id, "second's note!"]


def test_switching_without_edits_emits_nothing(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    first, second = collection.get_many(collection.list_ids()[:2])
    pane.show_paper(first)
    with qtbot.assertNotEmitted(pane.noteChanged):
        pane.show_paper(second)
        pane.show_paper(None)


def test_preview_renders_markdown_but_not_raw_html(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper_id = collection.list_ids()[0]
    collection.set_note(paper_id, "# Plan\n\n**read** it <b>raw</b><script>alert(1)</script>")
    pane.show_paper(collection.get(paper_id))
    note = pane.note_editor
    qtbot.mouseClick(note.preview_button, Qt.MouseButton.LeftButton)
    assert note.is_previewing()
    document = note.preview.document()
    shown = document.toPlainText()
    assert "Plan" in shown and "# Plan" not in shown
    assert "<b>raw</b><script>alert(1)</script>" in shown
    assert document.begin().blockFormat().headingLevel() == 1
    runs = _bold_runs(document)
    assert "Plan" in runs and "read" in runs
    qtbot.mouseClick(note.preview_button, Qt.MouseButton.LeftButton)
    assert not note.is_previewing()


def test_refresh_keeps_unsaved_typing_and_cursor(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper_id = collection.list_ids()[0]
    collection.set_note(paper_id, "old note")
    pane.show_paper(collection.get(paper_id))
    editor = pane.note_editor.editor
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " + typing")
    position = editor.textCursor().position()

    collection.set_tags(paper_id, ["undone"])
    collection.mark([paper_id], "read")
    collection.set_note(paper_id, "changed elsewhere")
    pane.refresh(collection.get(paper_id))
    assert pane.note_editor.text() == "old note + typing"
    assert editor.textCursor().position() == position
    assert pane.tag_editor.tags() == ["undone"]
    assert pane.status_button.text() == "Mark as unread"
    assert pane.status_label.text().startswith("Read")


def test_refresh_takes_an_undone_note_and_keeps_the_cursor(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper_id = collection.list_ids()[0]
    collection.set_note(paper_id, "first line\nsecond line")
    pane.show_paper(collection.get(paper_id))
    editor = pane.note_editor.editor
    cursor = editor.textCursor()
    cursor.setPosition(5)
    editor.setTextCursor(cursor)
    collection.set_note(paper_id, "first line\nsecond line, undone")
    with qtbot.assertNotEmitted(pane.noteChanged):
        pane.refresh(collection.get(paper_id))
    assert pane.note_editor.text() == "first line\nsecond line, undone"
    assert editor.textCursor().position() == 5
    # A refresh of another paper is ignored.
    other = collection.get(collection.list_ids()[1])
    pane.refresh(other)
    assert pane.current_paper_id() == paper_id


def test_reshowing_the_same_paper_keeps_just_flushed_typing(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper = collection.get(collection.list_ids()[0])
    pane.show_paper(paper)
    qtbot.keyClicks(pane.note_editor.editor, "fresh")
    with qtbot.waitSignal(pane.noteChanged, timeout=100):
        pane.show_paper(paper, query="transformer")  # the paper object predates the save
    assert pane.note_editor.text() == "fresh"


def test_similar_papers_list_and_activation(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper = collection.get(collection.list_ids()[0])
    collection.set_note(paper.id, "a note, so the index holds a newer version of it")
    pane.show_paper(collection.get(paper.id))
    listing = pane.similar_list
    qtbot.waitUntil(lambda: listing.count() > 0)
    ids = [listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listing.count())]
    assert paper.id not in ids and len(ids) == len(set(ids))
    assert listing.item(0).text() == collection.get(ids[0]).title
    pane.show()
    qtbot.waitExposed(pane)
    rect = listing.visualItemRect(listing.item(0))
    with qtbot.waitSignal(pane.similarActivated) as signal:
        qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [ids[0]]
    listing.setCurrentRow(1)
    with qtbot.waitSignal(pane.similarActivated) as signal:
        qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert signal.args == [ids[1]]


def test_focus_note_puts_the_keyboard_in_the_editor(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    paper_id = collection.list_ids()[0]
    collection.set_note(paper_id, "some words")
    pane.show_paper(collection.get(paper_id))
    pane.note_editor.set_preview(True)
    pane.focus_note()
    assert not pane.note_editor.is_previewing()
    qtbot.waitUntil(pane.note_editor.editor.hasFocus)
    editor = pane.note_editor.editor
    assert editor.textCursor().atEnd()


def test_the_callers_paper_object_is_never_changed(
    qtbot, pane: DetailPane, collection: Collection
) -> None:
    paper = collection.get(collection.list_ids()[0])
    pane.show_paper(paper)
    qtbot.mouseClick(pane.status_button, Qt.MouseButton.LeftButton)
    pane.tag_editor.add_tag("mine")
    qtbot.keyClicks(pane.note_editor.editor, "typed")
    pane.flush_note()
    assert (paper.status, paper.tags, paper.note) == ("unread", [], "")
