"""Undo commands on their own: each runs on the worker, undo puts the old state back."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from readinglist.gui.undo import (
    DeleteCommand,
    NoteCommand,
    UndoContext,
    add_tags_command,
    mark_command,
)
from readinglist.gui.worker import Worker


@pytest.fixture
def undo(qtbot, collection):
    worker = Worker()
    changes: list[tuple[str, list[int]]] = []
    context = UndoContext(collection, worker, lambda kind, ids: changes.append((kind, ids)))
    stack = QUndoStack()
    yield stack, context, changes
    worker.shutdown()


def settle(qtbot, context) -> None:
    qtbot.waitUntil(context.worker.is_idle)


def test_mark_and_tags_undo_to_the_recorded_state(qtbot, collection, undo):
    stack, context, changes = undo
    ids = collection.list_ids()[:3]
    collection.add_tags(ids[:1], ["kept"])
    stack.push(mark_command(context, ids, "read"))
    stack.push(add_tags_command(context, ids, ["new"]))
    settle(qtbot, context)
    assert all(p.status == "read" and "new" in p.tags for p in collection.get_many(ids))
    assert changes == [("status", ids), ("tags", ids)]
    assert stack.undoText() == "Add tag new"

    stack.undo()
    stack.undo()
    settle(qtbot, context)
    papers = collection.get_many(ids)
    assert [p.status for p in papers] == ["unread"] * 3
    assert [p.tags for p in papers] == [["kept"], [], []]


def test_note_edits_of_one_paper_merge(qtbot, collection, undo):
    stack, context, _changes = undo
    first, second = collection.list_ids()[:2]
    stack.push(NoteCommand(context, first, "a"))
    stack.push(NoteCommand(context, first, "ab"))
    stack.push(NoteCommand(context, second, "other"))
    settle(qtbot, context)
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    settle(qtbot, context)
    assert collection.get(first).note == "" and collection.get(second).note == ""
    stack.redo()
    settle(qtbot, context)
    assert collection.get(first).note == "ab"


def test_delete_is_undone_by_restore(qtbot, collection, undo):
    stack, context, changes = undo
    ids = collection.list_ids()[:2]
    collection.set_note(ids[0], "precious")
    papers = collection.stats().papers
    stack.push(DeleteCommand(context, ids))
    settle(qtbot, context)
    assert collection.stats().papers == papers - 2
    stack.undo()
    settle(qtbot, context)
    assert collection.stats().papers == papers
    assert collection.get(ids[0]).note == "precious"
    assert [kind for kind, _ in changes] == ["delete", "restore"]
    assert collection.list_ids(query="precious", sort=None) == [ids[0]]  # the index followed
