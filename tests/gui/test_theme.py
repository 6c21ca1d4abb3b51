"""Both palettes: check boxes, radio buttons, fields and the selection stand out in the dark.

Measured on pixels the style really paints: Fusion draws outlines from the
window colour, which on a dark window used to be black on near-black.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QRadioButton, QWidget

from readinglist.gui import theme


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture(params=["light", "dark"])
def scheme(request, qapp) -> Iterator[str]:
    theme.apply_theme(qapp, request.param)
    try:
        yield request.param
    finally:
        theme.apply_theme(qapp, "light")


def _outline_contrast(qtbot, widget: QWidget) -> float:
    """The strongest contrast between what `widget` paints and the window behind it."""
    qtbot.addWidget(widget)
    widget.resize(widget.sizeHint())
    image: QImage = widget.grab().toImage()
    background = QApplication.palette().color(QPalette.ColorRole.Window)
    best = 1.0
    for y in range(image.height()):
        for x in range(min(image.width(), 24)):  # the indicator / the frame's left edge
            best = max(best, contrast(QColor(image.pixel(x, y)), background))
    return best


@pytest.mark.parametrize("make", [QCheckBox, QRadioButton])
def test_indicators_are_outlined_visibly(qtbot, scheme, make) -> None:
    assert _outline_contrast(qtbot, make("")) >= 2.5


def test_fields_have_a_visible_frame(qtbot, scheme) -> None:
    field = QLineEdit()
    field.setMinimumWidth(200)
    assert _outline_contrast(qtbot, field) >= 2.5


def test_the_selection_reads_in_both_palettes(qapp, scheme) -> None:
    palette = QApplication.palette()
    highlight = palette.color(QPalette.ColorRole.Highlight)
    assert contrast(highlight, palette.color(QPalette.ColorRole.HighlightedText)) >= 4.5
    # The selected row stands out from the rows around it.
    assert contrast(highlight, palette.color(QPalette.ColorRole.Base)) >= 3.0
    assert isinstance(qapp.style(), theme.OutlinedFusion)
    assert qapp.style().scheme == scheme
