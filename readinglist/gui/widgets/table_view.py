"""The table widget: keys of a reading list, and titles with search hits marked.

Keys that only make sense on the table (j/k, Space, Enter, Delete, t, s) live
here rather than as window shortcuts, so that typing a space in the search
field or the note never marks a paper read.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from readinglist.gui.models.paper_table import HIGHLIGHT_ROLE, TITLE

_TAG = re.compile(r"(<b(?:\s[^>]*)?>|</b>)")


def highlight_runs(fragment: str) -> list[tuple[str, bool]]:
    """Split index highlight HTML (escaped text, <b> around matches) into (text, is_match) runs."""
    runs: list[tuple[str, bool]] = []
    inside = False
    for part in _TAG.split(fragment):
        if part.startswith("<b"):
            inside = True
        elif part == "</b>":
            inside = False
        elif part:
            runs.append((html.unescape(part), inside))
    return runs


class HighlightDelegate(QStyledItemDelegate):
    """Paints a title with its search hits on a tinted background, elided at the end."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        fragment = index.data(HIGHLIGHT_ROLE)
        if not fragment:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        self._paint_runs(
            painter, opt, area.adjusted(3, 0, -3, 0), highlight_runs(fragment), selected
        )

    @staticmethod
    def _paint_runs(
        painter: QPainter,
        opt: QStyleOptionViewItem,
        area: QRect,
        runs: list[tuple[str, bool]],
        selected: bool,
    ) -> None:
        palette = opt.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        tint = QColor(palette.color(QPalette.ColorRole.Highlight))
        # Translucent so the tint reads on light and dark palettes alike.
        tint.setAlpha(70 if not selected else 0)
        metrics = QFontMetrics(opt.font)
        painter.save()
        painter.setClipRect(area)
        painter.setFont(opt.font)
        painter.setPen(palette.color(role))
        x = area.left()
        right = area.right()
        baseline = area.top() + (area.height() + metrics.ascent() - metrics.descent()) // 2
        for chunk, is_match in runs:
            width = metrics.horizontalAdvance(chunk)
            if x + width > right:
                chunk = metrics.elidedText(chunk, Qt.TextElideMode.ElideRight, right - x)
                width = metrics.horizontalAdvance(chunk)
            if is_match and width:
                painter.fillRect(QRect(x, area.top() + 2, width, area.height() - 4), tint)
            painter.drawText(x, baseline, chunk)
            x += width
            if x >= right:
                break
        painter.restore()


class PaperTableView(QTableView):
    """The paper table with a reading list's keys."""

    toggleReadRequested = Signal()
    noteRequested = Signal()
    deleteRequested = Signal()
    tagsRequested = Signal()
    similarRequested = Signal()
    laterRequested = Signal()  # l: keep it unread, out of the Inbox
    dismissRequested = Signal()  # x: not interested
    viewportResized = Signal()  # the rows' width changed (a resize, a scroll bar)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegateForColumn(TITLE, HighlightDelegate(self))
        rows = self.verticalHeader()
        rows.hide()
        # A fixed height: measuring 100,000 rows to fit contents would stall.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(36)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.viewportResized.emit()
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not (
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        if plain and key in (Qt.Key.Key_J, Qt.Key.Key_K):
            arrow = Qt.Key.Key_Down if key == Qt.Key.Key_J else Qt.Key.Key_Up
            moved = QKeyEvent(event.type(), arrow, event.modifiers())
            super().keyPressEvent(moved)
            return
        if plain and key == Qt.Key.Key_Space:
            self.toggleReadRequested.emit()
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.noteRequested.emit()
            return
        if plain and key == Qt.Key.Key_Delete:
            self.deleteRequested.emit()
            return
        if plain and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            # Letters the list would otherwise spend on jumping to a title.
            signal: dict[int, SignalInstance] = {
                Qt.Key.Key_T: self.tagsRequested,
                Qt.Key.Key_S: self.similarRequested,
                Qt.Key.Key_L: self.laterRequested,
                Qt.Key.Key_X: self.dismissRequested,
            }
            if key in signal:
                signal[key].emit()
                return
        super().keyPressEvent(event)
