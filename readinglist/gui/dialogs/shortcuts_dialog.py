"""The list of keyboard shortcuts (F1 or ?).

`SHORTCUTS` is data: the main window binds the same key strings
(`QKeySequence(key)` accepts each of them), so the list shown here and the
keys that work cannot drift apart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

# (keys, description): each key in the portable form QKeySequence parses.
SHORTCUTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("Ctrl+F", "Ctrl+L", "/"), "Search the library"),
    (("Down", "J"), "Next paper"),
    (("Up", "K"), "Previous paper"),
    (("Space",), "Mark the paper read or unread"),
    (("Return",), "Write a note for the paper"),
    (("T",), "Add a tag to the paper"),
    (("S",), "Go to its similar papers (Enter opens one)"),
    (("L",), "Later: keep it unread, out of the Inbox"),
    (("X",), "Not interested: dismiss it from the Inbox"),
    (("Escape",), "Back to the list from the search, the tags or the note"),
    (("Alt+Left",), "Back to the previous view and search (or the mouse's back button)"),
    (("Ctrl+E",), "Export notes to Markdown…"),
    (("Ctrl+O",), "Import page dumps…"),
    (("Ctrl+Shift+V",), "Import text from the clipboard"),
    (("Delete",), "Delete the selected papers"),
    (("Ctrl+Z",), "Undo"),
    (("Ctrl+Shift+Z",), "Redo"),
    (("F1", "?"), "Show these shortcuts"),
    (("Ctrl+Q",), "Quit"),
)

# Key caps follow the palette (light or dark) through QSS palette() roles.
_KEYCAP_STYLE = (
    "QLabel { border: 1px solid palette(mid); border-radius: 4px;"
    " background: palette(button); color: palette(button-text);"
    " padding: 1px 6px; }"
)

# Names people say, where the native text is less familiar.
_SPOKEN = {"Return": "Enter", "Del": "Delete", "Esc": "Escape"}


def key_text(key: str) -> str:
    """A key as the platform writes it (⌘F on macOS, Ctrl+F elsewhere).

    A bare letter is written as it is typed, in lower case: "j", not "J"
    (which reads as Shift+J).
    """
    if len(key) == 1 and key.isalpha():
        return key.lower()
    native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    return _SPOKEN.get(native, native or key)


class ShortcutsDialog(QDialog):
    """A calm two-column table of keys and what they do."""

    def __init__(
        self,
        parent: QWidget | None = None,
        shortcuts: tuple[tuple[tuple[str, ...], str], ...] = SHORTCUTS,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        for row, (keys, description) in enumerate(shortcuts):
            grid.addWidget(_keys_widget(keys), row, 0, Qt.AlignmentFlag.AlignLeft)
            label = QLabel(description)
            label.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.addLayout(grid)
        layout.addSpacing(12)
        layout.addWidget(buttons)


def _keys_widget(keys: tuple[str, ...]) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    for position, key in enumerate(keys):
        if position:
            sep = QLabel("or")
            sep.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            row.addWidget(sep)
        cap = QLabel(key_text(key))
        cap.setTextFormat(Qt.TextFormat.PlainText)
        cap.setStyleSheet(_KEYCAP_STYLE)
        row.addWidget(cap)
    row.addStretch(1)
    return box


def show_shortcuts(parent: QWidget | None = None) -> ShortcutsDialog:
    """Open the shortcuts list without blocking; returns the dialog."""
    dialog = ShortcutsDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
