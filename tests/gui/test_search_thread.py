"""Searches off the GUI thread: the window stays responsive while a slow one runs, the
latest query wins, stale answers and errors never show, and answers crossing threads
by the thousand leave the process to end cleanly."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from gui_timing import busy, ticks
from PySide6.QtCore import QTimer
from user_input import press

from readinglist.collection import Collection
from readinglist.errors import QueryError
from readinglist.index.index import validate_query
from readinglist.library.reader import PaperFilter

SLOW_S = 1.5


class SlowCollection(Collection):
    """A library whose searches for `slow` queries take SLOW_S seconds of pure Python.

    As Whoosh's one-document-at-a-time phrase scoring does at 100k papers,
    the search holds the GIL while it works: a sleep would not.
    """

    slow: tuple[str, ...] = ('"',)  # a phrase, open or closed, is slow

    def ranking(self, query: str) -> list[int]:
        if any(mark in query for mark in self.slow):
            busy(SLOW_S)
        return super().ranking(query)


@pytest.fixture
def slow_window(qtbot, library_dir: Path, window_factory):
    collection = SlowCollection.open(library_dir)
    window = window_factory(collection)
    yield window
    window.shut_down()
    collection.close()


def _focus_search(qtbot, window) -> None:
    window.activateWindow()
    window.search.field.setFocus()
    qtbot.waitUntil(window.search.field.hasFocus)


def test_typing_a_phrase_while_a_slow_search_runs_keeps_the_window_responsive(qtbot, slow_window):
    window = slow_window
    collection = window.collection
    _focus_search(qtbot, window)
    press(window, "vision")
    qtbot.waitUntil(lambda: window.model.listing.query == "vision*")
    before = window.model.ids()
    timer, times = ticks()

    started = time.perf_counter()
    press(window, ' "language models"')  # each phrase search takes SLOW_S
    typed_in = time.perf_counter() - started
    # While it runs: the last results stay, dimmed, with a hint.
    qtbot.waitUntil(window.listing.searching)
    qtbot.waitUntil(window.search.searching_label.isVisible)
    assert window.model.ids() == before
    qtbot.waitUntil(
        lambda: window.model.listing.query == 'vision "language models"', timeout=15_000
    )
    timer.stop()

    assert typed_in < SLOW_S  # the keys were taken at once, not after a search
    assert not window.listing.searching() and not window.search.searching_label.isVisible()
    assert window.model.ids() == collection.list_ids(query='vision "language models"', sort=None)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) > SLOW_S / 0.02 / 2, "the GUI thread's timer hardly ticked"
    # Searches of SLOW_S each ran meanwhile; the GUI thread never waited for one.
    # Half a slow search: a machine busy with other work stalls the timer by
    # a few tenths now and then, and a search on the GUI thread stalls it whole.
    assert max(gaps) < SLOW_S / 2, f"the GUI thread stalled for {max(gaps):.2f} s"


def test_stale_answers_never_replace_newer_ones(qtbot, slow_window):
    window = slow_window
    collection = window.collection
    listed: list[str] = []
    window.model.modelReset.connect(lambda: listed.append(window.model.listing.query))

    window.search.set_query('"language models"')  # slow: still running after the wait
    assert window.listing.searching()
    window.search.set_query("transformer")  # quick, but waits behind the slow one
    qtbot.waitUntil(lambda: window.model.listing.query == "transformer", timeout=15_000)
    qtbot.waitUntil(window.is_idle, timeout=15_000)
    qtbot.wait(100)  # any late answer would have landed by now

    assert '"language models"' not in listed  # the older answer came first, and was dropped
    assert window.model.listing.query == "transformer"
    assert window.model.ids() == collection.list_ids(query="transformer", sort=None)


def test_clearing_the_field_drops_the_search_on_its_way(qtbot, slow_window):
    window = slow_window
    window.search.set_query('"language models"')
    assert window.listing.searching()
    window.search.set_query("")
    assert not window.listing.searching()
    everything = window.model.ids()
    qtbot.waitUntil(window.is_idle, timeout=15_000)
    qtbot.wait(100)
    assert window.model.listing.query == "" and window.model.ids() == everything


def _core_error(text: str) -> str:
    try:
        validate_query(text)
    except QueryError as exc:
        return str(exc)
    return ""


def test_the_error_under_the_field_is_always_the_error_of_its_text(qtbot, slow_window):
    window = slow_window
    search = window.search
    seen: list[tuple[str, str]] = []
    watch = QTimer()
    watch.setInterval(5)
    watch.timeout.connect(lambda: seen.append((search.query(), search.error_text())))
    watch.start()

    # Slow and malformed: its error comes SLOW_S later, by when the text is another.
    search.set_query('title:"language')
    search.set_query("title:language")
    qtbot.waitUntil(window.is_idle, timeout=15_000)
    assert search.error_text() == ""
    # Slow and malformed, still in the field when the error comes: shown.
    search.set_query('abstract:"state space')
    qtbot.waitUntil(lambda: search.error_text() != "", timeout=15_000)
    qtbot.waitUntil(window.is_idle, timeout=15_000)
    watch.stop()

    shown = [(text, error) for text, error in seen if error]
    assert shown, "the error of the text in the field was never shown"
    for text, error in shown:
        assert error == _core_error(text), f"{error!r} shown while the field held {text!r}"


# Answers of every kind cross from the search thread by the thousand: real
# search results, the Python singletons PySide6 6.12.0 dropped references to,
# and exceptions. The process must end with status 0.
CROSSING = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from readinglist.collection import Collection
    from readinglist.gui.flows.search_runner import SearchRunner

    app = QApplication([])
    collection = Collection.open(Path(sys.argv[1]))
    runner = SearchRunner(on_start=collection.warm_search, on_stop=collection.release_thread)
    answers = {"done": 0, "failed": 0}
    payloads = [
        lambda: None, lambda: True, lambda: False, lambda: (), lambda: {"a": [1, None]},
        lambda: collection.search("transformer", limit=20),
        lambda: collection.list_ids(query="language", sort=None),
        lambda: collection.highlight("model", collection.list_ids()[:20]),
        lambda: collection.suggest("transfomer"),
        lambda: collection.search('title:"unclosed'),  # raises QueryError
    ]

    def done(_value):
        answers["done"] += 1

    def failed(_exc):
        answers["failed"] += 1

    for round_ in range(int(sys.argv[2])):
        for lane in ("listing", "highlight", "suggest"):
            job = payloads[(round_ + len(lane)) % len(payloads)]
            ticket = runner.submit(lane, job, done, failed)
            if round_ % 7 == 0:
                runner.wait(ticket, 1.0)
        app.processEvents()
    while not runner.is_idle():
        app.processEvents()
    assert runner.shutdown()
    collection.close()
    print("answered", answers["done"] + answers["failed"])
    """
)


