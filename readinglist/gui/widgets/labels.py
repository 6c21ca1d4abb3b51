"""The pane's label styles: section headings and muted text, in both palettes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel


def heading_label(caption: str) -> QLabel:
    """A small, muted section heading ("Tags", "Similar papers")."""
    label = QLabel(caption)
    style_heading(label)
    return label


def style_heading(label: QLabel) -> None:
    """Give an existing label the section-heading look."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def muted_label(caption: str = "", *, smaller: bool = False) -> QLabel:
    """A plain-text label in the palette's muted text colour."""
    label = QLabel(caption)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    if smaller:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
    return label
