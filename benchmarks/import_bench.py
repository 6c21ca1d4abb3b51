"""A 250-paper import, searchable, into an empty library and a 100k one; and
the 100k rebuild, in parallel and with one writer.

    .venv/bin/python benchmarks/import_bench.py [--size 100000] [--work DIR] [--serial]

In-process, as the window does it: the import (library, then index: one
Whoosh writer for the dump) and the first search after it, timed together,
on a collection open and warm (its index read ahead, a search run). The big
library is built once in --work (its papers imported with the index left
missing, then one rebuild) and copied for each run. Prints Markdown.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_dumps

from readinglist.collection import Collection
from readinglist.index import index as index_module

QUERY = "transformer"
RUNS = 3


def build_big(work: Path, size: int) -> tuple[Path, float]:
    """The library of `size` papers (built when missing); its rebuild's wall s."""
    folder = work / f"lib_{size}"
    if (folder / "library.sqlite3").exists():
        return folder, float("nan")
    dumps = work / f"dumps_{size}"
    if not dumps.exists():
        write_dumps(dumps, size, per_file=min(size, 5000))
    Collection.open(folder).close()
    collection = Collection(folder)
    shutil.rmtree(collection.index_dir)  # a missing index is not written: papers only
    report = collection.import_paths([dumps])
    assert report.added == size, report.to_json()
    start = time.perf_counter()
    assert collection.rebuild_index()
    elapsed = time.perf_counter() - start
    collection.close()
    return folder, elapsed


def rebuild_time(folder: Path, processes: int | None) -> float:
    collection = Collection(folder)
    original = index_module._rebuild_processes
    if processes is not None:
        index_module._rebuild_processes = lambda: processes
    try:
        start = time.perf_counter()
        assert collection.rebuild_index()
        return time.perf_counter() - start
    finally:
        index_module._rebuild_processes = original
        collection.close()


def import_250(work: Path, base: Path | None) -> list[float]:
    dumps = work / "dumps_250"
    if not dumps.exists():
        write_dumps(dumps, 250, per_file=250, seed=3)
    times = []
    for _ in range(RUNS):
        folder = work / "lib_250_tmp"
        shutil.rmtree(folder, ignore_errors=True)
        if base is not None:
            shutil.copytree(base, folder)
        collection = Collection.open(folder)  # checks and warms the index
        collection.search(QUERY, limit=20)
        start = time.perf_counter()
        report = collection.import_paths([dumps])
        hits = collection.search(QUERY, limit=20)
        times.append(time.perf_counter() - start)
        assert report.added == 250 and hits.total > 0
        collection.close()
        shutil.rmtree(folder, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--serial", action="store_true", help="also time a one-writer rebuild")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    big, first_rebuild = build_big(args.work, args.size)
    print(f"## Import and rebuild ({time.strftime('%Y-%m-%d %H:%M')})\n")
    print("| case | median | runs |\n|---|---|---|")
    for label, base in (("empty library", None), (f"{args.size:,}-paper library", big)):
        times = import_250(args.work, base)
        runs = ", ".join(f"{t * 1000:.0f}" for t in times)
        print(
            f"| 250-paper dump into an {label}: imported, indexed, searched | "
            f"{statistics.median(times) * 1000:.0f} ms | {runs} ms |",
            flush=True,
        )
    parallel = rebuild_time(big, None) if first_rebuild != first_rebuild else first_rebuild
    print(f"| rebuild of {args.size:,} papers, one process per core | {parallel:.0f} s | |")
    if args.serial:
        serial = rebuild_time(big, 1)
        print(f"| rebuild of {args.size:,} papers, one Whoosh writer | {serial:.0f} s | |")
        print(f"| ratio | {parallel / serial:.2f}x | |")


if __name__ == "__main__":
    main()
