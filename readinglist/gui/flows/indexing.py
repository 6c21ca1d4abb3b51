"""Bringing the search index up to date in the background, with progress in the status bar.

At start-up (index missing, stale or damaged) and on request (View >
Rebuild). Even the check runs on the worker: opening the index costs
~0.4 s at 100k papers, which the first paint must not wait for (and the
worker's searcher is then warm). The progress bar appears only once a
rebuild reports progress. The window stays usable: listing and sorting need
only the library; searches answer from the old index until the new one is
swapped in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar

from readinglist.collection import Collection
from readinglist.gui import text
from readinglist.gui.worker import Task, Worker


class IndexBuilder(QObject):
    """Runs ensure_index / rebuild_index on the worker and shows how far it got."""

    finished = Signal(bool)  # True when an index was built (False: current, cancelled, failed)
    started = Signal()  # a rebuild is under way (its first progress arrived)

    def __init__(
        self,
        collection: Collection,
        worker: Worker,
        bar: QProgressBar,
        *,
        say: Callable[[str, int], None],
        report: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._collection = collection
        self._worker = worker
        self._bar = bar
        self._say = say
        self._report = report
        self.task: Task | None = None
        self._shown = False

    @property
    def building(self) -> bool:
        return self.task is not None

    def start(self, *, force: bool) -> None:
        """Build the index (`force`), or only if it is not current; no-op while building."""
        if self.task is not None:
            return
        collection = self._collection

        def job(task: Task) -> bool:
            run = collection.rebuild_index if force else collection.ensure_index
            return run(progress=task.progress, cancelled=task.cancelled)

        self._shown = False
        if force:
            self._show()
        self.task = self._worker.submit(
            job, on_done=self._done, on_error=self._failed, on_progress=self._progress
        )

    def cancel(self) -> None:
        """Stop at the next check; an unfinished index is rebuilt next time."""
        if self.task is not None:
            self.task.cancel()

    def _show(self) -> None:
        if not self._shown:
            self._shown = True
            self._bar.setRange(0, 0)
            self._bar.show()
            self._say("Building the search index…", 0)
            self.started.emit()

    def _progress(self, done: int, total: int) -> None:
        if total <= 0:
            return  # an empty library: nothing to index, nothing to announce
        self._show()
        self._bar.setRange(0, total)
        self._bar.setValue(done)
        self._bar.setToolTip(
            f"Search index: {text.number_text(done)} of {text.count_text(total, 'paper')}"
        )

    def _done(self, built: bool) -> None:
        self.task = None
        self._bar.hide()
        if self._shown:
            self._say("The search index is ready." if built else "", 6000)
        self.finished.emit(bool(built))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._bar.hide()
        self._say("", 1)
        self.finished.emit(False)
        self._report(exc)
