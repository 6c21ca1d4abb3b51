"""The paper table: a model over ids that fetches the rows it shows.

The model holds the ids of the current listing (view, query, sort) as the
core returns them and nothing else up front; the papers behind the rows on
screen are fetched a page at a time with `collection.get_many` and kept in a
bounded cache. Sorting and filtering are the core's (SQL and the index), so
100,000 papers cost a list of ints, never 100,000 objects or a proxy model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from readinglist.collection import Collection
from readinglist.gui import text
from readinglist.library.reader import ALL_PAPERS, PaperFilter, RankingSort, SortKey
from readinglist.papers import Paper, Status

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the paper table: its title, the sort it asks for, its header text."""

    title: str
    sort: SortKey
    # Numbers and dates read best newest/largest first on the first click.
    descending_first: bool = False
    # What the header shows, when shorter than the title ("Votes" for upvotes).
    header: str = ""

    @property
    def caption(self) -> str:
        return self.header or self.title


COLUMNS: tuple[Column, ...] = (
    Column("Title", "title"),
    Column("Byline", "byline"),
    Column("Date", "published", descending_first=True),
    Column("Upvotes", "upvotes", descending_first=True, header="Votes"),
    Column("Status", "status"),
    Column("Tags", "tags"),
)
TITLE, BYLINE, DATE, UPVOTES, STATUS, TAGS = range(len(COLUMNS))

ID_ROLE = Qt.ItemDataRole.UserRole
PAPER_ROLE = Qt.ItemDataRole.UserRole + 1
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 2

# Rows are fetched in pages around the one asked for: one query per screenful.
PAGE = 100
# Enough for several screens and the selection; past it the cache starts over.
CACHE_LIMIT = 4000

# With no query and no column chosen, the newest papers come first.
BROWSE_SORT: tuple[SortKey, bool] = ("added", True)


@dataclass(frozen=True, slots=True)
class Listing:
    """What the table lists: a view, an optional query, an optional sort.

    `sort=None` means rank order with a query, newest first without one.
    """

    view: PaperFilter = ALL_PAPERS
    query: str = ""
    sort: SortKey | RankingSort | None = None
    descending: bool = False


class Lister:
    """The table model's source of ids: the core's listing, or the search thread's.

    The core's listing's ranking cache decides when a search is needed; otherwise the ids are those
    the search thread found.

    Writes and imports need tell it nothing: the core keeps a ranking while
    the library's writes cannot change it.
    """

    def __init__(self, collection: Collection) -> None:
        self._collection = collection
        self._found: tuple[Listing, list[int]] | None = None

    def hand_over(self, listing: Listing, ids: list[int]) -> None:
        """Ids found for `listing` (on the search thread), for the next `ids(listing)`."""
        self._found = (listing, ids)

    def ids(self, listing: Listing) -> list[int]:
        """The ids of `listing`, in order (QueryError for a bad query)."""
        found, self._found = self._found, None
        if found is not None and found[0] == listing:
            return found[1]
        return list_ids(self._collection, listing)

    def forget(self) -> None:
        self._collection.forget_rankings()


def list_ids(collection: Collection, listing: Listing) -> list[int]:
    """The ids of `listing` from the core (on whichever thread calls it)."""
    query = listing.query.strip()
    if not query:
        sort: SortKey | RankingSort
        if listing.sort is not None:
            sort, descending = listing.sort, listing.descending
        elif listing.view.inbox:
            sort, descending = "for-you", False  # the Inbox: best first for the person
        else:
            sort, descending = BROWSE_SORT
        return collection.list_ids(listing.view, sort=sort, descending=descending)
    return collection.list_ids(
        listing.view, query=query, sort=listing.sort, descending=listing.descending
    )


