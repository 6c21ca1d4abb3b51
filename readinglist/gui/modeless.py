"""Result dialogs: opened without blocking the caller, with a common headline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel, QWidget

# Dialogs without a parent are kept alive here until they close.
_OPEN: set[QDialog] = set()


def open_without_blocking(dialog: QDialog, parent: QWidget | None) -> None:
    """Show `dialog` window-modal over `parent` (or alone) and free it when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _OPEN.add(dialog)
        dialog.finished.connect(lambda _result: _OPEN.discard(dialog))
    dialog.open()


def headline_label(text: str) -> QLabel:
    """The plain-text, slightly larger first line of a result dialog."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label
