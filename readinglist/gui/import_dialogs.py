"""Import preview (before anything is written) and import summary (after).

The preview shows, file by file, what each paper would do: be added, fill in
metadata a known paper lacks, or nothing (already in the library). The
reader unticks what they do not want; on Import the ticks are written back
into the plan's `PlannedPaper.include` flags and the main window runs it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readinglist.gui import text
from readinglist.gui.modeless import headline_label, open_without_blocking
from readinglist.importer import FileOutcome, ImportPlan, ImportReport, PlannedFile, PlannedPaper

# What a merge fills in, in the words of the table's columns.
_GAIN_WORDS = {
    "authors": "byline",
    "organisation": "byline",
    "published": "date",
    "published_text": "date",
    "year_inferred": "date",
    "upvotes": "upvotes",
}

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "new" | "merge" | "unchanged" | "repeat" | "file"
_PLANNED_ROLE = Qt.ItemDataRole.UserRole + 2  # (file index, paper index) of a paper row

# Above this many papers the files start collapsed: a folder of dumps should
# open as a readable list of files, not a wall of titles.
_EXPAND_LIMIT = 400


def gains_text(gains: tuple[str, ...]) -> str:
    """ "byline, date, upvotes": the fields a merge fills, in reading order."""
    words = dict.fromkeys(_GAIN_WORDS.get(g, g) for g in gains)
    return ", ".join(words)


def badge(paper: PlannedPaper) -> tuple[str, str]:
    """(kind, text) of a planned paper's badge.

    A `known_id` below zero is a paper new in this same import (seen in an
    earlier file or earlier in this file), not one already in the library.
    """
    repeat = paper.known_id is not None and paper.known_id < 0
    if paper.action == "new":
        return "new", "New"
    if paper.action == "merge":
        gained = gains_text(paper.gains)
        if repeat:
            return "repeat", f"Repeated here · adds {gained}"
        return "merge", f"Gains: {gained}"
    if repeat:
        return "repeat", "Repeated in this import"
    return "unchanged", "Already in library"


class BadgeDelegate(QStyledItemDelegate):
    """Draws the status column as small rounded badges, in palette colours."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        kind = index.data(KIND_ROLE)
        label = index.data(Qt.ItemDataRole.DisplayRole)
        if kind not in ("new", "merge") or not label:
            super().paint(painter, option, index)
            return
        # Selection background first, as the rest of the row has it.
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        palette = option.palette
        share = 0.28 if kind == "new" else 0.12
        fill = _blend(
            palette.color(QPalette.ColorRole.Base),
            palette.color(QPalette.ColorRole.Highlight),
            share,
        )
        metrics = option.fontMetrics
        width = min(metrics.horizontalAdvance(label) + 14, option.rect.width() - 4)
        height = metrics.height() + 2
        rect = QRect(option.rect.x() + 4, option.rect.center().y() - height // 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, width - 12)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 18, size.height() + 4)


def _blend(base: QColor, accent: QColor, share: float) -> QColor:
    return QColor(
        round(base.red() + (accent.red() - base.red()) * share),
        round(base.green() + (accent.green() - base.green()) * share),
        round(base.blue() + (accent.blue() - base.blue()) * share),
    )


def _file_label(planned: PlannedFile) -> str:
    return planned.path.name or planned.display_name


class ImportPreviewDialog(QDialog):
    """What an import would do, paper by paper, with ticks to leave papers out."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._syncing = False
        self.setWindowTitle("Import papers")
        self.resize(820, 600)

        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(QFont.Weight.DemiBold)
        self.headline.setFont(font)
        hint = QLabel(
            "Nothing is written until you press Import. Untick papers you do not want; "
            "papers already in your library keep your status, notes and tags."
        )
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Paper", "In your library"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setItemDelegateForColumn(1, BadgeDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 230)

        self.totals = QLabel()
        self.totals.setTextFormat(Qt.TextFormat.PlainText)
        self.totals.setWordWrap(True)
        font = self.totals.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.totals.setFont(font)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.select_all_button = QPushButton("Select all")
        self.select_none_button = QPushButton("Select none")
        for button in (self.select_all_button, self.select_none_button):
            button.setAutoDefault(False)
        self.select_all_button.clicked.connect(lambda: self.set_all_checked(True))
        self.select_none_button.clicked.connect(lambda: self.set_all_checked(False))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.select_all_button)
        bottom.addWidget(self.select_none_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(self.headline)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.details)
        layout.addLayout(bottom)

        self._file_items: list[QTreeWidgetItem] = []
        self._fill()
        self.tree.itemChanged.connect(self._on_item_changed)
        self._update_totals()
        self.tree.setFocus()

    # -- building -------------------------------------------------------------

    def _fill(self) -> None:
        papers = sum(len(f.papers) for f in self.plan.files)
        expand = papers <= _EXPAND_LIMIT or len(self.plan.files) == 1
        bold = self.tree.font()
        bold.setWeight(QFont.Weight.DemiBold)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for file_index, planned in enumerate(self.plan.files):
            item = QTreeWidgetItem([_file_label(planned), ""])
            item.setData(0, KIND_ROLE, "file")
            item.setToolTip(0, planned.display_name)
            item.setFont(0, bold)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(item)
            self._file_items.append(item)
            if planned.error or not planned.papers:
                reason = planned.error or "no papers found in it"
                item.setIcon(0, warning)
                item.setText(1, "Cannot be imported")
                reason_item = QTreeWidgetItem([reason])
                reason_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                reason_item.setToolTip(0, reason)
                item.addChild(reason_item)
                reason_item.setFirstColumnSpanned(True)
                item.setExpanded(True)
                continue
            checkable = False
            for paper_index, planned_paper in enumerate(planned.papers):
                child = self._paper_item(planned_paper, file_index, paper_index)
                item.addChild(child)
                checkable = checkable or bool(child.flags() & Qt.ItemFlag.ItemIsUserCheckable)
            if checkable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked)
            item.setExpanded(expand)
            self._sync_file_item(item)

    def _paper_item(
        self, planned: PlannedPaper, file_index: int, paper_index: int
    ) -> QTreeWidgetItem:
        kind, label = badge(planned)
        paper = planned.paper
        item = QTreeWidgetItem([paper.title, label])
        item.setData(0, _PLANNED_ROLE, (file_index, paper_index))
        item.setData(1, KIND_ROLE, kind)
        item.setData(0, KIND_ROLE, kind)
        meta = _parsed_meta(planned)
        item.setToolTip(0, f"{paper.title}\n{meta}" if meta else paper.title)
        item.setToolTip(1, label)
        if planned.action == "unchanged":
            # Nothing would change: a greyed, unticked box keeps the titles
            # aligned. The plan still records that the file held the paper.
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setData(0, Qt.ItemDataRole.CheckStateRole, Qt.CheckState.Unchecked)
        else:
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(
                0, Qt.CheckState.Checked if planned.include else Qt.CheckState.Unchecked
            )
        return item

    # -- ticks -------------------------------------------------------------------

    def _paper_items(self) -> list[QTreeWidgetItem]:
        """Every tickable paper row."""
        rows = []
        for file_item in self._file_items:
            for i in range(file_item.childCount()):
                child = file_item.child(i)
                if child.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    rows.append(child)
        return rows

    def set_all_checked(self, checked: bool) -> None:
        """Tick (True) or untick every paper that can be imported."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self._syncing = True
        try:
            for row in self._paper_items():
                row.setCheckState(0, state)
            for file_item in self._file_items:
                self._sync_file_item(file_item)
        finally:
            self._syncing = False
        self._update_totals()

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._syncing or column != 0:
            return
        self._syncing = True
        try:
            if item.data(0, KIND_ROLE) == "file":
                state = item.checkState(0)
                if state != Qt.CheckState.PartiallyChecked:
                    for i in range(item.childCount()):
                        child = item.child(i)
                        if child.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                            child.setCheckState(0, state)
                self._sync_file_item(item)
            elif item.parent() is not None:
                self._sync_file_item(item.parent())
        finally:
            self._syncing = False
        self._update_totals()

    def _sync_file_item(self, file_item: QTreeWidgetItem) -> None:
        """The file's box: ticked, unticked or partly, from its papers."""
        if not file_item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        states = {
            file_item.child(i).checkState(0)
            for i in range(file_item.childCount())
            if file_item.child(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
        }
        if states == {Qt.CheckState.Checked}:
            state = Qt.CheckState.Checked
        elif states <= {Qt.CheckState.Unchecked}:
            state = Qt.CheckState.Unchecked
        else:
            state = Qt.CheckState.PartiallyChecked
        syncing, self._syncing = self._syncing, True
        try:
            file_item.setCheckState(0, state)
        finally:
            self._syncing = syncing
        planned = self.plan.files[self._file_items.index(file_item)]
        file_item.setText(1, _file_summary(planned, self._ticked_in(file_item)))

    def _ticked_in(self, file_item: QTreeWidgetItem) -> set[int]:
        ticked = set()
        for i in range(file_item.childCount()):
            child = file_item.child(i)
            if child.data(0, _PLANNED_ROLE) is None:
                continue
            checkable = bool(child.flags() & Qt.ItemFlag.ItemIsUserCheckable)
            if not checkable or child.checkState(0) == Qt.CheckState.Checked:
                ticked.add(i)
        return ticked

    def _included(self) -> list[tuple[PlannedPaper, bool]]:
        """Every planned paper with whether it would be imported as ticked now."""
        out = []
        for file_item, planned in zip(self._file_items, self.plan.files, strict=True):
            ticked = self._ticked_in(file_item)
            out += [(p, i in ticked) for i, p in enumerate(planned.papers)]
        return out

    # -- totals ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """What Import would do now: new papers, library papers updated, left as they are."""
        new = sum(1 for p, on in self._included() if on and p.action == "new")
        updated = {
            p.known_id
            for p, on in self._included()
            if on and p.action == "merge" and p.known_id is not None and p.known_id > 0
        }
        already = {
            p.known_id
            for p, _on in self._included()
            if p.action == "unchanged" and p.known_id is not None and p.known_id > 0
        }
        failed = sum(1 for f in self.plan.files if f.error or not f.papers)
        return {"new": new, "updated": len(updated), "unchanged": len(already), "failed": failed}

    def _update_totals(self) -> None:
        counts = self.counts()
        papers = sum(len(f.papers) for f in self.plan.files)
        files = len(self.plan.files)
        self.headline.setText(
            f"{text.count_text(papers, 'paper')} found in {text.count_text(files, 'file')}"
        )
        new, updated = counts["new"], counts["updated"]
        if new or updated:
            parts = []
            if new:
                parts.append(f"{new} new")
            if updated:
                parts.append(f"{updated} updated")
            noun = "paper" if new + updated == 1 else "papers"
            self.totals.setText(f"Import {' and '.join(parts)} {noun}")
        elif papers:
            self.totals.setText("Nothing selected to import")
        else:
            self.totals.setText("Nothing to import")
        details = []
        if counts["unchanged"]:
            details.append(
                f"{text.count_text(counts['unchanged'], 'paper')} already in your library "
                "will stay as they are."
            )
        if counts["failed"]:
            names = [_file_label(f) for f in self.plan.files if f.error or not f.papers]
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            details.append(
                f"{text.count_text(counts['failed'], 'file')} cannot be imported: {shown}."
            )
        self.details.setText(" ".join(details))
        self.details.setVisible(bool(details))
        self.import_button.setEnabled(bool(new or updated))

    # -- closing -----------------------------------------------------------------------

    def accept(self) -> None:
        """Write the ticks into the plan, then close."""
        self.apply_ticks()
        super().accept()

    def apply_ticks(self) -> None:
        """Set each PlannedPaper.include from its row's tick."""
        for planned, on in self._included():
            planned.include = on


def _file_summary(planned: PlannedFile, ticked: set[int]) -> str:
    new = sum(1 for i, p in enumerate(planned.papers) if i in ticked and p.action == "new")
    merge = sum(1 for i, p in enumerate(planned.papers) if i in ticked and p.action == "merge")
    parts = [text.count_text(len(planned.papers), "paper")]
    if new:
        parts.append(f"{new} new")
    if merge:
        parts.append(f"{merge} updated")
    return " · ".join(parts)


def _parsed_meta(planned: PlannedPaper) -> str:
    paper = planned.paper
    byline = paper.organisation or (
        text.count_text(paper.authors, "author") if paper.authors is not None else ""
    )
    parts = [byline, text.date_text(paper.published), text.upvotes_text(paper.upvotes)]
    return text.SEPARATOR.join(p for p in parts if p)


# -- the summary ---------------------------------------------------------------------


def summary_headline(report: ImportReport) -> str:
    """One sentence: "Imported 57 new papers, updated 3; 1 file failed"."""
    added, merged, failed = report.added, report.merged, len(report.failed)
    if added or merged:
        parts = []
        if added:
            parts.append(f"Imported {text.count_text(added, 'new paper')}")
        if merged:
            parts.append(
                f"updated {merged}" if added else f"Updated {text.count_text(merged, 'paper')}"
            )
        sentence = ", ".join(parts)
    elif report.unchanged:
        sentence = "Nothing new: every paper was already in your library"
    else:
        sentence = "Nothing was imported"
    if failed:
        sentence += f"; {text.count_text(failed, 'file')} failed"
    if report.cancelled:
        sentence = "Import cancelled. " + sentence
    return sentence


class ImportSummaryDialog(QDialog):
    """What an import did, file by file, with each failed file's reason."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("Import finished")
        self.setMinimumWidth(560)

        self.headline = headline_label(summary_headline(report))

        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels(["File", "New", "Updated", "Already there"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for outcome in report.files:
            row = _outcome_row(outcome, warning)
            self.table.addTopLevelItem(row)
            # A failed file's reason takes the whole row: it is what matters.
            row.setFirstColumnSpanned(bool(outcome.error))
        self._fit_table()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _fit_table(self) -> None:
        """As tall as its rows (up to a limit), so a one-file import is a small dialog."""
        rows = max(self.table.topLevelItemCount(), 1)
        row_height = self.table.sizeHintForRow(0) if self.table.topLevelItemCount() else 20
        header = self.table.header().sizeHint().height()
        wanted = header + rows * row_height + 2 * self.table.frameWidth() + 4
        self.table.setMinimumHeight(min(wanted, 360))
        self.table.setMaximumHeight(max(wanted, 360) if rows > 16 else wanted)


def _outcome_name(outcome: FileOutcome) -> str:
    return Path(outcome.path).name or outcome.path


def _outcome_row(outcome: FileOutcome, warning: QIcon) -> QTreeWidgetItem:
    if outcome.error:
        row = QTreeWidgetItem([f"{_outcome_name(outcome)}: not imported, {outcome.error}"])
        row.setIcon(0, warning)
        row.setToolTip(0, f"{outcome.path}\n{outcome.error}")
        return row
    row = QTreeWidgetItem(
        [_outcome_name(outcome), str(outcome.added), str(outcome.merged), str(outcome.unchanged)]
    )
    row.setToolTip(0, outcome.path)
    for column in (1, 2, 3):
        row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return row


def show_import_summary(parent: QWidget | None, report: ImportReport) -> None:
    """Show what an import did, without blocking (window-modal over `parent`)."""
    open_without_blocking(ImportSummaryDialog(report, parent), parent)
