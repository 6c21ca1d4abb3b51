"""The sidebar: views and tags with counts, tag multi-selection, saved searches."""

from __future__ import annotations

from PySide6.QtCore import Qt

from readinglist.gui.widgets.sidebar import Sidebar
from readinglist.library.reader import LibraryStats, PaperFilter, SavedSearch


def stats(**tags: int) -> LibraryStats:
    return LibraryStats(
        papers=10,
        unread=7,
        read=3,
        with_notes=2,
        last_import=4,
        tags=sorted(tags.items()),
        inbox=5,
    )


def counts(tree) -> dict[str, str]:
    return {
        tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(1)
        for i in range(tree.topLevelItemCount())
    }


def test_views_and_tags_show_their_counts(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_stats(stats(vision=2, nlp=5))
    assert counts(sidebar.views) == {
        "All papers": "10",
        "Inbox": "5",
        "Unread": "7",
        "Read": "3",
        "With notes": "2",
        "Recently imported": "4",
    }
    assert counts(sidebar.tags) == {"nlp": "5", "vision": "2"}


def test_a_view_and_several_tags_make_one_filter(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_stats(stats(vision=2, nlp=5, rl=1))
    with qtbot.waitSignal(sidebar.filterChanged):
        sidebar.select_view("unread")
    sidebar.set_tag_selection(["vision", "nlp"])
    assert sidebar.current_filter() == PaperFilter(status="unread", tags=("nlp", "vision"))
    sidebar.select_view("notes")
    assert sidebar.current_filter() == PaperFilter(with_notes=True, tags=("nlp", "vision"))
    assert sidebar.view_name() == "With notes"


def test_a_tag_that_disappears_leaves_the_selection(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_stats(stats(vision=2, nlp=5))
    sidebar.set_tag_selection(["vision"])
    with qtbot.waitSignal(sidebar.filterChanged):
        sidebar.set_stats(stats(nlp=5))
    assert sidebar.selected_tags() == ()


def test_no_tags_and_no_saved_searches_say_what_to_do(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.show()
    sidebar.set_stats(stats())
    sidebar.set_saved_searches([])
    assert not sidebar.tags.isVisible() and sidebar._no_tags.isVisible()
    assert sidebar._no_saved.isVisible()


def test_saved_searches_run_and_offer_rename_and_delete(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_saved_searches(
        [SavedSearch(1, "Attention", "attention"), SavedSearch(2, "RL", "tag:rl")]
    )
    assert sidebar.saved_search_ids() == [(1, "Attention", "attention"), (2, "RL", "tag:rl")]
    item = sidebar.saved.topLevelItem(1)
    with qtbot.waitSignal(sidebar.savedSearchActivated) as signal:
        sidebar.saved.itemClicked.emit(item, 0)
    assert signal.args == ["tag:rl"]
    assert sidebar.saved.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    with qtbot.waitSignal(sidebar.saveSearchRequested):
        sidebar.save_button.click()


def test_markup_in_a_tag_name_stays_text(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_stats(stats(**{"<b>bold</b>": 1}))
    item = sidebar.tags.topLevelItem(0)
    assert item.text(0) == "<b>bold</b>"
    assert "&lt;b&gt;" in item.toolTip(0)
