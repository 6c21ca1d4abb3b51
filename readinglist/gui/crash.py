"""Unexpected errors: a short message for the person, the traceback for the log file.

A `ReadingListError` carries a message written for the user and is shown
as it is. Anything else is a bug: its traceback goes to a log file in the
platformdirs log dir, the person sees one calm sentence and where the details
are, and the app keeps running. Before the message, `before_report` runs
(the window flushes the note being typed), so nothing typed is lost.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from readinglist import paths
from readinglist.errors import ReadingListError

log = logging.getLogger(__name__)

LOG_NAME = "readinglist.log"
# Past this size the log starts over: it is for the last few problems, not history.
_MAX_LOG_BYTES = 1024 * 1024


def log_path() -> Path:
    """The file tracebacks are appended to, in the platform's log folder."""
    return paths.log_dir() / LOG_NAME


def write_log(exc: BaseException) -> Path | None:
    """Append the exception's traceback to the log file; its path, or None if unwritable."""
    path = log_path()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = "w" if path.exists() and path.stat().st_size > _MAX_LOG_BYTES else "a"
        with path.open(mode, encoding="utf-8") as log_file:
            log_file.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{text}\n")
    except OSError:
        log.exception("cannot write the log file %s", path)
        return None
    return path


class CrashReporter:
    """Shows errors briefly and logs bugs; install it as `sys.excepthook`."""

    def __init__(self, parent: Callable[[], QWidget | None] = lambda: None) -> None:
        self.parent_getter = parent
        self.before_report: Callable[[], None] | None = None
        self._showing = False
        self.last_box: QMessageBox | None = None

    def install(self) -> None:
        sys.excepthook = self.excepthook

    def excepthook(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.report(value.with_traceback(tb))

    def report(self, exc: BaseException) -> None:
        """Show `exc` to the person; log it first if it is a bug."""
        if isinstance(exc, ReadingListError):
            self._show(QMessageBox.Icon.Warning, str(exc), "")
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        written = write_log(exc)
        self._save_typing()
        where = f"The details are in {written}." if written else ""
        self._show(
            QMessageBox.Icon.Critical,
            "Something went wrong. What you typed has been saved; you can keep working.",
            where,
        )

    def _save_typing(self) -> None:
        if self.before_report is None:
            return
        try:
            self.before_report()
        except Exception:
            # Saving is best effort here: we are already handling a failure.
            log.exception("could not save the note while reporting an error")

    def _show(self, icon: QMessageBox.Icon, text: str, details: str) -> None:
        # One box at a time: an error repeating in a paint handler must not
        # stack hundreds of dialogs.
        if self._showing:
            return
        self._showing = True
        box = QMessageBox(
            icon, "readinglist", text, QMessageBox.StandardButton.Ok, self.parent_getter()
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        if details:
            # Plain text too: a path may hold characters rich text would eat.
            box.setText(f"{text}\n\n{details}")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self.last_box = box
        box.open()

    def _closed(self) -> None:
        self._showing = False
        self.last_box = None
