"""Typing in the search field of the real window: prefixes while typing, no flicker,
"did you mean" only for whole words, messages that belong to the text in the field."""

from __future__ import annotations

from user_input import press

from readinglist.collection import Collection
from readinglist.errors import QueryError
from readinglist.gui.widgets.search_bar import DEBOUNCE_MS


def _focus_search(qtbot, window) -> None:
    window.activateWindow()
    window.search.field.setFocus()
    qtbot.waitUntil(window.search.field.hasFocus)


def _record_screens(window) -> list:
    """Every widget the table area shows from now on (the table or the empty state)."""
    shown: list = []
    stack = window.table_stack
    stack.currentChanged.connect(lambda i: shown.append(stack.widget(i)))
    return shown


def test_typing_fast_shows_prefix_results_and_never_the_empty_state(qtbot, window, collection):
    whole = set(collection.list_ids(query="transformer", sort=None))
    assert whole and collection.list_ids(query="transfo", sort=None) == []
    shown = _record_screens(window)
    # A pause that outlasts the search on a busy machine: the prefix is seen first.
    window.search.set_timing(pause_ms=2000)
    _focus_search(qtbot, window)

    press(window, "transfo")  # back to back, as a fast typist
    qtbot.waitUntil(lambda: window.model.listing.query == "transfo*")
    assert set(window.model.ids()) >= whole
    assert window.model.ids() == collection.list_ids(query="transfo*", sort=None)
    assert window.table_stack.currentWidget() is window.table
    assert window.empty not in shown
    assert window.search.suggestion() == ""  # never for a word still being typed

    # Once they pause, the query is what they wrote: "transfo" is no word, and
    # now "did you mean" may say so.
    qtbot.waitUntil(lambda: window.model.listing.query == "transfo", timeout=10_000)
    assert window.table_stack.currentWidget() is window.empty
    assert "“transfo”" in window.empty.text()
    qtbot.waitUntil(lambda: bool(window.search.suggestion()))
    assert window.search.suggestion().startswith("transform")


def test_every_keystroke_of_a_word_lists_papers(qtbot, window, collection):
    """One character at a time, each searched (slower than the debounce, faster than a pause)."""
    shown = _record_screens(window)
    listed: list[tuple[str, int]] = []
    window.listing.relisted.connect(
        lambda: listed.append((window.model.listing.query, window.model.rowCount()))
    )
    window.search.set_timing(pause_ms=60_000)  # however busy the machine, no pause
    _focus_search(qtbot, window)
    for char in "attention":
        press(window, char)
        qtbot.wait(DEBOUNCE_MS + 80)
    qtbot.waitUntil(lambda: window.model.listing.query == "attention*")

    assert all(rows > 0 for _query, rows in listed), listed
    assert window.empty not in shown
    # The first letter alone lists what was listed before; from the second on, prefixes.
    queries = [query for query, _rows in listed]
    assert "at*" in queries and "attention*" in queries
    assert not any(q and not q.endswith("*") for q in queries), queries


def test_did_you_mean_waits_for_the_word_being_typed(qtbot, window):
    window.search.set_timing(pause_ms=60_000)
    _focus_search(qtbot, window)
    press(window, "transfomer gen")
    qtbot.waitUntil(lambda: window.model.listing.query == "transfomer gen*")
    qtbot.wait(400)  # longer than the suggestion's own delay
    assert window.search.suggestion() == ""
    press(window, " ")  # the word is whole now: what was written runs
    qtbot.waitUntil(lambda: window.model.listing.query == "transfomer gen")
    qtbot.waitUntil(lambda: bool(window.search.suggestion()))
    assert "transformer" in window.search.suggestion()


def test_an_open_phrase_lists_its_words_and_the_closed_one_the_phrase(qtbot, window, collection):
    window.search.set_timing(pause_ms=60_000)
    _focus_search(qtbot, window)
    press(window, '"language mod')
    qtbot.waitUntil(lambda: window.model.listing.query == "(language mod*)")
    assert window.model.rowCount() > 0
    assert window.search.error_text() == ""  # no "Unmatched quote" while it is being typed
    press(window, 'els"')
    qtbot.waitUntil(lambda: window.model.listing.query == '"language models"')
    assert window.model.ids() == collection.list_ids(query='"language models"', sort=None)


def test_an_unclosed_quote_is_an_error_once_typing_stops(qtbot, window):
    _focus_search(qtbot, window)
    press(window, '"language mod')
    qtbot.waitUntil(lambda: "Unmatched quote" in window.search.error_text(), timeout=5000)
    assert window.search.query() == '"language mod'
    # The next key makes it another text: the error goes at once, before any search.
    press(window, "e")
    assert window.search.error_text() == ""


def test_enter_searches_what_was_written_at_once(qtbot, window, collection):
    _focus_search(qtbot, window)
    press(window, "transformer", "\n")
    assert window.model.listing.query == "transformer"
    assert window.model.ids() == collection.list_ids(query="transformer", sort=None)
    assert not window.search.typing()


class PrefixRefusingCollection(Collection):
    """A library whose index refuses every prefix, as a real one refuses a prefix
    that begins over 1,000 words (which the five dumps have too few words for)."""

    def ranking(self, query: str) -> list[int]:
        if "*" in query:
            raise QueryError("The prefix matches too many words; type more of it")
        return super().ranking(query)


def test_a_prefix_the_core_refuses_lists_the_rest_of_the_query(qtbot, library_dir, window_factory):
    collection = PrefixRefusingCollection.open(library_dir)
    window = window_factory(collection)
    try:
        window.search.set_timing(pause_ms=60_000)
        _focus_search(qtbot, window)
        press(window, "attention transfo")
        qtbot.waitUntil(lambda: window.model.listing.query == "attention")
        assert window.model.ids() == collection.list_ids(query="attention", sort=None)
        assert window.search.error_text() == ""  # the refusal was of a word being typed
        assert window.search.query() == "attention transfo"
    finally:
        window.shut_down()
        collection.close()
