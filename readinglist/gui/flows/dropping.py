"""Files and folders dropped anywhere on the window become an import.

The window accepts drops itself; widgets that take drops of their own (the
search field, the note and tag editors) get `DropCatcher` as an event filter,
so a file dropped on them is imported rather than pasted as a path, while
dragged text still lands in them as text. While files hover over the window,
`DropOverlay` covers it and says what a drop would do; the drop itself then
lands on the overlay.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from readinglist.gui.text import count_text

DROP_HINT = "A preview shows what each file holds before anything is imported."


def local_paths(mime: QMimeData | None) -> list[str]:
    """The local files and folders in dragged data (URLs of other kinds are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def drop_caption(paths: list[str]) -> str:
    """The drop hint: "Drop to import 5 files", "… 1 folder", "… 2 files and 1 folder"."""
    folders = sum(1 for path in paths if Path(path).is_dir())
    files = len(paths) - folders
    parts = [count_text(files, "file")] if files else []
    if folders:
        parts.append(count_text(folders, "folder"))
    return "Drop to import " + " and ".join(parts)


class DropCatcher(QObject):
    """Takes drops of local files away from the widgets it filters."""

    def __init__(
        self,
        on_drop: Callable[[list[str]], None],
        parent: QObject | None = None,
        *,
        on_hover: Callable[[list[str]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_drop = on_drop
        self._on_hover = on_hover

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
            paths = local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                if kind == QEvent.Type.DragEnter and self._on_hover is not None:
                    self._on_hover(paths)
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self._on_drop(paths)
                return True
        return super().eventFilter(watched, event)


class DropOverlay(QWidget):
    """A veil over the window while files hover over it: "Drop to import 5 files"."""

    def __init__(self, on_drop: Callable[[list[str]], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._on_drop = on_drop
        self.caption = ""
        self.setAcceptDrops(True)
        self.setAccessibleName("Drop to import")
        self.hide()

    def offer(self, paths: list[str]) -> None:
        """Files hover over the window: cover it and say what dropping them does."""
        self.caption = drop_caption(paths)
        window = self.parentWidget()
        if window is not None:
            self.setGeometry(window.rect())
        self.raise_()
        self.show()
        self.update()

    def withdraw(self) -> None:
        self.hide()

    # -- the drag, once the overlay is under it ------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            self.caption = drop_caption(paths)
            event.acceptProposedAction()
        else:
            event.ignore()
            self.withdraw()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.withdraw()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self.withdraw()
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self._on_drop(paths)
        else:
            event.ignore()

    # -- looks -------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        veil = QColor(palette.color(QPalette.ColorRole.Window))
        veil.setAlpha(225)
        accent = palette.color(QPalette.ColorRole.Highlight)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), veil)
        frame = QRectF(self.rect()).adjusted(24, 24, -24, -24)
        pen = QPen(accent, 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(frame, 14, 14)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
        middle = frame.center().y()
        painter.drawText(
            QRectF(frame.left(), middle - 60, frame.width(), 54),
            flags | Qt.AlignmentFlag.AlignBottom,
            self.caption,
        )
        painter.setFont(self.font())
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(frame.left(), middle + 4, frame.width(), 40),
            flags | Qt.AlignmentFlag.AlignTop,
            DROP_HINT,
        )
        painter.end()
