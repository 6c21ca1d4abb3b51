"""Fixtures shared by every test: the real dumps, and data dirs kept in tmp."""

from __future__ import annotations

from pathlib import Path

import pytest
from testdata import DUMPS

REPO = Path(__file__).resolve().parents[1]


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
