"""Changes made to the library by another readinglist, followed by the window.

The command line (a daily `readinglist import` from a script, a `mark` in a
terminal) and a second window write the same library file. Every POLL_MS the
reads worker asks the collection whether the library's change counter moved
by a write of another process (`Collection.changed_elsewhere`: the window's
own writes do not count). If so, the window relists, recounts and refreshes
the paper shown. Not while the person is typing in the detail pane: the
paper must not move from under the cursor, so the window follows once focus
leaves the pane.

Saved searches step no counter (a query saved changes no paper): each
question also reads them, a handful of rows, and a list that differs from
the last one seen is shown again, whoever changed it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from readinglist.gui.worker import Worker

# Often enough that a paper imported in a terminal is there when the person
# looks back at the window; the question is one row of one table.
POLL_MS = 2000

# (the generation seen last, None at first) -> (the generation now, whether
# another process wrote since)
Ask = Callable[[int | None], tuple[int, bool]]


class OutsideChanges(QObject):
    """Asks about the library's change counter and calls `follow` when another process wrote."""

    def __init__(
        self,
        reads: Worker,
        changed_elsewhere: Ask,
        follow: Callable[[], None],
        editing: Callable[[], bool],
        parent: QObject | None = None,
        interval_ms: int | None = None,
        *,
        saved: Callable[[], object] = lambda: None,
        saved_changed: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._reads, self._changed_elsewhere = reads, changed_elsewhere
        self._follow, self._editing = follow, editing
        self._saved, self._saved_changed = saved, saved_changed
        self._seen: int | None = None
        self._saved_seen: object = None
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

    def poll(self) -> None:
        """Ask now (one question at a time)."""
        if self._asking:
            return
        self._asking = True
        seen, changed_elsewhere, saved = self._seen, self._changed_elsewhere, self._saved

        def ask(_task: object) -> tuple[int, bool, object]:
            return (*changed_elsewhere(seen), saved())

        self._reads.submit(ask, on_done=self._answered, on_error=self._unanswered)

    def editing_ended(self) -> None:
        """Focus left the detail pane: follow a change that came while typing."""
        if self._pending:
            self._pending = False
            self._follow()

    def _answered(self, answer: tuple[int, bool, object]) -> None:
        self._asking = False
        first = self._seen is None
        self._seen, elsewhere, saved = answer
        if saved != self._saved_seen:
            self._saved_seen = saved
            if not first:
                self._saved_changed()
        if not elsewhere:
            return
        if self._editing():
            self._pending = True
        else:
            self._follow()

    def _unanswered(self, _exc: BaseException) -> None:
        # The library cannot be read this moment (moved, busy): the window's
        # own next read or write says so; asking again later is enough here.
        self._asking = False
