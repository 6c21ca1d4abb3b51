"""Small charts drawn with QPainter: weekly bars and a sparkline.

QtCharts is not in the PySide6 Essentials wheel the app ships, and these
need a few dozen points at most. Colours come from the palette (highlight,
link, mid), so both themes read well.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

_MARGIN = 6.0


class BarChart(QWidget):
    """Groups of bars (one per series) over labelled columns, with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._series: list[tuple[str, list[int]]] = []
        self.setMinimumSize(QSize(360, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> None:
        self._labels = list(labels)
        self._series = [(name, list(values)) for name, values in series]
        self.setAccessibleDescription(
            "; ".join(
                f"{name}: "
                + ", ".join(
                    f"{label} {value}" for label, value in zip(labels, values, strict=False)
                )
                for name, values in self._series
            )
        )
        self.update()

    def series_colours(self) -> list[QColor]:
        palette = self.palette()
        return [palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Mid)]

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._labels:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        text_height = metrics.height()
        area = QRectF(self.rect()).adjusted(
            _MARGIN, _MARGIN + text_height, -_MARGIN, -(_MARGIN + text_height)
        )
        top = max((max(values, default=0) for _, values in self._series), default=0) or 1
        colours = self.series_colours()
        column = area.width() / len(self._labels)
        bar = column * 0.8 / max(len(self._series), 1)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        for index, label in enumerate(self._labels):
            left = area.left() + index * column + column * 0.1
            for number, (_name, values) in enumerate(self._series):
                value = values[index] if index < len(values) else 0
                height = area.height() * value / top
                rect = QRectF(left + number * bar, area.bottom() - height, bar * 0.9, height)
                painter.fillRect(rect, colours[number % len(colours)])
            painter.setPen(text_colour)
            if index % max(1, round(metrics.horizontalAdvance(label) * 1.4 / column)) == 0:
                painter.drawText(
                    QRectF(
                        area.left() + index * column, area.bottom() + 2, column * 2, text_height
                    ),
                    Qt.AlignmentFlag.AlignLeft,
                    label,
                )
        # Legend along the top, and the scale's top value.
        x = area.left()
        for number, (name, _values) in enumerate(self._series):
            painter.fillRect(QRectF(x, _MARGIN + 3, 10, 10), colours[number % len(colours)])
            painter.setPen(text_colour)
            painter.drawText(QPointF(x + 14, _MARGIN + metrics.ascent()), name)
            x += 28 + metrics.horizontalAdvance(name)
        label = f"max {top}"
        painter.drawText(
            QPointF(area.right() - metrics.horizontalAdvance(label), _MARGIN + metrics.ascent()),
            label,
        )
        painter.end()


class Sparkline(QWidget):
    """A line through a few values, with its first and last value written at the ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[float] = []
        self.setFixedHeight(max(36, self.fontMetrics().height() * 2))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def values(self) -> list[float]:
        return list(self._values)

    def set_values(self, values: Sequence[float]) -> None:
        self._values = [float(v) for v in values]
        self.update()

    def line_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Link)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if len(self._values) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        first, last = f"{self._values[0]:g}", f"{self._values[-1]:g}"
        left_pad = metrics.horizontalAdvance(first) + 8
        right_pad = metrics.horizontalAdvance(last) + 8
        area = QRectF(self.rect()).adjusted(left_pad, 6, -right_pad, -6)
        low, high = min(self._values), max(self._values)
        span = (high - low) or 1.0
        step = area.width() / (len(self._values) - 1)
        path = QPainterPath()
        points = [
            QPointF(area.left() + n * step, area.bottom() - area.height() * (v - low) / span)
            for n, v in enumerate(self._values)
        ]
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.setPen(QPen(self.line_colour(), 2))
        painter.drawPath(path)
        painter.setBrush(self.line_colour())
        for point in points:
            painter.drawEllipse(point, 2.5, 2.5)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        middle = area.center().y() + metrics.ascent() / 2 - 1
        painter.drawText(QPointF(0, middle), first)
        painter.drawText(QPointF(area.right() + 8, middle), last)
        painter.end()
