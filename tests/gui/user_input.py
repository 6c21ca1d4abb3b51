"""Keys and clicks as a person makes them: through the window, in a row, without waiting.

`QTest.keyClick(widget, ...)` hands an event straight to one widget, past
what Qt does with a real key: routing it to an open popup (the tag
suggestions), to the focus widget, through shortcuts. These helpers send
to the window's QWindow instead, the way the window system does, and send
every step back to back, the way a fast typist does: no event loop runs
between them beyond what Qt itself runs while delivering each one.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

Step = str | Qt.Key | tuple[Qt.Key, Qt.KeyboardModifier]


def press(window: QWidget, *steps: Step) -> None:
    """Type `steps` into `window` back to back: text, keys, or (key, modifiers)."""
    handle = window.windowHandle()
    assert handle is not None, "the window must be shown"
    for step in steps:
        if isinstance(step, str):
            for char in step:
                if char == "\n":
                    QTest.keyClick(handle, Qt.Key.Key_Return)
                else:
                    QTest.keyClick(handle, char)  # the character itself is the text
        elif isinstance(step, tuple):
            QTest.keyClick(handle, step[0], step[1])
        else:
            QTest.keyClick(handle, step)


def click(window: QWidget, widget: QWidget, point: QPoint | None = None) -> None:
    """A left click on `widget` (at `point` in its coordinates) delivered through the window."""
    handle = window.windowHandle()
    assert handle is not None, "the window must be shown"
    where = widget.mapTo(window, point if point is not None else widget.rect().center())
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def show_in_table(qtbot, window, paper_id: int) -> None:
    """Show a paper in the detail pane with the keyboard in the table, as after a click."""
    window.show_paper_id(paper_id)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper_id)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
