"""Import preview (before anything is written) and import summary (after).

The preview shows, file by file, what each paper would do: be added, fill in
metadata a known paper lacks, or nothing (already in the library), with what
the page carried (arXiv id, byline, date, upvotes, comments, whether it has
an abstract). Blocks the readers left out as doubtful sit in a "Not
imported" group under their file, unticked: the reader may tick one to take
it anyway. On Import the ticks are written back into the plan's
`PlanItem.include` flags and the main window runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
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

from readinglist.dumps import FORM_NAMES
from readinglist.gui import text
from readinglist.gui.modeless import headline_label, open_without_blocking
from readinglist.library.importing import (
    FileOutcome,
    ImportPlan,
    ImportReport,
    PlanItem,
    PlannedFile,
)

# What a merge fills in, in the words of the table's columns.
_GAIN_WORDS = {
    "authors": "byline",
    "organisation": "byline",
    "published": "date",
    "published_text": "date",
    "year_inferred": "date",
    "upvotes": "upvotes",
    "arxiv_id": "arXiv id",
    "author_names": "authors",
    "abstract": "abstract",
    "summary": "summary",
    "comments": "comments",
    "submitter": "submitter",
    "github_url": "GitHub",
    "github_stars": "GitHub",
    "year_source": "date",
    "incomplete": "the whole entry",
}

# "new" | "merge" | "unchanged" | "repeat" | "skipped" | "file" | "group"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
_PLANNED_ROLE = Qt.ItemDataRole.UserRole + 2  # (file index, paper index) of a paper row

PAPER_COLUMN, DETAILS_COLUMN, BADGE_COLUMN = 0, 1, 2

# Above this many papers the files start collapsed: a folder of dumps should
# open as a readable list of files, not a wall of titles.
_EXPAND_LIMIT = 400


def gains_text(gains: tuple[str, ...]) -> str:
    """The fields a merge fills, in reading order ("byline, date, upvotes")."""
    words = dict.fromkeys(_GAIN_WORDS.get(g, g) for g in gains)
    return ", ".join(words)


def badge(paper: PlanItem) -> tuple[str, str]:
    """(kind, text) of a planned paper's badge.

    A `known_id` below zero is a paper new in this same import (seen in an
    earlier file or earlier in this file), not one already in the library.
    """
    repeat = paper.known_id is not None and paper.known_id < 0
    if paper.skipped_reason is not None:
        return "skipped", "Not imported: " + paper.skipped_reason
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

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
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

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
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
        self.resize(1000, 620)

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
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Paper", "From the page", "In your library"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setItemDelegateForColumn(BADGE_COLUMN, BadgeDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PAPER_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DETAILS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BADGE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DETAILS_COLUMN, 250)
        header.resizeSection(BADGE_COLUMN, 200)

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
        # Dumps of the older layouts say nothing beyond title and abstract: no
        # empty column then, the titles get the room.
        self.tree.setColumnHidden(DETAILS_COLUMN, not self._any_details())
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
            item = QTreeWidgetItem([_file_label(planned), _form_text(planned), ""])
            item.setData(0, KIND_ROLE, "file")
            item.setToolTip(0, text.plain_tooltip(planned.display_name))
            item.setFont(0, bold)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(item)
            self._file_items.append(item)
            readable = [p for p in planned.papers if p.skipped_reason is None]
            if planned.error or not readable:
                reason = planned.error or "no papers found in it"
                item.setIcon(0, warning)
                item.setText(BADGE_COLUMN, "Cannot be imported")
                reason_item = QTreeWidgetItem([reason])
                reason_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                reason_item.setToolTip(0, text.plain_tooltip(reason))
                item.addChild(reason_item)
                reason_item.setFirstColumnSpanned(True)
                item.setExpanded(True)
                self._add_skipped_group(item, planned, file_index)
                continue
            checkable = False
            for paper_index, planned_paper in enumerate(planned.papers):
                if planned_paper.skipped_reason is not None:
                    continue
                child = self._paper_item(planned_paper, file_index, paper_index)
                item.addChild(child)
                checkable = checkable or bool(child.flags() & Qt.ItemFlag.ItemIsUserCheckable)
            if checkable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked)
            self._add_skipped_group(item, planned, file_index)
            item.setExpanded(expand)
            self._sync_file_item(item)

    def _add_skipped_group(
        self, file_item: QTreeWidgetItem, planned: PlannedFile, file_index: int
    ) -> None:
        """The blocks left out as doubtful, unticked, under "Not imported"."""
        candidates = [(i, p) for i, p in enumerate(planned.papers) if p.skipped_reason is not None]
        bare = [block for block in planned.skipped if block.candidate is None]
        count = len(candidates) + len(bare)
        if not count:
            return
        group = QTreeWidgetItem(
            [
                f"Not imported: {text.count_text(count, 'block')} that "
                + ("does" if count == 1 else "do")
                + " not read as a paper",
                "",
                "Tick to take anyway" if candidates else "",
            ]
        )
        group.setData(0, KIND_ROLE, "group")
        group.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        italic = group.font(0)
        italic.setItalic(True)
        group.setFont(0, italic)
        group.setForeground(0, self.palette().brush(QPalette.ColorRole.PlaceholderText))
        file_item.addChild(group)
        for paper_index, planned_paper in candidates:
            group.addChild(self._paper_item(planned_paper, file_index, paper_index))
        for block in bare:
            row = QTreeWidgetItem([block.first_line, block.reason, "Not a paper"])
            row.setData(BADGE_COLUMN, KIND_ROLE, "skipped")
            row.setFlags(Qt.ItemFlag.ItemIsEnabled)
            row.setToolTip(0, text.plain_tooltip(block.first_line))
            group.addChild(row)
        if candidates:
            group.setFlags(group.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            group.setCheckState(0, Qt.CheckState.Unchecked)
        # A short list opens: the reader sees at once what was left out.
        group.setExpanded(count <= 8)

    def _paper_item(self, planned: PlanItem, file_index: int, paper_index: int) -> QTreeWidgetItem:
        kind, label = badge(planned)
        paper = planned.paper
        meta = _parsed_meta(planned)
        item = QTreeWidgetItem([paper.title, meta, label])
        item.setData(0, _PLANNED_ROLE, (file_index, paper_index))
        item.setData(BADGE_COLUMN, KIND_ROLE, kind)
        item.setData(0, KIND_ROLE, kind)
        item.setToolTip(0, text.plain_tooltip(_paper_tooltip(planned)))
        item.setToolTip(DETAILS_COLUMN, text.plain_tooltip(meta))
        item.setToolTip(BADGE_COLUMN, label)
        if planned.action == "unchanged" and planned.skipped_reason is None:
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

    def _any_details(self) -> bool:
        return any(
            row.text(DETAILS_COLUMN)
            for file_item in self._file_items
            for row in _descendants(file_item)
            if row.data(0, _PLANNED_ROLE) is not None
        )

    # -- ticks -------------------------------------------------------------------

    def _paper_items(self) -> list[QTreeWidgetItem]:
        """Every tickable paper row that reads as a paper (not the skipped ones)."""
        return [
            row
            for file_item in self._file_items
            for row in _children(file_item)
            if row.data(0, _PLANNED_ROLE) is not None and _checkable(row)
        ]

    def set_all_checked(self, checked: bool) -> None:
        """Tick (True) or untick every paper that can be imported.

        Blocks left out as doubtful stay as they are: taking them is a choice
        made one by one (or with their group's box).
        """
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
            kind = item.data(0, KIND_ROLE)
            if kind in ("file", "group"):
                state = item.checkState(0)
                if state != Qt.CheckState.PartiallyChecked:
                    for child in _children(item):
                        if child.data(0, _PLANNED_ROLE) is not None and _checkable(child):
                            child.setCheckState(0, state)
            parent = item.parent()
            if kind == "group":
                self._sync_group(item)
            elif parent is not None and parent.data(0, KIND_ROLE) == "group":
                self._sync_group(parent)
            file_item = item
            while (above := file_item.parent()) is not None:
                file_item = above
            self._sync_file_item(file_item)
        finally:
            self._syncing = False
        self._update_totals()

    def _sync_file_item(self, file_item: QTreeWidgetItem) -> None:
        """The file's box: ticked, unticked or partly, from its papers."""
        planned = self.plan.files[self._file_items.index(file_item)]
        if file_item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            rows = [r for r in _children(file_item) if r.data(0, _PLANNED_ROLE) and _checkable(r)]
            _set_box(file_item, {r.checkState(0) for r in rows}, self)
        if not planned.error and any(p.skipped_reason is None for p in planned.papers):
            file_item.setText(BADGE_COLUMN, _file_summary(planned, self._ticked_in(file_item)))

    def _sync_group(self, group: QTreeWidgetItem) -> None:
        rows = [r for r in _children(group) if r.data(0, _PLANNED_ROLE) and _checkable(r)]
        if rows:
            _set_box(group, {r.checkState(0) for r in rows}, self)

    def _ticked_in(self, file_item: QTreeWidgetItem) -> set[int]:
        """The indexes (into the file's planned papers) that Import would take now."""
        ticked = set()
        for row in _descendants(file_item):
            where = row.data(0, _PLANNED_ROLE)
            if where is None:
                continue
            if not _checkable(row) or row.checkState(0) == Qt.CheckState.Checked:
                ticked.add(where[1])
        return ticked

    def _included(self) -> list[tuple[PlanItem, bool]]:
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
        failed = sum(1 for f in self.plan.files if not _importable(f))
        skipped = sum(
            1 for p, on in self._included() if p.skipped_reason is not None and not on
        ) + sum(1 for f in self.plan.files for b in f.skipped if b.candidate is None)
        return {
            "new": new,
            "updated": len(updated),
            "unchanged": len(already),
            "failed": failed,
            "skipped": skipped,
        }

    def _update_totals(self) -> None:
        counts = self.counts()
        papers = sum(1 for f in self.plan.files for p in f.papers if p.skipped_reason is None)
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
        if counts["skipped"]:
            details.append(
                f"{text.count_text(counts['skipped'], 'block')} that "
                + ("does" if counts["skipped"] == 1 else "do")
                + " not read as a paper will be left out (see “Not imported”)."
            )
        if counts["failed"]:
            names = [_file_label(f) for f in self.plan.files if not _importable(f)]
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
        """Set each PlanItem.include from its row's tick."""
        for planned, on in self._included():
            planned.include = on


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(i) for i in range(item.childCount()))
    return [child for child in children if child is not None]


