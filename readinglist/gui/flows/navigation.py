"""Where the reader is: one highlight in the sidebar, and Back.

After every listing the sidebar's highlight follows what is listed (a saved
search only while it is what the table shows) and the place is recorded in
the History. Back (Alt+Left, the mouse's back button) restores the previous
view, tags, query and saved search, then the paper that was open there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QWidget

from readinglist.gui.flows.history import History, Place
from readinglist.gui.flows.listing import ListingController
from readinglist.gui.qt_app import application


class Navigator(QObject):
    """Records places as the table lists them and goes back to them."""

    def __init__(
        self,
        window: QWidget,
        listing: ListingController,
        back_action: QAction,
        say: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.history = History()
        self._listing = listing
        self._sidebar = listing.sidebar
        self._search = listing.search
        self._model = listing.model
        self._back_action = back_action
        self._say = say
        self._going_back = False
        self._relisting = False
        table = listing.table
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        # While a listing replaces the rows, the current paper is the new
        # listing's: it must not be remembered as the place being left.
        self._model.modelAboutToBeReset.connect(self._listing_starts)
        self._back_button = _BackButton(window, self.go_back)
        application().installEventFilter(self._back_button)

    def stop(self) -> None:
        """Stop watching the application's mouse (the window is closing)."""
        application().removeEventFilter(self._back_button)

    # -- recording ------------------------------------------------------------------

    def place(self) -> Place:
        active = self._sidebar.active_saved_search()
        return Place(
            view=self._sidebar.view_key(),
            tags=self._sidebar.selected_tags(),
            query=self._model.listing.query,
            saved_search=active[0] if active else None,
        )

    def relisted(self) -> None:
        """After a listing: the sidebar's highlight, and the place in the history."""
        self._relisting = False
        self._sidebar.follow_listing(self._model.listing.query)
        place = self.place()
        before = self.history.place
        # A query typed in the field is one step, however many listings it took.
        typed = (
            before is not None
            and self._search.field.hasFocus()
            and (place.view, place.tags, place.saved_search) == (before.view, before.tags, None)
        )
        if not self._going_back:
            self.history.visit(place, typed=typed)
            self.history.set_paper(self._listing.current_paper_id())
        self._back_action.setEnabled(self.history.can_go_back())

    def _listing_starts(self) -> None:
        self._relisting = True

    def _current_changed(self, *_args) -> None:
        if not self._relisting:
            self.history.set_paper(self._listing.current_paper_id())

    # -- going back -------------------------------------------------------------------

    def go_back(self) -> None:
        """Back to the view and query before the last change, and the paper open there."""
        self.history.set_paper(self._listing.current_paper_id())
        visit = self.history.back()
        if visit is None:
            self._say("Nothing to go back to.")
            return
        place = visit.place
        self._going_back = True
        try:
            self._sidebar.blockSignals(True)
            self._sidebar.select_view(place.view)
            self._sidebar.set_tag_selection(place.tags)
            self._sidebar.select_saved_search(place.saved_search)
            self._sidebar.blockSignals(False)
            self._search.set_query(place.query)  # lists the restored place
        finally:
            self._sidebar.blockSignals(False)
            self._going_back = False
        self._back_action.setEnabled(self.history.can_go_back())
        if visit.paper_id is not None and self._model.row_of(visit.paper_id) is not None:
            self._listing.show_paper_id(visit.paper_id)

    # -- leaving the listing ----------------------------------------------------------------

    def open_similar(self, paper_id: int) -> None:
        """A similar paper: selected where it is listed, else in all papers (and said so)."""
        listed = self._model.row_of(paper_id) is not None
        self._listing.show_paper_id(paper_id)
        if not listed and self._listing.current_paper_id() == paper_id:
            self._say("Showing all papers: that paper was not in the list. Alt+Left goes back.")

    def search_all_papers(self) -> None:
        """The same query over the whole library (the empty state's "search all papers")."""
        self._sidebar.blockSignals(True)
        try:
            self._sidebar.set_tag_selection(())
            self._sidebar.select_view("all")
        finally:
            self._sidebar.blockSignals(False)
        self._listing.relist("first")

    def narrowed(self) -> bool:
        """True when a view or tags narrow the listing (so "all papers" would find more)."""
        return self._sidebar.view_key() != "all" or bool(self._sidebar.selected_tags())


class _BackButton(QObject):
    """Sees every mouse press of the application; the back button in `window` goes back."""

    def __init__(self, window: QWidget, back: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._back = back

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.BackButton
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._back()
            return True
        return False
