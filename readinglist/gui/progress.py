"""A worker job behind a progress dialog with a Cancel button.

The dialog is window-modal and appears only if the job takes more than a
moment; Cancel asks the job to stop at its next check (`task.cancelled()`).
Once the job reports its last step done but has not returned (an import
updating the index after its last file), the bar turns busy and says so
rather than sitting at 100%.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from readinglist.gui.worker import Task, Worker

# Jobs shorter than this finish without a dialog flashing up.
SHOW_AFTER_MS = 400


class ProgressJob:
    """Runs `fn(task)` on the worker while a progress dialog shows how far it got."""

    def __init__(
        self,
        parent: QWidget,
        worker: Worker,
        label: str,
        fn: Callable[[Task], Any],
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
        finishing: str = "Finishing…",
    ) -> None:
        self._finishing = finishing
        self._on_done = on_done
        self._on_error = on_error or worker.default_error
        self.dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle("readinglist")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(380)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self._cancel)
        self.task = worker.submit(
            fn, on_done=self._done, on_error=self._failed, on_progress=self._progress
        )
        self.dialog.setValue(0)

    def cancel(self) -> None:
        self._cancel()

    def _cancel(self) -> None:
        self.task.cancel()
        self.dialog.setLabelText("Stopping after the current file…")

    def _progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if done >= total:
            # All steps done, the job not yet: a busy bar, not a full one.
            self.dialog.setRange(0, 0)
            self.dialog.setLabelText(self._finishing)
            return
        self.dialog.setRange(0, total)
        self.dialog.setValue(done)

    def _finish(self) -> None:
        # close() emits canceled(): disconnect first so a finished job is not "cancelled".
        self.dialog.canceled.disconnect(self._cancel)
        self.dialog.reset()
        self.dialog.close()
        self.dialog.deleteLater()

    def _done(self, result: Any) -> None:
        self._finish()
        self._on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self._on_error(exc)
