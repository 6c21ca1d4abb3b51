"""The search field: debounced queries, a syntax error under it, "did you mean".

It only edits and announces the query; the window lists the results and
tells it what to show underneath (an error, a suggestion, a "searching…"
hint, or nothing). While the person types, the query to run has the word
under the cursor as a prefix (see readinglist.index.as_typed); once they pause
(TYPING_PAUSE_MS) it is announced again as written. A message under the
field belongs to one text: it goes as soon as the field holds another.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from readinglist.gui.text import escape
from readinglist.index.as_typed import query_while_typing, query_without_typed_word

# Fast enough to feel live, slow enough that a word typed at speed is one search.
DEBOUNCE_MS = 150
# A pause this long ends the typing: the query becomes what was written.
TYPING_PAUSE_MS = 600
SEARCHING = "Searching…"

PLACEHOLDER = (
    'Search titles, abstracts, notes, tags   —   title:  tag:  "a phrase"  -word  status:unread'
)


def error_colour(palette: QPalette) -> QColor:
    """A red that reads on this palette's window colour, light or dark."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ff8a80") if dark else QColor("#b3261e")


class SearchBar(QWidget):
    """Search field plus the line under it (see the module docstring)."""

    queryChanged = Signal(str)  # debounced
    suggestionChosen = Signal(str)
    leaveRequested = Signal()  # Down or Escape on an empty field: go to the results

    def __init__(
        self,
        parent: QWidget | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        pause_ms: int = TYPING_PAUSE_MS,
    ) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search")
        self.field.installEventFilter(self)
        font = self.field.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.field.setFont(font)
        self.field.setMinimumHeight(self.field.sizeHint().height() + 6)

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.suggestion_label = QLabel()
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.suggestion_label.setOpenExternalLinks(False)
        self.suggestion_label.linkActivated.connect(self._suggestion_clicked)
        self.suggestion_label.hide()
        self._suggestion = ""
        self._suggestion_for = ""
        self._error_for = ""

        self.searching_label = QLabel(SEARCHING)
        self.searching_label.setTextFormat(Qt.TextFormat.PlainText)
        self.searching_label.setEnabled(False)  # the palette's quiet text
        self.searching_label.hide()

        messages = QHBoxLayout()
        messages.setContentsMargins(4, 0, 4, 0)
        messages.addWidget(self.error_label, 1)
        messages.addWidget(self.suggestion_label, 1)
        messages.addWidget(self.searching_label, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.field)
        layout.addLayout(messages)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._announce)
        self._typing = False
        self._announced = ""  # the query to run, as last announced
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(pause_ms)
        self._pause.timeout.connect(self._paused)
        self.field.textChanged.connect(self._text_changed)
        self.field.textEdited.connect(self._edited)  # the person's edits, not setText()
        self._paint_error()

    # -- the query -----------------------------------------------------------

    def query(self) -> str:
        """The text as written."""
        return self.field.text()

    def query_to_run(self) -> str:
        """The query to search for: as written, or, while typing, with a prefix.

        While typing, the word under the cursor is searched as a prefix (see
        readinglist.index.as_typed).
        """
        text = self.field.text()
        return query_while_typing(text, self.field.cursorPosition()) if self._typing else text

    def fallback_queries(self) -> list[str]:
        """What to run, in order, if the core refuses `query_to_run()`.

        While typing, the query without the word being typed, then as written.
        """
        text = self.field.text()
        if not self._typing:
            return []
        without = query_without_typed_word(text, self.field.cursorPosition())
        return list(dict.fromkeys(q for q in (without, text) if q != self.query_to_run()))

    def typing(self) -> bool:
        """True from an edit by the person until they pause, type Enter or leave the field."""
        return self._typing

    def set_query(self, query: str) -> None:
        """Put `query` in the field and announce it at once (no debounce)."""
        self.field.blockSignals(True)
        self.field.setText(query)
        self.field.blockSignals(False)
        self._stop_typing()
        self._text_changed(query)
        self._announce()

    def set_timing(self, *, debounce_ms: int | None = None, pause_ms: int | None = None) -> None:
        """Change the debounce, or the pause that ends the typing (tests, benchmarks)."""
        if debounce_ms is not None:
            self._timer.setInterval(debounce_ms)
        if pause_ms is not None:
            self._pause.setInterval(pause_ms)

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def pending(self) -> bool:
        """True while a typed query waits for its debounce.

        Or, typed with a prefix, for the pause that announces it as written.
        """
        return self._timer.isActive() or (
            self._pause.isActive() and self._announced != self.field.text()
        )

    def _announce(self) -> None:
        self._timer.stop()
        self._announced = self.query_to_run()
        self.queryChanged.emit(self.field.text())

    def _edited(self, _text: str) -> None:
        self._typing = True
        self._pause.start()

    def _text_changed(self, text: str) -> None:
        self._timer.start()
        # What was said under the field was said of another text.
        if self._error_for != text and self.error_label.isVisible():
            self.error_label.hide()
            self.error_label.clear()
        if self._suggestion_for != text:
            self.show_suggestion(None)

    def _paused(self) -> None:
        self._typing = False
        if self._announced != self.field.text() and not self._timer.isActive():
            self._announce()  # the prefix goes: the query is what was written

    def _stop_typing(self) -> None:
        self._typing = False
        self._pause.stop()
        self._timer.stop()

    # -- the line under the field ----------------------------------------------

    def show_error(self, message: str, for_text: str | None = None) -> None:
        """Show `message` under the field, if it is about `for_text` (default: the text now)."""
        text = self.field.text() if for_text is None else for_text
        if text != self.field.text():
            return  # about a text the field no longer holds
        self._error_for = text
        self.error_label.setText(message)
        self.error_label.show()
        self.suggestion_label.hide()

    def show_suggestion(self, suggestion: str | None, for_text: str | None = None) -> None:
        """Offer `suggestion` for `for_text` (default: the text now); None hides it."""
        text = self.field.text() if for_text is None else for_text
        if suggestion and text != self.field.text():
            return
        self._suggestion = suggestion or ""
        self._suggestion_for = text if suggestion else ""
        if not suggestion:
            self.suggestion_label.hide()
            return
        self.suggestion_label.setText(
            f'Did you mean <a href="#suggestion">{escape(suggestion)}</a>?'
        )
        self.suggestion_label.show()

    def clear_messages(self) -> None:
        self.error_label.hide()
        self.error_label.clear()
        self._error_for = ""
        self.show_suggestion(None)

    def show_searching(self, searching: bool) -> None:
        """The "searching…" hint, while a slow search keeps the last results on screen."""
        self.searching_label.setVisible(searching)

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisible() else ""

    def suggestion(self) -> str:
        return self._suggestion

    def _suggestion_clicked(self, _link: str) -> None:
        if self._suggestion:
            suggestion = self._suggestion
            self.set_query(suggestion)
            self.suggestionChosen.emit(suggestion)

    # -- Qt ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self.leaveRequested.emit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                if self.field.text():
                    self.set_query("")
                else:
                    self.leaveRequested.emit()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Enter searches now, as written, rather than after the debounce.
                self._stop_typing()
                self._announce()
                self.leaveRequested.emit()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_error()
        super().changeEvent(event)

    def _paint_error(self) -> None:
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_colour(self.palette()))
        self.error_label.setPalette(palette)
