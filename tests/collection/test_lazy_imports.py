"""Reads never pay for sqlmodel: the window's first paint and `readinglist
search` stay quick (DESIGN.md: sqlmodel costs ~0.7 s to import)."""

import subprocess
import sys

from readinglist.collection import Collection

PROBE = """
import sys
from pathlib import Path
from readinglist.collection import Collection
from readinglist.cli import main

collection = Collection(Path(sys.argv[1]))
ids = collection.list_ids(query="transformer", sort=None)
assert ids and collection.get_many(ids[:5]) and collection.stats().papers
assert collection.index_is_current()
collection.close()
assert main(["--library", sys.argv[1], "search", "title:transformer"]) == 0
heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic") if m in sys.modules)
print("heavy:", heavy)
"""


def test_reads_and_cli_search_do_not_import_sqlmodel(tmp_path, dump_paths):
    folder = tmp_path / "lib"
    collection = Collection.open(folder)
    collection.import_paths(dump_paths[3:4])
    collection.close()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "heavy: []" in result.stdout


def test_first_write_opens_the_write_side(tmp_path, dump_paths):
    folder = tmp_path / "lib"
    Collection.open(folder).close()
    collection = Collection(folder)
    try:
        assert collection._library is None
        collection.import_paths(dump_paths[3:4])
        assert collection._library is not None
        assert collection.reader.count() == 78
    finally:
        collection.close()
