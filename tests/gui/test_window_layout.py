"""The table and the panes: titles get the room, nothing hides behind a scroll bar, the
layout is remembered. Widths are measured on the real window over the dumps' library."""

from __future__ import annotations

from PySide6.QtCore import Qt

from readinglist.gui.models.paper_table import BYLINE, COLUMNS, DATE, STATUS, TAGS, TITLE, UPVOTES
from readinglist.gui.widgets import column_widths
from readinglist.gui.widgets.column_widths import TITLE_MIN_SHARE, column_facts
from readinglist.gui.widgets.detail_pane import MIN_WIDTH as DETAIL_MIN_WIDTH
from readinglist.gui.widgets.panes import TABLE_COMFORT_PX, split_widths


def _fit(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    qtbot.waitUntil(window.is_idle)


def _shown(window) -> list[int]:
    return [c for c in range(len(COLUMNS)) if not window.table.isColumnHidden(c)]


def _right_edge(window) -> int:
    header = window.table.horizontalHeader()
    return max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in _shown(window))


def _bare_papers(collection) -> list[int]:
    """Papers of the dumps with no byline, date or upvotes (most of them)."""
    papers = collection.get_many(collection.list_ids())
    bare = [p.id for p in papers if not p.byline and p.published is None and p.upvotes is None]
    assert len(bare) > 100
    return bare


def test_columns_empty_for_the_papers_listed_are_hidden(qtbot, window, collection):
    _fit(qtbot, window, 1400, 900)
    bare = _bare_papers(collection)[:40]
    collection.add_tags(bare, ["plain"])
    window.refresh_stats()
    qtbot.waitUntil(lambda: window.sidebar.tags.topLevelItemCount() == 1)
    window.sidebar.set_tag_selection(["plain"])
    qtbot.waitUntil(window.is_idle)

    assert sorted(window.model.ids()) == sorted(bare)
    assert _shown(window) == [TITLE, STATUS, TAGS]
    # The title takes what the others leave: nearly the whole table.
    viewport = window.table.viewport().width()
    assert window.table.columnWidth(TITLE) >= viewport - 300

    window.sidebar.set_tag_selection([])
    qtbot.waitUntil(window.is_idle)
    assert {DATE, UPVOTES} <= set(_shown(window))  # the library has dates and votes
    assert TAGS in _shown(window)


def test_what_the_listed_papers_fill(collection):
    ids = collection.list_ids()
    facts = column_facts(collection, ids)
    assert facts.filled(DATE) and facts.filled(UPVOTES) and facts.filled(BYLINE)
    assert not facts.filled(TAGS)
    bare = _bare_papers(collection)
    assert not column_facts(collection, bare).filled(DATE)
    # The longest texts come first: they decide the width.
    dates = facts.texts[DATE]
    assert len(dates[0]) == max(len(d) for d in dates)


def test_a_large_listing_is_sampled_across_its_length(monkeypatch):
    monkeypatch.setattr(column_widths, "READ_WHOLE", 100)
    monkeypatch.setattr(column_widths, "SAMPLE", 10)
    ids = list(range(1000))
    chosen = column_widths.sample_ids(ids)
    assert len(chosen) == 20 and chosen[:10] == ids[:10]
    assert chosen[-1] >= 900  # the end of the listing is looked at too
    assert column_widths.sample_ids(ids[:100]) == ids[:100]


def test_at_1000_by_700_every_shown_column_fits_and_the_title_keeps_half(qtbot, window):
    _fit(qtbot, window, 1000, 700)
    viewport = window.table.viewport().width()
    assert not window.table.horizontalScrollBar().isVisible()
    assert _right_edge(window) <= viewport
    assert STATUS in _shown(window)
    assert window.table.columnWidth(TITLE) >= TITLE_MIN_SHARE * viewport - 1
    # The detail pane gave way to the table.
    _side, table, detail = window.splitter.sizes()
    assert detail == DETAIL_MIN_WIDTH
    assert table >= TABLE_COMFORT_PX - 60


def test_titles_get_the_room_at_1400(qtbot, window):
    _fit(qtbot, window, 1400, 900)
    viewport = window.table.viewport().width()
    assert window.table.columnWidth(TITLE) >= viewport // 2
    metrics = window.table.fontMetrics()
    assert window.table.columnWidth(TITLE) >= 60 * metrics.averageCharWidth()
    assert _right_edge(window) <= viewport


def test_the_panes_give_way_in_order():
    assert split_widths(1900) == (190, 1900 - 190 - 560, 560)
    side, table, detail = split_widths(1000, 190, 410)
    assert detail == DETAIL_MIN_WIDTH and table >= TABLE_COMFORT_PX - 40
    side, table, detail = split_widths(1600, 190, 420)
    assert (side, detail) == (190, 420)  # room enough: the reader's widths stand


def test_dragged_widths_and_dividers_are_remembered(qtbot, window, collection, window_factory):
    _fit(qtbot, window, 1600, 900)
    window.table.setColumnWidth(DATE, 140)
    splitter = window.splitter
    splitter.moveSplitter(240, 1)  # the sidebar's edge, as a drag moves it
    splitter.moveSplitter(1600 - 480, 2)
    side, _table, detail = splitter.sizes()
    body = window.detail.body
    body.moveSplitter(body.height() // 3, 1)
    note_height = window.detail.notes_panel.height()
    window.close()

    again = window_factory(collection)
    try:
        _fit(qtbot, again, 1600, 900)
        assert again.table.columnWidth(DATE) == 140
        assert again.splitter.sizes()[0] == side
        assert abs(again.splitter.sizes()[2] - detail) <= 2
        assert abs(again.detail.notes_panel.height() - note_height) <= 4
    finally:
        again.shut_down()


def test_the_upvotes_column_is_narrow_and_says_what_it_is(window):
    header = window.model.headerData(UPVOTES, Qt.Orientation.Horizontal)
    assert header == "Votes"
    assert window.table.columnWidth(UPVOTES) < 80
