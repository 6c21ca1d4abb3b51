"""The detail pane: one paper's title, facts, abstract, status, tags, note and neighbours.

The pane reads from the collection (highlights, tag names, provenance: all
fast reads) and never writes: every change the reader makes leaves as a
signal, and the main window saves it through the worker. The similar papers
are a search of their own, too slow for the GUI thread on a big library:
they run on a thread of the pane's (a one-lane `SearchRunner`), and an
answer for a paper no longer shown is dropped.

Text from dumps is plain text here. Titles, bylines and file names go into
`Qt.PlainText` labels; the abstract is rich text only to show search hits,
and its text is either the index's highlight (escaped, <b> around matches)
or `html.escape()`d.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from readinglist.collection import Collection
from readinglist.errors import ReadingListError
from readinglist.gui import text
from readinglist.gui.flows.search_runner import SearchRunner
from readinglist.gui.widgets.labels import heading_label, muted_label, style_heading
from readinglist.gui.widgets.note_editor import NoteEditor
from readinglist.gui.widgets.tag_editor import TagEditor
from readinglist.gui.widgets.upvote_history import UpvoteHistory
from readinglist.gui.widgets.year_editor import YearEditor
from readinglist.index.index import SearchIndexError
from readinglist.papers import Paper, Status

log = logging.getLogger(__name__)

EMPTY_TEXT = "Select a paper to see its abstract and notes"
NO_ABSTRACT_TEXT = (
    "No abstract yet: the page it came from showed none. "
    "Importing a page that carries it (a search page, the site's JSON) fills it in."
)
SUMMARY_HEADING = "Summary (the site's AI summary)"
INCOMPLETE_TEXT = (
    "The capture this came from was cut off inside this entry. "
    "Importing a complete copy of the page fills in the rest."
)

# The similar list is a more-like-this query: cheap, but not free on a big
# index. Waiting this long after a paper is shown keeps j/k browsing snappy
# (a paper skipped past never pays for it).
SIMILAR_DELAY_MS = 120
SIMILAR_LIMIT = 8
# S waits this long on the GUI thread for a list still on its way, so that a
# quick one is in focus at once (as a click's listing waits for its search);
# a slower one takes the focus when it comes.
SIMILAR_PATIENCE_S = 0.25
SIMILAR_LANE = "similar"
NO_SIMILAR_TEXT = "No similar papers in the library yet."
SIMILAR_UNAVAILABLE_TEXT = "Similar papers show once the search index is ready."

MIN_WIDTH = 300
# The note keeps at least a few lines' height, and starts with about two
# fifths of the pane (the splitter between the paper and the note moves).
NOTE_MIN_HEIGHT = 96
NOTE_SHARE = 0.4

_PAPER_ID_ROLE = Qt.ItemDataRole.UserRole


def hit_tint(palette: QPalette) -> QColor:
    """A soft background for search hits: the selection colour faded into the page."""
    base = palette.color(QPalette.ColorRole.Base)
    accent = palette.color(QPalette.ColorRole.Highlight)
    share = 0.30
    return QColor(
        round(base.red() + (accent.red() - base.red()) * share),
        round(base.green() + (accent.green() - base.green()) * share),
        round(base.blue() + (accent.blue() - base.blue()) * share),
    )


def abstract_html(abstract: str, words: list[str], tint: QColor) -> str:
    """The whole abstract as rich text: escaped, with `words` in tinted bold."""
    body = text.highlight_text(text.display_latex(abstract), words).replace("\n", "<br>")
    # The only tags in `body` are the <b> of the hits: the rest is escaped.
    body = body.replace("<b>", f'<b style="background-color:{tint.name()}">')
    return f'<div style="line-height:135%">{body}</div>'


class SimilarList(QListWidget):
    """Titles of similar papers; a click or Enter opens one.

    Not `itemActivated`: opening a paper rebuilds this list, and the second
    click of a double-click would then open whatever now lies under the mouse.
    """

    paperChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Similar papers")
        self.setSpacing(2)
        # Rows read as a list of links on the pane's own background.
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.setBackgroundRole(QPalette.ColorRole.Window)

    def set_papers(self, papers: list[Paper]) -> None:
        self.clear()
        for paper in papers:
            item = QListWidgetItem(paper.title)
            item.setData(_PAPER_ID_ROLE, paper.id)
            meta = text.meta_line(paper)
            item.setToolTip(text.plain_tooltip(f"{paper.title}\n{meta}" if meta else paper.title))
            self.addItem(item)
        self._fit_height()

    def _fit_height(self) -> None:
        # Each row is its size hint plus the list's spacing above and below:
        # counting the hint alone cut the last rows in half.
        rows = self.count()
        row_height = self.sizeHintForRow(0) + 2 * self.spacing() if rows else 0
        self.setFixedHeight(rows * row_height + 2 * self.frameWidth())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        super().mouseReleaseEvent(event)
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.paperChosen.emit(int(item.data(_PAPER_ID_ROLE)))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the first click already opened the paper

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.paperChosen.emit(int(item.data(_PAPER_ID_ROLE)))
            return
        super().keyPressEvent(event)


class DetailPane(QWidget):
    """Everything about the selected paper, editable where the reader owns it."""

    statusToggled = Signal(int, str)  # paper id, new status "read"/"unread"
    tagsEdited = Signal(int, list)  # paper id, the complete new tag list
    noteChanged = Signal(int, str)  # paper id, note text (debounced, or on flush_note)
    similarActivated = Signal(int)  # paper id chosen in "Similar papers"
    # S found none once the list came (too late for focus_similar to say so): what to say.
    noSimilarPapers = Signal(str)
    yearCorrected = Signal(int, int)  # paper id, the year the user set
    leaveRequested = Signal()  # Escape in the tags or the note: back to the list

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._collection = collection
        self._paper: Paper | None = None
        self._query = ""
        self._hit_words: list[str] = []  # what _query matches in the abstract

        self._build()
        self._similar_timer = QTimer(self)
        self._similar_timer.setSingleShot(True)
        self._similar_timer.setInterval(SIMILAR_DELAY_MS)
        self._similar_timer.timeout.connect(self._load_similar)
        self._similar = _SimilarState()
        self._similar_runner: SearchRunner | None = None  # started by the first request
        self.show_paper(None)

    # -- construction -----------------------------------------------------------

    def _build(self) -> None:
        self.empty_label = muted_label(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.setContentsMargins(24, 24, 24, 24)
        empty_layout.addWidget(self.empty_label)

        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title_label.setFont(title_font)

        self.meta_label = muted_label()
        self.year_editor = YearEditor()
        self.year_editor.yearChosen.connect(self._on_year_chosen)
        self.upvote_history = UpvoteHistory()
        self.authors_label = muted_label(smaller=True)
        self.authors_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Links are built from the paper's arXiv id (checked by the readers)
        # and a GitHub address, never from free text of a dump.
        self.site_button = _link_button("Open on the site", "The paper's page on the site")
        self.arxiv_button = _link_button("Open on arXiv", "The paper's abstract page on arXiv")
        self.github_button = _link_button("Code on GitHub", "")
        self.site_button.clicked.connect(lambda: self._open_link("site"))
        self.arxiv_button.clicked.connect(lambda: self._open_link("arxiv"))
        self.github_button.clicked.connect(lambda: self._open_link("github"))
        self.links_row = QWidget()
        links = QHBoxLayout(self.links_row)
        links.setContentsMargins(0, 0, 0, 0)
        links.setSpacing(6)
        for button in (self.site_button, self.arxiv_button, self.github_button):
            links.addWidget(button)
        links.addStretch(1)
        # Replaced in tests; opens the system browser otherwise.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        self.status_button = QPushButton()
        self.status_button.setCheckable(True)
        self.status_button.setToolTip("Mark read or unread (Space in the list)")
        self.status_button.clicked.connect(self._on_status_clicked)
        self.status_label = muted_label()
        self.status_label.setWordWrap(False)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.setSpacing(10)
        status_row.addWidget(self.status_button)
        status_row.addWidget(self.status_label)
        status_row.addStretch(1)

        self.abstract_heading = heading_label("Abstract")
        self.no_abstract_label = muted_label(NO_ABSTRACT_TEXT)
        self.incomplete_label = muted_label(INCOMPLETE_TEXT, smaller=True)
        self.abstract_label = QLabel()
        self.abstract_label.setTextFormat(Qt.TextFormat.RichText)
        self.abstract_label.setWordWrap(True)
        self.abstract_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.abstract_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Dump text never becomes a link; belt and braces with the escaping.
        self.abstract_label.setOpenExternalLinks(False)

        self.tags_heading = heading_label("Tags")
        self.tag_editor = TagEditor()
        self.tag_editor.tagsChanged.connect(self._on_tags_changed)

        self.tag_editor.leaveRequested.connect(self.leaveRequested)

        self.note_editor = NoteEditor()
        style_heading(self.note_editor.title)
        self.note_editor.editor.setMinimumHeight(NOTE_MIN_HEIGHT)
        self.note_editor.preview.setMinimumHeight(NOTE_MIN_HEIGHT)
        self.note_editor.noteChanged.connect(self._on_note_changed)
        self.note_editor.leaveRequested.connect(self.leaveRequested)

        self.similar_heading = heading_label("Similar papers")
        self.similar_list = SimilarList()
        self.similar_list.paperChosen.connect(self.similarActivated)
        self.similar_empty = muted_label(NO_SIMILAR_TEXT)

        self.provenance_label = muted_label(smaller=True)
        self.provenance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(20, 18, 20, 14)
        column.setSpacing(6)
        column.addWidget(self.title_label)
        column.addWidget(self.meta_label)
        column.addWidget(self.year_editor)
        column.addWidget(self.authors_label)
        column.addWidget(self.links_row)
        column.addWidget(self.upvote_history)
        column.addSpacing(6)
        column.addLayout(status_row)
        column.addSpacing(12)
        column.addWidget(self.abstract_heading)
        column.addWidget(self.abstract_label)
        column.addWidget(self.no_abstract_label)
        column.addWidget(self.incomplete_label)
        column.addSpacing(14)
        column.addWidget(self.similar_heading)
        column.addWidget(self.similar_list)
        column.addWidget(self.similar_empty)
        column.addSpacing(10)
        column.addWidget(self.provenance_label)
        column.addStretch(1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)

        # The reader's part (tags, note) sits below the paper's, outside its
        # scroll area: a long abstract never pushes the note off-screen, and
        # Enter in the table lands in a note one can see.
        self.notes_panel = QWidget()
        notes = QVBoxLayout(self.notes_panel)
        notes.setContentsMargins(20, 10, 20, 12)
        notes.setSpacing(6)
        notes.addWidget(self.tags_heading)
        notes.addWidget(self.tag_editor)
        notes.addSpacing(8)
        notes.addWidget(self.note_editor, 1)

        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.scroll_area)
        self.body.addWidget(self.notes_panel)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        self._body_split = False  # set once the pane has a height (or the settings say)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty_page)
        self.stack.addWidget(self.body)
        self._empty_page = empty_page

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setMinimumWidth(MIN_WIDTH)

    # -- the interface --------------------------------------------------------------

    def current_paper_id(self) -> int | None:
        """The id of the paper shown, or None for the empty state."""
        return self._paper.id if self._paper else None

    def show_paper(self, paper: Paper | None, *, query: str = "") -> None:
        """Show a paper (None: the empty state), its abstract highlighted for `query`.

        Any pending note edit is emitted first, for the paper it belongs to.
        Showing the paper already shown keeps the note's cursor and any text
        typed since the paper object was read.
        """
        self.flush_note()
        if paper is None or self._paper is None or paper.id != self._paper.id:
            self._similar_timer.stop()
            self._drop_similar()
        if paper is None:
            self._paper = None
            self._query = ""
            self.note_editor.set_text("")
            self.tag_editor.set_tags([])
            self.similar_list.set_papers([])
            self.stack.setCurrentWidget(self._empty_page)
            return

        same = self._paper is not None and self._paper.id == paper.id
        # A copy: optimistic changes here must not touch the caller's object
        # (the table's cache, an undo command's "before").
        paper = _copy(paper)
        self._paper = paper
        self._query = query
        self._hit_words = self._matched_words(paper.id, query)
        self._show_facts(paper)
        self._show_status(paper)
        self.tag_editor.set_known_tags(self._collection.all_tags())
        if same:
            if self.tag_editor.tags() != paper.tags:
                self.tag_editor.set_tags(paper.tags)
            # The note was just flushed: a paper object read before that save
            # lands still carries the old note, which must not replace the typing.
            self.note_editor.update_text(paper.note, keep_newer=True)
        else:
            self.tag_editor.set_tags(paper.tags)
            self.note_editor.set_text(paper.note)
            self.similar_list.set_papers([])
            self.similar_empty.hide()
            self._similar_timer.start()
            self.scroll_area.verticalScrollBar().setValue(0)
        self._show_provenance(paper.id)
        self.stack.setCurrentWidget(self.body)
        self._split_body()

    def refresh(self, paper: Paper) -> None:
        """The shown paper changed (undo, a save, an import): update it in place.

        Status, tags, facts and the note are updated; typing in the note that
        has not been emitted yet is kept, and so are the cursor and scroll.
        Ignored when `paper` is not the paper shown.
        """
        if self._paper is None or paper.id != self._paper.id:
            return
        old = self._paper
        paper = _copy(paper)
        self._paper = paper
        if (paper.title, paper.abstract) != (old.title, old.abstract):
            self._hit_words = self._matched_words(paper.id, self._query)
        self._show_facts(paper)
        self._show_status(paper)
        if self.tag_editor.tags() != paper.tags:
            self.tag_editor.set_known_tags(self._collection.all_tags())
            self.tag_editor.set_tags(paper.tags)
        self.note_editor.update_text(paper.note)
        self._show_provenance(paper.id)

    def assume_status(self, ids: Sequence[int], status: Status) -> None:
        """Show `status` now if the shown paper is among `ids` (the write confirms it later)."""
        if self._paper is not None and self._paper.id in ids and self._paper.status != status:
            self._paper.status = status
            self._show_status(self._paper)

    def flush_note(self) -> None:
        """Emit noteChanged now if the note has unsaved edits."""
        self.note_editor.flush()

    def focus_note(self) -> None:
        """Put the keyboard in the note editor (Enter in the table)."""
        if self._paper is not None:
            self.note_editor.focus_editor()

    def focus_tags(self) -> None:
        """Put the keyboard in the field that adds a tag (T in the table)."""
        if self._paper is not None:
            self.tag_editor.field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_similar(self) -> bool:
        """Put the keyboard on the first similar paper (S in the table); False if none.

        A list not here yet is asked for now and waited for a moment; if it
        takes longer, this returns True and the list takes the focus when it
        comes, or `noSimilarPapers` says it came empty.
        """
        if self._paper is None:
            return False
        shown = self._paper.id
        if self._similar.shown_for != shown:
            self._similar_timer.stop()
            ticket = self._load_similar()
            if ticket is not None:
                self._runner().wait(ticket, SIMILAR_PATIENCE_S)
        if self._similar.shown_for != shown:
            # Still on its way: focus it on arrival, unless the keyboard has moved on.
            self._similar.focus_from = QApplication.focusWidget()
            self._similar.focus_wanted = True
            return True
        return self._focus_first_similar()

    def is_idle(self) -> bool:
        """True when no similar-papers query runs or waits, nor its answer to be shown."""
        return self._similar_runner is None or self._similar_runner.is_idle()

    def shut_down(self) -> None:
        """Stop the similar papers' thread (the window is closing).

        A query that is running is let finish (one paper's neighbours); its
        answer is dropped. Nothing is asked for afterwards.
        """
        self._similar.closed = True
        self._similar_timer.stop()
        runner, self._similar_runner = self._similar_runner, None
        if runner is not None and not runner.shutdown():
            log.error("the similar papers' thread did not stop in time")

    def body_state(self) -> QByteArray:
        """The split between the paper and the note, for the settings."""
        return self.body.saveState()

    def restore_body_state(self, state: QByteArray) -> None:
        self._body_split = self.body.restoreState(state)

    def _split_body(self) -> None:
        """The first split between the paper and the note, once there is a height to split."""
        height = self.body.height()
        if self._body_split or height < 200:
            return
        note = max(round(height * NOTE_SHARE), NOTE_MIN_HEIGHT + 80)
        self.body.setSizes([height - note, note])
        self._body_split = True

    # -- showing -----------------------------------------------------------------

    def _matched_words(self, paper_id: int, query: str) -> list[str]:
        """The words of the paper that `query` matches, as the index marks them."""
        if not query.strip():
            return []
        try:
            fields = self._collection.highlight(query, [paper_id]).get(paper_id, {})
        except Exception:
            # A query the index cannot take is reported under the search
            # field; here it only means no highlights.
            log.debug("no highlights for %r", query, exc_info=True)
            return []
        # The index marks the best passages only; the pane marks the same
        # words across the whole abstract.
        return text.marked_words(fields.get("abstract", "") + fields.get("title", ""))

    def _show_facts(self, paper: Paper) -> None:
        self.title_label.setText(paper.title or "(untitled)")
        self.title_label.setToolTip("")
        meta = text.meta_line(paper)
        self.meta_label.setText(meta)
        self.meta_label.setVisible(bool(meta))
        self.meta_label.setToolTip(text.date_tooltip(paper))
        self.year_editor.setVisible(paper.year_guessed)
        if paper.published is not None:
            self.year_editor.set_year(paper.published.year)
        authors = text.authors_text(paper.author_names)
        self.authors_label.setText(authors)
        self.authors_label.setVisible(bool(authors))
        # The whole list in the tooltip, up to a screenful.
        names = list(paper.author_names)
        more = [f"and {len(names) - 40:,} more"] if len(names) > 40 else []
        self.authors_label.setToolTip(text.plain_tooltip("\n".join(names[:40] + more)))
        self._show_links(paper)
        self._render_abstract()

    def _show_links(self, paper: Paper) -> None:
        self.site_button.setVisible(paper.url is not None)
        self.arxiv_button.setVisible(paper.arxiv_url is not None)
        github = _github_url(paper.github_url)
        self.github_button.setVisible(github is not None)
        stars = text.stars_text(paper.github_stars)
        self.github_button.setText("Code on GitHub" + (f" ({stars})" if stars else ""))
        self.github_button.setToolTip(text.plain_tooltip(github))
        for button, url in ((self.site_button, paper.url), (self.arxiv_button, paper.arxiv_url)):
            button.setToolTip(url or "")
        self.links_row.setVisible(bool(paper.arxiv_id or github))

    def _open_link(self, which: str) -> None:
        paper = self._paper
        if paper is None:
            return
        url = {"site": paper.url, "arxiv": paper.arxiv_url, "github": _github_url(paper.github_url)}
        chosen = url[which]
        if chosen:
            self.open_url(QUrl(chosen))

    def _render_abstract(self) -> None:
        if self._paper is None:
            return
        abstract = self._paper.abstract.strip()
        summary = (self._paper.summary or "").strip()
        shown = abstract or summary
        self.abstract_heading.setText("Abstract" if abstract or not summary else SUMMARY_HEADING)
        self.abstract_heading.setVisible(True)
        self.abstract_label.setVisible(bool(shown))
        self.no_abstract_label.setVisible(not shown)
        self.incomplete_label.setVisible(self._paper.incomplete)
        self.abstract_label.setText(
            abstract_html(shown, self._hit_words, hit_tint(self.palette())) if shown else ""
        )

    def _show_status(self, paper: Paper) -> None:
        read = paper.status == "read"
        self.status_button.setChecked(read)
        self.status_button.setText("Mark as unread" if read else "Mark as read")
        if read:
            when = text.time_ago(paper.read_at)
            self.status_label.setText(f"Read {when}" if when else "Read")
        else:
            self.status_label.setText("Unread")

    def _show_upvotes(self, paper_id: int) -> None:
        try:
            points = self._collection.upvote_history(paper_id)
        except ReadingListError:
            points = []  # deleted meanwhile
        self.upvote_history.set_points(points)

    def _show_provenance(self, paper_id: int) -> None:
        self._show_upvotes(paper_id)
        try:
            sources = self._collection.sources(paper_id)
        except Exception:
            log.debug("no provenance for paper %s", paper_id, exc_info=True)
            sources = []
        if not sources:
            self.provenance_label.clear()
            self.provenance_label.hide()
            return
        first = sources[0]
        when = text.date_text(first.imported_at.astimezone().date()) if first.imported_at else ""
        line = f"Imported from {first.name}" + (f" on {when}" if when else "")
        others = len({s.path for s in sources[1:]} - {first.path})
        if others:
            line += f"; also seen in {text.count_text(others, 'other file')}"
        self.provenance_label.setText(line)
        self.provenance_label.setToolTip(
            text.plain_tooltip("\n".join(dict.fromkeys(s.path for s in sources)))
        )
        self.provenance_label.show()

    # -- the similar papers (on the pane's own thread) ------------------------------

    def _runner(self) -> SearchRunner:
        if self._similar_runner is None:
            collection = self._collection
            runner = SearchRunner(
                lanes=(SIMILAR_LANE,),
                name="readinglist-similar",
                on_stop=collection.release_thread,
            )
            # A pane that goes without shut_down() (a test's, a dialog's)
            # still stops its thread; the closure holds the runner, not the pane.
            self.destroyed.connect(lambda *_: runner.shutdown())
            self._similar_runner = runner
        return self._similar_runner

    def _load_similar(self) -> int | None:
        """Ask for the shown paper's similar papers, once; the ticket, None when closed."""
        state = self._similar
        if self._paper is None or state.closed:
            return None
        shown = self._paper.id
        if state.asked_for == shown and state.ticket is not None:
            return state.ticket  # on its way already
        collection = self._collection
        state.asked_for = shown
        state.ticket = self._runner().submit(
            SIMILAR_LANE,
            lambda: similar_papers(collection, shown),
            lambda papers: self._similar_arrived(shown, papers),
            lambda exc: self._similar_failed(shown, exc),
        )
        return state.ticket

    def _drop_similar(self) -> None:
        """Forget the list on its way and the one shown: another paper (or none) is shown."""
        if self._similar_runner is not None:
            self._similar_runner.withdraw(SIMILAR_LANE)
        self._similar = _SimilarState(closed=self._similar.closed)

    def _similar_arrived(
        self, paper_id: int, papers: list[Paper], empty_text: str = NO_SIMILAR_TEXT
    ) -> None:
        if self._paper is None or self._paper.id != paper_id or self._similar.closed:
            return  # the runner drops an overtaken answer; this checks the paper too
        self._show_similar(paper_id, papers, empty_text)

    def _similar_failed(self, paper_id: int, exc: BaseException) -> None:
        if isinstance(exc, SearchIndexError):
            # Damaged, or held by a rebuild: the index comes back by itself.
            log.debug("similar papers unavailable for %s", paper_id, exc_info=exc)
            message = SIMILAR_UNAVAILABLE_TEXT
        elif isinstance(exc, ReadingListError):
            log.debug("similar papers unavailable for %s", paper_id, exc_info=exc)
            message = NO_SIMILAR_TEXT  # deleted meanwhile: the pane moves on anyway
        else:
            log.warning("similar papers unavailable for %s", paper_id, exc_info=exc)
            message = NO_SIMILAR_TEXT
        self._similar_arrived(paper_id, [], message)

    def _show_similar(self, paper_id: int, papers: list[Paper], empty_text: str) -> None:
        state = self._similar
        state.shown_for, state.asked_for, state.ticket = paper_id, None, None
        self.similar_list.set_papers(papers)
        self.similar_list.setVisible(bool(papers))
        self.similar_empty.setText(empty_text)
        self.similar_empty.setVisible(not papers)
        if state.focus_wanted:
            state.focus_wanted = False
            # Only where S left it: a keyboard that moved on meanwhile stays.
            if QApplication.focusWidget() is state.focus_from and not self._focus_first_similar():
                self.noSimilarPapers.emit(NO_SIMILAR_TEXT)

    def _focus_first_similar(self) -> bool:
        if not self.similar_list.count():
            return False
        self.similar_list.setCurrentRow(0)
        self.similar_list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll_area.ensureWidgetVisible(self.similar_list, 0, 24)
        return True

    # -- the reader's changes ------------------------------------------------------

    def _on_status_clicked(self, checked: bool) -> None:
        if self._paper is None:
            return
        status: Status = "read" if checked else "unread"
        # Shown at once; the main window saves it and refresh() confirms.
        self._paper.status = status
        self._show_status(self._paper)
        self.statusToggled.emit(self._paper.id, status)

    def _on_year_chosen(self, year: int) -> None:
        if self._paper is not None:
            self.yearCorrected.emit(self._paper.id, year)

    def _on_tags_changed(self, tags: list) -> None:
        if self._paper is not None:
            self._paper.tags = list(tags)
            self.tagsEdited.emit(self._paper.id, list(tags))

    def _on_note_changed(self, note: str) -> None:
        if self._paper is not None:
            self._paper.note = note
            self.noteChanged.emit(self._paper.id, note)

    # -- Qt -----------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render_abstract()  # the hit tint follows light / dark

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._split_body()


def similar_papers(collection: Collection, paper_id: int) -> list[Paper]:
    """Up to SIMILAR_LIMIT papers like `paper_id`, most similar first, never itself.

    Runs on the similar papers' thread; what it raises goes back to the pane.
    """
    # A couple more than shown: the paper itself or a repeat may come back.
    similar = collection.similar(paper_id, limit=SIMILAR_LIMIT + 2)
    unique = {p.id: p for p, _score in similar if p.id != paper_id}
    return list(unique.values())[:SIMILAR_LIMIT]


@dataclasses.dataclass(slots=True)
class _SimilarState:
    """Where the similar list of the shown paper is: asked for, shown, S waiting for it."""

    asked_for: int | None = None  # the paper whose list is on its way
    ticket: int | None = None  # its runner ticket
    shown_for: int | None = None  # the paper whose list is shown
    focus_wanted: bool = False  # S came before the list
    focus_from: QWidget | None = None  # where the keyboard was when S came
    closed: bool = False  # shut down: nothing more is asked for


def _link_button(caption: str, tooltip: str) -> QPushButton:
    button = QPushButton(caption)
    button.setFlat(True)
    # Drawn in the palette's link colour, so it reads as a link in both themes.
    button.setStyleSheet("QPushButton { color: palette(link); padding: 2px 6px; }")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setToolTip(tooltip)
    button.setAutoDefault(False)
    return button


def _github_url(url: str | None) -> str | None:
    """A GitHub repository address, or None for anything else a dump might hold."""
    if url and url.startswith("https://github.com/") and not any(c.isspace() for c in url):
        return url
    return None


def _copy(paper: Paper) -> Paper:
    return dataclasses.replace(paper, tags=list(paper.tags))
