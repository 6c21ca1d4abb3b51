"""Starting the desktop app: `run(library_dir, files)`, called by the CLI.

Order matters for speed and for the one-instance rule: a later launch finds
the running window and hands its files over before paying for the core's
imports; the first launch shows its window with the table filled, then
brings the search index up to date in the background.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFileOpenEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from readinglist import __version__
from readinglist.errors import ReadingListError
from readinglist.gui import theme
from readinglist.gui.crash import CrashReporter
from readinglist.gui.single_instance import InstanceServer, hand_over, server_name

log = logging.getLogger(__name__)

QUIT_AFTER_ENV = "READINGLIST_QUIT_AFTER_MS"
# The reverse-DNS id of the .desktop file and AppStream metainfo (packaging/linux):
# Wayland compositors match the window to its icon and name by it.
DESKTOP_FILE_ID = "io.github.readinglist.ReadingList"


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(theme.APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_ID)
    return app


def _quit_after_ms() -> int | None:
    raw = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if not raw:
        return None
    try:
        return max(0, int(raw))
    except ValueError:
        log.warning("ignoring %s=%r: not a number of milliseconds", QUIT_AFTER_ENV, raw)
        return None


def run(library_dir: Path, files: list[str], *, import_dialog: bool = False) -> int:
    """Open the window on `library_dir` and import `files`; the exit code.

    `import_dialog` opens File > Import… once the window is up. If a window
    is already open on this library, the request goes to it and this call
    returns 0 at once.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = _application()
    files = [str(Path(f).absolute()) for f in files]
    name = server_name(library_dir)
    if hand_over(name, files, import_dialog=import_dialog):
        return 0
    server = InstanceServer(name)
    server.listen()

    theme.follow_system(app)
    app.setWindowIcon(theme.app_icon())
    crash = CrashReporter()
    crash.install()

    # The core's imports (sqlmodel, Whoosh) are paid here, after the hand-over check.
    from readinglist.collection import Collection
    from readinglist.gui.main_window import MainWindow

    try:
        collection = Collection(Path(library_dir))
    except ReadingListError as exc:
        QMessageBox.critical(None, "readinglist", str(exc))
        server.close()
        return 1

    window = MainWindow(collection, crash=crash)
    crash.parent_getter = lambda: window
    server.filesReceived.connect(lambda handed: _handed_over(window, handed))
    server.importDialogRequested.connect(window.open_import_dialog)
    file_opener = _FileOpenFilter(window)
    app.installEventFilter(file_opener)
    window.show()
    QTimer.singleShot(0, window.start)
    if files:
        QTimer.singleShot(0, lambda: window.import_paths(files))
    if import_dialog:
        QTimer.singleShot(0, window.open_import_dialog)
    quit_after = _quit_after_ms()
    if quit_after is not None:
        QTimer.singleShot(quit_after, window.close)
    try:
        code = app.exec()
    finally:
        app.removeEventFilter(file_opener)
        window.shut_down()
        server.close()
        collection.close()
    return code


def _handed_over(window, files: list[str]) -> None:
    """A later launch: bring the window forward, then import its files."""
    if QGuiApplication.platformName() != "offscreen":  # nothing to bring forward there
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.raise_()
        window.activateWindow()
    if files:
        window.import_paths(files)


class _FileOpenFilter(QObject):
    """macOS hands "Open With" files to a running app as QFileOpenEvents, not argv."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file()
            if path:
                self._window.import_paths([path])
                return True
        return super().eventFilter(watched, event)
