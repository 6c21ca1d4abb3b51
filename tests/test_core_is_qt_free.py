"""The core must never reach for Qt (STYLE.md: Anki's rule, enforced)."""

import subprocess
import sys

CORE_MODULES = [
    "readinglist.cli",
    "readinglist.collection",
    "readinglist.dumps",
    "readinglist.export.vault",
    "readinglist.library.importing",
    "readinglist.library.writes",
    "readinglist.index.index",
]

PROBE = """
import sys
for name in ("PySide6", "shiboken6"):
    sys.modules[name] = None  # any import of Qt now raises ImportError
import importlib
for module in {modules!r}:
    importlib.import_module(module)
from readinglist.cli import main
assert main(["--library", sys.argv[1], "import", sys.argv[2]]) == 0
assert main(["--library", sys.argv[1], "search", "transformer"]) == 0
print("qt-free")
"""


def test_core_and_headless_cli_never_import_qt(tmp_path, dump_paths):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(modules=CORE_MODULES),
            str(tmp_path / "lib"),
            str(dump_paths[0]),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "qt-free" in result.stdout