def test_answers_crossing_threads_by_the_thousand_end_the_process_cleanly(library_dir: Path):
    done = subprocess.run(
        [sys.executable, "-c", CROSSING, str(library_dir), "600"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "Fatal Python error" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    answered = int(done.stdout.split()[-1])
    # Stale answers are dropped; the latest of each lane always arrives.
    assert 3 <= answered <= 600 * 3


# The core's side: rankings kept in the Collection, and its use from two threads.


def test_the_core_keeps_a_ranking_until_a_write_can_change_it(collection):
    query = "transformer"
    assert collection.cached_ranking(query) is None
    ranked = collection.list_ids(query=query, sort=None)
    assert collection.cached_ranking(query) == ranked
    # Another view or sort of the same query is filtered from the kept ranking.
    unread = PaperFilter(status="unread")
    titled = collection.list_ids(unread, query=query, sort="title")
    papers = {p.id: p for p in collection.get_many(ranked)}
    wanted = [i for i in ranked if papers[i].status == "unread"]
    assert sorted(titled) == sorted(wanted)
    assert [papers[i].title.casefold() for i in titled] == sorted(
        papers[i].title.casefold() for i in titled
    )
    assert collection.cached_ranking(query) == ranked
    collection.list_ids(query="status:unread transformer", sort=None)
    assert collection.cached_ranking("status:unread transformer") is not None

    # A mark changes only what status: queries find.
    collection.mark(ranked[:2], "read")
    assert collection.cached_ranking(query) == ranked
    assert collection.cached_ranking("status:unread transformer") is None
    # A note is searched by plain words: every ranking goes.
    collection.set_note(ranked[0], "transformer notes")
    assert collection.cached_ranking(query) is None
    assert collection.list_ids(query=query, sort=None)[0] == ranked[0]


def test_a_worker_thread_and_this_one_search_side_by_side(collection):
    queries = ["transformer", '"language model"', "attention", "vision~1", "gen*"]
    expected = {q: collection.search(q, limit=10).hits for q in queries}
    answers: list[tuple[str, list]] = []
    failures: list[BaseException] = []

    def search_on_a_worker() -> None:
        try:
            for _ in range(5):
                for q in queries:
                    collection.forget_rankings()
                    answers.append((q, collection.search(q, limit=10).hits))
                    collection.list_ids(query=q, sort=None)
        except BaseException as exc:  # handed to the test below
            failures.append(exc)
        finally:
            collection.release_thread()

    worker = threading.Thread(target=search_on_a_worker)
    worker.start()
    while worker.is_alive():
        for q in queries:  # the GUI thread's quick reads meanwhile
            collection.highlight(q, collection.list_ids()[:3])
            collection.get_many(collection.list_ids()[:20])
    worker.join()
    assert not failures, failures
    assert len(answers) == 5 * len(queries)
    assert all(hits == expected[q] for q, hits in answers)
