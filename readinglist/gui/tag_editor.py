"""A tag editor: the paper's tags as chips, and a field to add more.

Keyboard first: type a tag and press Enter or a comma (completion offers the
library's tags), Backspace in the empty field removes the last tag. Each chip
has a small × for the mouse. Every change emits the complete new list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetItem,
)

# Chips follow the palette (light or dark) through QSS palette() roles.
_CHIP_STYLE = """
QFrame#tagChip {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 9px;
}
QFrame#tagChip QLabel { background: transparent; border: none; color: palette(text); }
QFrame#tagChip QToolButton {
    border: none; background: transparent; color: palette(text); padding: 0px;
}
QFrame#tagChip QToolButton:hover { color: palette(highlight); }
QLineEdit#tagField {
    background: transparent; border: none; border-bottom: 1px solid palette(mid);
    padding: 2px 2px; color: palette(text);
}
QLineEdit#tagField:focus { border-bottom: 1px solid palette(highlight); }
"""


def normalise_tags(names: Iterable[str]) -> list[str]:
    """Tags stripped, inner white space collapsed, empties and case-folded repeats dropped.

    The same rule the library applies, so the chips show what will be saved.
    """
    seen: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split()).strip(",").strip()
        if cleaned:
            seen.setdefault(cleaned.casefold(), cleaned)
    return list(seen.values())


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping onto new lines (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins: QMargins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            width = min(hint.width(), max(area.width(), 1))
            if x > area.x() and x + width > area.right() + 1:
                x, y = area.x(), y + line_height + self._spacing
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class TagChip(QFrame):
    """One tag: its name and a × that removes it."""

    removeRequested = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName("tagChip")
        label = QLabel(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        remove = QToolButton()
        remove.setText("×")
        remove.setToolTip(f"Remove the tag “{name}”")
        remove.setAccessibleName(f"Remove tag {name}")
        remove.setCursor(Qt.CursorShape.PointingHandCursor)
        # Backspace in the field removes tags from the keyboard; a tab stop
        # per chip would make Tab crawl through every tag.
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        remove.clicked.connect(lambda: self.removeRequested.emit(self.name))
        row = QHBoxLayout(self)
        row.setContentsMargins(9, 1, 4, 1)
        row.setSpacing(2)
        row.addWidget(label)
        row.addWidget(remove)


class _TagField(QLineEdit):
    """The field at the end of the chips; Backspace when empty removes the last tag."""

    backspaceOnEmpty = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace and not self.text() and not self.hasSelectedText():
            self.backspaceOnEmpty.emit()
            return
        super().keyPressEvent(event)


class TagEditor(QWidget):
    """Chips for the tags of one paper, with completion from the library's tags."""

    tagsChanged = Signal(list)  # the complete new list of tags

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: list[str] = []
        self._known: list[str] = []
        self._chips: list[TagChip] = []
        self.setStyleSheet(_CHIP_STYLE)

        self.field = _TagField()
        self.field.setObjectName("tagField")
        self.field.setPlaceholderText("Add a tag…")
        self.field.setToolTip("Type a tag and press Enter or a comma; Backspace removes the last")
        self.field.setAccessibleName("Add a tag")
        self.field.setClearButtonEnabled(False)
        self.field.setMinimumWidth(120)
        self.field.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self._completion_model = QStringListModel(self)
        self.completer = QCompleter(self._completion_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(8)
        self.field.setCompleter(self.completer)

        self.field.returnPressed.connect(self._commit_field)
        self.field.textEdited.connect(self._on_text_edited)
        self.field.backspaceOnEmpty.connect(self._remove_last)
        self.completer.activated.connect(self._on_completion)

        self._flow = FlowLayout(self)
        self._flow.addWidget(self.field)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        # The frame of a field, drawn around chips and field together.
        self.setAutoFillBackground(False)
        self.setBackgroundRole(QPalette.ColorRole.Base)

    # -- public ---------------------------------------------------------------

    def tags(self) -> list[str]:
        """The tags shown, in order."""
        return list(self._tags)

    def set_tags(self, tags: Sequence[str]) -> None:
        """Show these tags (no signal); pending text in the field is dropped."""
        self.field.clear()
        self._show(normalise_tags(tags))

    def set_known_tags(self, names: Sequence[str]) -> None:
        """The library's tags, offered as completions."""
        self._known = list(names)
        self._update_completions()

    def add_tag(self, name: str) -> bool:
        """Add a tag as if typed; emits tagsChanged and returns True if the list changed."""
        return self._add([name])

    def remove_tag(self, name: str) -> bool:
        """Remove a tag (any case); emits tagsChanged and returns True if the list changed."""
        folded = name.casefold()
        remaining = [t for t in self._tags if t.casefold() != folded]
        if len(remaining) == len(self._tags):
            return False
        self._show(remaining)
        self.tagsChanged.emit(self.tags())
        return True

    # -- editing ---------------------------------------------------------------

    def _add(self, names: Iterable[str]) -> bool:
        # A tag the library knows keeps its spelling ("ML" typed, "ml" known).
        known = {k.casefold(): k for k in self._known}
        wanted = [known.get(n.strip().casefold(), n) for n in names]
        updated = normalise_tags([*self._tags, *wanted])
        if updated == self._tags:
            return False
        self._show(updated)
        self.tagsChanged.emit(self.tags())
        return True

    def _commit_field(self) -> None:
        popup = self.completer.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            # Enter on a highlighted completion: the completer adds that tag
            # right after this (see _on_completion), not the typed prefix.
            return
        text = self.field.text()
        self.field.clear()
        self._add(text.split(","))

    def _on_completion(self, text: str) -> None:
        # QLineEdit writes the completion into the field before this runs.
        self.field.clear()
        self._add([text])

    def _on_text_edited(self, text: str) -> None:
        if "," not in text:
            return
        *done, rest = text.split(",")
        self.field.setText(rest.lstrip())
        self._add(done)

    def _remove_last(self) -> None:
        if self._tags:
            self.remove_tag(self._tags[-1])

    # -- showing -----------------------------------------------------------------

    def _show(self, tags: list[str]) -> None:
        if tags == self._tags and len(self._chips) == len(tags):
            return
        self._tags = tags
        for chip in self._chips:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for position, name in enumerate(tags):
            chip = TagChip(name, self)
            chip.removeRequested.connect(self.remove_tag)
            self._flow.insertWidget(position, chip)
            chip.show()
            self._chips.append(chip)
        self._update_completions()
        self.updateGeometry()

    def _update_completions(self) -> None:
        have = {t.casefold() for t in self._tags}
        self._completion_model.setStringList([k for k in self._known if k.casefold() not in have])
