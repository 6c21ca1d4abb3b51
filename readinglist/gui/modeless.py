"""Opening result dialogs without blocking the caller."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

# Dialogs without a parent are kept alive here until they close.
_OPEN: set[QDialog] = set()


def open_without_blocking(dialog: QDialog, parent: QWidget | None) -> None:
    """Show `dialog` window-modal over `parent` (or alone) and free it when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _OPEN.add(dialog)
        dialog.finished.connect(lambda _result: _OPEN.discard(dialog))
    dialog.open()
