"""The sidebar: views with counts, tags with counts, saved searches.

The listed papers are the chosen view AND every selected tag (clicking a tag
toggles it, so several combine). A saved search puts its query in the search
field and lists all papers matching it; while it is what the table lists,
it is highlighted instead of the view (one highlight at a time), and any
other choice (a view, a tag, another query) moves the highlight back to the
view. The sidebar only says what was chosen; the window lists and writes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readinglist.gui.text import escape, number_text
from readinglist.library.reader import LibraryStats, PaperFilter, SavedSearch

_KEY = Qt.ItemDataRole.UserRole
MIN_WIDTH = 165


@dataclass(frozen=True, slots=True)
class View:
    """A fixed view of the sidebar: its key, the name shown, the papers it lists."""

    key: str
    name: str
    filter: PaperFilter


VIEWS: tuple[View, ...] = (
    View("all", "All papers", PaperFilter()),
    # What the recent pages brought that is not dealt with yet, best first.
    View("inbox", "Inbox", PaperFilter(inbox=True)),
    View("unread", "Unread", PaperFilter(status="unread")),
    View("read", "Read", PaperFilter(status="read")),
    View("notes", "With notes", PaperFilter(with_notes=True)),
    View("recent", "Recently imported", PaperFilter(last_import=True)),
)
_VIEW_BY_KEY = {view.key: view for view in VIEWS}


def _view_count(stats: LibraryStats, key: str) -> int:
    return {
        "all": stats.papers,
        "inbox": stats.inbox,
        "unread": stats.unread,
        "read": stats.read,
        "notes": stats.with_notes,
        "recent": stats.last_import,
    }[key]


class _RoomyRows(QStyledItemDelegate):
    """Rows with some air: the sidebar is read at a glance, and clicked often."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 8)


def _list_widget(columns: int, selection: QAbstractItemView.SelectionMode) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setItemDelegate(_RoomyRows(tree))
    tree.setColumnCount(columns)
    tree.setHeaderHidden(True)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(selection)
    tree.setFrameShape(QFrame.Shape.NoFrame)
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    if columns > 1:
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    # The sidebar's background (the window colour), not a white box inside it.
    tree.setAutoFillBackground(False)
    tree.viewport().setAutoFillBackground(False)
    return tree


