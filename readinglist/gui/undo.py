"""Undoable changes: mark, tags, note, triage, year, delete, each run through the worker.

A command's redo and undo both queue on the serialized worker, so they run
in the order the person pressed them, and the state a change replaced is
recorded on the worker just before the change (`collection.states`). Undo
puts those states back (`restore_states`); a delete is undone by
`collection.restore` with the record the delete returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from readinglist.collection import Collection
from readinglist.gui.worker import Task, Worker
from readinglist.library.records import DeletedPapers
from readinglist.papers import Paper, Status, Triage

# QUndoCommand.id(): note edits of one paper merge into one undo step.
_NOTE_ID = 1


@dataclass(slots=True)
class UndoContext:
    """What commands need: the core, the worker, and who to tell when something changed.

    `changed(kind, ids)` runs on the GUI thread after each redo or undo;
    kind is "status", "tags", "note", "triage", "year", "delete" or "restore".
    """

    collection: Collection
    worker: Worker
    changed: Callable[[str, list[int]], None]


class _Record:
    """What a command's jobs share.

    A plain object: the jobs never touch the QUndoCommand itself, which the stack may delete (a
    merged note edit).
    """

    __slots__ = ("deleted", "states")

    def __init__(self) -> None:
        self.states: list[Paper] | None = None
        self.deleted: DeletedPapers | None = None


class StateCommand(QUndoCommand):
    """A change to the reader's part of papers, undone by restoring their states."""

    def __init__(
        self,
        context: UndoContext,
        text: str,
        kind: str,
        ids: Sequence[int],
        change: Callable[[Collection], object],
    ) -> None:
        super().__init__(text)
        self._context = context
        self._kind = kind
        self._ids = list(ids)
        self._change = change
        self._record = _Record()

    @property
    def ids(self) -> list[int]:
        return self._ids

    def redo(self) -> None:
        collection, ids, change, record = (
            self._context.collection,
            self._ids,
            self._change,
            self._record,
        )

        def job(_task: Task) -> None:
            record.states = collection.states(ids)
            change(collection)

        _submit(self._context, job, self._kind, ids)

    def undo(self) -> None:
        collection, record = self._context.collection, self._record

        def job(_task: Task) -> None:
            if record.states is not None:
                collection.restore_states(record.states)

        _submit(self._context, job, self._kind, self._ids)


def _submit(context: UndoContext, job: Callable[[Task], object], kind: str, ids: list[int]) -> None:
    changed = context.changed
    context.worker.submit(job, on_done=lambda _result: changed(kind, ids))


class NoteCommand(StateCommand):
    """A note edit; consecutive edits of one paper's note merge into one step."""

    def __init__(self, context: UndoContext, paper_id: int, note: str) -> None:
        self.paper_id = paper_id
        # A list, so the change closure sees a merged edit's newer text.
        self._note = [note]
        holder = self._note
        super().__init__(
            context, "Edit note", "note", [paper_id], lambda c: c.set_note(paper_id, holder[0])
        )

    @property
    def note(self) -> str:
        return self._note[0]

    def id(self) -> int:
        return _NOTE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NoteCommand) or other.paper_id != self.paper_id:
            return False
        # `other` has already been saved; undoing the merged step goes back to
        # the note as it was before the first edit, redoing to the latest text.
        self._note[0] = other.note
        return True


class DeleteCommand(QUndoCommand):
    """Delete papers; undo restores them with their ids, notes, tags and provenance."""

    def __init__(self, context: UndoContext, ids: Sequence[int]) -> None:
        count = len(ids)
        super().__init__("Delete paper" if count == 1 else f"Delete {count} papers")
        self._context = context
        self._ids = list(ids)
        self._record = _Record()

    def redo(self) -> None:
        collection, ids, record = self._context.collection, self._ids, self._record

        def job(_task: Task) -> None:
            record.deleted = collection.delete(ids)

        _submit(self._context, job, "delete", ids)

    def undo(self) -> None:
        collection, record = self._context.collection, self._record

        def job(_task: Task) -> None:
            if record.deleted is not None:
                collection.restore(record.deleted)

        _submit(self._context, job, "restore", self._ids)


def mark_command(context: UndoContext, ids: Sequence[int], status: Status) -> StateCommand:
    """An undoable command that marks the papers `ids` read or unread."""
    ids = list(ids)
    what = "read" if status == "read" else "unread"
    text = f"Mark {what}" if len(ids) == 1 else f"Mark {len(ids)} papers {what}"
    return StateCommand(context, text, "status", ids, lambda c: c.mark(ids, status))


def set_tags_command(context: UndoContext, paper_id: int, tags: Sequence[str]) -> StateCommand:
    """An undoable command that replaces one paper's tags with `tags`."""
    tags = list(tags)
    return StateCommand(
        context, "Edit tags", "tags", [paper_id], lambda c: c.set_tags(paper_id, tags)
    )


def add_tags_command(context: UndoContext, ids: Sequence[int], tags: Sequence[str]) -> StateCommand:
    """An undoable command that adds `tags` to the papers `ids`."""
    ids, tags = list(ids), list(tags)
    text = f"Add tag{'s' if len(tags) > 1 else ''} {', '.join(tags)}"
    return StateCommand(context, text, "tags", ids, lambda c: c.add_tags(ids, tags))


def remove_tags_command(
    context: UndoContext, ids: Sequence[int], tags: Sequence[str]
) -> StateCommand:
    """An undoable command that removes `tags` from the papers `ids`."""
    ids, tags = list(ids), list(tags)
    text = f"Remove tag{'s' if len(tags) > 1 else ''} {', '.join(tags)}"
    return StateCommand(context, text, "tags", ids, lambda c: c.remove_tags(ids, tags))


def triage_command(context: UndoContext, ids: Sequence[int], triage: Triage | None) -> StateCommand:
    """An undoable command that puts the papers `ids` aside (later, dismissed) or back (None)."""
    ids = list(ids)
    what = {"later": "Later", "dismissed": "Dismiss", None: "Back to the Inbox"}[triage]
    text = what if len(ids) == 1 else f"{what}: {len(ids)} papers"
    return StateCommand(context, text, "triage", ids, lambda c: c.set_triage(ids, triage))


def year_command(context: UndoContext, paper_id: int, year: int) -> StateCommand:
    """An undoable command that sets one paper's year."""
    return StateCommand(
        context, f"Set the year to {year}", "year", [paper_id], lambda c: c.set_year(paper_id, year)
    )
