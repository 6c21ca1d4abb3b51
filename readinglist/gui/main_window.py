"""The main window: search on top, sidebar | paper table | detail pane.

It composes the pieces and turns what people do into core calls: reads
(listing, papers) on the GUI thread, writes as undoable commands on the
worker, slow counts on a second background thread. It never runs SQL or
opens the index itself. What the table lists lives in listing.py, where
the reader is (the sidebar's highlight, Back) in navigation.py, the panes'
and columns' widths in panes.py and columns.py, import and export in their
flows, saved searches and the index build in their own modules.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QResizeEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from readinglist import __version__, paths
from readinglist.collection import Collection
from readinglist.errors import ReadingListError
from readinglist.gui import text
from readinglist.gui.actions import build_actions, build_menus, table_context_actions
from readinglist.gui.crash import CrashReporter
from readinglist.gui.dialogs.reading_dialog import show_reading
from readinglist.gui.dialogs.shortcuts_dialog import show_shortcuts
from readinglist.gui.dialogs.tags_dialog import TagsDialog
from readinglist.gui.flows.dropping import DropCatcher, DropOverlay, local_paths
from readinglist.gui.flows.export_flow import ExportFlow
from readinglist.gui.flows.import_flow import ImportFlow
from readinglist.gui.flows.indexing import IndexBuilder
from readinglist.gui.flows.listing import ListingController
from readinglist.gui.flows.navigation import Navigator
from readinglist.gui.flows.outside_changes import OutsideChanges
from readinglist.gui.flows.reading_clock import ReadingClock
from readinglist.gui.flows.saved_searches import SavedSearches, count_matches
from readinglist.gui.flows.triage import InboxTriage
from readinglist.gui.models.paper_table import COLUMNS, PaperTableModel
from readinglist.gui.qt_app import application
from readinglist.gui.settings import Settings
from readinglist.gui.theme import APP_NAME, app_icon
from readinglist.gui.undo import (
    DeleteCommand,
    NoteCommand,
    UndoContext,
    add_tags_command,
    mark_command,
    remove_tags_command,
    set_tags_command,
    year_command,
)
from readinglist.gui.widgets.column_widths import ColumnFitter
from readinglist.gui.widgets.detail_pane import DetailPane
from readinglist.gui.widgets.empty_state import EmptyState
from readinglist.gui.widgets.panes import Panes, with_message_line
from readinglist.gui.widgets.search_bar import SearchBar
from readinglist.gui.widgets.sidebar import Sidebar
from readinglist.gui.widgets.table_view import PaperTableView
from readinglist.gui.worker import Worker
from readinglist.library.importing import ImportReport
from readinglist.library.reader import LibraryStats, RankingSort
from readinglist.papers import Paper, Status, Triage

log = logging.getLogger(__name__)

IMPORT_FOLDER_KEY = "import"
DUMP_FILTER = (
    "Saved pages and dumps (*.html *.htm *.txt *.text *.md *.markdown *.json);;All files (*)"
)


def window_title(library: Path) -> str:
    """The title: "readinglist", or "papers-2024 — readinglist" for a non-default library."""
    try:
        default = paths.default_library_dir().resolve()
        if Path(library).resolve() == default:
            return APP_NAME
    except OSError:
        pass
    return f"{Path(library).name or library} — {APP_NAME}"


def locale_number(number: int) -> str:
    """A count in the locale's digits and separators ("100,000", "100.000")."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return f"{number:,}"  # no locale chosen: the listing's English style
    return locale.toString(number)


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
        # Reads that take long at 100k papers (the sidebar's counts scan the
        # paper table) run here, beside the writes, never on the GUI thread.
        self.reads = Worker(self)
        self.settings = settings or Settings()
        self.crash = crash or CrashReporter(lambda: self)
        self.crash.before_report = self.flush_note
        self.worker.default_error = self.crash.report
        self.reads.default_error = self.crash.report
        self.undo_stack = QUndoStack(self)
        self._undo = UndoContext(collection, self.worker, self._changed)
        self.sidebar_stats = LibraryStats()
        self._stats_running = False
        self._stats_again = False
        self._retraining = False
        self._closed = False
        self.last_dialog: QDialog | None = None
        self.last_message = ""
        text.use_number_format(locale_number)

        self.setWindowTitle(window_title(collection.folder))
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build()
        self.menu_actions = build_actions(self)
        build_menus(self, self.menu_actions)
        self.table.addActions(table_context_actions(self.menu_actions))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.listing = ListingController(
            collection,
            self.model,
            self.table,
            self.search,
            self.sidebar,
            self.table_stack,
            self.empty,
            self.count_label,
            self,
        )
        self.triage = InboxTriage(
            self._undo,
            self.undo_stack,
            self.sidebar.view_key,
            self.say,
            self._relist_after_triage,
            self,
        )
        self.listing.inbox_tally = self.triage.tally
        self.reading_clock = ReadingClock(self._record_reading_time, parent=self)
        self.import_flow = ImportFlow(
            self, collection, self.worker, self.open_dialog, reads=self.reads
        )
        self.export_flow = ExportFlow(
            self, collection, self.worker, self.settings, self.open_dialog
        )
        self.saved_searches = SavedSearches(
            self,
            collection,
            self.worker,
            self.sidebar,
            self.search,
            open_dialog=self.open_dialog,
            say=self.say,
            found=self._matches_over_all,
        )
        self.saved_searches.on_change = self.refresh_stats
        self.indexer = IndexBuilder(
            collection,
            self.worker,
            self.index_progress,
            say=self.say,
            report=self.crash.report,
            parent=self,
        )
        self.columns = ColumnFitter(self.table, collection, self.reads)
        self.table.viewportResized.connect(self.columns.apply)
        self.navigator = Navigator(self, self.listing, self.menu_actions.back, self.say)
        self.outside = OutsideChanges(
            self.reads,
            collection.changed_elsewhere,
            follow=self._changed_elsewhere,
            editing=self._typing,
            parent=self,
            saved=lambda: tuple(collection.saved_searches()),
            saved_changed=self._saved_searches_changed,
        )
        self._connect()
        self._drops = DropCatcher(self._dropped, self, on_hover=self._drag_hovers)
        self._drops.watch(self)
        # After watch(): the overlay takes the drops itself.
        self.drop_overlay = DropOverlay(self._dropped, self._central())
        self._restore_settings()
        self.refresh_stats()
        self.saved_searches.refresh()
        self.listing.relist("first")

    # -- construction ------------------------------------------------------------

    def _build(self) -> None:
        self.search = SearchBar()
        self.sidebar = Sidebar()
        self.model = PaperTableModel(self.collection, self)
        self.table = PaperTableView()
        self.table.setModel(self.model)
        self.empty = EmptyState()
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)
        self.detail = DetailPane(self.collection)

        self.splitter = Panes(self.sidebar, self.table_stack, self.detail)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(with_message_line(self.search))
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

        # The detail pane follows the selection once the table has painted.
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self._show_current)
        self.resize(1400, 860)

    def _connect(self) -> None:
        self.search.leaveRequested.connect(self._focus_table)
        self.listing.relisted.connect(self._detail_timer.start)
        self.listing.relisted.connect(self._relisted)
        self.sidebar.savedSearchLeft.connect(lambda: self.search.set_query(""))
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._selection_changed)
        selection.currentRowChanged.connect(lambda *_: self._detail_timer.start())
        self.table.toggleReadRequested.connect(self.toggle_read)
        self.table.noteRequested.connect(self.focus_note)
        self.table.deleteRequested.connect(self.delete_selected)
        self.table.tagsRequested.connect(self.focus_tags)
        self.table.similarRequested.connect(self.focus_similar)
        self.table.laterRequested.connect(lambda: self.triage_selected("later"))
        self.table.dismissRequested.connect(lambda: self.triage_selected("dismissed"))
        self.detail.statusToggled.connect(lambda pid, status: self.mark([pid], status))
        self.detail.tagsEdited.connect(self._tags_edited)
        self.detail.noteChanged.connect(self._note_changed)
        self.detail.yearCorrected.connect(self._year_corrected)
        self.detail.similarActivated.connect(self.navigator.open_similar)
        self.detail.noSimilarPapers.connect(self.say)
        self.detail.leaveRequested.connect(self._focus_table)
        self.empty.widenRequested.connect(self.search_all_papers)
        self.empty.can_widen = self.navigator.narrowed
        # Leaving the detail pane saves the note: Ctrl+Z in the table then
        # takes back what was just typed, and nothing waits on a timer.
        application().focusChanged.connect(self._focus_changed)
        self.empty.importRequested.connect(self.open_import_dialog)
        self.empty.pasteRequested.connect(self.import_clipboard)
        self.import_flow.imported.connect(self._after_import)
        self.indexer.started.connect(self._index_building)
        self.indexer.finished.connect(self._index_built)

    def start(self) -> None:
        """Work that follows the first paint: the write side, then the search index.

        The library's write side loads lazily (sqlmodel, ~0.7 s); loaded on
        the worker now, the first Space or tag does not wait for it.
        """
        collection = self.collection
        self.worker.submit(lambda _task: collection.library)
        self.indexer.start(force=False)
        self._retrain()  # the Inbox's order, ready before it is opened
        self.outside.start()
        if self.model.rowCount() and not self.search.query():
            # The keys of a reading list (j/k, Space, Enter) work from the start;
            # / or Ctrl+F goes to the search.
            self._focus_table()

    # -- small services ------------------------------------------------------------

    def open_dialog(self, dialog: QDialog) -> None:
        """Show a dialog without blocking; its `finished` signal carries on.

        Tests find the dialog as `last_dialog` and accept or reject it.
        """
        self.last_dialog = dialog
        dialog.open()

    def say(self, message: str, timeout_ms: int = 6000) -> None:
        """A passing message in the status bar ("" clears it)."""
        self.last_message = message or self.last_message
        if message:
            self.statusBar().showMessage(message, timeout_ms)
        else:
            self.statusBar().clearMessage()

    def is_idle(self) -> bool:
        """True when no write, import, export, count or search is under way or waiting."""
        return (
            self.worker.is_idle()
            and self.reads.is_idle()
            and self.listing.is_idle()
            and self.detail.is_idle()
        )

    # -- the selection and the detail pane ---------------------------------------------

    def selected_ids(self) -> list[int]:
        return self.listing.selected_ids()

    def current_paper_id(self) -> int | None:
        return self.listing.current_paper_id()

    def current_paper(self) -> Paper | None:
        return self.listing.current_paper()

    def show_paper_id(self, paper_id: int) -> None:
        self.listing.show_paper_id(paper_id)

    def _selection_changed(self, *_args) -> None:
        count = self.listing.selected_count()
        self.selection_label.setText(f"{count} selected" if count > 1 else "")
        for action in self.menu_actions.selection_actions():
            action.setEnabled(count > 0)
        self._detail_timer.start()

    def _show_current(self) -> None:
        if self._closed:
            return
        paper = self.current_paper()
        self.reading_clock.shown(paper.id if paper is not None else None)
        if paper is None:
            self.detail.show_paper(None)
            return
        # A copy: the pane edits its paper in place as the person types.
        self.detail.show_paper(dataclasses.replace(paper), query=self.model.listing.query)

    def _record_reading_time(self, paper_id: int, seconds: float) -> None:
        collection = self.collection

        def job(_task) -> None:
            with contextlib.suppress(ReadingListError):  # deleted meanwhile
                collection.add_opened_time(paper_id, seconds)

        self.worker.submit(job)

    def flush_note(self) -> None:
        """Send the note being typed to be saved now."""
        if not self._closed:
            self.detail.flush_note()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self._closed or old is None or not self.detail.isAncestorOf(old):
            return
        if new is None or not self.detail.isAncestorOf(new):
            self.flush_note()
            self.triage.editing_ended()
            self.outside.editing_ended()

    def focus_note(self) -> None:
        if self.current_paper_id() is not None:
            self.detail.focus_note()

    def focus_tags(self) -> None:
        if self.current_paper_id() is not None:
            self._show_current()  # the pane may still be on its way to this paper
            self.detail.focus_tags()

    def focus_similar(self) -> None:
        if self.current_paper_id() is None:
            return
        self._show_current()
        if not self.detail.focus_similar():
            self.say("No similar papers in the library yet.")

    def focus_search(self) -> None:
        self.search.focus()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)

    # -- where the reader is ----------------------------------------------------------------

    def go_back(self) -> None:
        """Back to the previous view and query (Alt+Left, the mouse's back button)."""
        self.navigator.go_back()

    def search_all_papers(self) -> None:
        self.navigator.search_all_papers()

    def _relisted(self) -> None:
        if not self._closed:
            self.navigator.relisted()
            self.columns.refresh(self.model.ids())

    def _matches_over_all(self) -> int | None:
        """How many papers the query finds in the whole library, when the table shows that."""
        if self.model.listing.query and not self.navigator.narrowed():
            return self.model.rowCount()
        return None

    def _central(self) -> QWidget:
        central = self.centralWidget()
        assert central is not None, "the window sets its central widget when it is built"
        return central

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.drop_overlay.isVisible():
            self.drop_overlay.setGeometry(self._central().rect())

    def sort_by(self, key: RankingSort) -> None:
        self.listing.sort_by(key)
        what = "for you: learned from what you read" if key == "for-you" else "rising"
        self.say(f"Sorted {what}. View > Sort by relevance / newest goes back.")

    def reset_sort(self) -> None:
        self.listing.reset_sort()

    # -- the reader's changes (undoable, on the worker) ---------------------------------

    def undo(self) -> None:
        self.flush_note()  # the typing so far becomes the step being undone
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush_note()
        self.undo_stack.redo()

    def mark(self, ids: Sequence[int], status: Status) -> None:
        if ids:
            # Shown at once; the write follows on the worker and confirms it.
            self.model.assume_status(ids, status)
            self.detail.assume_status(ids, status)
            self.undo_stack.push(mark_command(self._undo, ids, status))
            self.triage.marked(ids, status)

    def _retrain(self) -> None:
        """Train the for-you ranking again in the background, so the Inbox never waits on it."""
        if self._retraining or self._closed:
            return
        self._retraining = True
        recommender = self.collection.recommender

        def done(_model: object) -> None:
            self._retraining = False

        def failed(_exc: BaseException) -> None:
            self._retraining = False  # the listing trains when it needs to, and says why

        self.reads.submit(lambda _task: recommender.model(), on_done=done, on_error=failed)

    def _relist_after_triage(self) -> None:
        self.listing.relist("position")

    def triage_selected(self, triage: Triage) -> None:
        """Mark the whole selection later or not interested (keys l and x)."""
        self.triage.triage(self.selected_ids(), triage)
        self._next_in_inbox()

    def _next_in_inbox(self) -> None:
        """In the Inbox, go to the paper after the selection at once.

        The papers dealt with leave when the write lands; a fast typist's
        next key is meant for the next paper, not for one on its way out.
        """
        if not self.triage.in_inbox():
            return
        selection = self.table.selectionModel()
        rows = sorted({index.row() for index in selection.selectedRows()})
        if rows and rows[-1] + 1 < self.model.rowCount():
            # Not selectRow(): it toggles while a modifier is held.
            flags = selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows
            selection.setCurrentIndex(self.model.index(rows[-1] + 1, 0), flags)

    def mark_selected(self, status: Status) -> None:
        self.mark(self.selected_ids(), status)

    def toggle_read(self) -> None:
        """Space: read if the current paper is unread, else unread, for the whole selection."""
        ids = self.selected_ids()
        paper = self.current_paper()
        if ids and paper is not None:
            status: Status = "read" if paper.status == "unread" else "unread"
            self.mark(ids, status)
            if status == "read":
                self._next_in_inbox()

    def _tags_edited(self, paper_id: int, tags: list) -> None:
        self.undo_stack.push(set_tags_command(self._undo, paper_id, tags))

    def _note_changed(self, paper_id: int, note: str) -> None:
        self.undo_stack.push(NoteCommand(self._undo, paper_id, note))

    def _year_corrected(self, paper_id: int, year: int) -> None:
        self.undo_stack.push(year_command(self._undo, paper_id, year))
        self.say(f"The year is now {year}; imports will leave it. Undo with Ctrl+Z.")

    def edit_selected_tags(self, *, adding: bool) -> None:
        """Add tags to, or remove tags from, every selected paper (a small dialog asks)."""
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
            if result == QDialog.DialogCode.Accepted and tags:
                make = add_tags_command if adding else remove_tags_command
                self.undo_stack.push(make(self._undo, ids, tags))

        dialog.finished.connect(chosen)
        self.open_dialog(dialog)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(DeleteCommand(self._undo, ids))
            self.say(f"Deleted {text.count_text(len(ids), 'paper')}. Undo with Ctrl+Z.")

    def _changed(self, kind: str, ids: list[int]) -> None:
        """After a write: repaint, recount, relist (but not for notes: the row stays put)."""
        if self._closed:
            return
        self.model.forget(ids)
        self.refresh_stats()
        self._retrain()
        if self.triage.defer_relist(kind, self._editing()):
            pass  # the Inbox follows once the tag or note is done
        elif self.triage.in_inbox():
            self.listing.relist("id")  # the paper triage moved on to stays selected
        elif kind != "note":
            self.listing.relist("position")
        if kind == "restore":
            self._reselect(ids)
        self._refresh_shown(ids)

    def _refresh_shown(self, ids: Sequence[int] | None = None) -> None:
        """The paper in the detail pane as the library has it now, if among `ids` (None: any)."""
        shown = self.detail.current_paper_id()
        if shown is None or (ids is not None and shown not in ids):
            return
        if self.model.row_of(shown) is not None:
            with contextlib.suppress(ReadingListError):  # deleted meanwhile
                self.detail.refresh(self.collection.get(shown))

    def _forget_all(self) -> None:
        """Many papers may have changed: drop what the table keeps, recount, retrain."""
        self.model.lister.forget()
        self.model.forget()
        self.refresh_stats()
        self._retrain()

    def _editing(self) -> bool:
        """True while the keyboard is in the detail pane (a note, the tags, the year)."""
        focus = QApplication.focusWidget()
        return focus is not None and self.detail.isAncestorOf(focus)

    def _typing(self) -> bool:
        """True while the keyboard is in a field of the detail pane: the note, the tags, the year.

        Not its lists and buttons: there nothing is typed that a relist could move.
        """
        focus = QApplication.focusWidget()
        fields = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
        return isinstance(focus, fields) and not focus.isReadOnly() and self._editing()

    def _changed_elsewhere(self) -> None:
        """Another readinglist changed the library: list, count and show it as it is now."""
        if self._closed:
            return
        self._forget_all()
        self.listing.relist("id")
        self._refresh_shown()
        self.say("The library was changed by another readinglist (a command, another window).")

    def _saved_searches_changed(self) -> None:
        """The saved searches differ from those last seen (saved here or elsewhere)."""
        if not self._closed:
            self.saved_searches.refresh()
            self.refresh_stats()  # their counts

    def _reselect(self, ids: list[int]) -> None:
        """Select the papers an undo brought back, and say so."""
        rows = [row for row in map(self.model.row_of, ids) if row is not None]
        count = text.count_text(len(ids), "paper")
        if not rows:
            self.say(f"Restored {count} (not in this view).")
            return
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag
        first = self.model.index(min(rows), 0)
        selection.setCurrentIndex(first, flags.ClearAndSelect | flags.Rows)
        for row in rows:
            selection.select(self.model.index(row, 0), flags.Select | flags.Rows)
        self.table.scrollTo(first)
        self.say(f"Restored {count}.")

    def refresh_stats(self) -> None:
        """Count again (views, tags, saved searches) in the background; the sidebar follows."""
        if self._stats_running:
            self._stats_again = True
            return
        self._stats_running = True
        collection = self.collection

        def count(_task) -> tuple[LibraryStats, dict[int, int | None]]:
            return collection.stats(), count_matches(collection)

        self.reads.submit(count, on_done=self._stats_ready)

    def _stats_ready(self, counted: tuple[LibraryStats, dict[int, int | None]]) -> None:
        self._stats_running = False
        if self._closed:
            return
        if self._stats_again:
            self._stats_again = False
            self.refresh_stats()
        stats, saved_counts = counted
        self.sidebar_stats = stats
        self.sidebar.set_stats(stats)
        self.sidebar.set_saved_counts(saved_counts)

    # -- import and export ----------------------------------------------------------------

    def import_paths(self, paths: Sequence[str | Path]) -> None:
        """Import files and folders (dropped, handed over, or from the command line)."""
        if paths and not self._closed:
            self.import_flow.import_paths(list(paths))

    def import_clipboard(self) -> None:
        clipboard_text = QGuiApplication.clipboard().text()
        if not clipboard_text.strip():
            self.say("The clipboard holds no text to import.")
            return
        self.import_flow.import_text(clipboard_text, "clipboard")

    def open_import_dialog(self) -> None:
        folder = self.settings.folder(IMPORT_FOLDER_KEY)
        dialog = QFileDialog(self, "Import page dumps", folder, DUMP_FILTER)
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

    def _after_import(self, report: ImportReport) -> None:
        if self._closed:
            return
        self._forget_all()
        if report.changed_ids or report.unchanged:
            self.listing.show_everything("recent")  # show what came in
        else:
            self.listing.relist("id")

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

    # -- the search index, help ------------------------------------------------------------

    def save_search(self) -> None:
        self.saved_searches.save()

    def rebuild_index(self) -> None:
        self.indexer.start(force=True)

    def _index_building(self) -> None:
        self.listing.index_building = True

    def _index_built(self, built: bool) -> None:
        self.listing.index_building = False
        if built:
            self.model.lister.forget()
            if not self._closed and self.model.listing.query:
                self.listing.relist("id")

    def show_reading(self) -> None:
        """The Reading view: imports and reads per week, the Inbox over time, tags."""
        self.last_dialog = show_reading(self, self.collection, self.reads)

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
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self._drag_hovers(paths)
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
            self._dropped(paths)
        else:
            event.ignore()

    def _drag_hovers(self, paths: list[str]) -> None:
        if not self._closed:
            self.drop_overlay.offer(paths)

    def _dropped(self, paths: list[str]) -> None:
        self.drop_overlay.withdraw()
        self.import_paths(paths)

    # -- state and closing -------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = self.settings
        if geometry := settings.bytes("window/geometry"):
            self.restoreGeometry(geometry)
        if state := settings.bytes("window/state"):
            self.restoreState(state)
        self.splitter.restore_widths(settings.text("window/panes"))
        if body := settings.bytes("detail/split"):
            self.detail.restore_body_state(body)
        self.columns.restore_widths(settings.text("table/widths"))
        key = settings.text("table/sort")
        if key in {c.sort for c in COLUMNS}:
            self.listing.browse_sort = (key, settings.flag("table/descending"))

    def _save_settings(self) -> None:
        settings = self.settings
        settings.set_bytes("window/geometry", self.saveGeometry())
        settings.set_bytes("window/state", self.saveState())
        settings.set_text("window/panes", self.splitter.widths_text())
        settings.set_bytes("detail/split", self.detail.body_state())
        settings.set_text("table/widths", self.columns.widths_text())
        key, descending = self.listing.browse_sort
        settings.set_text("table/sort", key or "")
        settings.set_flag("table/descending", descending)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shut_down()
        event.accept()

    def shut_down(self) -> None:
        """Save the note, remember the window, finish pending writes, stop the workers."""
        if self._closed:
            return
        self.detail.flush_note()
        self.reading_clock.stop()
        self._closed = True
        self.outside.stop()
        self.saved_searches.active = False
        with contextlib.suppress(RuntimeError, TypeError):
            application().focusChanged.disconnect(self._focus_changed)
        with contextlib.suppress(RuntimeError, TypeError):
            self.navigator.stop()
        self.import_flow.cancel()
        self.indexer.cancel()
        self.detail.shut_down()
        self.listing.shut_down()
        try:
            self._save_settings()
        except Exception:
            log.exception("could not save the window settings")
        if not self.worker.shutdown():
            log.error("pending writes did not finish in time")
        self.reads.shutdown()
