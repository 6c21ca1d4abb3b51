"""The detail pane's similar papers off the GUI thread: the window keeps taking keys while a
slow query runs, a paper skipped past never shows another's list, errors show the pane's
muted line, S and Enter still work, and closing mid-query neither hangs nor crashes."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from gui_timing import busy, ticks
from PySide6.QtCore import Qt
from user_input import click, press, show_in_table

from readinglist.collection import Collection
from readinglist.gui.flows import search_runner
from readinglist.gui.flows.search_runner import SearchRunner
from readinglist.gui.widgets.detail_pane import (
    NO_SIMILAR_TEXT,
    SIMILAR_PATIENCE_S,
    SIMILAR_UNAVAILABLE_TEXT,
    DetailPane,
    similar_papers,
)

SLOW_S = 1.5
THREAD_NAME = "readinglist-similar"


@dataclass
class Probe:
    """What the similar-papers queries of a ProbedCollection did, and which ones are slow."""

    slow: set[int] = field(default_factory=set)  # paper ids whose query takes SLOW_S first
    delay_s: float = SLOW_S
    threads: list[str] = field(default_factory=list)  # where each query ran
    running: int | None = None  # the paper whose query runs now
    done: list[int] = field(default_factory=list)  # papers whose query ended
    started: threading.Event = field(default_factory=threading.Event)


class ProbedCollection(Collection):
    """A real library whose `similar` records its thread and, for some papers, is slow first."""

    probe: Probe

    def similar(self, paper_id: int, *, limit: int = 10):
        probe = self.probe
        probe.threads.append(threading.current_thread().name)
        probe.running = paper_id
        probe.started.set()
        try:
            if paper_id in probe.slow:
                busy(probe.delay_s)
            return super().similar(paper_id, limit=limit)
        finally:
            probe.running = None
            probe.done.append(paper_id)


def _open_probed(folder: Path) -> ProbedCollection:
    collection = ProbedCollection.open(folder)
    collection.probe = Probe()
    return collection


@pytest.fixture
def probed(library_dir: Path) -> Iterator[ProbedCollection]:
    collection = _open_probed(library_dir)
    yield collection
    collection.close()


@pytest.fixture
def probed_window(qtbot, probed: ProbedCollection, window_factory):
    window = window_factory(probed)
    qtbot.waitUntil(window.detail.is_idle, timeout=15_000)
    yield window
    window.shut_down()


def _listed(pane: DetailPane) -> list[int]:
    listing = pane.similar_list
    return [listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listing.count())]


def _expected(folder: Path, ids: list[int]) -> dict[int, list[int]]:
    """What the pane should list for each paper, read on a plain collection of the same library."""
    plain = Collection(folder)
    try:
        return {i: [p.id for p in similar_papers(plain, i)] for i in ids}
    finally:
        plain.close()


def _similar_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def test_the_list_fills_from_a_thread_of_its_own(qtbot, probed: ProbedCollection) -> None:
    pane = DetailPane(probed)
    qtbot.addWidget(pane)
    paper_id = probed.list_ids()[0]
    pane.show_paper(probed.get(paper_id))
    assert pane.similar_list.count() == 0 and pane.similar_empty.isHidden()  # loading
    qtbot.waitUntil(lambda: pane.similar_list.count() > 0)
    assert _listed(pane) == _expected(probed.folder, [paper_id])[paper_id]
    assert probed.probe.threads and set(probed.probe.threads) == {THREAD_NAME}
    assert threading.current_thread().name not in probed.probe.threads


def test_keys_move_the_pane_on_while_a_slow_query_runs_and_its_answer_is_dropped(
    qtbot, probed_window
) -> None:
    window = probed_window
    pane = window.detail
    probe: Probe = window.collection.probe
    ids = window.model.ids()[:4]
    expected = _expected(window.collection.folder, ids)
    assert expected[ids[1]] != expected[ids[3]]  # a stale list would show
    show_in_table(qtbot, window, ids[0])
    qtbot.waitUntil(lambda: pane.similar_list.count() > 0)
    shown: list[tuple[int | None, list[int]]] = []
    real_set_papers = pane.similar_list.set_papers

    def recording(papers) -> None:
        real_set_papers(papers)
        shown.append((pane.current_paper_id(), [p.id for p in papers]))

    pane.similar_list.set_papers = recording
    probe.slow = {ids[1]}
    probe.started.clear()
    timer, times = ticks()

    press(window, "j")
    qtbot.waitUntil(lambda: probe.running == ids[1], timeout=5_000)
    press(window, "j", "j")  # back to back, while the query for ids[1] holds the GIL
    qtbot.waitUntil(lambda: pane.current_paper_id() == ids[3], timeout=1_000)
    # The keys were taken and the pane moved on with that query still running.
    assert probe.running == ids[1]
    assert pane.similar_list.count() == 0 and pane.similar_empty.isHidden()  # nothing stale
    qtbot.waitUntil(lambda: _listed(pane) == expected[ids[3]], timeout=15_000)
    qtbot.waitUntil(pane.is_idle, timeout=15_000)
    qtbot.wait(100)  # a late answer would have landed by now
    timer.stop()

    assert ids[1] in probe.done  # it ended, and its answer never showed
    assert _listed(pane) == expected[ids[3]]
    for current, listed in shown:
        assert not listed or listed == expected[current], f"another paper's list on {current}"
    assert set(probe.threads) == {THREAD_NAME}
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) > SLOW_S / 0.02 / 2, "the GUI thread's timer hardly ticked"
    # Half a slow search: a machine busy with other work stalls the timer by
    # a few tenths now and then, and a search on the GUI thread stalls it whole.
    assert max(gaps) < SLOW_S / 2, f"the GUI thread stalled for {max(gaps):.2f} s"


def test_a_damaged_index_gives_the_muted_line_not_an_error(
    qtbot, library_dir: Path, caplog
) -> None:
    index_files = [p for p in (library_dir / "index").rglob("*") if p.is_file()]
    assert index_files
    for path in index_files:
        if path.name != "state.json":
            path.write_bytes(b"\x00garbage\xff" * 64)
    collection = Collection(library_dir)  # not open(): that would rebuild the index
    try:
        pane = DetailPane(collection)
        qtbot.addWidget(pane)
        pane.show()
        paper = collection.get(collection.list_ids()[0])
        pane.show_paper(paper)
        qtbot.waitUntil(pane.similar_empty.isVisible, timeout=5_000)
        assert pane.similar_empty.text() == SIMILAR_UNAVAILABLE_TEXT
        assert pane.similar_list.count() == 0 and not pane.similar_list.isVisible()
        assert not pane.focus_similar()
        assert pane.title_label.text() == paper.title  # the rest of the pane is there
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
        pane.shut_down()
    finally:
        collection.close()


def test_a_click_on_a_similar_title_opens_it_in_the_window(qtbot, window) -> None:
    pane = window.detail
    show_in_table(qtbot, window, window.model.id_at(0))
    qtbot.waitUntil(lambda: pane.similar_list.count() > 1)
    pane.scroll_area.ensureWidgetVisible(pane.similar_list)
    chosen = _listed(pane)[1]
    rect = pane.similar_list.visualItemRect(pane.similar_list.item(1))
    click(window, pane.similar_list.viewport(), rect.center())
    qtbot.waitUntil(lambda: window.current_paper_id() == chosen)
    qtbot.waitUntil(lambda: pane.current_paper_id() == chosen)


def test_s_once_loaded_goes_to_the_list_and_enter_opens_one(qtbot, window) -> None:
    pane = window.detail
    show_in_table(qtbot, window, window.model.id_at(2))
    qtbot.waitUntil(lambda: pane.similar_list.count() > 0 and pane.is_idle())
    press(window, "s")
    assert pane.similar_list.hasFocus() and pane.similar_list.currentRow() == 0
    chosen = _listed(pane)[0]
    press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_paper_id() == chosen)


def test_s_before_a_slow_list_comes_focuses_it_when_it_comes(qtbot, probed_window) -> None:
    window = probed_window
    pane = window.detail
    paper_id = window.model.id_at(1)
    window.collection.probe.slow = {paper_id}
    show_in_table(qtbot, window, paper_id)
    started = time.perf_counter()
    press(window, "s")  # the list is SLOW_S away: S waits a moment only
    assert time.perf_counter() - started < SLOW_S - 0.5
    assert window.table.hasFocus() and pane.similar_list.count() == 0
    qtbot.waitUntil(pane.similar_list.hasFocus, timeout=15_000)
    assert pane.similar_list.currentRow() == 0
    assert _listed(pane) == _expected(window.collection.folder, [paper_id])[paper_id]


def test_s_before_a_slow_list_leaves_a_keyboard_that_moved_on(qtbot, probed_window) -> None:
    window = probed_window
    pane = window.detail
    paper_id = window.model.id_at(1)
    window.collection.probe.slow = {paper_id}
    show_in_table(qtbot, window, paper_id)
    press(window, "s", "/")  # then to the search field before the list comes
    qtbot.waitUntil(window.search.field.hasFocus)
    qtbot.waitUntil(lambda: pane.similar_list.count() > 0, timeout=15_000)
    qtbot.wait(50)
    assert window.search.field.hasFocus()


@pytest.fixture
def lonely(tmp_path: Path, make_dump) -> Iterator[ProbedCollection]:
    """A library of one paper: nothing is similar to it."""
    dump = make_dump(
        "one.txt",
        [
            (
                "Sparse Mixtures of Experts for Tabular Forecasting",
                "We route each row of a table to a few experts and forecast demand with them.",
            )
        ],
    )
    collection = _open_probed(tmp_path / "lonely")
    report = collection.import_paths([dump])
    assert report.added == 1
    yield collection
    collection.close()


@pytest.mark.parametrize("slow", [False, True], ids=["quick", "slow"])
def test_s_where_nothing_is_similar_says_so(qtbot, lonely, window_factory, slow: bool) -> None:
    window = window_factory(lonely)
    try:
        pane = window.detail
        paper_id = window.model.id_at(0)
        if slow:
            lonely.probe.slow, lonely.probe.delay_s = {paper_id}, SIMILAR_PATIENCE_S + 0.5
        show_in_table(qtbot, window, paper_id)
        window.say("")
        window.last_message = ""
        press(window, "s")
        qtbot.waitUntil(lambda: window.last_message == NO_SIMILAR_TEXT, timeout=15_000)
        assert window.statusBar().currentMessage() == NO_SIMILAR_TEXT
        assert pane.similar_empty.isVisible() and pane.similar_empty.text() == NO_SIMILAR_TEXT
        assert window.table.hasFocus()
    finally:
        window.shut_down()


def test_closing_the_window_mid_query_neither_hangs_nor_crashes(qtbot, probed_window) -> None:
    window = probed_window
    probe: Probe = window.collection.probe
    paper_id = window.model.id_at(1)
    probe.slow = {paper_id}
    probe.started.clear()
    show_in_table(qtbot, window, paper_id)
    qtbot.waitUntil(lambda: probe.running == paper_id, timeout=5_000)
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < SLOW_S + 5
    assert not _similar_threads()
    assert window.detail.is_idle()
    qtbot.wait(100)  # the answer of the query it let finish goes nowhere
    assert window.detail.similar_list.count() == 0


def test_a_pane_deleted_without_shut_down_stops_its_thread(qtbot, probed) -> None:
    before = len(_similar_threads())
    pane = DetailPane(probed)
    pane.show_paper(probed.get(probed.list_ids()[0]))
    qtbot.waitUntil(lambda: pane.similar_list.count() > 0)
    assert len(_similar_threads()) == before + 1
    pane.deleteLater()
    qtbot.waitUntil(lambda: len(_similar_threads()) == before, timeout=5_000)


# The process ends cleanly (status 0, no "Fatal Python error") when the pane goes, or the
# interpreter exits, while a slow similar query holds the GIL on the pane's thread.
MID_QUERY = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    from readinglist.collection import Collection
    from readinglist.gui.widgets.detail_pane import DetailPane

    class Slow(Collection):
        def similar(self, paper_id, *, limit=10):
            end = time.perf_counter() + 1.0
            while time.perf_counter() < end:
                sum(range(200))
            return super().similar(paper_id, limit=limit)

    app = QApplication([])
    collection = Slow.open(Path(sys.argv[1]))
    pane = DetailPane(collection)
    for paper_id in collection.list_ids()[:3]:
        pane.show_paper(collection.get(paper_id))
        pane.focus_similar()  # asks now, waits a moment, leaves it running
        app.processEvents()
    if sys.argv[2] == "delete":
        pane.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collection.close()
    print("left", sys.argv[2])
    """
)


