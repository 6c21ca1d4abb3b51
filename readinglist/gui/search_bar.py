"""The search field: debounced queries, a syntax error under it, "did you mean".

It only edits and announces the query; the window lists the results and
tells it what to show underneath (an error, a suggestion, or nothing).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from readinglist.gui.text import escape

# Fast enough to feel live, slow enough that a word typed at speed is one search.
DEBOUNCE_MS = 150

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

    def __init__(self, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
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

        messages = QHBoxLayout()
        messages.setContentsMargins(4, 0, 4, 0)
        messages.addWidget(self.error_label, 1)
        messages.addWidget(self.suggestion_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.field)
        layout.addLayout(messages)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._announce)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self._paint_error()

    # -- the query -----------------------------------------------------------

    def query(self) -> str:
        return self.field.text()

    def set_query(self, query: str) -> None:
        """Put `query` in the field and announce it at once (no debounce)."""
        self.field.blockSignals(True)
        self.field.setText(query)
        self.field.blockSignals(False)
        self._timer.stop()
        self._announce()

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def pending(self) -> bool:
        """True while a typed query waits for its debounce."""
        return self._timer.isActive()

    def _announce(self) -> None:
        self.queryChanged.emit(self.field.text())

    # -- the line under the field ----------------------------------------------

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.suggestion_label.hide()

    def show_suggestion(self, suggestion: str | None) -> None:
        self._suggestion = suggestion or ""
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
        self.show_suggestion(None)

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
                # Enter searches now rather than after the debounce.
                self._timer.stop()
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
