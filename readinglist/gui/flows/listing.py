"""What the table lists, and keeping the selection sensible when that changes.

The listing is the sidebar's view, the search field's query and a sort.
A new search starts in rank order; clicking a header sorts through the core;
clearing the search brings the browsing sort back. After every change the
selection is put back (the same paper, or the row where it was, or the top),
the count and the empty state are updated, and only then are highlights
(titles on screen) and the "did you mean" fetched, after a short pause so
typing never waits for them.

Searches run on the search thread (search_runner), never on the GUI thread:
a query whose ranking the core keeps lists at once; any other is searched
there, and the table keeps the last answer until the new one comes, dimmed
with a "searching…" hint if it is slow. While the person types, the query
run has the word under the cursor as a prefix (search_bar); "did you mean"
waits until nothing is being typed. An error under the field is shown only
while the field holds the text it is about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QItemSelectionRange,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel, QStackedWidget

from readinglist.collection import Collection
from readinglist.errors import QueryError, ReadingListError
from readinglist.gui import text
from readinglist.gui.flows.search_runner import SearchRunner
from readinglist.gui.models.paper_table import (
    COLUMNS,
    Listing,
    PaperTableModel,
    list_ids,
    sort_column,
)
from readinglist.gui.widgets.empty_state import EMPTY_LIBRARY, EmptyState
from readinglist.gui.widgets.search_bar import SearchBar
from readinglist.gui.widgets.sidebar import Sidebar
from readinglist.gui.widgets.table_view import PaperTableView
from readinglist.library.reader import ALL_PAPERS, RankingSort, SortKey
from readinglist.papers import Paper

log = logging.getLogger(__name__)

# Highlights and suggestions wait until typing or scrolling pauses.
HIGHLIGHT_DELAY_MS = 120
SUGGEST_DELAY_MS = 300
# Restoring a selection of more rows than this is not worth the time.
MAX_RESTORED_SELECTION = 5000
# A listing asked for by a click (a view, a header, a saved search, Back)
# waits this long for its search on the GUI thread, so that a quick one
# shows in the same frame; typing never waits.
CLICK_PATIENCE_S = 0.25
# A search still running after this is slow: the last results are dimmed.
DIM_AFTER_MS = 150
DIMMED_OPACITY = 0.45

Sort = tuple[SortKey | RankingSort | None, bool]


@dataclass(frozen=True, slots=True)
class _Asked:
    """A listing asked for: what to list, the text it came from, how to keep the selection."""

    listing: Listing
    text: str  # the field's text when it was asked for
    keep: str
    fallbacks: tuple[str, ...] = ()  # queries to run in turn if the core refuses listing.query

    @property
    def written(self) -> str:
        return self.text.strip()


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
        # What triage did since the window opened ("8 read, 3 later"), said
        # when the Inbox is empty; the main window keeps the tally.
        self.inbox_tally: Callable[[], str] = lambda: ""
        self._search_sort: Sort = (None, False)
        self._last_query = ""
        self._shown_written = ""  # the written query of the listing on screen
        self._asked: _Asked | None = None  # the listing being searched for
        self.index_building = False
        self.lister = model.lister
        self.runner = SearchRunner(self, on_stop=collection.release_thread)
        # Read the index ahead for the search thread, once the window is up.
        QTimer.singleShot(0, self, self._warm)
        self._highlight_timer = _single_shot(self, HIGHLIGHT_DELAY_MS, self.highlight_visible)
        self._suggest_timer = _single_shot(self, SUGGEST_DELAY_MS, self._suggest)
        self._dim_timer = _single_shot(self, DIM_AFTER_MS, lambda: self._dim(True))
        # Owned by the stack, as setGraphicsEffect makes it (two owners would delete it twice).
        self._dimming = QGraphicsOpacityEffect(stack)
        self._dimming.setOpacity(DIMMED_OPACITY)
        self._dimming.setEnabled(False)
        stack.setGraphicsEffect(self._dimming)

        search.queryChanged.connect(self._query_changed)
        sidebar.filterChanged.connect(lambda: self.relist("first"))
        sidebar.savedSearchActivated.connect(search.set_query)
        table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        table.verticalScrollBar().valueChanged.connect(self._highlight_timer.start)

    def _warm(self) -> None:
        collection = self._collection
        self.runner.submit("suggest", collection.warm_search, lambda _: None, _quiet("warming"))

    def shut_down(self) -> None:
        """Stop the search thread (the window is closing)."""
        for timer in (self._highlight_timer, self._suggest_timer, self._dim_timer):
            timer.stop()
        if not self.runner.shutdown():
            log.error("the search thread did not stop in time")

    def is_idle(self) -> bool:
        """True when no search is running or waiting, nor its answer to be shown."""
        return self.runner.is_idle()

    def searching(self) -> bool:
        """True while the table shows the last results because a search still runs."""
        return self._asked is not None

    # -- listing ---------------------------------------------------------------

    def current_listing(self) -> Listing:
        query = self.search.query_to_run().strip()
        sort, descending = self._search_sort if query else self.browse_sort
        return Listing(self.sidebar.current_filter(), query, sort, descending)

    def relist(self, keep: str = "id", *, patience_s: float = CLICK_PATIENCE_S) -> bool:
        """List again. keep: the "first" row, the current paper's "id", or its "position".

        No query, and a query over all papers in rank order whose ranking
        the core keeps, list now. Any other goes to the search thread; the table keeps its last
        answer until the new one comes, which this waits for up to
        `patience_s`. Returns True if the listing is on screen on return.
        A query the core cannot take is shown under the search field and the
        table keeps its last answer.
        """
        fallbacks = tuple(q.strip() for q in self.search.fallback_queries())
        asked = _Asked(self.current_listing(), self.search.query(), keep, fallbacks)
        query, listing = asked.listing.query, asked.listing
        # Ranked and in rank order over the whole library: a list the core
        # has. A view or a sort of a ranking is SQL over its ids, left to the
        # search thread too (tens of ms over 100k papers).
        kept = listing.view == ALL_PAPERS and listing.sort is None
        if not query or (kept and self._collection.cached_ranking(query) is not None):
            self.runner.withdraw("listing")  # an answer on its way is no longer wanted
            return self._show(asked, None)
        self._asked = asked
        collection = self._collection
        ticket = self.runner.submit(
            "listing",
            lambda: _search(collection, asked),
            lambda found: self._found(asked, found),
            lambda exc: self._failed(asked, exc),
        )
        if patience_s > 0 and self.runner.wait(ticket, patience_s):
            return self._asked is None
        if not self._dim_timer.isActive() and not self._dimming.isEnabled():
            self._dim_timer.start()
        return False

    def _found(self, asked: _Asked, found: tuple[Listing, list[int]]) -> None:
        listing, ids = found
        self.lister.hand_over(listing, ids)
        self._show(replace(asked, listing=listing), ids)

    def _failed(self, asked: _Asked, exc: BaseException) -> None:
        self._asked = None
        self._dim(False)
        if isinstance(exc, ReadingListError):
            # Shown only while the field holds the text it is about.
            self.search.show_error(str(exc), for_text=asked.text)
            return
        log.error("search failed", exc_info=(type(exc), exc, exc.__traceback__))

    def _show(self, asked: _Asked, ids: list[int] | None) -> bool:
        """Put a listing on screen (`ids` found already, or None to ask the core now)."""
        self._asked = None
        self._dim(False)
        current_id, current_row = self.current_paper_id(), self.table.currentIndex().row()
        keep = asked.keep
        selected = self.selected_ids() if keep != "first" else []
        if keep == "position" and selected:
            # After a delete, the paper that followed the first deleted row takes its place.
            current_row = min(current_row, self.model.row_of(selected[0]) or 0)
        try:
            self.model.set_listing(asked.listing)
        except ReadingListError as exc:
            self.search.show_error(str(exc))
            return False
        self._shown_written = asked.written
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
            self.runner.withdraw("highlight")
            self.runner.withdraw("suggest")
            self.search.show_suggestion(None)
        self.relisted.emit()
        return True

    def _dim(self, dimmed: bool) -> None:
        """The last results dimmed, with a hint, while a slow search runs."""
        if not dimmed:
            self._dim_timer.stop()
        dimmed = dimmed and self._asked is not None
        self._dimming.setEnabled(dimmed)
        self.search.show_searching(dimmed)

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
        # Typing never waits for a search; a query set at once (a saved
        # search, a suggestion, Back, Enter) may, briefly.
        self.relist("first", patience_s=0 if self.search.typing() else CLICK_PATIENCE_S)

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

    def sort_by(self, key: RankingSort) -> None:
        """A ranking order: "for-you" (learned) or "rising" (upvotes per day), best first."""
        if self.search.query().strip():
            self._search_sort = (key, False)
        else:
            self.browse_sort = (key, False)
        self.relist("first")

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
        elif self.sidebar.view_key() == "inbox":
            self._count_label.setText(f"{text.number_text(count)} left")
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
            self._empty.show_message(f"No papers match “{self._shown_written}”", hint)
        else:
            title, hint = _empty_view_text(self.sidebar.view_key(), listing)
            if self.sidebar.view_key() == "inbox" and self.inbox_tally():
                hint = f"Done: {self.inbox_tally()}. {hint}"
            self._empty.show_message(title, hint)
        self._stack.setCurrentWidget(self._empty)

    def highlight_visible(self) -> None:
        """Highlight the query in the titles on screen (and only those), on the search thread."""
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
        collection = self._collection
        self.runner.submit(
            "highlight",
            lambda: collection.highlight(query, wanted),
            lambda found: self._highlighted(query, found),
            _quiet("highlights"),
        )

    def _highlighted(self, query: str, found: dict[int, dict[str, str]]) -> None:
        if self.model.listing.query == query:  # else the table lists another query now
            self.model.set_highlights({pid: f.get("title", "") for pid, f in found.items()})

    def _suggest(self) -> None:
        """Offer "Did you mean" for whole words only: not while a word is matched as a prefix."""
        query = self.model.listing.query
        if not query or query != self._shown_written:
            self.search.show_suggestion(None)
            return
        text, collection = self.search.query(), self._collection
        self.runner.submit(
            "suggest",
            lambda: collection.suggest(query),
            lambda suggestion: self._suggested(query, text, suggestion),
            _quiet("did you mean"),
        )

    def _suggested(self, query: str, text: str, suggestion: str | None) -> None:
        if self.model.listing.query != query:
            return
        if suggestion and suggestion.strip().casefold() != query.casefold():
            self.search.show_suggestion(suggestion, for_text=text)
        else:
            self.search.show_suggestion(None)

    # -- the selection -----------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, in table order."""
        rows: set[int] = set()
        for selection_range in _ranges(self.table):
            rows.update(range(selection_range.top(), selection_range.bottom() + 1))
        ids = (self.model.id_at(row) for row in sorted(rows))
        return [i for i in ids if i is not None]

    def selected_count(self) -> int:
        return sum(r.height() for r in _ranges(self.table))

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


def _ranges(table: PaperTableView) -> list[QItemSelectionRange]:
    """The selection's row ranges (a selection of 100k rows is a few ranges)."""
    selection = table.selectionModel().selection()
    return [selection.at(n) for n in range(selection.count())]


def _search(collection: Collection, asked: _Asked) -> tuple[Listing, list[int]]:
    """The ids of what was asked for (on the search thread).

    A prefix made while typing that the core refuses (it begins too many
    words) gives way to the fallbacks: the query without that word, then the
    query as written, whose error (if any) is the one the person sees.
    """
    listing = asked.listing
    for query in asked.fallbacks:
        try:
            return listing, list_ids(collection, listing)
        except QueryError:
            listing = replace(listing, query=query)
    return listing, list_ids(collection, listing)


def _quiet(what: str):
    """An error handler for the extras: a query the core refuses means none."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ReadingListError):
            log.debug("no %s: %s", what, exc)
        else:
            log.error("%s failed", what, exc_info=(type(exc), exc, exc.__traceback__))

    return failed


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
        "inbox": (
            "Inbox empty",
            "Every paper of the recent pages is dealt with. Drop today's page to fill it.",
        ),
    }.get(view_key, ("No papers", ""))
