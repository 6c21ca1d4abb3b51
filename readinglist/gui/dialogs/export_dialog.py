"""Export dialog (where, how, which papers) and the export result.

The dialog only gathers an `ExportChoice`; the main window turns it into
papers and runs the core's export on the worker. Mistakes (no folder, a
file name that is a path) are said inside the dialog, next to the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readinglist.export.filenames import plain_name_problem
from readinglist.export.vault import EDITED_REASON, UNRECORDED_REASON, ExportReport
from readinglist.gui import text
from readinglist.gui.modeless import headline_label, open_without_blocking

Which = Literal["selection", "view", "notes", "all"]

DEFAULT_SINGLE_FILE = "reading-notes.md"

# The core's reason names the CLI's flag; the dialog names its checkbox.
_GUI_REASONS = {
    EDITED_REASON: (
        "edited in the vault since the last export; tick “Overwrite files edited "
        "in the vault” to replace it"
    ),
    UNRECORDED_REASON: (
        "holds this paper but is not in the export record and differs from what "
        "readinglist would write now, so it may hold your edits; tick “Overwrite "
        "files edited in the vault” to replace it"
    ),
}


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the reader chose in the export dialog."""

    folder: Path
    single_file: str | None  # a plain file name for one combined file; None: a file per paper
    which: Which
    force: bool


