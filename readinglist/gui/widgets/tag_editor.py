"""A tag editor: the paper's tags as chips, and a field to add more.

Keyboard first: type a tag and press Enter or a comma (completion offers the
library's tags), Backspace in the empty field removes the last tag, Escape
leaves. Each chip has a small × for the mouse. Every change emits the
complete new list.

The completer is attached to the field with `QCompleter.setWidget`, not
`QLineEdit.setCompleter`: a line edit reconnects the completer to its own
`setText` on every focus-in, after any slot of ours, so accepting a
completion and clearing the field were two steps and the completion came
back into the field after it was cleared. Here the popup's keys and clicks
are handled in one place, and accepting a tag clears the field in the same
step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QEvent,
    QMargins,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
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
    escapePressed = Signal()
    downPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Backspace and not self.text() and not self.hasSelectedText():
            self.backspaceOnEmpty.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.escapePressed.emit()
            return
        if key == Qt.Key.Key_Down:
            self.downPressed.emit()
            return
        super().keyPressEvent(event)


_ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


class TagEditor(QWidget):
    """Chips for the tags of one paper, with completion from the library's tags."""

    tagsChanged = Signal(list)  # the complete new list of tags
    leaveRequested = Signal()  # Escape in the field (with no suggestions open)

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
        self.completer.setWidget(self.field)
        # The completer filters its popup's events; a filter installed later
        # runs first, so the popup's Enter and outside clicks are ours.
        self._popup().installEventFilter(self)

        self.field.returnPressed.connect(self._commit_field)
        self.field.textEdited.connect(self._on_text_edited)
        self.field.backspaceOnEmpty.connect(self._remove_last)
        self.field.escapePressed.connect(self.leaveRequested)
        self.field.downPressed.connect(self.show_completions)
        # A click on a suggestion (the keyboard's Enter is handled in eventFilter).
        # PySide6's stubs give SignalInstance no __getitem__, which picks an overload
        # of a signal (here the text one, not the QModelIndex one) at run time.
        self.completer.activated[str].connect(self._accept_completion)  # type: ignore[index]

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

    def show_completions(self) -> None:
        """Open the suggestions for what is typed (all tags when nothing is)."""
        self.completer.setCompletionPrefix(self.field.text().strip())
        if self._completion_model.rowCount():
            self.completer.complete()

    def _commit_field(self) -> None:
        text = self.field.text()
        self.field.clear()
        self._hide_popup()
        self._add(text.split(","))

    def _accept_completion(self, text: str) -> None:
        """A suggestion was chosen: the field empties and the tag is added, in one step."""
        self._hide_popup()
        self.field.clear()
        self._add([text])

    def _on_text_edited(self, text: str) -> None:
        if "," in text:
            *done, rest = text.split(",")
            text = rest.lstrip()
            self.field.setText(text)
            self._add(done)
        self._suggest(text)

    def _suggest(self, text: str) -> None:
        if not text.strip():
            self._hide_popup()
            return
        self.completer.setCompletionPrefix(text.strip())
        if self.completer.completionCount():
            self.completer.complete()
        else:
            self._hide_popup()

    def _popup(self) -> QAbstractItemView:
        """The completer's list of suggestions."""
        popup = self.completer.popup()
        # In popup completion mode (set once, in __init__) Qt makes it when first asked.
        assert popup is not None, "a popup-mode QCompleter without its popup"
        return popup

    def _hide_popup(self) -> None:
        self._popup().hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self._popup()
        if watched is popup and popup.isVisible():
            kind = event.type()
            if kind == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                return self._popup_key(event)
            if kind == QEvent.Type.MouseButtonPress:
                assert isinstance(event, QMouseEvent)
                return self._popup_press(event)
        return super().eventFilter(watched, event)

    def _popup_key(self, event: QKeyEvent) -> bool:
        """Enter (or Tab) in the open suggestions; False lets the completer handle the key."""
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() not in _ACCEPT_KEYS or not plain:
            return False
        current: QModelIndex = self._popup().currentIndex()
        if current.isValid():
            self._accept_completion(str(current.data(Qt.ItemDataRole.DisplayRole)))
            return True
        if event.key() == Qt.Key.Key_Tab:
            self._hide_popup()
            return False
        self._commit_field()  # Enter with nothing highlighted: the typed text
        return True

    def _popup_press(self, event: QMouseEvent) -> bool:
        """A press outside the open suggestions closes them and still reaches its target.

        Qt's popups swallow the press that closes them; a click on the
        paper table must select the row it lands on, not only close this.
        """
        popup = self._popup()
        point = event.globalPosition().toPoint()
        if popup.rect().contains(popup.mapFromGlobal(point)):
            return False
        popup.hide()
        target = QApplication.widgetAt(point)
        if target is not None and target is not popup and target.window() is self.window():
            replay = QMouseEvent(
                QEvent.Type.MouseButtonPress,
                target.mapFromGlobal(event.globalPosition()),
                event.globalPosition(),
                event.button(),
                event.buttons(),
                event.modifiers(),
            )
            _give_click_focus(target)
            QApplication.sendEvent(target, replay)
        return True

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


def _give_click_focus(widget: QWidget) -> None:
    """Focus as a real click would: the first widget up the chain that takes click focus.

    Qt gives focus only for presses that come from the window system, not
    for a replayed one.
    """
    walk: QWidget | None = widget
    while walk is not None:
        if walk.isEnabled() and walk.focusPolicy() & Qt.FocusPolicy.ClickFocus:
            walk.setFocus(Qt.FocusReason.MouseFocusReason)
            return
        if walk.isWindow():
            return
        walk = walk.parentWidget()
