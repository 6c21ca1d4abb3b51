"""How long each paper stays open in the detail pane: a signal of interest.

A paper read for a while is one the person cared about, whether or not they
marked it. The clock runs only while the window is the active one, stops
counting a single stretch after MAX_STRETCH_S (the person walked away), and
hands each stretch of at least MIN_STRETCH_S to `record`, which saves it on
the write worker. Browsing past a paper with j/k counts nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

MIN_STRETCH_S = 5.0
MAX_STRETCH_S = 15 * 60.0


class ReadingClock(QObject):
    """Times the paper on show; `record(paper_id, seconds)` gets each stretch."""

    def __init__(
        self,
        record: Callable[[int, float], None],
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._record, self._clock = record, clock
        self._paper_id: int | None = None
        self._since: float | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._state_changed)

    def shown(self, paper_id: int | None) -> None:
        """The pane now shows this paper (None: none)."""
        if paper_id == self._paper_id:
            return
        self.stop()
        self._paper_id = paper_id
        self._since = self._clock() if paper_id is not None else None

    def stop(self) -> None:
        """End the stretch running now, recording it if it was long enough."""
        if self._paper_id is not None and self._since is not None:
            seconds = min(self._clock() - self._since, MAX_STRETCH_S)
            if seconds >= MIN_STRETCH_S:
                self._record(self._paper_id, seconds)
        self._since = None

    def resume(self) -> None:
        if self._paper_id is not None and self._since is None:
            self._since = self._clock()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.resume()
        else:
            self.stop()
