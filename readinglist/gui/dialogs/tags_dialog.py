"""A small dialog to add tags to, or remove tags from, the selected papers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


def split_tags(text: str) -> list[str]:
    """Tags typed as "a, b , c": trimmed, empty ones dropped, first spelling kept."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


class TagsDialog(QDialog):
    """Asks for tags, with completion from `known` tags."""

    def __init__(
        self,
        *,
        adding: bool,
        count: int,
        known: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.adding = adding
        papers = "1 paper" if count == 1 else f"{count} papers"
        self.setWindowTitle("Add tags" if adding else "Remove tags")
        prompt = QLabel(
            f"Tags to add to {papers}, separated by commas:"
            if adding
            else f"Tags to remove from {papers}, separated by commas:"
        )
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.field = QLineEdit()
        self.field.setPlaceholderText("e.g. to-read, transformers")
        completer = QCompleter(list(known), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Add" if adding else "Remove")
        ok.setEnabled(False)
        self.field.textChanged.connect(lambda text: ok.setEnabled(bool(split_tags(text))))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.field)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def tags(self) -> list[str]:
        return split_tags(self.field.text())