def _descendants(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    out = []
    for child in _children(item):
        out.append(child)
        out.extend(_descendants(child))
    return out


def _checkable(item: QTreeWidgetItem) -> bool:
    return bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable)


def _set_box(item: QTreeWidgetItem, states: set, dialog: ImportPreviewDialog) -> None:
    """Tick `item` from its rows' states, without reacting to the change."""
    if states == {Qt.CheckState.Checked}:
        state = Qt.CheckState.Checked
    elif states <= {Qt.CheckState.Unchecked}:
        state = Qt.CheckState.Unchecked
    else:
        state = Qt.CheckState.PartiallyChecked
    syncing, dialog._syncing = dialog._syncing, True
    try:
        item.setCheckState(0, state)
    finally:
        dialog._syncing = syncing


def _importable(planned: PlannedFile) -> bool:
    return not planned.error and any(p.skipped_reason is None for p in planned.papers)


def _form_text(planned: PlannedFile) -> str:
    """What the file was read as ("saved web page"), when not a plain text dump."""
    form = getattr(planned, "form", None)
    return FORM_NAMES.get(form, "") if form and form != "sample" else ""


def _file_summary(planned: PlannedFile, ticked: set[int]) -> str:
    papers = [(i, p) for i, p in enumerate(planned.papers) if p.skipped_reason is None]
    new = sum(1 for i, p in enumerate(planned.papers) if i in ticked and p.action == "new")
    merge = sum(1 for i, p in enumerate(planned.papers) if i in ticked and p.action == "merge")
    parts = [text.count_text(len(papers), "paper")]
    if new:
        parts.append(f"{new} new")
    if merge:
        parts.append(f"{merge} updated")
    return " · ".join(parts)


