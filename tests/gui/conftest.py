"""Fixtures for the GUI tests: a real library made from the shared dumps, the real window.

Qt runs offscreen, and every user folder (settings, logs, platformdirs'
XDG dirs) points into the test's tmp_path, so no test touches the real ones.
"""

from __future__ import annotations

import os

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from testdata import DUMPS

from readinglist import paths
from readinglist.collection import Collection

# The offscreen platform plugin does not implement size hints for top-level
# windows, raising them, or popups' grabs, and says so whenever a window with
# a layout or a popup (the tag suggestions) is shown; that is the plugin's
# limitation, not a problem of ours, and the only warnings ignored.
OFFSCREEN_SIZE_HINTS = (
    r"^This plugin does not support "
    r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS))


def _delete_later_now() -> None:
    """Delete now the objects handed to deleteLater().

    pytest-qt closes each test's widgets with deleteLater(), and no event loop
    runs after the last test to finish the job.
    """
    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _leaves_no_qt_behind() -> Iterator[None]:
    """Fail a test that leaves a worker thread running or a window alive.

    Either would outlive the test and be torn down during interpreter
    shutdown, after the QApplication: where Qt objects crash the run.
    Runs after the test's own fixtures (and pytest-qt's closing of the
    widgets it was given) have torn down.
    """
    yield
    _delete_later_now()
    workers = [t.name for t in threading.enumerate() if t.name == "readinglist-worker"]
    app = QApplication.instance()
    windows = [type(w).__name__ for w in QApplication.topLevelWidgets()] if app else []
    assert not workers, f"{len(workers)} worker thread(s) still running: shut them down"
    assert not windows, f"windows still alive after the test: {windows} (use qtbot.addWidget)"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Finish Qt's pending deletions and collect garbage while the QApplication still exists."""
    _delete_later_now()
    gc.collect()
    _delete_later_now()


def dump_files() -> list[Path]:
    return sorted(DUMPS.glob("*.txt"))


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs and platformdirs' folders inside tmp_path."""
    home = tmp_path / "user"
    for variable, name in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / name))
    monkeypatch.setattr(paths, "config_dir", lambda: home / "config" / "readinglist")
    monkeypatch.setattr(paths, "log_dir", lambda: home / "state" / "readinglist" / "log")
    monkeypatch.delenv("READINGLIST_THEME", raising=False)
    monkeypatch.delenv("READINGLIST_LIBRARY", raising=False)
    return home


@pytest.fixture(scope="session")
def template_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five dumps imported once per session; tests get a copy."""
    folder = tmp_path_factory.mktemp("template") / "library"
    collection = Collection.open(folder)
    try:
        collection.import_paths(dump_files())
    finally:
        collection.close()
    return folder


@pytest.fixture
def library_dir(tmp_path: Path, template_library: Path) -> Path:
    destination = tmp_path / "library"
    shutil.copytree(template_library, destination)
    return destination


@pytest.fixture
def collection(library_dir: Path) -> Iterator[Collection]:
    opened = Collection.open(library_dir)
    yield opened
    opened.close()


@pytest.fixture
def empty_collection(tmp_path: Path) -> Iterator[Collection]:
    opened = Collection.open(tmp_path / "empty-library")
    yield opened
    opened.close()


@pytest.fixture
def settings(tmp_path: Path):
    from readinglist.gui.settings import Settings

    return Settings(tmp_path / "user" / "config" / "readinglist" / "readinglist.ini")


def make_window(qtbot, collection: Collection, settings, *, timeout_ms: int = 5000):
    from readinglist.gui.crash import CrashReporter
    from readinglist.gui.main_window import MainWindow

    window = MainWindow(collection, settings=settings, crash=CrashReporter())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(window.is_idle, timeout=timeout_ms)
    return window


@pytest.fixture
def window_factory(qtbot, settings):
    """Open another window over a collection (with the same settings file)."""
    return lambda collection, **options: make_window(qtbot, collection, settings, **options)


@pytest.fixture
def markup_title() -> str:
    return MARKUP_TITLE


@pytest.fixture
def window(qtbot, collection: Collection, settings):
    """The real main window over a copy of the dumps' library."""
    built = make_window(qtbot, collection, settings)
    yield built
    built.shut_down()


@pytest.fixture
def empty_window(qtbot, empty_collection: Collection, settings):
    built = make_window(qtbot, empty_collection, settings)
    yield built
    built.shut_down()


CHROME = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\nApr 20\n\n"
)

# Markup in a title that still reads as one (the readers leave out lines
# that read as program code, such as a title made of tags alone).
MARKUP_TITLE = (
    'Why Zebras Have <b>Stripes</b>: <a href="https://evil.example">Biting Flies</a> '
    "and <script>alert(1)</script>"
)


def dump_text(papers: list[tuple[str, str]]) -> str:
    """A page dump in layout A (title, abstract, metadata) of these (title, abstract) pairs."""
    blocks = [f"{title}\n\n{abstract}\n\n  • 3 authors\n·\nJan 29 2" for title, abstract in papers]
    return CHROME + "\n\n".join(blocks) + "\n"


@pytest.fixture(name="dump_text")
def dump_text_fixture():
    """The dump_text function: (title, abstract) pairs -> the text of a page dump."""
    return dump_text


@pytest.fixture
def shared_dumps() -> list[Path]:
    return dump_files()


@pytest.fixture
def make_dump(tmp_path: Path):
    """Write a small dump file: make_dump("name.txt", [(title, abstract), ...]) -> Path."""
    folder = tmp_path / "dumps"
    folder.mkdir(exist_ok=True)

    def make(name: str, papers: list[tuple[str, str]]) -> Path:
        path = folder / name
        path.write_text(dump_text(papers), encoding="utf-8")
        return path

    return make


@pytest.fixture
def zebra_dump(make_dump) -> Path:
    """Two new papers, the first with markup in its title."""
    return make_dump(
        "zebras.txt",
        [
            (MARKUP_TITLE, "Zebras have stripes; we study why the stripes confuse biting flies."),
            ("Quokka Smiles Are Real", "We measure quokka smiles with a new smile detector."),
        ],
    )
