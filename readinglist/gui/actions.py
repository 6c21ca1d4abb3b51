"""The window's actions, menus and shortcuts.

Keys that only make sense on the paper table (Space, Enter, Delete, j/k, t, s, l, x)
are handled by the table itself (see table_view.py); the menus show them
after a tab so people can discover them. The key strings match the list in
shortcuts_dialog.SHORTCUTS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack

if TYPE_CHECKING:
    from readinglist.gui.main_window import MainWindow


@dataclass(slots=True)
class Actions:
    """Every action of the window, built once and shared by the menus, toolbar and table."""

    import_files: QAction
    import_folder: QAction
    import_clipboard: QAction
    export: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    toggle_read: QAction
    mark_read: QAction
    mark_unread: QAction
    add_tags: QAction
    remove_tags: QAction
    delete: QAction
    focus_note: QAction
    edit_tags: QAction
    similar: QAction
    later: QAction
    dismiss: QAction
    reading: QAction
    back: QAction
    find: QAction
    save_search: QAction
    default_order: QAction
    sort_for_you: QAction
    sort_rising: QAction
    rebuild_index: QAction
    shortcuts: QAction
    about: QAction

    def selection_actions(self) -> list[QAction]:
        """The actions that need at least one selected paper."""
        return [
            self.toggle_read,
            self.mark_read,
            self.mark_unread,
            self.add_tags,
            self.remove_tags,
            self.delete,
            self.focus_note,
            self.edit_tags,
            self.similar,
            self.later,
            self.dismiss,
        ]


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    keys: tuple[str, ...] = (),
    *,
    hint: str = "",
) -> QAction:
    """An action; `keys` are live shortcuts, `hint` a key only shown in the menu."""
    action = QAction(f"{text}\t{hint}" if hint else text, window)
    if keys:
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def _undo_actions(window: MainWindow, stack: QUndoStack) -> tuple[QAction, QAction]:
    """Undo and redo that first save the note being typed, so it is part of the history."""
    undo = QAction("&Undo", window)
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    undo.triggered.connect(lambda _checked=False: window.undo())
    redo = QAction("&Redo", window)
    redo_keys = [QKeySequence("Ctrl+Shift+Z")]
    platform_redo = QKeySequence(QKeySequence.StandardKey.Redo)
    if not platform_redo.isEmpty() and platform_redo != redo_keys[0]:
        redo_keys.append(platform_redo)  # Ctrl+Y on Windows
    redo.setShortcuts(redo_keys)
    redo.triggered.connect(lambda _checked=False: window.redo())
    for action, can, text, verb in (
        (undo, stack.canUndo, stack.undoText, "Undo"),
        (redo, stack.canRedo, stack.redoText, "Redo"),
    ):
        action.setEnabled(can())
        action.setText(f"&{verb} {text()}".strip())
        window.addAction(action)
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".strip()))
    stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".strip()))
    return undo, redo


def _back_action(window: MainWindow) -> QAction:
    """Back to the previous view and query: Alt+Left, and the platform's own key."""
    action = _action(window, "&Back", window.go_back, ("Alt+Left",))
    platform = QKeySequence(QKeySequence.StandardKey.Back)
    if not platform.isEmpty() and platform != QKeySequence("Alt+Left"):
        action.setShortcuts([QKeySequence("Alt+Left"), platform])
    action.setEnabled(False)
    return action


