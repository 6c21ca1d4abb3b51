"""The note editor: Markdown typed as plain text, with a rendered preview.

It saves as you type without saving on every key: `noteChanged` is emitted
once typing has stopped for `DEBOUNCE_MS`, and at once by `flush()` (on a
change of paper, on close). The preview renders Markdown with Qt's own
parser and raw HTML turned off, so `<script>` in a note shows as text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QKeyEvent,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

DEBOUNCE_MS = 600

# GitHub Markdown (tables, task lists, strikethrough, autolinks) without raw
# HTML: HTML in a note is shown as the text it is, never rendered.
MARKDOWN_FEATURES = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)

# Links in a note open in the browser only when they are web or mail links.
_OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})

_EMPTY_PREVIEW = "*No note yet. Switch to Edit to write one.*"


# Qt sizes Markdown headings for a page (h1 is xx-large); a note beside an
# abstract reads better with gentler steps, relative to the body font.
_HEADING_SCALE = {1: 1.4, 2: 1.25, 3: 1.12}


def render_markdown(document: QTextDocument, text: str) -> None:
    """Render `text` into `document` as Markdown, raw HTML shown literally."""
    document.setMarkdown(text if text.strip() else _EMPTY_PREVIEW, MARKDOWN_FEATURES)
    base = document.defaultFont().pointSizeF()
    block = document.begin()
    while block.isValid():
        scale = _HEADING_SCALE.get(block.blockFormat().headingLevel())
        if scale:
            _resize_block(block, base * scale)
        block = block.next()


def _resize_block(block: QTextBlock, points: float) -> None:
    # Collect first: changing formats while walking fragments invalidates the walk.
    fragments = []
    walk = block.begin()
    while not walk.atEnd():
        fragment = walk.fragment()
        fragments.append((fragment.position(), fragment.length(), fragment.charFormat()))
        walk += 1
    cursor = QTextCursor(block.document())
    for position, length, fmt in fragments:
        # Qt marks headings with a relative size that would win over points.
        fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
        fmt.setFontPointSize(points)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)


class NoteEditor(QWidget):
    """Edit / preview of one note, with debounced change notification."""

    noteChanged = Signal(str)  # the note text, debounced or flushed
    leaveRequested = Signal()  # Escape: the note is saved and the keyboard goes back

    def __init__(self, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._saved = ""  # the text last loaded or emitted: what the frame has
        self._base = ""  # the text last loaded from a paper
        self._loading = False

        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            "Write a note in Markdown… it is saved as you type.\n\n"
            "# Heading   **bold**   *italic*   - list   [link](https://…)"
        )
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName("Note")
        self.editor.textChanged.connect(self._on_text_changed)

        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName("Note preview")
        self.preview.anchorClicked.connect(_open_link)
        # Escape leaves the note (a plain text edit would ignore it, and the
        # next key meant for the list would be typed into the note).
        self.editor.installEventFilter(self)
        self.preview.installEventFilter(self)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.preview)

        self.title = QLabel("Note")
        self.hint = QLabel("Markdown")
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.preview_button = QToolButton()
        self.preview_button.setText("Preview")
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip("Show the note rendered (Markdown)")
        self.preview_button.setAutoRaise(True)
        self.preview_button.toggled.connect(self.set_preview)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(8)
        header.addWidget(self.title)
        header.addWidget(self.hint)
        header.addStretch(1)
        header.addWidget(self.preview_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.flush)

    # -- state ---------------------------------------------------------------

    def text(self) -> str:
        """The note as typed."""
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        """True when typing has not been handed on by noteChanged yet."""
        return self.text() != self._saved

    def is_previewing(self) -> bool:
        return self.stack.currentWidget() is self.preview

    # -- loading ---------------------------------------------------------------

    def set_text(self, text: str) -> None:
        """Load a note (another paper's): no signal; cursor at the start."""
        self._timer.stop()
        self._load(text)
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)

    def update_text(self, text: str, *, keep_newer: bool = False) -> bool:
        """The same note changed elsewhere (e.g. undo): take it unless typing is pending.

        The cursor and scroll position stay where they were (clamped to the new
        text).

        Args:
            text: the note as the library now has it.
            keep_newer: `text` may come from a paper read before the last
                emitted edit was saved: when it is the note as last loaded,
                the edited text here is newer and stays.

        Returns:
            False when the text here was kept instead.
        """
        if self.is_dirty():
            return False
        if text == self.text():
            self._base = self._saved = text
            return True
        if keep_newer and text == self._base:
            return False
        cursor = self.editor.textCursor()
        position, anchor = cursor.position(), cursor.anchor()
        scroll = self.editor.verticalScrollBar().value()
        self._load(text)
        end = self.editor.document().characterCount() - 1  # UTF-16 positions, not len()
        restored = self.editor.textCursor()
        restored.setPosition(min(anchor, end))
        restored.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(restored)
        self.editor.verticalScrollBar().setValue(scroll)
        return True

    def _load(self, text: str) -> None:
        self._loading = True
        try:
            self.editor.setPlainText(text)
        finally:
            self._loading = False
        self._base = self._saved = text
        if self.is_previewing():
            render_markdown(self.preview.document(), text)

    # -- saving ---------------------------------------------------------------

    def flush(self) -> None:
        """Emit noteChanged now if there is unsaved typing."""
        self._timer.stop()
        if self.is_dirty():
            self._saved = self.text()
            self.noteChanged.emit(self._saved)

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._timer.start()  # restarts: fires once typing pauses

    # -- edit / preview ---------------------------------------------------------------

    def set_preview(self, on: bool) -> None:
        """Show the rendered note (True) or the editor (False)."""
        if on:
            render_markdown(self.preview.document(), self.text())
            self.stack.setCurrentWidget(self.preview)
        else:
            self.stack.setCurrentWidget(self.editor)
        self.preview_button.setText("Edit" if on else "Preview")
        self.preview_button.setToolTip(
            "Back to editing the note" if on else "Show the note rendered (Markdown)"
        )
        if self.preview_button.isChecked() != on:
            self.preview_button.setChecked(on)

    def focus_editor(self) -> None:
        """Switch to editing and put the keyboard in the note."""
        self.set_preview(False)
        if self.editor.textCursor().position() == 0:
            # Freshly loaded: most often one comes back to a note to add to it.
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.editor.ensureCursorVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.editor, self.preview)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and not event.modifiers()
        ):
            self.flush()
            self.leaveRequested.emit()
            return True
        return super().eventFilter(watched, event)


def _open_link(url: QUrl) -> None:
    if url.scheme().lower() in _OPENABLE_SCHEMES:
        QDesktopServices.openUrl(url)
