"""The tag editor on its own: chips, normalising, keyboard."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt

from readinglist.gui.widgets.tag_editor import TagEditor, normalise_tags


@pytest.fixture
def tags(qtbot) -> TagEditor:
    editor = TagEditor()
    qtbot.addWidget(editor)
    return editor


def test_normalise_tags_folds_case_and_space() -> None:
    assert normalise_tags(["  ML ", "ml", "deep   learning", "", ",x,"]) == [
        "ML",
        "deep learning",
        "x",
    ]


def test_set_tags_is_silent_and_shows_chips(qtbot, tags: TagEditor) -> None:
    with qtbot.assertNotEmitted(tags.tagsChanged):
        tags.set_tags(["b", "a", "B"])
    assert tags.tags() == ["b", "a"]
    assert [chip.name for chip in tags._chips] == ["b", "a"]


def test_adding_a_tag_already_there_changes_nothing(qtbot, tags: TagEditor) -> None:
    tags.set_tags(["Vision"])
    with qtbot.assertNotEmitted(tags.tagsChanged):
        qtbot.keyClicks(tags.field, "vision")
        qtbot.keyClick(tags.field, Qt.Key.Key_Return)
    assert tags.tags() == ["Vision"]


def test_backspace_in_a_non_empty_field_edits_text(qtbot, tags: TagEditor) -> None:
    tags.set_tags(["keep"])
    qtbot.keyClicks(tags.field, "ab")
    with qtbot.assertNotEmitted(tags.tagsChanged):
        qtbot.keyClick(tags.field, Qt.Key.Key_Backspace)
    assert tags.field.text() == "a" and tags.tags() == ["keep"]


def test_completions_leave_out_tags_on_the_paper(tags: TagEditor) -> None:
    tags.set_known_tags(["alpha", "beta", "gamma"])
    tags.set_tags(["beta"])
    assert tags._completion_model.stringList() == ["alpha", "gamma"]
    tags.add_tag("alpha")
    assert tags._completion_model.stringList() == ["gamma"]


def test_chips_wrap_to_the_width(qtbot, tags: TagEditor) -> None:
    tags.set_tags([f"tag number {i}" for i in range(12)])
    narrow = tags.layout().heightForWidth(200)
    wide = tags.layout().heightForWidth(2000)
    assert narrow > wide > 0