class PaperTableModel(QAbstractTableModel):
    """Rows of papers by id, fetched lazily (see the module docstring)."""

    listingChanged = Signal()

    def __init__(self, collection: Collection, parent=None) -> None:
        super().__init__(parent)
        self._collection = collection
        self.lister = Lister(collection)
        self._listing = Listing()
        self._ids: list[int] = []
        self._rows: dict[int, int] | None = None
        self._cache: dict[int, Paper] = {}
        # Each cached paper's cell texts, made once: a paint asks for every
        # cell on screen, several times, and a keystroke repaints them all.
        self._texts: dict[int, tuple[str, ...]] = {}
        self._missing: set[int] = set()
        self._highlights: dict[int, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what is listed ------------------------------------------------------

    @property
    def listing(self) -> Listing:
        return self._listing

    def set_listing(self, listing: Listing) -> None:
        """List `listing`; on QueryError nothing changes and the error propagates."""
        ids = self.lister.ids(listing)
        self._listing = listing
        self.set_ids(ids)

    def relist(self) -> None:
        """List the current listing again (after a change to the library)."""
        self.set_listing(self._listing)

    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = None
        self._highlights = {}
        self._missing.clear()
        self.endResetModel()
        self.listingChanged.emit()

    def ids(self) -> list[int]:
        return self._ids

    def row_of(self, paper_id: int) -> int | None:
        if self._rows is None:
            self._rows = {pid: row for row, pid in enumerate(self._ids)}
        return self._rows.get(paper_id)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def paper_at(self, row: int) -> Paper | None:
        paper_id = self.id_at(row)
        if paper_id is None:
            return None
        paper = self._cache.get(paper_id)
        if paper is None and paper_id not in self._missing:
            self._fetch_around(row)
            paper = self._cache.get(paper_id)
        return paper

    def forget(self, ids: Sequence[int] | None = None) -> None:
        """Drop cached papers (all, or these ids) and repaint their rows."""
        if ids is None:
            self._cache.clear()
            self._texts.clear()
            self._missing.clear()
            if self._ids:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
                )
            return
        for paper_id in ids:
            self._cache.pop(paper_id, None)
            self._texts.pop(paper_id, None)
            self._missing.discard(paper_id)
            row = self.row_of(paper_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def assume_status(self, ids: Sequence[int], status: Status) -> None:
        """Show `status` on these rows now, before the write that makes it so lands.

        Only cached rows change (the others are fetched after the write);
        the write's `forget()` replaces them with what the library says.
        """
        for paper_id in ids:
            paper = self._cache.get(paper_id)
            if paper is None or paper.status == status:
                continue
            self._cache[paper_id] = replace(paper, status=status)
            self._texts.pop(paper_id, None)
            row = self.row_of(paper_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_highlights(self, titles: dict[int, str]) -> None:
        """Highlighted titles (escaped HTML, <b> around matches) for rows on screen."""
        self._highlights.update(titles)
        for paper_id in titles:
            row = self.row_of(paper_id)
            if row is not None:
                index = self.index(row, TITLE)
                self.dataChanged.emit(index, index, [HIGHLIGHT_ROLE])

    def has_highlight(self, paper_id: int) -> bool:
        return paper_id in self._highlights

    def _fetch_around(self, row: int) -> None:
        start = (row // PAGE) * PAGE
        wanted = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
        if len(self._cache) + len(wanted) > CACHE_LIMIT:
            self._cache.clear()
            self._texts.clear()
        found = self._collection.get_many(wanted)
        for paper in found:
            self._cache[paper.id] = paper
        # A paper deleted since the listing was made: show an empty row, ask once.
        self._missing.update(set(wanted) - {p.id for p in found})

    # -- Qt's model interface -------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.caption
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(section)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.title if column.header else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Qt asks each cell of a paint for a dozen roles; most have no answer.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = index.row()
        if row >= len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[row]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGNMENTS[column]
        paper = self.paper_at(row)
        if paper is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(paper.id)
            if texts is None:
                texts = self._texts[paper.id] = cell_texts(paper)
            return texts[column]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if paper.status == "unread" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(paper, column)
        if role == PAPER_ROLE:
            return paper
        if role == HIGHLIGHT_ROLE and column == TITLE:
            return self._highlights.get(paper.id)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort through the core (SQL); a column outside the table means the default order."""
        if 0 <= column < len(COLUMNS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_listing(
                replace(self._listing, sort=COLUMNS[column].sort, descending=descending)
            )
        else:
            self.set_listing(replace(self._listing, sort=None, descending=False))


def cell_texts(paper: Paper) -> tuple[str, ...]:
    """What each cell of `paper`'s row shows, column by column."""
    return tuple(cell_text(paper, column) for column in range(len(COLUMNS)))


def cell_text(paper: Paper, column: int) -> str:
    """What a cell of `column` shows for `paper`."""
    if column == TITLE:
        return paper.title
    if column == BYLINE:
        return text.byline_text(paper)
    if column == DATE:
        return text.date_text(paper.published)
    if column == UPVOTES:
        return "" if paper.upvotes is None else text.number_text(paper.upvotes)
    if column == STATUS:
        return "Unread" if paper.status == "unread" else "Read"
    if column == TAGS:
        return ", ".join(paper.tags)
    return ""


def _tooltip(paper: Paper, column: int) -> str | None:
    # Dump text as text, at a readable width (see text.plain_tooltip).
    if column == TITLE:
        return text.plain_tooltip(paper.title) or None
    if column == BYLINE:
        return text.plain_tooltip(text.byline_text(paper)) or None
    if column == DATE:
        return text.plain_tooltip(text.date_tooltip(paper)) or None
    if column == TAGS and paper.tags:
        return text.plain_tooltip(", ".join(paper.tags))
    return None


def _alignment(column: int) -> int:
    vertical = Qt.AlignmentFlag.AlignVCenter
    if column == UPVOTES:
        return int(Qt.AlignmentFlag.AlignHCenter | vertical)
    return int(Qt.AlignmentFlag.AlignLeft | vertical)


_ALIGNMENTS = tuple(_alignment(column) for column in range(len(COLUMNS)))
_ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        ID_ROLE,
        PAPER_ROLE,
        HIGHLIGHT_ROLE,
    }
)


def sort_column(key: SortKey | RankingSort | None) -> int:
    """The column sorted by `key`, or -1."""
    for number, column in enumerate(COLUMNS):
        if column.sort == key:
            return number
    return -1
