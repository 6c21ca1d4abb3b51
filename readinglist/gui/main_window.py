"""The main window: search on top, sidebar | paper table | detail pane.

It composes the pieces and turns what people do into core calls: reads
(listing, papers, counts) on the GUI thread, writes as undoable commands on
the worker. It never runs SQL or opens the index itself.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from readinglist import __version__
from readinglist.collection import Collection
from readinglist.errors import ReadingListError
from readinglist.gui import text
from readinglist.gui.actions import build_actions, build_menus, table_context_actions
from readinglist.gui.crash import CrashReporter
from readinglist.gui.detail_pane import DetailPane
from readinglist.gui.dropping import DropCatcher, local_paths
from readinglist.gui.empty_state import EMPTY_LIBRARY, EmptyState
from readinglist.gui.export_flow import ExportFlow
from readinglist.gui.import_flow import ImportFlow
from readinglist.gui.paper_table import COLUMNS, Listing, PaperTableModel, sort_column
from readinglist.gui.search_bar import SearchBar
from readinglist.gui.settings import Settings
from readinglist.gui.shortcuts_dialog import show_shortcuts
from readinglist.gui.sidebar import Sidebar
from readinglist.gui.table_view import PaperTableView
from readinglist.gui.tags_dialog import TagsDialog
from readinglist.gui.theme import APP_NAME, app_icon
from readinglist.gui.undo import (
    DeleteCommand,
    NoteCommand,
    UndoContext,
    add_tags_command,
    mark_command,
    remove_tags_command,
    set_tags_command,
)
from readinglist.gui.worker import Task, Worker
from readinglist.papers import Paper, Status
from readinglist.reader import SortKey

log = logging.getLogger(__name__)

IMPORT_FOLDER_KEY = "import"
DUMP_FILTER = "Page dumps (*.txt *.md *.markdown *.html *.htm);;All files (*)"
# Highlighting what is on screen waits until scrolling pauses.
HIGHLIGHT_DELAY_MS = 40
SUGGEST_DELAY_MS = 200
# Restoring a selection of more rows than this is not worth the time.
MAX_RESTORED_SELECTION = 5000

Sort = tuple[SortKey | None, bool]


class MainWindow(QMainWindow):
    """The readinglist window over an open Collection."""

    def __init__(
        self,
        collection: Collection,
        *,
        worker: Worker | None = None,
        settings: Settings | None = None,
        crash: CrashReporter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.collection = collection
        self.worker = worker or Worker(self)
        self.settings = settings or Settings()
        self.crash = crash or CrashReporter(lambda: self)
        self.crash.before_report = self.flush_note
        self.worker.default_error = self.crash.report
        self.undo_stack = QUndoStack(self)
        self._undo = UndoContext(collection, self.worker, self._changed)
        self._closed = False
        self._browse_sort: Sort = (None, False)
        self._search_sort: Sort = (None, False)
        self._last_query = ""
        self._rebuild_task: Task | None = None
        self.last_dialog: QDialog | None = None
        self.last_message: str = ""

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build()
        self.actions = build_actions(self)
        build_menus(self, self.actions)
        self.table.addActions(table_context_actions(self.actions))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.import_flow = ImportFlow(self, collection, self.worker, self.open_dialog)
        self.import_flow.imported.connect(self._after_import)
        self.export_flow = ExportFlow(
            self, collection, self.worker, self.settings, self.open_dialog
        )
        self._connect()
        self._drops = DropCatcher(self.import_paths, self)
        self._drops.watch(self)
        self._restore_settings()
        self.refresh_stats()
        self.refresh_saved_searches()
        self._relist("first")

    # -- construction ------------------------------------------------------------

    def _build(self) -> None:
        self.search = SearchBar()
        self.sidebar = Sidebar()
        self.model = PaperTableModel(self.collection, self)
        self.table = PaperTableView()
        self.table.setModel(self.model)
        self.table.apply_default_widths()
        self.empty = EmptyState()
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)
        self.detail = DetailPane(self.collection)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.table_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([210, 760, 430])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.selection_label = QLabel()
        self.index_progress = QProgressBar()
        self.index_progress.setMaximumWidth(180)
        self.index_progress.setMaximumHeight(14)
        self.index_progress.setTextVisible(False)
        self.index_progress.hide()
        status = self.statusBar()
        status.addPermanentWidget(self.index_progress)
        status.addPermanentWidget(self.selection_label)
        status.addPermanentWidget(self.count_label)

        self._detail_timer = _single_shot(self, 0, self._show_current)
        self._highlight_timer = _single_shot(self, HIGHLIGHT_DELAY_MS, self._highlight_visible)
        self._suggest_timer = _single_shot(self, SUGGEST_DELAY_MS, self._suggest)
        self.resize(1400, 860)

    def _connect(self) -> None:
        self.search.queryChanged.connect(self._query_changed)
        self.search.leaveRequested.connect(self._focus_table)
        self.sidebar.filterChanged.connect(lambda: self._relist("first"))
        self.sidebar.savedSearchActivated.connect(self.search.set_query)
        self.sidebar.saveSearchRequested.connect(self.save_search)
        self.sidebar.renameSavedSearchRequested.connect(self.rename_saved_search)
        self.sidebar.deleteSavedSearchRequested.connect(self.delete_saved_search)
        self.table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._detail_timer.start())
        self.table.verticalScrollBar().valueChanged.connect(self._highlight_timer.start)
        self.table.toggleReadRequested.connect(self.toggle_read)
        self.table.noteRequested.connect(self.focus_note)
        self.table.deleteRequested.connect(self.delete_selected)
        self.detail.statusToggled.connect(lambda pid, status: self.mark([pid], status))
        self.detail.tagsEdited.connect(self._tags_edited)
        self.detail.noteChanged.connect(self._note_changed)
        self.detail.similarActivated.connect(self.show_paper_id)
        self.empty.importRequested.connect(self.open_import_dialog)
        self.empty.pasteRequested.connect(self.import_clipboard)

    def start(self) -> None:
        """Work that follows the first paint: bring the search index up to date."""
        try:
            current = self.collection.index_is_current()
        except Exception:
            log.warning("cannot read the index state; rebuilding", exc_info=True)
            current = False
        if not current:
            self._start_rebuild(force=False)

    # -- dialogs (tests replace `open_dialog` to drive them) ---------------------------

    def open_dialog(self, dialog: QDialog) -> None:
        """Show a dialog without blocking; its `finished` signal carries on."""
        self.last_dialog = dialog
        dialog.open()

    def say(self, message: str, timeout_ms: int = 6000) -> None:
        """A passing message in the status bar."""
        self.last_message = message
        self.statusBar().showMessage(message, timeout_ms)

    # -- listing -------------------------------------------------------------------

    def current_listing(self) -> Listing:
        query = self.search.query().strip()
        sort, descending = self._search_sort if query else self._browse_sort
        return Listing(self.sidebar.current_filter(), query, sort, descending)

    def _relist(self, keep: str = "id") -> bool:
        """List again. keep: "first" row, the current paper's "id", or its "position"."""
        current_id, current_row = self.current_paper_id(), self.table.currentIndex().row()
        selected = self.selected_ids() if keep != "first" else []
        try:
            self.model.set_listing(self.current_listing())
        except ReadingListError as exc:
            self.search.show_error(str(exc))
            return False
        if self.search.error_text():
            self.search.clear_messages()
        self._restore_selection(keep, current_id, current_row, selected)
        self._update_header()
        self._update_counts()
        self._update_empty_state()
        if self.model.listing.query:
            self._highlight_timer.start()
            self._suggest_timer.start()
        else:
            self.search.show_suggestion(None)
        return True

    def _query_changed(self, query: str) -> None:
        query = query.strip()
        if query and not self._last_query:
            self._search_sort = (None, False)  # a new search starts in rank order
        self._last_query = query
        self._relist("first")

    def _restore_selection(
        self, keep: str, current_id: int | None, current_row: int, selected: Sequence[int]
    ) -> None:
        model, rows = self.model, self.model.rowCount()
        selection_model = self.table.selectionModel()
        target = None
        if keep != "first" and current_id is not None:
            target = model.row_of(current_id)
            if target is None and keep == "position" and current_row >= 0:
                target = min(current_row, rows - 1) if rows else None
        if target is None and rows:
            target = 0
        if target is None:
            self._detail_timer.start()
            return
        last = len(COLUMNS) - 1
        selection = QItemSelection()
        for paper_id in list(selected)[:MAX_RESTORED_SELECTION]:
            row = model.row_of(paper_id)
            if row is not None:
                selection.select(model.index(row, 0), model.index(row, last))
        selection.select(model.index(target, 0), model.index(target, last))
        flags = QItemSelectionModel.SelectionFlag
        selection_model.setCurrentIndex(model.index(target, 0), flags.NoUpdate)
        selection_model.select(selection, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(model.index(target, 0))
        self._detail_timer.start()

    def _header_clicked(self, column: int) -> None:
        key = COLUMNS[column].sort
        query = bool(self.search.query().strip())
        current_key, descending = self._search_sort if query else self._browse_sort
        if current_key == key:
            sort: Sort = (key, not descending)
        else:
            sort = (key, COLUMNS[column].descending_first)
        if query:
            self._search_sort = sort
        else:
            self._browse_sort = sort
        self._relist("id")

    def reset_sort(self) -> None:
        """Back to rank order (with a query) or newest first (without)."""
        if self.search.query().strip():
            self._search_sort = (None, False)
        else:
            self._browse_sort = (None, False)
        self._relist("id")

    def _update_header(self) -> None:
        listing = self.model.listing
        header = self.table.horizontalHeader()
        column = sort_column(listing.sort)
        header.setSortIndicatorShown(column >= 0)
        order = Qt.SortOrder.DescendingOrder if listing.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)

    def _update_counts(self) -> None:
        count = self.model.rowCount()
        if self.model.listing.query:
            self.count_label.setText(text.count_text(count, "match", "matches"))
        else:
            self.count_label.setText(text.count_text(count, "paper"))

    def _update_empty_state(self) -> None:
        if self.model.rowCount():
            self.table_stack.setCurrentWidget(self.table)
            return
        listing = self.model.listing
        stats = self.sidebar_stats
        if stats.papers == 0:
            self.empty.show_message(*EMPTY_LIBRARY, offer_import=True)
        elif listing.query:
            hint = "Check the spelling, use fewer words, or search all papers."
            if self._rebuild_task is not None:
                hint = "The search index is still being built; results appear when it is done."
            self.empty.show_message(f"No papers match “{listing.query}”", hint)
        else:
            self.empty.show_message(*_empty_view_text(self.sidebar.view_key(), listing))
        self.table_stack.setCurrentWidget(self.empty)

    def _highlight_visible(self) -> None:
        """Highlight the query in the titles on screen (and only those)."""
        query = self.model.listing.query
        if not query or not self.model.rowCount():
            return
        viewport = self.table.viewport()
        first = max(self.table.rowAt(0), 0)
        last = self.table.rowAt(viewport.height() - 1)
        last = self.model.rowCount() - 1 if last < 0 else last
        ids = [self.model.id_at(row) for row in range(first, last + 1)]
        wanted = [i for i in ids if i is not None and not self.model.has_highlight(i)]
        if not wanted:
            return
        try:
            found = self.collection.highlight(query, wanted)
        except ReadingListError:
            return
        self.model.set_highlights({pid: fields.get("title", "") for pid, fields in found.items()})

    def _suggest(self) -> None:
        query = self.model.listing.query
        if not query:
            return
        try:
            suggestion = self.collection.suggest(query)
        except ReadingListError:
            suggestion = None
        if suggestion and suggestion.strip().casefold() != query.casefold():
            self.search.show_suggestion(suggestion)
        else:
            self.search.show_suggestion(None)

    # -- selection and the detail pane ---------------------------------------------

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, in table order."""
        rows: set[int] = set()
        for selection_range in self.table.selectionModel().selection():
            rows.update(range(selection_range.top(), selection_range.bottom() + 1))
        ids = (self.model.id_at(row) for row in sorted(rows))
        return [i for i in ids if i is not None]

    def current_paper_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def current_paper(self) -> Paper | None:
        index = self.table.currentIndex()
        return self.model.paper_at(index.row()) if index.isValid() else None

    def _selection_changed(self, *_args) -> None:
        count = sum(r.height() for r in self.table.selectionModel().selection())
        self.selection_label.setText(f"{count} selected" if count > 1 else "")
        has_selection = count > 0
        for action in self.actions.selection_actions():
            action.setEnabled(has_selection)
        self._detail_timer.start()

    def _show_current(self) -> None:
        if self._closed:
            return
        paper = self.current_paper()
        if paper is None:
            self.detail.show_paper(None)
            return
        # A copy: the pane edits its paper in place as the person types.
        self.detail.show_paper(dataclasses.replace(paper), query=self.model.listing.query)

    def show_paper_id(self, paper_id: int) -> None:
        """Select a paper, leaving the view and search if it is not listed."""
        if self.model.row_of(paper_id) is None:
            self.sidebar.blockSignals(True)
            self.sidebar.select_view("all")
            self.sidebar.set_tag_selection(())
            self.sidebar.blockSignals(False)
            self.search.field.blockSignals(True)
            self.search.field.clear()
            self.search.field.blockSignals(False)
            self._last_query = ""
            self._relist("first")
        row = self.model.row_of(paper_id)
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def flush_note(self) -> None:
        """Send the note being typed to be saved now."""
        if not self._closed:
            self.detail.flush_note()

    def focus_note(self) -> None:
        if self.current_paper_id() is not None:
            self.detail.focus_note()

    def focus_search(self) -> None:
        self.search.focus()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)

    # -- the reader's changes (undoable, on the worker) ---------------------------------

    def mark(self, ids: Sequence[int], status: Status) -> None:
        if ids:
            self.undo_stack.push(mark_command(self._undo, ids, status))

    def mark_selected(self, status: Status) -> None:
        self.mark(self.selected_ids(), status)

    def toggle_read(self) -> None:
        """Space: read if the current paper is unread, else unread, for the whole selection."""
        ids = self.selected_ids()
        paper = self.current_paper()
        if not ids or paper is None:
            return
        self.mark(ids, "read" if paper.status == "unread" else "unread")

    def _tags_edited(self, paper_id: int, tags: list) -> None:
        self.undo_stack.push(set_tags_command(self._undo, paper_id, tags))

    def _note_changed(self, paper_id: int, note: str) -> None:
        self.undo_stack.push(NoteCommand(self._undo, paper_id, note))

    def edit_selected_tags(self, *, adding: bool) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if adding:
            known = self.collection.all_tags()
        else:
            known = sorted({t for p in self.collection.get_many(ids[:2000]) for t in p.tags})
        dialog = TagsDialog(adding=adding, count=len(ids), known=known, parent=self)

        def chosen(result: int) -> None:
            dialog.deleteLater()
            tags = dialog.tags()
            if result != QDialog.DialogCode.Accepted or not tags:
                return
            make = add_tags_command if adding else remove_tags_command
            self.undo_stack.push(make(self._undo, ids, tags))

        dialog.finished.connect(chosen)
        self.open_dialog(dialog)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self.undo_stack.push(DeleteCommand(self._undo, ids))
        self.say(f"Deleted {text.count_text(len(ids), 'paper')}. Undo with Ctrl+Z.")

    def _changed(self, kind: str, ids: list[int]) -> None:
        """After a write: repaint, recount, relist (but not for notes: the row stays put)."""
        if self._closed:
            return
        self.model.forget(ids)
        self.refresh_stats()
        if kind != "note":
            self._relist("position")
        shown = self.detail.current_paper_id()
        if shown is not None and shown in ids and self.model.row_of(shown) is not None:
            try:
                self.detail.refresh(self.collection.get(shown))
            except ReadingListError:
                pass

    # -- counts and saved searches ------------------------------------------------------

    def refresh_stats(self) -> None:
        self.sidebar_stats = self.collection.stats()
        self.sidebar.set_stats(self.sidebar_stats)

    def refresh_saved_searches(self) -> None:
        self.sidebar.set_saved_searches(self.collection.saved_searches())

    def save_search(self) -> None:
        query = self.search.query().strip()
        if not query:
            self.say("Type a search first, then save it.")
            return
        dialog = _name_dialog(self, "Save search", "Name for this search:", query[:40])
        dialog.textValueSelected.connect(lambda name: self._write_saved_search(name, query))
        self.open_dialog(dialog)

    def _write_saved_search(self, name: str, query: str) -> None:
        if not name.strip():
            return
        collection = self.collection
        self.worker.submit(
            lambda _task: collection.save_search(name, query),
            on_done=lambda _id: self._saved_searches_changed(f"Saved the search “{name}”."),
        )

    def rename_saved_search(self, search_id: int, name: str) -> None:
        dialog = _name_dialog(self, "Rename search", "New name:", name)
        collection = self.collection

        def renamed(new_name: str) -> None:
            if new_name.strip() and new_name != name:
                self.worker.submit(
                    lambda _task: collection.rename_saved_search(search_id, new_name),
                    on_done=lambda _r: self._saved_searches_changed(f"Renamed to “{new_name}”."),
                )

        dialog.textValueSelected.connect(renamed)
        self.open_dialog(dialog)

    def delete_saved_search(self, search_id: int) -> None:
        collection = self.collection
        self.worker.submit(
            lambda _task: collection.delete_saved_search(search_id),
            on_done=lambda _r: self._saved_searches_changed("Deleted the saved search."),
        )

    def _saved_searches_changed(self, message: str) -> None:
        if not self._closed:
            self.refresh_saved_searches()
            self.say(message)

    # -- import and export ----------------------------------------------------------------

    def import_paths(self, paths: Sequence[str | Path]) -> None:
        """Import files and folders (dropped, handed over, or from the command line)."""
        if paths and not self._closed:
            self.raise_()
            self.activateWindow()
            self.import_flow.import_paths(list(paths))

    def import_clipboard(self) -> None:
        clipboard_text = QGuiApplication.clipboard().text()
        if not clipboard_text.strip():
            self.say("The clipboard holds no text to import.")
            return
        self.import_flow.import_text(clipboard_text, "clipboard")

    def open_import_dialog(self) -> None:
        dialog = QFileDialog(
            self, "Import page dumps", self.settings.folder(IMPORT_FOLDER_KEY), DUMP_FILTER
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(self._import_chosen)
        self.open_dialog(dialog)

    def open_import_folder_dialog(self) -> None:
        dialog = QFileDialog(self, "Import a folder of page dumps")
        dialog.setDirectory(self.settings.folder(IMPORT_FOLDER_KEY))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.filesSelected.connect(self._import_chosen)
        self.open_dialog(dialog)

    def _import_chosen(self, paths: list[str]) -> None:
        if paths:
            first = Path(paths[0])
            self.settings.set_folder(IMPORT_FOLDER_KEY, first if first.is_dir() else first.parent)
            self.import_paths(paths)

    def _after_import(self, report) -> None:
        if self._closed:
            return
        self.model.forget()
        self.refresh_stats()
        if report.changed_ids or report.unchanged:
            # Show what came in: the last import, unfiltered.
            self.search.field.blockSignals(True)
            self.search.field.clear()
            self.search.field.blockSignals(False)
            self._last_query = ""
            self.sidebar.blockSignals(True)
            self.sidebar.set_tag_selection(())
            self.sidebar.select_view("recent")
            self.sidebar.blockSignals(False)
        self._relist("first")

    def open_export_dialog(self) -> None:
        self.export_flow.start(
            selection=self.selected_ids(),
            view=self.model.ids(),
            view_name=self._view_description(),
        )

    def _view_description(self) -> str:
        name = self.sidebar.view_name()
        tags = self.sidebar.selected_tags()
        if tags:
            name += " tagged " + ", ".join(tags)
        query = self.model.listing.query
        if query:
            name += f" matching “{query}”"
        return name

    # -- the search index -------------------------------------------------------------------

    def rebuild_index(self) -> None:
        if self._rebuild_task is None:
            self._start_rebuild(force=True)

    def _start_rebuild(self, *, force: bool) -> None:
        collection = self.collection

        def job(task: Task) -> bool:
            run = collection.rebuild_index if force else collection.ensure_index
            return run(progress=task.progress, cancelled=task.cancelled)

        self.index_progress.setRange(0, 0)
        self.index_progress.show()
        self.say("Building the search index…", 0)
        self._rebuild_task = self.worker.submit(
            job,
            on_done=self._rebuilt,
            on_error=self._rebuild_failed,
            on_progress=self._rebuild_progress,
        )

    def _rebuild_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.index_progress.setRange(0, total)
            self.index_progress.setValue(done)
            self.index_progress.setToolTip(f"Search index: {done} of {total} papers")

    def _rebuilt(self, _result: bool) -> None:
        self._rebuild_task = None
        self.index_progress.hide()
        if self._closed:
            return
        self.say("The search index is ready.")
        if self.model.listing.query:
            self._relist("id")

    def _rebuild_failed(self, exc: BaseException) -> None:
        self._rebuild_task = None
        self.index_progress.hide()
        self.statusBar().clearMessage()
        self.crash.report(exc)

    # -- help --------------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        self.last_dialog = show_shortcuts(self)

    def show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            "About readinglist",
            f"readinglist {__version__}\n\n"
            "A reading list for research papers saved as page dumps.\n\n"
            f"Library: {self.collection.folder}",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.open_dialog(box)

    # -- drag and drop -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
        else:
            event.ignore()

    # -- state and closing -------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = self.settings
        if geometry := settings.bytes("window/geometry"):
            self.restoreGeometry(geometry)
        if state := settings.bytes("window/state"):
            self.restoreState(state)
        if splitter := settings.bytes("window/splitter"):
            self.splitter.restoreState(splitter)
        if header := settings.bytes("table/header"):
            self.table.horizontalHeader().restoreState(header)
        key = settings.text("table/sort")
        if key in {c.sort for c in COLUMNS}:
            self._browse_sort = (key, settings.flag("table/descending"))

    def _save_settings(self) -> None:
        settings = self.settings
        settings.set_bytes("window/geometry", self.saveGeometry())
        settings.set_bytes("window/state", self.saveState())
        settings.set_bytes("window/splitter", self.splitter.saveState())
        settings.set_bytes("table/header", self.table.horizontalHeader().saveState())
        key, descending = self._browse_sort
        settings.set_text("table/sort", key or "")
        settings.set_flag("table/descending", descending)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self.shut_down()
        event.accept()

    def shut_down(self) -> None:
        """Save the note, remember the window, finish pending writes, stop the worker."""
        if self._closed:
            return
        self.detail.flush_note()
        self._closed = True
        self.import_flow.cancel()
        if self._rebuild_task is not None:
            self._rebuild_task.cancel()  # an unfinished index is rebuilt next time
        try:
            self._save_settings()
        except Exception:
            log.exception("could not save the window settings")
        if not self.worker.shutdown():
            log.error("pending writes did not finish in time")


def _single_shot(parent: QWidget, interval_ms: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


def _name_dialog(parent: QWidget, title: str, label: str, value: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(value)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


def _empty_view_text(view_key: str, listing: Listing) -> tuple[str, str]:
    if listing.view.tags:
        return ("No papers here carry all of the selected tags", "Click a tag again to unselect it.")
    return {
        "unread": ("Nothing left to read", "Every paper in the library is marked read."),
        "read": ("No papers read yet", "Press Space on a paper to mark it read."),
        "notes": ("No notes yet", "Select a paper and press Enter to write a note."),
        "recent": ("Nothing imported yet", "Drop page dumps here, or press Ctrl+O."),
    }.get(view_key, ("No papers", ""))
