"""One serialized background worker for every write and every long job.

Whoosh takes one writer at a time and SQLite prefers one, so all writes of
the window (marks, tags, notes, deletes, imports, exports, index rebuilds)
queue on a single thread, in the order they were submitted. A job is a plain
function `fn(task)`; it may report `task.progress(done, total)` and poll
`task.cancelled()`. Its result or exception comes back to the GUI thread by
a queued signal, where the callbacks run.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progressed = Callable[[int, int], None]

# Progress is shown to a person: more than ~30 updates a second is noise,
# and a 100k-paper rebuild would otherwise queue 100k events.
_PROGRESS_INTERVAL_S = 0.03


class Task:
    """A submitted job: its callbacks, its cancel flag and its progress."""

    def __init__(
        self,
        worker: Worker,
        fn: Callable[[Task], Any],
        on_done: Done | None,
        on_error: Failed | None,
        on_progress: Progressed | None,
    ) -> None:
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.on_progress = on_progress
        self.finished = False
        self._worker = worker
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def cancel(self) -> None:
        """Ask the job to stop; it stops where it next polls `cancelled()`."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        """Report progress from the job (any thread); throttled."""
        if self.on_progress is None:
            return
        now = time.monotonic()
        if done < total and now - self._last_progress < _PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self._worker._progressed.emit(self, done, total)


class Worker(QObject):
    """The serialized worker. Create it on the GUI thread; call `shutdown()` at the end."""

    _finished = Signal(object, object)
    _failed = Signal(object, object)
    _progressed = Signal(object, int, int)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.default_error: Failed = _log_error
        self._queue: queue.Queue[Task | None] = queue.Queue()
        self._undelivered = 0
        self._thread = threading.Thread(target=self._run, name="readinglist-worker", daemon=True)
        queued = Qt.ConnectionType.QueuedConnection
        self._finished.connect(self._deliver_done, queued)
        self._failed.connect(self._deliver_error, queued)
        self._progressed.connect(self._deliver_progress, queued)
        self._thread.start()

    def submit(
        self,
        fn: Callable[[Task], Any],
        *,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_progress: Progressed | None = None,
    ) -> Task:
        """Queue `fn(task)` behind everything submitted before it.

        Args:
            fn: the job; runs on the worker thread.
            on_done: called on the GUI thread with the job's return value.
            on_error: called on the GUI thread with the exception the job
                raised; without it, `default_error` is.
            on_progress: called on the GUI thread with (done, total).
        """
        task = Task(self, fn, on_done, on_error, on_progress)
        self._undelivered += 1
        if self._undelivered == 1:
            self.busyChanged.emit(True)
        self._queue.put(task)
        return task

    def is_idle(self) -> bool:
        """True when every job has run and its callbacks have been called."""
        return self._undelivered == 0

    def shutdown(self, timeout: float = 30.0) -> bool:
        """Let queued jobs finish, then stop the thread; False if it did not stop in time."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the worker thread ---------------------------------------------------

    def _run(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            try:
                result = task.fn(task)
            except Exception as exc:  # every failure goes back to the GUI thread
                self._failed.emit(task, exc)
            else:
                self._finished.emit(task, result)

    # -- the GUI thread ------------------------------------------------------

    @Slot(object, object)
    def _deliver_done(self, task: Task, result: Any) -> None:
        try:
            if task.on_done is not None:
                task.on_done(result)
        finally:
            self._delivered(task)

    @Slot(object, object)
    def _deliver_error(self, task: Task, exc: BaseException) -> None:
        try:
            (task.on_error or self.default_error)(exc)
        finally:
            self._delivered(task)

    @Slot(object, int, int)
    def _deliver_progress(self, task: Task, done: int, total: int) -> None:
        if task.on_progress is not None and not task.finished:
            task.on_progress(done, total)

    def _delivered(self, task: Task) -> None:
        task.finished = True
        self._undelivered -= 1
        if self._undelivered == 0:
            self.busyChanged.emit(False)


def _log_error(exc: BaseException) -> None:
    log.error("background job failed", exc_info=(type(exc), exc, exc.__traceback__))
