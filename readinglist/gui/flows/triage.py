"""Triage of the Inbox: one paper at a time, by keyboard, with a tally.

Space (read), l (later) and x (not interested) take the paper out of the
Inbox, and the selection moves to the next one where it stood. A tag (t) or
a note (Enter) deals with the paper too, but the paper must not vanish from
under the person still typing: the Inbox is relisted once focus leaves the
detail pane. Every change goes through the undo stack.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from readinglist.gui import text
from readinglist.gui.undo import UndoContext, triage_command
from readinglist.papers import Triage

INBOX = "inbox"
_DONE_WORDS = (("read", "read"), ("later", "later"), ("dismissed", "dismissed"))


class InboxTriage(QObject):
    """Runs triage commands and counts what was done since the window opened."""

    def __init__(
        self,
        undo: UndoContext,
        stack: QUndoStack,
        view_key: Callable[[], str],
        say: Callable[[str], None],
        relist: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._undo, self._stack = undo, stack
        self._view_key, self._say, self._relist = view_key, say, relist
        self._done: Counter[str] = Counter()
        self._relist_pending = False

    def in_inbox(self) -> bool:
        return self._view_key() == INBOX

    def triage(self, ids: Sequence[int], triage: Triage) -> None:
        """Later or dismissed, undoably; said in the status bar."""
        ids = list(ids)
        if not ids:
            return
        self._stack.push(triage_command(self._undo, ids, triage))
        if self.in_inbox():
            self._done[triage] += len(ids)
        what = "Dismissed" if triage == "dismissed" else "Kept for later"
        self._say(f"{what}: {text.count_text(len(ids), 'paper')}. Undo with Ctrl+Z.")

    def marked(self, ids: Sequence[int], status: str) -> None:
        """Count papers read from the Inbox (marking is the window's own command)."""
        if self.in_inbox() and status == "read":
            self._done["read"] += len(ids)

    def tally(self) -> str:
        """What triage did ("8 read, 3 later, 14 dismissed"), or "" before any."""
        return ", ".join(
            f"{text.number_text(self._done[key])} {word}"
            for key, word in _DONE_WORDS
            if self._done[key]
        )

    def defer_relist(self, kind: str, editing: bool) -> bool:
        """True when a change must not relist now: a tag or note being typed in the Inbox."""
        if kind in ("tags", "note") and editing and self.in_inbox():
            self._relist_pending = True
            return True
        return False

    def editing_ended(self) -> None:
        """Focus left the detail pane: the paper tagged or noted leaves the Inbox now."""
        if self._relist_pending:
            self._relist_pending = False
            self._relist()
