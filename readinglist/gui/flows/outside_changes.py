"""Changes made to the library by another readinglist, followed by the window.

The command line (a daily `readinglist import` from a script, a `mark` in a
terminal) and a second window write the same library file. Every POLL_MS the
reads worker asks the collection for the library's change counter; a change
the window did not make itself (it announces its own with `own_change`)
makes the window relist, recount and refresh the paper shown. Not while the
person is typing in the detail pane: the paper must not move from under the
cursor, so the window follows once focus leaves the pane.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from readinglist.gui.worker import Worker

# Often enough that a paper imported in a terminal is there when the person
# looks back at the window; the question is one row of one table.
POLL_MS = 2000


class OutsideChanges(QObject):
    """Polls the library's change counter and calls `follow` when another process changed it."""

    def __init__(
        self,
        reads: Worker,
        generation: Callable[[], int],
        follow: Callable[[], None],
        editing: Callable[[], bool],
        parent: QObject | None = None,
        interval_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._reads, self._generation = reads, generation
        self._follow, self._editing = follow, editing
        self._seen: int | None = None
        self._own = False  # the window wrote since the counter was last seen
        self._asking = False
        self._pending = False  # a change to follow once the typing is done
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms or POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Learn the counter as it is now, then keep asking."""
        self.poll()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def own_change(self) -> None:
        """The window's own write landed: the counter's next step is not news."""
        self._own = True

    def poll(self) -> None:
        """Ask for the counter now (one question at a time)."""
        if self._asking:
            return
        self._asking = True
        generation = self._generation
        self._reads.submit(
            lambda _task: generation(), on_done=self._answered, on_error=self._unanswered
        )

    def editing_ended(self) -> None:
        """Focus left the detail pane: follow a change that came while typing."""
        if self._pending:
            self._pending = False
            self._follow()

    def _answered(self, generation: int) -> None:
        self._asking = False
        # Consumed even by an answer that saw no step: a flag left over from a
        # write that changed nothing must not hide the next change from elsewhere
        # (at worst, a write of its own is followed once more, which is harmless).
        own, self._own = self._own, False
        if generation == self._seen:
            return
        first, self._seen = self._seen is None, generation
        if first or own:
            return
        if self._editing():
            self._pending = True
        else:
            self._follow()

    def _unanswered(self, _exc: BaseException) -> None:
        # The library cannot be read this moment (moved, busy): the window's
        # own next read or write says so; asking again later is enough here.
        self._asking = False
