"""Column widths of the paper table: the title gets the room.

Most listings have bylines, dates and upvotes for only a few papers. After
each listing the reads worker finds which of those columns (and tags) hold
anything for the papers listed (`column_facts`); a column with nothing is
hidden, the others are sized to what they hold, and the title takes the
rest. Widths the reader sets by dragging a column's edge are kept, and
remembered in the settings. The table calls `apply()` whenever its
viewport changes width. When the table is narrow, the columns a reader
misses least step aside (byline first), so a title always keeps half the
table (and TITLE_MIN_PX) and the table never needs a horizontal scroll bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from readinglist.collection import Collection
from readinglist.gui.models.paper_table import (
    BYLINE,
    COLUMNS,
    DATE,
    STATUS,
    TAGS,
    TITLE,
    UPVOTES,
    cell_text,
)
from readinglist.gui.worker import Worker

# Columns shown only when some listed paper has something in them.
OPTIONAL = (BYLINE, DATE, UPVOTES, TAGS)
# Which columns give way first on a narrow table.
DROP_ORDER = (BYLINE, UPVOTES, DATE, STATUS, TAGS)
# The title keeps at least this much, and at least half the table.
TITLE_MIN_PX = 260
TITLE_MIN_SHARE = 0.5
# Widest a column grows on its own (a dragged edge may go further).
CAPS = {BYLINE: 140, DATE: 120, UPVOTES: 70, STATUS: 80, TAGS: 160}
# Listings up to this size are read whole; of larger ones the first SAMPLE
# papers and SAMPLE more spread over the rest are read. A column none of
# those fill is nearly empty (under one paper in a thousand at 100k): it
# gives its room to the title like an empty one.
READ_WHOLE = 3000
SAMPLE = 1000
_PADDING = 18  # the item's margins and a little air


@dataclass(frozen=True, slots=True)
class ColumnFacts:
    """What the listed papers hold, per column: the cell texts to measure (empty: nothing)."""

    texts: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def filled(self, column: int) -> bool:
        return bool(self.texts.get(column))


def column_facts(collection: Collection, ids: Sequence[int]) -> ColumnFacts:
    """Which optional columns the papers `ids` fill, with their longest texts (a worker job).

    Reads at most READ_WHOLE papers, or 2 * SAMPLE of a larger listing (see
    SAMPLE): a few tens of milliseconds, whatever the library's size.
    """
    papers = collection.get_many(sample_ids(ids))
    texts: dict[int, tuple[str, ...]] = {}
    for column in (*OPTIONAL, STATUS):
        values = {cell_text(p, column) for p in papers}
        values.discard("")
        texts[column] = tuple(sorted(values, key=len, reverse=True)[:12])
    return ColumnFacts(texts)


def sample_ids(ids: Sequence[int]) -> list[int]:
    """All of `ids` up to READ_WHOLE; else the first SAMPLE and SAMPLE spread over the rest."""
    ids = list(ids)
    if len(ids) <= READ_WHOLE:
        return ids
    rest = ids[SAMPLE:]
    step = max(1, len(rest) // SAMPLE)
    return ids[:SAMPLE] + rest[::step][:SAMPLE]


class ColumnFitter(QObject):
    """Keeps the table's columns fitted to the listing and the width (see the module docstring)."""

    def __init__(self, table: QTableView, collection: Collection, reads: Worker) -> None:
        super().__init__(table)
        self._table = table
        self._collection = collection
        self._reads = reads
        self._facts = ColumnFacts({column: ("x",) for column in (*OPTIONAL, STATUS)})
        self.user_widths: dict[int, int] = {}
        self._fitting = False
        self._asked = 0  # the latest listing asked about; older answers are dropped
        self._running = False
        self._again: list[int] | None = None
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in range(len(COLUMNS)):
            if column != TITLE:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)

    # -- what the listing holds -------------------------------------------------

    def refresh(self, ids: Sequence[int]) -> None:
        """Find out (on the reads worker) what the listed papers fill, then fit."""
        if self._running:
            self._again = list(ids)
            return
        self._running = True
        self._asked += 1
        asked, collection, listed = self._asked, self._collection, list(ids)
        self._reads.submit(
            lambda _task: column_facts(collection, listed),
            on_done=lambda facts: self._answered(asked, facts),
            on_error=self._failed,
        )

    def _answered(self, asked: int, facts: ColumnFacts) -> None:
        self._running = False
        if self._again is not None:
            again, self._again = self._again, None
            self.refresh(again)
            return
        if asked == self._asked:
            self._facts = facts
            self.apply()

    def _failed(self, _exc: BaseException) -> None:
        # A listing deleted meanwhile, a closing library: keep the last fit.
        self._running = False
        self._again = None

    def facts(self) -> ColumnFacts:
        return self._facts

    # -- widths -------------------------------------------------------------------

    def apply(self) -> None:
        """Hide, size and give way as the facts and the table's width say."""
        widths = self.planned_widths(self._table.viewport().width())
        header = self._table.horizontalHeader()
        self._fitting = True
        try:
            for column in range(len(COLUMNS)):
                if column == TITLE:
                    continue
                hidden = column not in widths
                if header.isSectionHidden(column) != hidden:
                    header.setSectionHidden(column, hidden)
                if not hidden and header.sectionSize(column) != widths[column]:
                    header.resizeSection(column, widths[column])
        finally:
            self._fitting = False

    def planned_widths(self, available: int) -> dict[int, int]:
        """The width of each column other than the title that is shown at `available` px."""
        widths = {
            column: self.user_widths.get(column) or self._natural_width(column)
            for column in (*OPTIONAL, STATUS)
            if column == STATUS or self._facts.filled(column)
        }
        title_min = max(TITLE_MIN_PX, round(available * TITLE_MIN_SHARE))
        for column in DROP_ORDER:
            if available - sum(widths.values()) >= title_min:
                break
            widths.pop(column, None)
        return widths

    def _natural_width(self, column: int) -> int:
        header = self._table.horizontalHeader()
        wanted = header.sectionSizeFromContents(column).width()
        font = QFont(self._table.font())
        font.setBold(True)  # unread rows are bold: measure the wider
        metrics = QFontMetrics(font)
        for value in self._facts.texts.get(column, ()):
            wanted = max(wanted, metrics.horizontalAdvance(value) + _PADDING)
        return max(header.minimumSectionSize(), min(wanted, CAPS[column]))

    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column != TITLE and new > 0:
            self.user_widths[column] = new

    # -- remembering ------------------------------------------------------------------

    def widths_text(self) -> str:
        """The dragged widths as "Byline=133,Date=96" (for the settings)."""
        return ",".join(f"{COLUMNS[c].title}={w}" for c, w in sorted(self.user_widths.items()))

    def restore_widths(self, saved: str) -> None:
        by_title = {column.title: number for number, column in enumerate(COLUMNS)}
        for part in saved.split(","):
            name, _, value = part.partition("=")
            column = by_title.get(name.strip())
            if column is not None and column != TITLE and value.strip().isdigit():
                self.user_widths[column] = max(int(value), 20)
        self.apply()
