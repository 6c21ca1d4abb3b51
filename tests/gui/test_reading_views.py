"""The Reading view (View menu) and the upvote history in the detail pane."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from user_input import press

from readinglist.gui.dialogs.reading_dialog import COUNTING_TEXT, ReadingDialog
from readinglist.gui.widgets.upvote_history import history_caption


def _site_page(path: Path, title: str, abstract: str, upvotes: int, day: str) -> Path:
    path.write_text(
        json.dumps(
            [
                {
                    "paper": {
                        "id": "2601.00042",
                        "title": title,
                        "summary": abstract,
                        "publishedAt": f"{day}T00:00:00.000Z",
                        "upvotes": upvotes,
                    },
                    "publishedAt": f"{day}T00:00:00.000Z",
                }
            ]
        )
    )
    # Saved on that day: the sighting is dated by the page, or else by the file's time.
    moment = datetime.fromisoformat(f"{day}T09:00:00+00:00").timestamp()
    os.utime(path, (moment, moment))
    return path


def test_ctrl_shift_r_opens_the_reading_view_with_this_weeks_figures(qtbot, window, collection):
    ids = collection.list_ids()
    collection.mark(ids[:4], "read")
    collection.add_tags(ids[:2], ["ssm"])
    window.activateWindow()
    window.table.setFocus()
    press(
        window,
        (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    )
    dialog = window.last_dialog
    assert isinstance(dialog, ReadingDialog)
    qtbot.waitUntil(lambda: dialog.summary is not None)
    assert dialog.status_label.text() != COUNTING_TEXT
    week = dialog.summary.weeks[-1]
    assert (week.imported, week.read) == (len(ids), 4)
    assert dialog.inbox_line.values[-1] == len(ids) - 4
    assert dialog.tags_grid.itemAtPosition(0, 0).widget().text() == "ssm"
    assert "read:" in dialog.weeks_chart.accessibleDescription()
    dialog.grab()  # paints without error
    dialog.close()


def test_two_sightings_draw_the_upvote_history(qtbot, window, collection, tmp_path):
    title = "A Paper Seen On Two Days Of The Site"
    abstract = "An abstract that says enough about the paper to be one, twice over."
    first = _site_page(tmp_path / "monday.json", title, abstract, 12, "2026-11-02")
    second = _site_page(tmp_path / "friday.json", title, abstract, 140, "2026-11-06")
    collection.import_paths([first])
    collection.import_paths([second])
    (paper_id,) = [p.id for p in collection.get_many(collection.list_ids()) if p.title == title]
    window.listing.relist()
    window.show_paper_id(paper_id)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper_id)
    history = window.detail.upvote_history
    assert history.isVisible()
    assert history.line.values == [12, 140]
    assert history.caption.text() == "▲ 12 → 140 in 4 days, from 2 pages"
    assert "monday.json" in history.toolTip() and "friday.json" in history.toolTip()
    history.grab()


def test_one_sighting_shows_no_history(qtbot, window, collection):
    paper_id = window.model.id_at(0)
    window.show_paper_id(paper_id)
    qtbot.waitUntil(lambda: window.detail.current_paper_id() == paper_id)
    assert len(collection.upvote_history(paper_id)) <= 1
    assert not window.detail.upvote_history.isVisible()
    assert history_caption(collection.upvote_history(paper_id)) == ""