def _top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The items of one of the sidebar's trees, in order (each tree is a flat list)."""
    items = (tree.topLevelItem(number) for number in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def _section_label(title: str) -> QLabel:
    label = QLabel(title.upper())
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    font.setBold(True)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setContentsMargins(4, 12, 0, 2)
    return label


class Sidebar(QWidget):
    """Views, tags and saved searches (see the module docstring)."""

    filterChanged = Signal()
    savedSearchActivated = Signal(str)
    savedSearchLeft = Signal()  # a view was chosen while a saved search was listed
    saveSearchRequested = Signal()
    renameSavedSearchRequested = Signal(int, str)
    deleteSavedSearchRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stats = LibraryStats()
        self.views = _list_widget(2, QAbstractItemView.SelectionMode.SingleSelection)
        self.tags = _list_widget(2, QAbstractItemView.SelectionMode.MultiSelection)
        self.saved = _list_widget(2, QAbstractItemView.SelectionMode.SingleSelection)
        self._active_saved: int | None = None
        self._saved_counts: dict[int, int | None] = {}
        self._no_tags = QLabel("No tags yet. Add them to a paper in the pane on the right.")
        self._no_tags.setTextFormat(Qt.TextFormat.PlainText)
        self._no_tags.setWordWrap(True)
        self._no_tags.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._no_tags.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._no_tags.setContentsMargins(4, 2, 6, 6)
        self._no_saved = QLabel("Search, then press + to keep the query here.")
        self._no_saved.setTextFormat(Qt.TextFormat.PlainText)
        self._no_saved.setWordWrap(True)
        self._no_saved.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._no_saved.setContentsMargins(4, 2, 6, 6)

        view_items = [QTreeWidgetItem([view.name, ""]) for view in VIEWS]
        for view, item in zip(VIEWS, view_items, strict=True):
            item.setData(0, _KEY, view.key)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.views.addTopLevelItem(item)
        # "All papers": the views are made once here and never removed.
        self._all_view = view_items[0]
        self.views.setCurrentItem(self._all_view)
        row_height = self.views.sizeHintForRow(0) if self.views.topLevelItemCount() else 20
        self.views.setFixedHeight(row_height * len(VIEWS) + 4)
        self.views.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.save_button = QToolButton()
        self.save_button.setText("+")
        self.save_button.setToolTip("Save the current search")
        self.save_button.setAutoRaise(True)
        self.save_button.clicked.connect(self.saveSearchRequested)

        self.saved.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.saved.customContextMenuRequested.connect(self._saved_menu)
        self.saved.setMaximumHeight(row_height * 6 + 4)

        saved_header = QHBoxLayout()
        saved_header.setContentsMargins(0, 0, 4, 0)
        saved_header.addWidget(_section_label("Saved searches"))
        saved_header.addStretch(1)
        saved_header.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(_section_label("Library"))
        layout.addWidget(self.views)
        layout.addWidget(_section_label("Tags"))
        layout.addWidget(self.tags, 1)
        layout.addWidget(self._no_tags, 1)
        layout.addLayout(saved_header)
        layout.addWidget(self.saved)
        layout.addWidget(self._no_saved)
        self.setMinimumWidth(MIN_WIDTH)

        self.views.itemSelectionChanged.connect(self._view_chosen)
        self.tags.itemSelectionChanged.connect(self.filterChanged)
        self.saved.itemClicked.connect(self._saved_clicked)
        self.saved.itemActivated.connect(self._saved_clicked)
        self.set_saved_searches([])
        self.set_stats(self._stats)

    # -- what is chosen ------------------------------------------------------

    def view_key(self) -> str:
        item = self.views.currentItem()
        return item.data(0, _KEY) if item is not None else "all"

    def view_name(self) -> str:
        return _VIEW_BY_KEY[self.view_key()].name

    def selected_tags(self) -> tuple[str, ...]:
        return tuple(item.data(0, _KEY) for item in self.tags.selectedItems())

    def current_filter(self) -> PaperFilter:
        """The chosen view with every selected tag."""
        view = _VIEW_BY_KEY[self.view_key()].filter
        tags = self.selected_tags()
        if not tags:
            return view
        return dataclasses.replace(view, tags=tags)

    def select_view(self, key: str) -> None:
        """Choose a view by key ("all", "inbox", "unread", "read", "notes", "recent")."""
        for item in _top_items(self.views):
            if item.data(0, _KEY) == key:
                self.views.setCurrentItem(item)
                item.setSelected(True)
                return

    def set_tag_selection(self, names: tuple[str, ...] | list[str]) -> None:
        wanted = {name.casefold() for name in names}
        self.tags.blockSignals(True)
        for item in _top_items(self.tags):
            item.setSelected(item.data(0, _KEY).casefold() in wanted)
        self.tags.blockSignals(False)
        self.filterChanged.emit()

    # -- what is shown -------------------------------------------------------

    def set_stats(self, stats: LibraryStats) -> None:
        """New counts; tags that disappeared leave the selection."""
        self._stats = stats
        for item in _top_items(self.views):
            item.setText(1, number_text(_view_count(stats, item.data(0, _KEY))))
        selected = set(self.selected_tags())
        self.tags.blockSignals(True)
        self.tags.clear()
        for name, count in stats.tags:
            item = QTreeWidgetItem([name, number_text(count)])
            item.setData(0, _KEY, name)
            item.setToolTip(0, f"<p>Papers tagged “{escape(name)}”; click again to unselect</p>")
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tags.addTopLevelItem(item)
            item.setSelected(name in selected)
        self.tags.blockSignals(False)
        self._paint_counts()
        self.tags.setVisible(bool(stats.tags))
        self._no_tags.setVisible(not stats.tags)
        if selected - set(self.selected_tags()):
            self.filterChanged.emit()

    def set_saved_searches(self, searches: list[SavedSearch]) -> None:
        """List the saved searches; the one being listed stays highlighted."""
        self.saved.blockSignals(True)
        self.saved.clear()
        for search in searches:
            item = QTreeWidgetItem([search.name, ""])
            item.setData(0, _KEY, (search.id, search.name, search.query))
            item.setToolTip(0, f'<p style="white-space:pre">{escape(search.query)}</p>')
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.saved.addTopLevelItem(item)
            item.setSelected(search.id == self._active_saved)
        self.saved.blockSignals(False)
        if self._active_saved not in {s.id for s in searches}:
            self._active_saved = None
        self.saved.setVisible(bool(searches))
        self._no_saved.setVisible(not searches)
        self.set_saved_counts(self._saved_counts)

    def set_saved_counts(self, counts: dict[int, int | None]) -> None:
        """How many papers each saved search finds now (None: the query fails)."""
        self._saved_counts = dict(counts)
        for item in _top_items(self.saved):
            count = counts.get(item.data(0, _KEY)[0])
            item.setText(1, "" if count is None else number_text(count))
        self._paint_counts()

    def active_saved_search(self) -> tuple[int, str, str] | None:
        """(id, name, query) of the saved search being listed, or None."""
        for entry in self.saved_search_ids():
            if entry[0] == self._active_saved:
                return entry
        return None

    def select_saved_search(self, search_id: int | None) -> None:
        """Highlight a saved search as the one listed (None: the view again); no signals."""
        self._active_saved = search_id
        self.saved.blockSignals(True)
        self.views.blockSignals(True)
        try:
            for item in _top_items(self.saved):
                item.setSelected(item.data(0, _KEY)[0] == search_id)
            current = self.views.currentItem() or self._all_view
            if search_id is None:
                current.setSelected(True)
            else:
                self.views.clearSelection()
        finally:
            self.views.blockSignals(False)
            self.saved.blockSignals(False)

    def follow_listing(self, query: str) -> None:
        """After a listing: the saved search stays highlighted only while it is what is listed."""
        active = self.active_saved_search()
        listed = (
            active is not None
            and query.strip() == active[2].strip()
            and self.view_key() == "all"
            and not self.selected_tags()
        )
        if not listed and (self._active_saved is not None or not self.views.selectedItems()):
            self.select_saved_search(None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_counts()
        super().changeEvent(event)

    def _paint_counts(self) -> None:
        # Counts are secondary: the palette's placeholder colour, light or dark.
        brush = self.palette().brush(QPalette.ColorRole.PlaceholderText)
        for tree in (self.views, self.tags, self.saved):
            for item in _top_items(tree):
                item.setForeground(1, brush)

    # -- reactions -----------------------------------------------------------

    def _view_chosen(self) -> None:
        if not self.views.selectedItems():
            # A view is always chosen: clicking the current one again keeps it.
            current = self.views.currentItem() or self._all_view
            self.views.blockSignals(True)
            current.setSelected(True)
            self.views.blockSignals(False)
            return
        if self._active_saved is not None:
            # The saved search's query goes with it: the view lists all its papers.
            self.select_saved_search(None)
            self.savedSearchLeft.emit()
        self.filterChanged.emit()

    def _saved_clicked(self, item: QTreeWidgetItem) -> None:
        search_id, _name, query = item.data(0, _KEY)
        # A saved search lists the whole library: "All papers", no tags.
        self.views.blockSignals(True)
        self.tags.blockSignals(True)
        try:
            self.views.setCurrentItem(self._all_view)
            self.tags.clearSelection()
        finally:
            self.tags.blockSignals(False)
            self.views.blockSignals(False)
        self.select_saved_search(search_id)
        self.savedSearchActivated.emit(query)

    def _saved_menu(self, position: QPoint) -> None:
        item = self.saved.itemAt(position)
        if item is None:
            return
        search_id, name, _query = item.data(0, _KEY)
        menu = QMenu(self)
        rename = QAction("Rename…", menu)
        rename.triggered.connect(lambda: self.renameSavedSearchRequested.emit(search_id, name))
        remove = QAction("Delete", menu)
        remove.triggered.connect(lambda: self.deleteSavedSearchRequested.emit(search_id))
        menu.addAction(rename)
        menu.addAction(remove)
        menu.popup(self.saved.viewport().mapToGlobal(position))

    def saved_search_ids(self) -> list[tuple[int, str, str]]:
        """(id, name, query) of each saved search, as listed."""
        return [item.data(0, _KEY) for item in _top_items(self.saved)]
