"""Where the reader is: one highlight in the sidebar, and Back to the previous view and query."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from user_input import press

from readinglist.gui.flows.history import History, Place

BACK = (Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)


def _highlighted(window) -> list[str]:
    """The sidebar rows that look chosen: views and saved searches."""
    sidebar = window.sidebar
    return [i.text(0) for i in sidebar.views.selectedItems()] + [
        i.text(0) for i in sidebar.saved.selectedItems()
    ]


def _saved(qtbot, window, collection, name: str, query: str) -> None:
    collection.save_search(name, query)
    window.saved_searches.refresh()
    qtbot.waitUntil(lambda: window.sidebar.saved.topLevelItemCount() >= 1)


def _click_saved(window, row: int = 0) -> None:
    saved = window.sidebar.saved
    item = saved.topLevelItem(row)
    saved.setCurrentItem(item)
    saved.itemClicked.emit(item, 0)


def test_a_saved_search_is_the_one_highlight(qtbot, window, collection):
    _saved(qtbot, window, collection, "Attention", "attention")
    assert _highlighted(window) == ["All papers"]
    _click_saved(window)
    assert window.search.query() == "attention"
    assert _highlighted(window) == ["Attention"]

    # Typing another query leaves the saved search: the view is highlighted again.
    window.search.set_query("attention mamba")
    assert _highlighted(window) == ["All papers"]


def test_a_similar_paper_leaves_the_saved_search_visibly(qtbot, window, collection):
    _saved(qtbot, window, collection, "Zebra", "zzzznothing")
    _click_saved(window)
    assert _highlighted(window) == ["Zebra"]
    target = window.model.id_at(0) if window.model.rowCount() else collection.list_ids()[0]
    window.detail.similarActivated.emit(target)
    assert window.current_paper_id() == target
    assert window.search.query() == ""
    assert _highlighted(window) == ["All papers"]
    assert window.last_message.startswith("Showing all papers")  # not silently


def test_choosing_a_view_leaves_the_saved_search_and_its_query(qtbot, window, collection):
    _saved(qtbot, window, collection, "Attention", "attention")
    _click_saved(window)
    window.sidebar.select_view("unread")
    assert window.search.query() == ""
    assert _highlighted(window) == ["Unread"]
    assert window.model.rowCount() == collection.stats().unread


def test_back_returns_to_the_previous_view_query_and_paper(qtbot, window, collection):
    _saved(qtbot, window, collection, "Attention", "attention")
    _click_saved(window)
    window.table.selectRow(3)
    chosen = window.current_paper_id()
    listed = set(window.model.ids())
    # A similar paper the search does not list: opening it leaves the search.
    similar = next(p.id for p, _ in collection.similar(chosen, limit=20) if p.id not in listed)
    window.detail.similarActivated.emit(similar)
    assert window.search.query() == ""
    assert window.current_paper_id() == similar

    window.activateWindow()
    window.table.setFocus()
    press(window, BACK)
    assert window.search.query() == "attention"
    assert _highlighted(window) == ["Attention"]
    assert window.current_paper_id() == chosen
    assert window.model.ids() == collection.list_ids(query="attention", sort=None)

    press(window, BACK)
    assert window.search.query() == ""
    assert _highlighted(window) == ["All papers"]
    assert not window.menu_actions.back.isEnabled()


def test_a_typed_query_is_one_step_back(qtbot, window, collection):
    window.sidebar.select_view("unread")
    window.activateWindow()
    window.search.field.setFocus()
    qtbot.waitUntil(window.search.field.hasFocus)
    for query in ("tra", "trans", "transformer"):
        window.search.field.setText(query)
        qtbot.waitUntil(lambda q=query: window.model.listing.query == q)
    window.table.setFocus()
    press(window, BACK)
    assert window.search.query() == ""
    assert window.sidebar.view_key() == "unread"
    press(window, BACK)
    assert window.sidebar.view_key() == "all"


def test_the_mouse_back_button_goes_back(qtbot, window):
    window.sidebar.select_view("read")
    viewport = window.table.viewport()
    centre = QPointF(viewport.rect().center())
    for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
        event = QMouseEvent(
            kind,
            centre,
            viewport.mapToGlobal(centre),
            Qt.MouseButton.BackButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
    assert window.sidebar.view_key() == "all"


def test_history_coalesces_typing_and_forgets_nothing_else() -> None:
    history = History()
    history.visit(Place())
    history.set_paper(7)
    history.visit(Place(query="t"), typed=True)
    history.visit(Place(query="tr"), typed=True)
    history.visit(Place(view="unread", query="tr"))
    assert history.back().place == Place(query="tr")
    visit = history.back()
    assert (visit.place, visit.paper_id) == (Place(), 7)
    assert history.back() is None