class ExportDialog(QDialog):
    """Target folder, one file or many, which papers, and whether to overwrite vault edits."""

    def __init__(
        self,
        *,
        last_folder: str,
        has_selection: bool,
        view_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export notes")
        self.setMinimumWidth(520)

        intro = QLabel(
            "Notes are written as Markdown files for a notes vault (Obsidian, Logseq, a git "
            "folder). Exporting again updates the files and keeps what you added below "
            "each note."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        # Where
        self.folder_edit = QLineEdit(last_folder)
        self.folder_edit.setPlaceholderText("Choose a folder…")
        self.folder_edit.setAccessibleName("Export folder")
        self.folder_edit.textChanged.connect(self._clear_error)
        self.browse_button = QPushButton("Choose…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.setSpacing(6)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        # How
        self.per_paper_radio = QRadioButton("One file per paper")
        self.single_radio = QRadioButton("One file for all:")
        self.per_paper_radio.setChecked(True)
        self.file_name_edit = QLineEdit(DEFAULT_SINGLE_FILE)
        self.file_name_edit.setAccessibleName("File name")
        self.file_name_edit.textChanged.connect(self._clear_error)
        self._layout_group = QButtonGroup(self)
        self._layout_group.addButton(self.per_paper_radio)
        self._layout_group.addButton(self.single_radio)
        self.single_radio.toggled.connect(self._update_enabled)
        single_row = QHBoxLayout()
        single_row.setSpacing(6)
        single_row.addWidget(self.single_radio)
        single_row.addWidget(self.file_name_edit, 1)
        how = QVBoxLayout()
        how.setSpacing(4)
        how.addWidget(self.per_paper_radio)
        how.addLayout(single_row)

        # Which papers
        self.which_radios: dict[Which, QRadioButton] = {
            "selection": QRadioButton("Selected papers"),
            "view": QRadioButton(f"Papers in the current view ({view_name})"),
            "notes": QRadioButton("Papers with notes"),
            "all": QRadioButton("All papers"),
        }
        self._which_group = QButtonGroup(self)
        which = QVBoxLayout()
        which.setSpacing(4)
        for radio in self.which_radios.values():
            self._which_group.addButton(radio)
            which.addWidget(radio)
        self.which_radios["selection"].setEnabled(has_selection)
        if not has_selection:
            self.which_radios["selection"].setToolTip("Select papers in the list first")
        self.which_radios["notes"].setChecked(True)

        # Overwrite
        self.force_check = QCheckBox("Overwrite files edited in the vault")
        self.force_warning = QLabel(
            "Changes you made in the vault to the notes part of those files will be "
            "replaced. Text you added below a note is kept."
        )
        self.force_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.force_warning.setWordWrap(True)
        self.force_hint = QLabel(
            "Off: files you edited in the vault are skipped and listed afterwards."
        )
        self.force_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.force_hint.setWordWrap(True)
        self.force_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        warning_icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        warning_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        warning_icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._force_warning_row = QWidget()
        warning_row = QHBoxLayout(self._force_warning_row)
        warning_row.setContentsMargins(0, 0, 0, 0)
        warning_row.setSpacing(6)
        warning_row.addWidget(warning_icon)
        warning_row.addWidget(self.force_warning, 1)
        self.force_check.toggled.connect(self._update_enabled)
        force = QVBoxLayout()
        force.setSpacing(4)
        force.addWidget(self.force_check)
        force.addWidget(self.force_hint)
        force.addWidget(self._force_warning_row)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(14)
        form.setHorizontalSpacing(12)
        form.addRow(_form_label("Folder:"), folder_row)
        form.addRow(_form_label("Files:"), how)
        form.addRow(_form_label("Papers:"), which)
        form.addRow(_form_label("Vault edits:"), force)

        # Inline error
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        bold = self.error_label.font()
        bold.setWeight(QFont.Weight.DemiBold)
        self.error_label.setFont(bold)
        error_icon = QLabel()
        error_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        self._error_row = QWidget()
        error_row = QHBoxLayout(self._error_row)
        error_row.setContentsMargins(0, 0, 0, 0)
        error_row.setSpacing(6)
        error_row.addWidget(error_icon)
        error_row.addWidget(self.error_label, 1)
        # Its line is kept while hidden: a message coming and going must not
        # squeeze the form above it or move the buttons.
        policy = self._error_row.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self._error_row.setSizePolicy(policy)
        self._error_row.setMinimumHeight(self.error_label.fontMetrics().height() * 2 + 4)
        self._error_row.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("Export")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(14)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self._error_row)
        layout.addWidget(self.buttons)
        self._update_enabled()

    # -- the choice -------------------------------------------------------------

    def which(self) -> Which:
        for key, radio in self.which_radios.items():
            if radio.isChecked():
                return key
        return "notes"

    def single_file_name(self) -> str | None:
        """The combined file's name (".md" added when it has no suffix), or None."""
        if not self.single_radio.isChecked():
            return None
        name = self.file_name_edit.text().strip()
        if name and not Path(name).suffix:
            name += ".md"
        return name

    def choice(self) -> ExportChoice:
        """The reader's choice (call after the dialog was accepted)."""
        return ExportChoice(
            folder=Path(self.folder_edit.text().strip()).expanduser(),
            single_file=self.single_file_name(),
            which=self.which(),
            force=self.force_check.isChecked(),
        )

    def validation_error(self) -> str | None:
        """Why the dialog cannot be accepted as filled in, or None."""
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            return "Choose a folder to export to."
        folder = Path(folder_text).expanduser()
        if not folder.is_absolute():
            return "Give the folder's full path, or use Choose… to pick it."
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder."
        if self.single_radio.isChecked():
            name = self.single_file_name() or ""
            problem = plain_name_problem(name)
            if problem:
                return f"Cannot use that file name: {problem}."
        return None

    def accept(self) -> None:
        """Accept only a complete choice; otherwise say what is missing."""
        error = self.validation_error()
        if error:
            self.error_label.setText(error)
            self._error_row.show()
            field = self.folder_edit if "folder" in error.lower() else self.file_name_edit
            field.setFocus()
            field.selectAll()
            return
        super().accept()

    # -- reactions -------------------------------------------------------------------

    def _browse(self) -> None:
        start = self.folder_edit.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Export notes to", start)
        if chosen:
            self.folder_edit.setText(chosen)

    def _update_enabled(self) -> None:
        self.file_name_edit.setEnabled(self.single_radio.isChecked())
        forced = self.force_check.isChecked()
        self._force_warning_row.setVisible(forced)
        self.force_hint.setVisible(not forced)
        self._clear_error()

    def _clear_error(self) -> None:
        self._error_row.hide()


def _form_label(caption: str) -> QLabel:
    label = QLabel(caption)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


# -- the result ---------------------------------------------------------------------


def result_headline(report: ExportReport) -> str:
    """One sentence: "Exported 12 notes: 10 new files, 2 updated; 1 skipped"."""
    written, updated = len(report.written), len(report.updated)
    unchanged, skipped = len(report.unchanged), len(report.skipped)
    if written or updated:
        parts = []
        if written:
            parts.append(text.count_text(written, "new file"))
        if updated:
            parts.append(f"{updated} updated")
        sentence = "Exported: " + ", ".join(parts)
    elif unchanged:
        sentence = "Nothing to change: the files are up to date"
    elif skipped:
        sentence = "Nothing was exported"
    else:
        sentence = "Nothing to export: no papers matched"
    if skipped:
        sentence += f"; {text.count_text(skipped, 'file')} skipped"
    return sentence


def gui_reason(reason: str) -> str:
    """A skip reason as the dialog words it."""
    return _GUI_REASONS.get(reason, reason)


class ExportResultDialog(QDialog):
    """Files written, updated, unchanged and skipped (with reasons), and where."""

    def __init__(
        self, report: ExportReport, parent: QWidget | None = None, folder: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.folder = folder or _folder_of(report)
        self.setWindowTitle("Export finished")
        self.resize(720, 440)
        # Replaced in tests; opens the file manager otherwise.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        self.headline = headline_label(result_headline(report))
        self.folder_label = QLabel()
        self.folder_label.setTextFormat(Qt.TextFormat.RichText)
        self.folder_label.setWordWrap(True)
        self.folder_label.setOpenExternalLinks(False)
        self.folder_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.folder_label.linkActivated.connect(lambda _href: self.open_folder())
        if self.folder is not None:
            self.folder_label.setText(f'In <a href="#folder">{text.escape(str(self.folder))}</a>')
            self.folder_label.setToolTip("Open the folder")
        self.folder_label.setVisible(self.folder is not None)

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        groups = [
            ("Skipped", [(p, gui_reason(r)) for p, r in report.skipped], True),
            ("New files", [(p, "") for p in report.written], len(report.written) <= 20),
            ("Updated", [(p, "") for p in report.updated], len(report.updated) <= 20),
            ("Already up to date", [(p, "") for p in report.unchanged], False),
        ]
        bold = self.tree.font()
        bold.setWeight(QFont.Weight.DemiBold)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for caption, rows, expanded in groups:
            if not rows:
                continue
            group = QTreeWidgetItem([f"{caption} ({len(rows)})"])
            group.setFont(0, bold)
            if caption == "Skipped":
                group.setIcon(0, warning)
            self.tree.addTopLevelItem(group)
            for path, reason in rows:
                child = QTreeWidgetItem([Path(path).name])
                child.setToolTip(0, str(path))
                group.addChild(child)
                if reason:
                    # The reason on its own line: it is long, and it is the point.
                    why = QTreeWidgetItem([reason])
                    why.setForeground(0, muted)
                    why.setToolTip(0, reason)
                    child.addChild(why)
                    child.setExpanded(True)
            group.setExpanded(expanded)

        self.open_button = QPushButton("Open folder")
        self.open_button.setAutoDefault(False)
        self.open_button.setEnabled(self.folder is not None)
        self.open_button.clicked.connect(self.open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def open_folder(self) -> None:
        """Show the export folder in the file manager."""
        if self.folder is not None:
            self.open_url(QUrl.fromLocalFile(str(self.folder)))

    def counts(self) -> dict[str, int]:
        """How many files each group holds (what the dialog shows)."""
        return {
            "written": len(self.report.written),
            "updated": len(self.report.updated),
            "unchanged": len(self.report.unchanged),
            "skipped": len(self.report.skipped),
        }


def _folder_of(report: ExportReport) -> Path | None:
    for paths in (report.written, report.updated, report.unchanged):
        if paths:
            return Path(paths[0]).parent
    if report.skipped:
        return Path(report.skipped[0][0]).parent
    return None


def show_export_result(
    parent: QWidget | None, report: ExportReport, folder: Path | None = None
) -> None:
    """Show what an export did and where, without blocking (window-modal over `parent`)."""
    open_without_blocking(ExportResultDialog(report, parent, folder), parent)
