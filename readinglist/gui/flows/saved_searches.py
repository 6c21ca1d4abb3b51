"""Saved searches: keep the current query under a name, rename, delete (writes on the worker)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from readinglist.collection import Collection
from readinglist.errors import ReadingListError
from readinglist.gui import text
from readinglist.gui.widgets.search_bar import SearchBar
from readinglist.gui.widgets.sidebar import Sidebar
from readinglist.gui.worker import Worker

NAME_LIMIT = 60


def count_matches(collection: Collection) -> dict[int, int | None]:
    """How many papers each saved search finds (None when its query no longer works).

    A search per saved search: run it on a worker, never the GUI thread.
    """
    counts: dict[int, int | None] = {}
    for search in collection.saved_searches():
        try:
            counts[search.id] = len(collection.list_ids(query=search.query, sort=None))
        except ReadingListError:
            counts[search.id] = None
    return counts


class SaveSearchDialog(QDialog):
    """A name for a search, with the query it keeps and what it finds now."""

    nameChosen = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        query: str,
        name: str,
        found: int | None,
        action: str = "Save",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.name_field = QLineEdit(name)
        self.name_field.setMaxLength(NAME_LIMIT)
        self.name_field.setPlaceholderText("A name for the sidebar")
        self.name_field.setAccessibleName("Name")
        self.name_field.selectAll()

        self.query_label = QLabel(query)
        self.query_label.setTextFormat(Qt.TextFormat.PlainText)
        self.query_label.setWordWrap(True)
        self.query_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF())
        self.query_label.setFont(mono)
        self.found_label = QLabel(_found_text(found))
        self.found_label.setTextFormat(Qt.TextFormat.PlainText)
        self.found_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.addRow("Name:", self.name_field)
        form.addRow("Search:", self.query_label)
        form.addRow("", self.found_label)

        note = QLabel("It appears under Saved searches in the sidebar; a click runs it again.")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = QFont(note.font())
        small.setPointSizeF(small.pointSizeF() * 0.92)
        note.setFont(small)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_field.textChanged.connect(
            lambda value: self.ok_button.setEnabled(bool(value.strip()))
        )
        self.ok_button.setEnabled(bool(name.strip()))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def name(self) -> str:
        return " ".join(self.name_field.text().split())

    def accept(self) -> None:
        if not self.name():
            return
        super().accept()
        self.nameChosen.emit(self.name())


def _found_text(found: int | None) -> str:
    if found is None:
        return ""
    if found == 0:
        return "Finds no papers yet."
    return f"Finds {text.count_text(found, 'paper')} now."


class SavedSearches(QObject):
    """Connects the sidebar's saved-search requests to the core."""

    def __init__(
        self,
        parent: QWidget,
        collection: Collection,
        worker: Worker,
        sidebar: Sidebar,
        search: SearchBar,
        *,
        open_dialog: Callable[[QDialog], None],
        say: Callable[[str], None],
        found: Callable[[], int | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._collection = collection
        self._worker = worker
        self._sidebar = sidebar
        self._search = search
        self._open_dialog = open_dialog
        self._say = say
        self._found = found
        self.active = True
        self.on_change: Callable[[], None] = lambda: None
        sidebar.saveSearchRequested.connect(self.save)
        sidebar.renameSavedSearchRequested.connect(self.rename)
        sidebar.deleteSavedSearchRequested.connect(self.delete)

    def refresh(self) -> None:
        self._sidebar.set_saved_searches(self._collection.saved_searches())

    def save(self) -> None:
        """Ask for a name and save the query in the search field under it."""
        query = self._search.query().strip()
        if not query:
            self._say("Type a search first, then save it.")
            return
        dialog = SaveSearchDialog(
            self._parent,
            title="Save search",
            query=query,
            name=query[:40],
            found=self._found(),
        )
        dialog.nameChosen.connect(lambda name: self._write(name, query))
        self._open_dialog(dialog)

    def rename(self, search_id: int, name: str) -> None:
        query = next((q for i, _n, q in self._sidebar.saved_search_ids() if i == search_id), "")
        dialog = SaveSearchDialog(
            self._parent, title="Rename search", query=query, name=name, found=None, action="Rename"
        )
        collection = self._collection

        def renamed(new_name: str) -> None:
            if new_name != name:
                self._worker.submit(
                    lambda _task: collection.rename_saved_search(search_id, new_name),
                    on_done=lambda _result: self._changed(f"Renamed to “{new_name}”."),
                )

        dialog.nameChosen.connect(renamed)
        self._open_dialog(dialog)

    def delete(self, search_id: int) -> None:
        collection = self._collection
        self._worker.submit(
            lambda _task: collection.delete_saved_search(search_id),
            on_done=lambda _result: self._changed("Deleted the saved search."),
        )

    def _write(self, name: str, query: str) -> None:
        collection = self._collection
        self._worker.submit(
            lambda _task: collection.save_search(name, query),
            on_done=lambda _id: self._changed(f"Saved the search “{name}”."),
        )

    def _changed(self, message: str) -> None:
        if self.active:
            self.refresh()
            self.on_change()
            self._say(message)
