"""The upvotes a paper had on each page imported, as a sparkline with a caption.

Shown from two sightings on: "▲ 12 → 140 in 5 days, from 3 pages"; the
tooltip lists each sighting with its date and file.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from readinglist.gui import text
from readinglist.gui.widgets.charts import Sparkline
from readinglist.gui.widgets.labels import muted_label
from readinglist.library.reader import UpvoteSeen


def history_caption(points: Sequence[UpvoteSeen]) -> str:
    """The trend: "▲ 12 → 140 in 5 days, from 3 pages" for two or more sightings, else ""."""
    if len(points) < 2:
        return ""
    first, last = points[0], points[-1]
    days = (last.seen_at - first.seen_at).days
    span = "the same day" if days == 0 else f"in {text.count_text(days, 'day')}"
    pages = len({p.source for p in points})
    return (
        f"▲ {text.number_text(first.upvotes)} → {text.number_text(last.upvotes)} {span}, "
        f"from {text.count_text(pages, 'page')}"
    )


def history_tooltip(points: Sequence[UpvoteSeen]) -> str:
    """One line per sighting: the day, the upvotes and the page they were seen on."""
    return "\n".join(
        f"{text.date_text(p.seen_at.date())}: ▲ {text.number_text(p.upvotes)} ({p.source})"
        for p in points
    )


class UpvoteHistory(QWidget):
    """Caption and sparkline; hidden with fewer than two sightings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = muted_label(smaller=True)
        self.line = Sparkline()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.line)
        self.set_points([])

    def set_points(self, points: Sequence[UpvoteSeen]) -> None:
        caption = history_caption(points)
        self.caption.setText(caption)
        self.line.set_values([p.upvotes for p in points] if caption else [])
        self.setToolTip(text.plain_tooltip(history_tooltip(points)) if caption else "")
        self.setVisible(bool(caption))
