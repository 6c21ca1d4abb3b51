"""Reading at a glance (View menu).

Papers imported and read per week, the Inbox's size at each week's end, and the most used tags.

The figures are read on the reads worker (they scan every paper) and drawn
when they arrive; until then the dialog says it is counting.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from readinglist.collection import Collection
from readinglist.gui import text
from readinglist.gui.widgets.charts import BarChart, Sparkline
from readinglist.gui.widgets.labels import heading_label, muted_label
from readinglist.gui.worker import Worker
from readinglist.library.reading_stats import ReadingSummary

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COUNTING_TEXT = "Counting…"
EMPTY_TEXT = "Nothing imported or read in the last twelve weeks yet."


class ReadingDialog(QDialog):
    """The figures of `ReadingSummary`, as two charts and a list of tags."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reading at a glance")
        self.status_label = muted_label(COUNTING_TEXT)
        self.weeks_heading = heading_label("Papers per week")
        self.weeks_chart = BarChart()
        self.inbox_heading = heading_label("Inbox at the end of each week")
        self.inbox_line = Sparkline()
        self.tags_heading = heading_label("Most used tags")
        self.tags_grid = QGridLayout()
        self.tags_grid.setHorizontalSpacing(16)
        self.tags_empty = muted_label("No tags yet: press T on a paper to add one.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(self.status_label)
        layout.addWidget(self.weeks_heading)
        layout.addWidget(self.weeks_chart, 1)
        layout.addSpacing(8)
        layout.addWidget(self.inbox_heading)
        layout.addWidget(self.inbox_line)
        layout.addSpacing(8)
        layout.addWidget(self.tags_heading)
        layout.addLayout(self.tags_grid)
        layout.addWidget(self.tags_empty)
        layout.addWidget(buttons)
        self.resize(620, 520)
        self.summary: ReadingSummary | None = None

    def show_summary(self, summary: ReadingSummary) -> None:
        self.summary = summary
        self.status_label.setText(EMPTY_TEXT if summary.empty else "The last twelve weeks.")
        labels = [f"{_MONTHS[w.start.month - 1]} {w.start.day}" for w in summary.weeks]
        self.weeks_chart.set_data(
            labels,
            [
                ("imported", [w.imported for w in summary.weeks]),
                ("read", [w.read for w in summary.weeks]),
            ],
        )
        self.inbox_line.set_values([w.inbox for w in summary.weeks])
        while self.tags_grid.count():
            item = self.tags_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for row, (name, count) in enumerate(summary.top_tags):
            name_label = QLabel(name)
            name_label.setTextFormat(Qt.TextFormat.PlainText)
            self.tags_grid.addWidget(name_label, row, 0)
            self.tags_grid.addWidget(muted_label(text.count_text(count, "paper")), row, 1)
        self.tags_empty.setVisible(not summary.top_tags)


def show_reading(parent: QWidget, collection: Collection, reads: Worker) -> ReadingDialog:
    """Open the Reading view without blocking, and count in the background."""
    dialog = ReadingDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    alive = [True]
    dialog.destroyed.connect(lambda: alive.__setitem__(0, False))

    def arrived(summary: ReadingSummary) -> None:
        if alive[0]:
            dialog.show_summary(summary)

    reads.submit(lambda _task: collection.reading_summary(), on_done=arrived)
    return dialog
