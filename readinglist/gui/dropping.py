"""Files and folders dropped anywhere on the window become an import.

The window accepts drops itself; widgets that take drops of their own (the
search field, the note and tag editors) get `DropCatcher` as an event filter,
so a file dropped on them is imported rather than pasted as a path, while
dragged text still lands in them as text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def local_paths(mime: QMimeData | None) -> list[str]:
    """The local files and folders in dragged data (URLs of other kinds are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class DropCatcher(QObject):
    """Takes drops of local files away from the widgets it filters."""

    def __init__(self, on_drop: Callable[[list[str]], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_drop = on_drop

    def watch(self, root: QWidget) -> None:
        """Filter every descendant of `root` that accepts drops."""
        for widget in root.findChildren(QWidget):
            target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
            if target.acceptDrops():
                target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if local_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self._on_drop(paths)
                return True
        return super().eventFilter(watched, event)
