"""The shortcuts list: data the frame binds, and the dialog showing it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from readinglist.gui.dialogs.shortcuts_dialog import (
    SHORTCUTS,
    ShortcutsDialog,
    key_text,
    show_shortcuts,
)

ISSUE_KEYS = {
    "Ctrl+F", "Ctrl+L", "/", "J", "K", "Up", "Down", "Space", "Return", "Ctrl+E", "Ctrl+O",
    "Ctrl+Shift+V", "Delete", "Ctrl+Z", "Ctrl+Shift+Z", "F1", "?",
}  # fmt: skip


def test_every_key_of_the_issue_is_listed_and_parses() -> None:
    keys = {key for entry_keys, _ in SHORTCUTS for key in entry_keys}
    assert keys >= ISSUE_KEYS
    for entry_keys, description in SHORTCUTS:
        assert description
        for key in entry_keys:
            assert QKeySequence(key).count() == 1, key


def test_the_dialog_shows_each_shortcut(qtbot) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    shown = {label.text() for label in dialog.findChildren(QLabel)}
    for keys, description in SHORTCUTS:
        assert description in shown
        for key in keys:
            assert key_text(key) in shown
    assert key_text("Return") == "Enter"


def test_show_shortcuts_does_not_block(qtbot) -> None:
    dialog = show_shortcuts(None)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    dialog.close()
