"""The `gui` marker: every Qt test carries it, and the rest runs without Qt installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# PySide6 made unimportable, as on a machine without it; pytest-qt is left out
# with it (the plugin needs Qt to load).
WITHOUT_QT = (
    "import sys; sys.modules['PySide6'] = None; import pytest; "
    "sys.exit(pytest.main(['-p', 'no:pytest-qt', '-p', 'no:cacheprovider', "
    "'-m', 'not gui', '--collect-only', '-q', 'tests']))"
)


def _collect(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_test_under_tests_gui_is_marked_gui():
    pytest.importorskip("PySide6", reason="the GUI tests are not collected without Qt")
    everything = _collect("tests/gui")
    marked = _collect("tests/gui", "-m", "gui")
    assert everything.returncode == 0 and marked.returncode == 0, marked.stdout[-2000:]
    total, chosen = everything.stdout.splitlines()[-1], marked.stdout.splitlines()[-1]
    assert "deselected" not in chosen and total.split()[0] == chosen.split()[0], (total, chosen)


def test_the_core_collects_without_qt():
    found = subprocess.run(
        [sys.executable, "-c", WITHOUT_QT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert found.returncode == 0, found.stdout[-3000:] + found.stderr[-3000:]
    last = found.stdout.strip().splitlines()[-1]
    assert "error" not in last, last
    assert int(last.split()[0].split("/")[0]) > 1000, last