@pytest.mark.parametrize("how", ["delete", "exit"])
def test_leaving_mid_query_ends_the_process_cleanly(library_dir: Path, how: str) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", MID_QUERY, str(library_dir), how],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "Fatal Python error" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["left", how]


# The runner, shared by the search and the similar papers.


def test_two_runners_at_once_leave_the_switch_interval_as_it_was(qtbot) -> None:
    original = sys.getswitchinterval()
    assert original > search_runner.SWITCH_INTERVAL_S
    first = SearchRunner(lanes=("similar",), name="test-first")
    second = SearchRunner()
    first_runs, second_runs, first_ended = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, float] = {}

    def first_job() -> str:
        first_runs.set()
        assert second_runs.wait(5)
        return "first"

    def second_job() -> str:
        second_runs.set()
        assert first_ended.wait(5)
        seen["after the first ended"] = sys.getswitchinterval()
        return "second"

    answers: list[str] = []
    try:
        first.submit("similar", first_job, lambda v: (answers.append(v), first_ended.set()))
        assert first_runs.wait(5)
        second.submit("listing", second_job, answers.append)
        qtbot.waitUntil(lambda: answers == ["first", "second"], timeout=10_000)
    finally:
        assert first.shutdown() and second.shutdown()
    assert seen["after the first ended"] == search_runner.SWITCH_INTERVAL_S
    assert sys.getswitchinterval() == original
