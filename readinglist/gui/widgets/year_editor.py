"""Correcting the year of a paper's date, in place under its facts.

A year taken from the file's time goes wrong after a copy or a checkout
("Jan 29" saved in 2025 and copied in 2026 reads 2026). The pane offers
"Correct the year" for such dates; it opens a year field inline, not a
dialog: Enter sets, Escape cancels, and the user's year is never replaced
by an import.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

MIN_YEAR, MAX_YEAR = 1900, 2100  # as readinglist.library.writes accepts


class YearSpin(QSpinBox):
    """A year field that reports Enter and Escape instead of passing them on."""

    accepted = Signal()
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accepted.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)


class YearEditor(QWidget):
    """A "Correct the year" link; clicked, a year field with Set and Cancel."""

    yearChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.correct_button = QPushButton("Correct the year")
        self.correct_button.setFlat(True)
        self.correct_button.setStyleSheet("QPushButton { color: palette(link); padding: 0 6px; }")
        self.correct_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.correct_button.setToolTip(
            "The year was taken from when the page was saved; set the right one"
        )
        self.correct_button.setAutoDefault(False)
        self.correct_button.clicked.connect(self.start)

        self.label = QLabel("Year:")
        self.spin = YearSpin()
        self.spin.setRange(MIN_YEAR, MAX_YEAR)
        self.spin.setAccessibleName("Year of the paper's date")
        self.spin.accepted.connect(self._accept)
        self.spin.cancelled.connect(self.stop)
        self.set_button = QPushButton("Set")
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(self._accept)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.stop)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (
            self.correct_button,
            self.label,
            self.spin,
            self.set_button,
            self.cancel_button,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._year = MIN_YEAR
        self.stop()

    def set_year(self, year: int) -> None:
        """The year shown now; editing starts from it. Closes an open field."""
        self._year = year
        self.stop()

    @property
    def editing(self) -> bool:
        return self.spin.isVisibleTo(self)

    def start(self) -> None:
        """Open the year field, filled with the current year, focused and selected."""
        self.spin.setValue(self._year)
        self._show_field(True)
        self.spin.setFocus(Qt.FocusReason.OtherFocusReason)
        self.spin.selectAll()

    def stop(self) -> None:
        """Close the field without a change."""
        self._show_field(False)

    def _accept(self) -> None:
        year = self.spin.value()
        self.stop()
        if year != self._year:
            self.yearChosen.emit(year)

    def _show_field(self, editing: bool) -> None:
        self.correct_button.setVisible(not editing)
        for widget in (self.label, self.spin, self.set_button, self.cancel_button):
            widget.setVisible(editing)
