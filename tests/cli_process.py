"""The real command line in a process of its own, as a terminal (or a script) runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_readinglist(library: Path, *args: str) -> subprocess.CompletedProcess:
    """`readinglist --library LIBRARY ARGS...` in a new process (headless), finished."""
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--library", str(library), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