def _parsed_meta(planned: PlanItem) -> str:
    """What the page said of the paper: "533 authors · Jul 31, 2024 · ▲ 94 · arXiv 2407.21783"."""
    paper = planned.paper
    if planned.skipped_reason is not None:
        return planned.skipped_reason
    byline = paper.organisation or (
        text.count_text(paper.authors, "author") if paper.authors is not None else ""
    )
    parts = [
        byline,
        text.date_text(paper.published),
        text.upvotes_text(paper.upvotes),
        text.count_text(paper.comments, "comment") if paper.comments else "",
    ]
    if not paper.abstract.strip():
        parts.append("summary only" if paper.summary else "no abstract")
    if paper.incomplete:
        parts.append("cut off")
    if paper.arxiv_id:
        parts.append(f"arXiv {paper.arxiv_id}")
    return text.SEPARATOR.join(p for p in parts if p)


def _paper_tooltip(planned: PlanItem) -> str:
    """Title, facts, authors and the start of the abstract (or summary), as plain text."""
    paper = planned.paper
    lines = [paper.title]
    meta = _parsed_meta(planned)
    if meta:
        lines.append(meta)
    authors = text.authors_text(paper.author_names, shown=4)
    if authors:
        lines.append(authors)
    body = paper.abstract.strip() or (paper.summary or "").strip()
    if body:
        lines.append(body[:280] + ("…" if len(body) > 280 else ""))
    if planned.skipped_reason is not None:
        lines.append("Left out as doubtful; tick it to import it anyway.")
    return "\n".join(lines)


