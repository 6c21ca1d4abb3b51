"""Import, step by step: plan (writes nothing) -> preview -> import with progress -> summary.

Planning only reads, so it runs on the reads worker: the preview comes up
at once even while the write worker is busy (say, building the index).
The import itself is a write and queues on the write worker. Files dropped
while an import is under way wait their turn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from readinglist.collection import Collection
from readinglist.gui.dialogs.import_dialogs import ImportPreviewDialog, show_import_summary
from readinglist.gui.progress import ProgressJob
from readinglist.gui.worker import Task, Worker
from readinglist.library.importing import ImportPlan, ImportReport

log = logging.getLogger(__name__)

Source = Callable[[Task], ImportPlan]


class ImportFlow(QObject):
    """Drives one import at a time (see the module docstring)."""

    imported = Signal(object)  # ImportReport, after the summary is shown
    busyChanged = Signal(bool)

    def __init__(
        self,
        parent: QWidget,
        collection: Collection,
        worker: Worker,
        open_dialog: Callable[[QDialog], None],
        *,
        reads: Worker | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._collection = collection
        self._worker = worker
        self._reads = reads or worker
        self._open_dialog = open_dialog
        self._waiting: list[tuple[str, Source]] = []
        self._busy = False
        self.preview: ImportPreviewDialog | None = None
        self.job: ProgressJob | None = None
        self.last_report: ImportReport | None = None
        self._plan: ImportPlan | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    def import_paths(self, paths: list[str | Path]) -> None:
        """Plan an import of files and folders, then preview it."""
        paths = [str(p) for p in paths]
        if not paths:
            return
        count = len(paths)
        what = Path(paths[0]).name if count == 1 else f"{count} files and folders"
        collection = self._collection
        self._enqueue(
            f"Reading {what}…", lambda task: collection.plan_import(paths, progress=task.progress)
        )

    def import_text(self, text: str, name: str = "clipboard") -> None:
        """Plan an import of text (the clipboard), then preview it."""
        collection = self._collection
        self._enqueue("Reading the clipboard…", lambda _task: collection.plan_text(text, name))

    def cancel(self) -> None:
        """Stop what runs (at the next file) and forget what waits."""
        self._waiting.clear()
        if self.job is not None:
            self.job.cancel()
        if self.preview is not None:
            self.preview.reject()

    # -- the steps -------------------------------------------------------------

    def _enqueue(self, label: str, source: Source) -> None:
        self._waiting.append((label, source))
        if not self._busy:
            self._next()

    def _next(self) -> None:
        if not self._waiting:
            self._set_busy(False)
            return
        self._set_busy(True)
        label, source = self._waiting.pop(0)
        self.job = ProgressJob(
            self._parent,
            self._reads,
            label,
            source,
            on_done=self._planned,
            on_error=self._failed,
            cancellable=False,
        )

    def _planned(self, plan: ImportPlan) -> None:
        self.job = None
        dialog = ImportPreviewDialog(plan, self._parent)
        self.preview = dialog
        dialog.finished.connect(lambda result: self._previewed(dialog, plan, result))
        self._open_dialog(dialog)

    def _previewed(self, dialog: QDialog, plan: ImportPlan, result: int) -> None:
        self.preview = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self._next()
            return
        collection = self._collection
        self._plan = plan
        self.job = ProgressJob(
            self._parent,
            self._worker,
            "Importing…",
            lambda task: collection.run_import(
                plan, progress=task.progress, cancelled=task.cancelled
            ),
            on_done=self._done,
            on_error=self._failed,
            # After the last file the index takes the new papers: no count to show.
            finishing="Updating the search index…",
        )

    def _done(self, report: ImportReport) -> None:
        self.job = None
        self.last_report = report
        plan, self._plan = self._plan, None
        show_import_summary(self._parent, report, plan)
        self.imported.emit(report)
        self._next()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.preview = None
        self._worker.default_error(exc)
        self._next()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
