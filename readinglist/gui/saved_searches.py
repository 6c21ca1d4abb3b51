"""Saved searches: keep the current query under a name, rename, delete (writes on the worker)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from readinglist.collection import Collection
from readinglist.gui.search_bar import SearchBar
from readinglist.gui.sidebar import Sidebar
from readinglist.gui.worker import Worker


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
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._collection = collection
        self._worker = worker
        self._sidebar = sidebar
        self._search = search
        self._open_dialog = open_dialog
        self._say = say
        self.active = True
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
        dialog = _name_dialog(self._parent, "Save search", "Name for this search:", query[:40])
        dialog.textValueSelected.connect(lambda name: self._write(name, query))
        self._open_dialog(dialog)

    def rename(self, search_id: int, name: str) -> None:
        dialog = _name_dialog(self._parent, "Rename search", "New name:", name)
        collection = self._collection

        def renamed(new_name: str) -> None:
            if new_name.strip() and new_name != name:
                self._worker.submit(
                    lambda _task: collection.rename_saved_search(search_id, new_name),
                    on_done=lambda _result: self._changed(f"Renamed to “{new_name}”."),
                )

        dialog.textValueSelected.connect(renamed)
        self._open_dialog(dialog)

    def delete(self, search_id: int) -> None:
        collection = self._collection
        self._worker.submit(
            lambda _task: collection.delete_saved_search(search_id),
            on_done=lambda _result: self._changed("Deleted the saved search."),
        )

    def _write(self, name: str, query: str) -> None:
        if not name.strip():
            return
        collection = self._collection
        self._worker.submit(
            lambda _task: collection.save_search(name, query),
            on_done=lambda _id: self._changed(f"Saved the search “{name}”."),
        )

    def _changed(self, message: str) -> None:
        if self.active:
            self.refresh()
            self._say(message)


def _name_dialog(parent: QWidget, title: str, label: str, value: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(value)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog
