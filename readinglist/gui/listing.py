"""What the table lists, and keeping the selection sensible when that changes.

The listing is the sidebar's view, the search field's query and a sort.
A new search starts in rank order; clicking a header sorts through the core;
clearing the search brings the browsing sort back. After every change the
selection is put back (the same paper, or the row where it was, or the top),
the count and the empty state are updated, and only then are highlights
(titles on screen) and the "did you mean" fetched, after a short pause so
typing never waits for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget

from readinglist.collection import Collection
from readinglist.errors import ReadingListError
from readinglist.gui import text
from readinglist.gui.empty_state import EMPTY_LIBRARY, EmptyState
from readinglist.gui.paper_table import COLUMNS, Listing, PaperTableModel, sort_column
from readinglist.gui.search_bar import SearchBar
from readinglist.gui.sidebar import Sidebar
from readinglist.gui.table_view import PaperTableView
from readinglist.papers import Paper
from readinglist.reader import ALL_PAPERS, SortKey

# Highlights and suggestions wait until typing or scrolling pauses.
HIGHLIGHT_DELAY_MS = 120
SUGGEST_DELAY_MS = 300
# Restoring a selection of more rows than this is not worth the time.
MAX_RESTORED_SELECTION = 5000

Sort = tuple[SortKey | None, bool]


class ListingController(QObject):
    """Drives the table from the search field, the sidebar and the header."""

    relisted = Signal()  # after every listing, with the selection restored

    def __init__(
        self,
        collection: Collection,
        model: PaperTableModel,
        table: PaperTableView,
        search: SearchBar,
        sidebar: Sidebar,
        stack: QStackedWidget,
        empty: EmptyState,
        count_label: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._collection = collection
        self.model, self.table, self.search, self.sidebar = model, table, search, sidebar
        self._stack, self._empty, self._count_label = stack, empty, count_label
        self.browse_sort: Sort = (None, False)
        self._search_sort: Sort = (None, False)
        self._last_query = ""
        self.index_building = False
        self._highlight_timer = _single_shot(self, HIGHLIGHT_DELAY_MS, self.highlight_visible)
        self._suggest_timer = _single_shot(self, SUGGEST_DELAY_MS, self._suggest)

        search.queryChanged.connect(self._query_changed)
        sidebar.filterChanged.connect(lambda: self.relist("first"))
        sidebar.savedSearchActivated.connect(search.set_query)
        table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        table.verticalScrollBar().valueChanged.connect(self._highlight_timer.start)

    # -- listing ---------------------------------------------------------------

    def current_listing(self) -> Listing:
        query = self.search.query().strip()
        sort, descending = self._search_sort if query else self.browse_sort
        return Listing(self.sidebar.current_filter(), query, sort, descending)

    def relist(self, keep: str = "id") -> bool:
        """List again. keep: the "first" row, the current paper's "id", or its "position".

        A query the core cannot take is shown under the search field and the
        table keeps its last answer; returns False then.
        """
        current_id, current_row = self.current_paper_id(), self.table.currentIndex().row()
        selected = self.selected_ids() if keep != "first" else []
        if keep == "position" and selected:
            # After a delete, the paper that followed the first deleted row takes its place.
            current_row = min(current_row, self.model.row_of(selected[0]) or 0)
        try:
            self.model.set_listing(self.current_listing())
        except ReadingListError as exc:
            self.search.show_error(str(exc))
            return False
        if self.search.error_text():
            self.search.clear_messages()
        self._restore_selection(keep, current_id, current_row, selected)
        self._update_header()
        self._update_count()
        self.update_empty_state()
        if self.model.listing.query:
            self._highlight_timer.start()
            self._suggest_timer.start()
        else:
            self.search.show_suggestion(None)
        self.relisted.emit()
        return True

    def show_everything(self, view: str = "all") -> None:
        """No query, no tags, `view`: e.g. after an import, to show what came in."""
        self.sidebar.blockSignals(True)
        self.sidebar.set_tag_selection(())
        self.sidebar.select_view(view)
        self.sidebar.blockSignals(False)
        self.search.field.blockSignals(True)
        self.search.field.clear()
        self.search.field.blockSignals(False)
        self._last_query = ""
        self.relist("first")

    def _query_changed(self, query: str) -> None:
        query = query.strip()
        if query and not self._last_query:
            self._search_sort = (None, False)  # a new search starts in rank order
        self._last_query = query
        self.relist("first")

    def _restore_selection(
        self, keep: str, current_id: int | None, current_row: int, selected: Sequence[int]
    ) -> None:
        model, rows = self.model, self.model.rowCount()
        target = None
        if keep != "first" and current_id is not None:
            target = model.row_of(current_id)
            if target is None and keep == "position" and current_row >= 0:
                target = min(current_row, rows - 1) if rows else None
        if target is None and rows:
            target = 0
        if target is None:
            return
        last = len(COLUMNS) - 1
        selection = QItemSelection()
        for paper_id in list(selected)[:MAX_RESTORED_SELECTION]:
            row = model.row_of(paper_id)
            if row is not None:
                selection.select(model.index(row, 0), model.index(row, last))
        selection.select(model.index(target, 0), model.index(target, last))
        flags = QItemSelectionModel.SelectionFlag
        selection_model = self.table.selectionModel()
        selection_model.setCurrentIndex(model.index(target, 0), flags.NoUpdate)
        selection_model.select(selection, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(model.index(target, 0))

    # -- sorting ---------------------------------------------------------------

    def _header_clicked(self, column: int) -> None:
        key = COLUMNS[column].sort
        searching = bool(self.search.query().strip())
        current_key, descending = self._search_sort if searching else self.browse_sort
        if current_key == key:
            sort: Sort = (key, not descending)
        else:
            sort = (key, COLUMNS[column].descending_first)
        if searching:
            self._search_sort = sort
        else:
            self.browse_sort = sort
        self.relist("id")

    def reset_sort(self) -> None:
        """Back to rank order (with a query) or newest first (without)."""
        if self.search.query().strip():
            self._search_sort = (None, False)
        else:
            self.browse_sort = (None, False)
        self.relist("id")

    def _update_header(self) -> None:
        listing = self.model.listing
        header = self.table.horizontalHeader()
        column = sort_column(listing.sort)
        header.setSortIndicatorShown(column >= 0)
        order = Qt.SortOrder.DescendingOrder if listing.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)

    # -- what is said about the listing ------------------------------------------

    def _update_count(self) -> None:
        count = self.model.rowCount()
        if self.model.listing.query:
            self._count_label.setText(text.count_text(count, "match", "matches"))
        else:
            self._count_label.setText(text.count_text(count, "paper"))

    def update_empty_state(self) -> None:
        if self.model.rowCount():
            self._stack.setCurrentWidget(self.table)
            return
        listing = self.model.listing
        if listing.view == ALL_PAPERS and not listing.query:
            self._empty.show_message(*EMPTY_LIBRARY, offer_import=True)
        elif listing.query:
            hint = "Check the spelling, use fewer words, or search all papers."
            if self.index_building:
                hint = "The search index is still being built; results appear when it is done."
            self._empty.show_message(f"No papers match “{listing.query}”", hint)
        else:
            self._empty.show_message(*_empty_view_text(self.sidebar.view_key(), listing))
        self._stack.setCurrentWidget(self._empty)

    def highlight_visible(self) -> None:
        """Highlight the query in the titles on screen (and only those)."""
        query = self.model.listing.query
        if not query or not self.model.rowCount():
            return
        first = max(self.table.rowAt(0), 0)
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = self.model.rowCount() - 1 if last < 0 else last
        ids = [self.model.id_at(row) for row in range(first, last + 1)]
        wanted = [i for i in ids if i is not None and not self.model.has_highlight(i)]
        if not wanted:
            return
        try:
            found = self._collection.highlight(query, wanted)
        except ReadingListError:
            return
        self.model.set_highlights({pid: fields.get("title", "") for pid, fields in found.items()})

    def _suggest(self) -> None:
        query = self.model.listing.query
        if not query:
            return
        try:
            suggestion = self._collection.suggest(query)
        except ReadingListError:
            suggestion = None
        if suggestion and suggestion.strip().casefold() != query.casefold():
            self.search.show_suggestion(suggestion)
        else:
            self.search.show_suggestion(None)

    # -- the selection -----------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, in table order."""
        rows: set[int] = set()
        for selection_range in self.table.selectionModel().selection():
            rows.update(range(selection_range.top(), selection_range.bottom() + 1))
        ids = (self.model.id_at(row) for row in sorted(rows))
        return [i for i in ids if i is not None]

    def selected_count(self) -> int:
        return sum(r.height() for r in self.table.selectionModel().selection())

    def current_paper_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def current_paper(self) -> Paper | None:
        index = self.table.currentIndex()
        return self.model.paper_at(index.row()) if index.isValid() else None

    def show_paper_id(self, paper_id: int) -> None:
        """Select a paper, leaving the view and the search if it is not listed."""
        if self.model.row_of(paper_id) is None:
            self.show_everything("all")
        row = self.model.row_of(paper_id)
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))


def _single_shot(parent: QObject, interval_ms: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


def _empty_view_text(view_key: str, listing: Listing) -> tuple[str, str]:
    if listing.view.tags:
        return (
            "No papers here carry all of the selected tags",
            "Click a tag again to unselect it.",
        )
    return {
        "unread": ("Nothing left to read", "Every paper in the library is marked read."),
        "read": ("No papers read yet", "Press Space on a paper to mark it read."),
        "notes": ("No notes yet", "Select a paper and press Enter to write a note."),
        "recent": ("Nothing imported yet", "Drop page dumps here, or press Ctrl+O."),
    }.get(view_key, ("No papers", ""))
