"""Where the test data lives: the one place that names its folders.

Everything the tests read is in the repository (`tests/data/`), so a clone
with nothing beside it passes its tests.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# The five real page dumps (layouts A, B and C).
DUMPS = DATA / "dumps"
# Real captures of the site (saved HTML, Markdown, API JSON), renderings of
# them made with real browsers and converters, and files that hold no listing.
WILD = DATA / "wild"
# Library files as older versions wrote them (the schema upgrades' inputs).
LIBRARY_DATA = DATA / "library"
DUMP_000 = DUMPS / "000_5733246e1202f2f6.txt"
DUMP_002 = DUMPS / "002_352af490330af86f.txt"


def dump_files() -> list[Path]:
    """The five real page dumps, in name order."""
    paths = sorted(DUMPS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five dumps in {DUMPS}"
    return paths