def build_actions(window: MainWindow) -> Actions:
    """Create every action of the window, with its shortcuts."""
    undo, redo = _undo_actions(window, window.undo_stack)
    actions = Actions(
        import_files=_action(window, "&Import page dumps…", window.open_import_dialog, ("Ctrl+O",)),
        import_folder=_action(window, "Import a &folder…", window.open_import_folder_dialog),
        import_clipboard=_action(
            window, "Import from &clipboard", window.import_clipboard, ("Ctrl+Shift+V",)
        ),
        export=_action(window, "&Export notes…", window.open_export_dialog, ("Ctrl+E",)),
        quit=_action(window, "&Quit", window.close, ("Ctrl+Q",)),
        undo=undo,
        redo=redo,
        toggle_read=_action(window, "&Toggle read", window.toggle_read, hint="Space"),
        mark_read=_action(window, "Mark &read", lambda: window.mark_selected("read")),
        mark_unread=_action(window, "Mark &unread", lambda: window.mark_selected("unread")),
        add_tags=_action(window, "&Add tags…", lambda: window.edit_selected_tags(adding=True)),
        remove_tags=_action(
            window, "Re&move tags…", lambda: window.edit_selected_tags(adding=False)
        ),
        delete=_action(window, "&Delete", window.delete_selected, hint="Del"),
        focus_note=_action(window, "Write a &note", window.focus_note, hint="Enter"),
        edit_tags=_action(window, "Edit &tags", window.focus_tags, hint="T"),
        similar=_action(window, "S&imilar papers", window.focus_similar, hint="S"),
        later=_action(window, "&Later", lambda: window.triage_selected("later"), hint="L"),
        dismiss=_action(
            window, "&Not interested", lambda: window.triage_selected("dismissed"), hint="X"
        ),
        reading=_action(window, "&Reading at a glance…", window.show_reading, ("Ctrl+Shift+R",)),
        back=_back_action(window),
        find=_action(window, "&Search", window.focus_search, ("Ctrl+F", "Ctrl+L")),
        save_search=_action(window, "&Save this search…", window.save_search),
        default_order=_action(window, "Sort by &relevance / newest", window.reset_sort),
        sort_for_you=_action(
            window, "Sort &for you (what you read)", lambda: window.sort_by("for-you")
        ),
        sort_rising=_action(
            window, "Sort by r&ising (upvotes per day)", lambda: window.sort_by("rising")
        ),
        rebuild_index=_action(window, "Re&build the search index", window.rebuild_index),
        shortcuts=_action(window, "&Keyboard shortcuts", window.show_shortcuts, ("F1",)),
        about=_action(window, "&About readinglist", window.show_about),
    )
    # "/" and "?" are typed text in the search field and the note editor,
    # which take them first; elsewhere they act.
    for key, slot in (("/", window.focus_search), ("?", window.show_shortcuts)):
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)
    return actions


def build_menus(window: MainWindow, actions: Actions) -> None:
    """Fill the window's menu bar (File, Edit and the rest) with `actions`."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([actions.import_files, actions.import_folder, actions.import_clipboard])
    file_menu.addSeparator()
    file_menu.addAction(actions.export)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addActions([actions.undo, actions.redo])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.toggle_read, actions.mark_read, actions.mark_unread])
    edit_menu.addActions([actions.later, actions.dismiss])
    edit_menu.addSeparator()
    edit_menu.addActions(
        [actions.edit_tags, actions.add_tags, actions.remove_tags, actions.focus_note]
    )
    edit_menu.addSeparator()
    edit_menu.addAction(actions.delete)

    view_menu = bar.addMenu("&View")
    view_menu.addActions([actions.back, actions.similar])
    view_menu.addSeparator()
    view_menu.addActions([actions.find, actions.save_search])
    view_menu.addActions([actions.default_order, actions.sort_for_you, actions.sort_rising])
    view_menu.addSeparator()
    view_menu.addAction(actions.reading)
    view_menu.addSeparator()
    view_menu.addAction(actions.rebuild_index)

    help_menu = bar.addMenu("&Help")
    help_menu.addActions([actions.shortcuts, actions.about])


def table_context_actions(actions: Actions) -> list[QAction]:
    """What a right click on the table offers."""
    return [
        actions.toggle_read,
        actions.mark_read,
        actions.mark_unread,
        actions.later,
        actions.dismiss,
        actions.add_tags,
        actions.remove_tags,
        actions.export,
        actions.delete,
    ]