# -- the summary ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileCounts:
    """What an import did with one file, in the reader's terms.

    `repeated` are papers an earlier file of the same import had already
    brought in: the library counts them as merged or unchanged, but to the
    reader they are neither updates nor papers that were "already there".
    """

    new: int = 0
    updated: int = 0
    already: int = 0
    repeated: int = 0


def file_counts(outcome: FileOutcome, planned: PlannedFile | None = None) -> FileCounts:
    """Split an outcome's merged and unchanged papers into library papers and repeats."""
    repeat_merge = repeat_same = 0
    if planned is not None:
        for paper in planned.papers:
            if paper.include and paper.known_id is not None and paper.known_id < 0:
                if paper.action == "merge":
                    repeat_merge += 1
                elif paper.action == "unchanged":
                    repeat_same += 1
    repeat_merge = min(repeat_merge, outcome.merged)
    repeat_same = min(repeat_same, outcome.unchanged)
    return FileCounts(
        new=outcome.added,
        updated=outcome.merged - repeat_merge,
        already=outcome.unchanged - repeat_same,
        repeated=repeat_merge + repeat_same,
    )


def report_counts(report: ImportReport, plan: ImportPlan | None = None) -> list[FileCounts]:
    """FileCounts for each file of the report (the plan's files are in the same order)."""
    planned: list[PlannedFile | None] = list(plan.files) if plan is not None else []
    planned += [None] * (len(report.files) - len(planned))
    return [file_counts(o, p) for o, p in zip(report.files, planned, strict=False)]


def summary_headline(report: ImportReport, counts: list[FileCounts] | None = None) -> str:
    """One sentence: "Imported 57 new papers, updated 3; 1 file failed".

    With `counts` (from the plan), papers repeated across the files of this
    import are said as such rather than as updates or as already there.
    """
    counts = counts if counts is not None else report_counts(report)
    added = sum(c.new for c in counts)
    merged = sum(c.updated for c in counts)
    already = sum(c.already for c in counts)
    repeated = sum(c.repeated for c in counts)
    failed = len(report.failed)
    if added or merged:
        parts = []
        if added:
            parts.append(f"Imported {text.count_text(added, 'new paper')}")
        if merged:
            parts.append(
                f"updated {text.number_text(merged)}"
                if added
                else f"Updated {text.count_text(merged, 'paper')}"
            )
        sentence = ", ".join(parts)
    elif already:
        sentence = "Nothing new: every paper was already in your library"
    elif repeated:
        sentence = "Nothing new"
    else:
        sentence = "Nothing was imported"
    if repeated:
        were = "was" if repeated == 1 else "were"
        sentence += f" ({text.number_text(repeated)} {were} in more than one file: imported once)"
    if failed:
        sentence += f"; {text.count_text(failed, 'file')} failed"
    if report.not_imported:
        sentence += f"; {text.count_text(len(report.not_imported), 'file')} not imported"
    if report.cancelled:
        sentence = "Import cancelled. " + sentence
    return sentence


