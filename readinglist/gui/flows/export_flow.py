"""Export: the dialog's choice -> which papers -> the core's export on the worker -> result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from readinglist.collection import Collection
from readinglist.gui.dialogs.export_dialog import ExportDialog, show_export_result
from readinglist.gui.progress import ProgressJob
from readinglist.gui.settings import Settings
from readinglist.gui.worker import Task, Worker

FOLDER_KEY = "export"


def export_job(
    collection: Collection,
    which: str,
    folder: Path,
    *,
    single_file: str | None,
    force: bool,
    selection: Sequence[int],
    view: Sequence[int],
) -> Callable[[Task], object]:
    """The worker job of an export: pick the papers, then write them."""
    selection, view = list(selection), list(view)

    def job(task: Task) -> object:
        if which == "selection":
            papers = collection.select_for_export(everything=True, ids=selection)
        elif which == "view":
            papers = collection.select_for_export(everything=True, ids=view)
        elif which == "notes":
            papers = collection.select_for_export()
        else:
            papers = collection.select_for_export(everything=True)
        return collection.export(
            papers, folder, single_file=single_file, force=force, progress=task.progress
        )

    return job


class ExportFlow(QObject):
    """Opens the export dialog and carries out what it asks for."""

    exported = Signal(object)  # ExportReport

    def __init__(
        self,
        parent: QWidget,
        collection: Collection,
        worker: Worker,
        settings: Settings,
        open_dialog: Callable[[QDialog], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._collection = collection
        self._worker = worker
        self._settings = settings
        self._open_dialog = open_dialog
        self.dialog: ExportDialog | None = None
        self.job: ProgressJob | None = None
        self.last_report = None
        self._folder: Path | None = None

    def start(self, *, selection: Sequence[int], view: Sequence[int], view_name: str) -> None:
        """Open the dialog; `selection` and `view` are the ids it may export."""
        if self.dialog is not None or self.job is not None:
            if self.dialog is not None:
                self.dialog.raise_()
            return
        dialog = ExportDialog(
            last_folder=self._settings.folder(FOLDER_KEY),
            has_selection=bool(selection),
            view_name=view_name,
            parent=self._parent,
        )
        self.dialog = dialog
        selection, view = list(selection), list(view)
        dialog.finished.connect(lambda result: self._chosen(dialog, result, selection, view))
        self._open_dialog(dialog)

    def _chosen(self, dialog: ExportDialog, result: int, selection: list[int], view: list[int]):
        self.dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        self._folder = Path(choice.folder)
        self._settings.set_folder(FOLDER_KEY, choice.folder)
        job = export_job(
            self._collection,
            choice.which,
            Path(choice.folder),
            single_file=choice.single_file,
            force=choice.force,
            selection=selection,
            view=view,
        )
        self.job = ProgressJob(
            self._parent,
            self._worker,
            "Exporting notes…",
            job,
            on_done=self._done,
            on_error=self._failed,
            # The core's export has no cancel point; a Cancel button would lie.
            cancellable=False,
        )

    def _done(self, report) -> None:
        self.job = None
        self.last_report = report
        show_export_result(self._parent, report, self._folder)
        self.exported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self._worker.default_error(exc)
