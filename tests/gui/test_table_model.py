"""PaperTableModel: ids from the core, rows fetched lazily, sorting in the core."""

from __future__ import annotations

from PySide6.QtCore import Qt

from readinglist.gui.models.paper_table import (
    COLUMNS,
    DATE,
    PAGE,
    PAPER_ROLE,
    STATUS,
    TAGS,
    TITLE,
    UPVOTES,
    Listing,
    PaperTableModel,
)
from readinglist.library.reader import PaperFilter


def test_the_model_passes_qt_model_tester(qtmodeltester, collection):
    model = PaperTableModel(collection)
    model.set_listing(Listing())
    qtmodeltester.check(model)


def test_the_model_passes_the_tester_with_a_query_and_a_view(qtmodeltester, collection):
    collection.mark(collection.list_ids()[:5], "read")
    model = PaperTableModel(collection)
    model.set_listing(Listing(PaperFilter(status="read"), "attention"))
    qtmodeltester.check(model)


def test_rows_are_fetched_a_page_at_a_time(collection):
    model = PaperTableModel(collection)
    model.set_listing(Listing())
    assert len(model.ids()) == collection.stats().papers
    assert model._cache == {}  # nothing fetched before a row is shown
    model.index(PAGE + 3, TITLE).data()
    assert len(model._cache) == PAGE
    assert set(model._cache) == set(model.ids()[PAGE : 2 * PAGE])


def test_cells_show_the_paper(collection):
    paper_id = collection.list_ids(sort="upvotes", descending=True)[0]
    collection.add_tags([paper_id], ["vision", "attention"])
    collection.mark([paper_id], "read")
    paper = collection.get(paper_id)
    model = PaperTableModel(collection)
    model.set_ids([paper_id])
    assert model.index(0, TITLE).data() == paper.title
    assert model.index(0, UPVOTES).data() == str(paper.upvotes)
    assert model.index(0, STATUS).data() == "Read"
    assert model.index(0, TAGS).data() == "attention, vision"
    assert model.index(0, DATE).data().endswith(str(paper.published.year))
    assert model.index(0, TITLE).data(Qt.ItemDataRole.FontRole) is None  # read: not bold
    assert model.index(0, TITLE).data(PAPER_ROLE).id == paper_id
    assert model.index(0, UPVOTES).data(Qt.ItemDataRole.TextAlignmentRole)
    # The narrow upvotes column says its name in a tooltip (and to screen readers).
    assert model.headerData(UPVOTES, Qt.Orientation.Horizontal) == "Votes"
    assert model.headerData(UPVOTES, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == (
        "Upvotes"
    )


def test_sort_goes_through_the_core(collection):
    model = PaperTableModel(collection)
    model.set_listing(Listing())
    for column, spec in enumerate(COLUMNS):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        assert model.ids() == collection.list_ids(sort=spec.sort, descending=True), spec.title
    model.set_listing(Listing(query="transformer"))
    model.sort(-1)
    assert model.ids() == collection.list_ids(query="transformer", sort=None)


def test_a_deleted_paper_leaves_an_empty_row_until_the_next_listing(collection):
    model = PaperTableModel(collection)
    model.set_listing(Listing())
    gone = model.id_at(0)
    collection.delete([gone])
    assert model.index(0, TITLE).data() is None
    assert model.index(1, TITLE).data()
    model.relist()
    assert gone not in model.ids()


def test_forget_refetches_changed_papers(collection):
    model = PaperTableModel(collection)
    model.set_listing(Listing())
    paper_id = model.id_at(0)
    assert model.index(0, STATUS).data() == "Unread"
    collection.mark([paper_id], "read")
    model.forget([paper_id])
    assert model.index(0, STATUS).data() == "Read"


def test_the_cell_texts_kept_for_a_paint_follow_every_change(collection):
    # The texts of a row are made once and kept: each way the row's paper
    # changes in the model makes them again.
    model = PaperTableModel(collection)
    model.set_listing(Listing())
    first, second = model.id_at(0), model.id_at(1)
    assert [model.index(r, STATUS).data() for r in (0, 1)] == ["Unread", "Unread"]
    model.assume_status([first], "read")  # shown before the write lands
    assert model.index(0, STATUS).data() == "Read"
    collection.add_tags([second], ["vision"])
    model.forget()  # all of them
    assert model.index(1, TAGS).data() == "vision"
    assert model.index(0, STATUS).data() == "Unread"  # the write never came


def test_the_ranking_is_reused_across_views_sorts_and_marks(collection, monkeypatch):
    searches: list[str] = []
    real = collection.index.ranked_ids
    monkeypatch.setattr(
        collection.index, "ranked_ids", lambda query: searches.append(query) or real(query)
    )
    model = PaperTableModel(collection)
    model.set_listing(Listing(query="transformer"))
    unread = PaperFilter(status="unread")
    model.set_listing(Listing(unread, "transformer", sort="title"))
    assert model.ids() == collection.list_ids(unread, query="transformer", sort="title")
    searches.clear()

    marked = model.ids()[:2]
    collection.mark(marked, "read")
    model.relist()
    assert searches == []  # the core knows a mark cannot change what "transformer" matches
    assert not set(marked) & set(model.ids())

    gone = model.ids()[:1]
    collection.delete(gone)
    model.set_listing(Listing(query="transformer"))
    assert gone[0] not in model.ids()

    searches.clear()
    collection.set_note(model.ids()[0], "transformer notes")
    model.relist()
    assert searches == ["transformer"]  # notes are searched: rank again
