"""The window's panes: sidebar | table | detail, and the room under the search field.

Until the reader drags a divider the sidebar has a fixed width and the
detail pane a share of the window, so an abstract reads comfortably on a
wide screen; a dragged divider sets the reader's own widths (remembered in
the settings). On a narrow window the detail pane gives way first, then the
sidebar, until the table has TABLE_COMFORT_PX (or the panes their minimum).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from readinglist.gui.widgets.detail_pane import MIN_WIDTH as DETAIL_MIN_WIDTH
from readinglist.gui.widgets.search_bar import SearchBar
from readinglist.gui.widgets.sidebar import MIN_WIDTH as SIDEBAR_MIN_WIDTH

SIDEBAR_WIDTH = 190
DETAIL_SHARE, DETAIL_NARROWEST, DETAIL_WIDEST = 0.3, 380, 560
TABLE_COMFORT_PX = 560


def split_widths(
    total: int, side: int = SIDEBAR_WIDTH, detail: int | None = None
) -> tuple[int, int, int]:
    """(sidebar, table, detail) for `total` px, the panes giving way to the table.

    `detail` None: the detail pane's share of `total` (the reader has not
    chosen a width).
    """
    if detail is None:
        detail = min(max(round(total * DETAIL_SHARE), DETAIL_NARROWEST), DETAIL_WIDEST)
    if total - side - detail < TABLE_COMFORT_PX:
        detail = max(DETAIL_MIN_WIDTH, total - side - TABLE_COMFORT_PX)
    if total - side - detail < TABLE_COMFORT_PX:
        side = max(SIDEBAR_MIN_WIDTH, total - detail - TABLE_COMFORT_PX)
    return side, max(total - side - detail, 0), detail


class Panes(QSplitter):
    """Sidebar | table | detail, fitted to the width after every resize (see split_widths)."""

    def __init__(self, sidebar: QWidget, table: QWidget, detail: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setChildrenCollapsible(False)
        for number, widget in enumerate((sidebar, table, detail)):
            self.addWidget(widget)
            self.setStretchFactor(number, 1 if widget is table else 0)
        # The reader's widths (sidebar, detail); detail None: not chosen yet.
        self.preferred: tuple[int, int | None] = (SIDEBAR_WIDTH, None)
        self.setSizes(list(split_widths(1400)))
        self.splitterMoved.connect(self._moved)

    def fit(self) -> None:
        """Give the panes their widths for the splitter's width now."""
        sizes = self.sizes()
        total = sum(sizes)
        if total > 0:
            wanted = list(split_widths(total, *self.preferred))
            if wanted != sizes:
                self.setSizes(wanted)

    def widths_text(self) -> str:
        """The reader's widths as "190,410" ("" while they are the defaults)."""
        side, detail = self.preferred
        return f"{side},{detail}" if detail else ""

    def restore_widths(self, saved: str) -> None:
        parts = saved.split(",")
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            side, detail = (int(p) for p in parts)
            self.preferred = (max(side, SIDEBAR_MIN_WIDTH), max(detail, DETAIL_MIN_WIDTH))
        self.fit()

    def _moved(self, *_args) -> None:
        side, _table, detail = self.sizes()
        self.preferred = (side, detail)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # hands the change to the table (the stretching pane)
        self.fit()


def with_message_line(search: SearchBar) -> QWidget:
    """The search bar in a box that always has room for the line under the field.

    The error or "did you mean" then appears in space kept for it, and the
    table below does not jump down and back as it comes and goes.
    """
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(search)
    column.addStretch(1)
    line = search.error_label.fontMetrics().height()
    layout = search.layout()
    spacing = max(layout.spacing(), 0) if layout is not None else 0
    field = max(search.field.minimumHeight(), search.field.sizeHint().height())
    box.setMinimumHeight(field + spacing + line + 2)
    return box
