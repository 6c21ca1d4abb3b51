"""What the table area says when it has nothing to list, and what to do about it.

A hint that offers to "search all papers" makes those words a link when the
listing is narrowed by a view or tags; following it keeps the query and
lists the whole library.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from readinglist.gui.text import escape

EMPTY_LIBRARY = ("Your reading list is empty", "Drop page dumps here, or press Ctrl+O")
WIDEN_PHRASE = "search all papers"
_WIDEN_LINK = "#search-all"


class EmptyState(QFrame):
    """A centred headline, a hint, and import buttons for an empty library."""

    importRequested = Signal()
    pasteRequested = Signal()
    widenRequested = Signal()  # "search all papers" was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Framed like the table it stands in for.
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.headline.setFont(font)
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setOpenExternalLinks(False)
        self.hint.linkActivated.connect(self._link)
        # Whether the listing is narrowed (a view, tags): set by the window.
        self.can_widen: Callable[[], bool] = lambda: False
        self._hint_text = ""

        self.import_button = QPushButton("Import page dumps…")
        self.import_button.clicked.connect(self.importRequested)
        self.paste_button = QPushButton("Import from clipboard")
        self.paste_button.clicked.connect(self.pasteRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.paste_button)
        buttons.addStretch(1)
        self._buttons = [self.import_button, self.paste_button]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch(2)
        layout.addWidget(self.icon)
        layout.addSpacing(10)
        layout.addWidget(self.headline)
        layout.addSpacing(6)
        layout.addWidget(self.hint)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def show_message(self, headline: str, hint: str = "", *, offer_import: bool = False) -> None:
        self.headline.setText(headline)
        self._hint_text = hint
        self._show_hint(hint)
        for button in self._buttons:
            button.setVisible(offer_import)
        # The app's icon greets an empty library; other empty views stay plain.
        icon = self.window().windowIcon()
        self.icon.setVisible(offer_import and not icon.isNull())
        if offer_import and not icon.isNull():
            self.icon.setPixmap(icon.pixmap(96, 96))

    def text(self) -> str:
        return f"{self.headline.text()}\n{self._hint_text}".strip()

    def offers_widening(self) -> bool:
        """True when the hint shows "search all papers" as a link."""
        return self.hint.textFormat() == Qt.TextFormat.RichText

    def _show_hint(self, hint: str) -> None:
        self.hint.setVisible(bool(hint))
        before, phrase, after = hint.partition(WIDEN_PHRASE)
        if phrase and self.can_widen():
            self.hint.setTextFormat(Qt.TextFormat.RichText)
            self.hint.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            self.hint.setText(
                f'{escape(before)}<a href="{_WIDEN_LINK}">{escape(phrase)}</a>{escape(after)}'
            )
            return
        # Not narrowed: searching all papers is what already happened.
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if phrase:
            hint = before.rstrip().removesuffix(" or").rstrip(" ,") + after
        self.hint.setText(hint)

    def _link(self, href: str) -> None:
        if href == _WIDEN_LINK:
            self.widenRequested.emit()