def summary_notes(report: ImportReport) -> list[str]:
    """What else the reader must know: why it stopped, what was left out, what was changed."""
    notes = []
    if report.stopped:
        left = ", ".join(Path(name).name for name in report.not_imported[:3])
        more = len(report.not_imported) - 3
        notes.append(
            f"Stopped: {report.stopped}."
            + (
                f" Not imported: {left}" + (f" and {more} more" if more > 0 else "") + "."
                if left
                else ""
            )
            + " What was imported is kept; run the same import again once that is fixed."
        )
    if report.index_error:
        notes.append(report.index_error)
    for outcome in report.files:
        name = Path(outcome.path).name or outcome.path
        for warning in outcome.warnings:
            notes.append(f"{name}: {warning}")
        if outcome.skipped_count and not outcome.error:
            notes.append(
                f"{name}: {text.count_text(outcome.skipped_count, 'block')} that "
                + ("does" if outcome.skipped_count == 1 else "do")
                + " not read as a paper left out."
            )
    return notes


class ImportSummaryDialog(QDialog):
    """What an import did, file by file, with each failed file's reason."""

    def __init__(
        self, report: ImportReport, parent: QWidget | None = None, plan: ImportPlan | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.counts = report_counts(report, plan)
        self.setWindowTitle("Import finished")
        self.setMinimumWidth(600)

        self.headline = headline_label(summary_headline(report, self.counts))

        repeats = any(c.repeated for c in self.counts)
        headers = ["File", "New", "Updated", "Already in library"]
        if repeats:
            headers.append("In an earlier file")
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegate(_RoomyRows(self.table))
        self.table.setHeaderLabels(headers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for outcome, counts in zip(report.files, self.counts, strict=True):
            row = _outcome_row(outcome, counts, warning, repeats=repeats)
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
        self.notes = QLabel("\n".join(summary_notes(report)))
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(self.notes.text()))

        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)

    def _fit_table(self) -> None:
        """As tall as its rows (up to a limit), so a one-file import is a small dialog."""
        rows = max(self.table.topLevelItemCount(), 1)
        row_height = self.table.sizeHintForRow(0) if self.table.topLevelItemCount() else 20
        header = self.table.header().sizeHint().height()
        wanted = header + rows * row_height + 2 * self.table.frameWidth() + 4
        self.table.setMinimumHeight(min(wanted, 360))
        self.table.setMaximumHeight(max(wanted, 360) if rows > 16 else wanted)


class _RoomyRows(QStyledItemDelegate):
    """Rows with some air: a summary is read line by line."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 6)


def _outcome_name(outcome: FileOutcome) -> str:
    return Path(outcome.path).name or outcome.path


def _outcome_row(
    outcome: FileOutcome, counts: FileCounts, warning: QIcon, *, repeats: bool
) -> QTreeWidgetItem:
    if outcome.error:
        row = QTreeWidgetItem([f"{_outcome_name(outcome)}: not imported, {outcome.error}"])
        row.setIcon(0, warning)
        row.setToolTip(0, text.plain_tooltip(f"{outcome.path}\n{outcome.error}"))
        return row
    numbers = [counts.new, counts.updated, counts.already] + ([counts.repeated] if repeats else [])
    row = QTreeWidgetItem([_outcome_name(outcome), *map(text.number_text, numbers)])
    row.setToolTip(0, text.plain_tooltip(outcome.path))
    for column in range(1, len(numbers) + 1):
        row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return row


def show_import_summary(
    parent: QWidget | None, report: ImportReport, plan: ImportPlan | None = None
) -> None:
    """Show what an import did, without blocking (window-modal over `parent`)."""
    open_without_blocking(ImportSummaryDialog(report, parent, plan), parent)
