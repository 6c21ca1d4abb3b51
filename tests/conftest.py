"""Fixtures shared by every test: the real dumps, and data dirs kept in tmp.

Tests that need Qt (those under tests/gui, and any using pytest-qt's `qtbot`
or `qapp`) get the `gui` marker here, so `pytest -m "not gui"` runs the core
alone; where PySide6 is not installed, tests/gui is not even collected.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from testdata import DUMPS

REPO = Path(__file__).resolve().parents[1]
GUI_TESTS = Path(__file__).resolve().parent / "gui"
QT_FIXTURES = frozenset({"qtbot", "qapp"})

try:
    _HAVE_QT = importlib.util.find_spec("PySide6") is not None
except ValueError:  # PySide6 blocked in sys.modules
    _HAVE_QT = False
collect_ignore = [] if _HAVE_QT else ["gui"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if GUI_TESTS in path.parents or QT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the user's real library, settings and logs."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("READINGLIST_LIBRARY", raising=False)


@pytest.fixture(scope="session")
def dump_paths() -> list[Path]:
    """The five real page dumps."""
    paths = sorted(DUMPS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five dumps in {DUMPS}"
    return paths
