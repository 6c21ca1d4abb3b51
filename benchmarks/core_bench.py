"""Core speed benchmarks: parsing, import, search, and `readinglist search`.

    .venv/bin/python benchmarks/core_bench.py [--sizes 1000 10000 100000] [--work DIR]

Prints a Markdown report (the figures of docs/benchmarks.md). Libraries are
built once in --work (default benchmarks/out/) and reused when present.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_big_dump, write_dumps

from readinglist.collection import Collection
from readinglist.dumps import parse_dump

QUERIES = {
    "one word": ["transformer", "attention", "retrieval", "vision", "speech", "graph"],
    "two words": ["language model", "visual tokens", "sparse attention", "image generation"],
    "phrase": ['"language models"', '"state space"', '"large language"', '"neural networks"'],
    "field": ["title:transformer", "abstract:diffusion", "title:efficient", "abstract:memory"],
    "prefix": ["transf*", "quant*", "multi*", "distill*"],
}


def bench_parse(work: Path) -> list[str]:
    path = work / "parse_10mb.txt"
    if not path.exists():
        write_big_dump(path, 10)
    data = path.read_bytes()
    mb = len(data) / 1024 / 1024
    plain, parsed = [], []
    for _ in range(5):
        start = time.perf_counter()
        path.read_bytes().decode("utf-8").splitlines()
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        papers = parse_dump(path.read_bytes(), name=path.name, snapshot=datetime.now(UTC))
        parsed.append(time.perf_counter() - start)
    p, q = min(plain), min(parsed)
    return [
        f"| parse {mb:.1f} MB ({len(papers)} papers) | read+split {p * 1000:.0f} ms "
        f"({mb / p:.0f} MB/s) | parse_dump {q * 1000:.0f} ms ({mb / q:.0f} MB/s) | "
        f"ratio {q / p:.2f}x (target within 3x) |"
    ]


def build_library(work: Path, size: int) -> tuple[Path, float]:
    folder = work / f"lib_{size}"
    if (folder / "library.sqlite3").exists():
        return folder, float("nan")
    dumps = work / f"dumps_{size}"
    if not dumps.exists():
        write_dumps(dumps, size, per_file=min(size, 5000))
    start = time.perf_counter()
    collection = Collection.open(folder)
    report = collection.import_paths([dumps])
    collection.close()
    elapsed = time.perf_counter() - start
    assert report.added == size, report.to_json()
    return folder, elapsed


def bench_import_250(work: Path) -> list[str]:
    dumps = work / "dumps_250"
    if not dumps.exists():
        write_dumps(dumps, 250, per_file=250, seed=3)
    rows = []
    for base in (None, work / "lib_10000"):
        folder = work / "lib_250_tmp"
        shutil.rmtree(folder, ignore_errors=True)
        if base is not None:
            if not base.exists():
                continue
            shutil.copytree(base, folder)
        collection = Collection.open(folder)
        start = time.perf_counter()
        report = collection.import_paths([dumps])
        hits = collection.search("transformer", limit=5)
        elapsed = time.perf_counter() - start
        collection.close()
        label = "empty library" if base is None else "10k library"
        rows.append(
            f"| 250-paper dump into {label}: imported, indexed, searchable | "
            f"{elapsed * 1000:.0f} ms ({report.added} added, {hits.total} hits) | "
            "target < 1000 ms |"
        )
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def bench_search(folder: Path, size: int) -> list[str]:
    collection = Collection.open(folder)
    rows = []
    for kind, queries in QUERIES.items():
        times = []
        for _ in range(8):
            for query in queries:
                start = time.perf_counter()
                collection.search(query, limit=50, highlight=True)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        rows.append(f"| {size:,} | {kind} | {p50:.1f} | {p95:.1f} |")
    collection.close()
    return rows


def bench_cli_search(folder: Path) -> str:
    env = {**os.environ, "READINGLIST_LIBRARY": str(folder)}
    cmd = [sys.executable, "-m", "readinglist", "search", "language model", "--limit", "20"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the page cache
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return (
        f'| `readinglist search "language model"` at {folder.name} | '
        f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms | "
        "target < 1000 ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    print("## Parsing\n")
    print("| input | plain | parser | ratio |\n|---|---|---|---|")
    print("\n".join(bench_parse(args.work)))

    print("\n## Import (library + index)\n")
    print("| papers | wall time | papers/s |\n|---|---|---|")
    folders = {}
    for size in args.sizes:
        folder, elapsed = build_library(args.work, size)
        folders[size] = folder
        rate = f"{size / elapsed:.0f}" if elapsed == elapsed else "(reused)"
        print(f"| {size:,} | {elapsed:.1f} s | {rate} |", flush=True)
    print()
    print("| case | time | target |\n|---|---|---|")
    print("\n".join(bench_import_250(args.work)))

    print("\n## Search latency (limit 50, highlights on)\n")
    print("| papers | query | p50 ms | p95 ms |\n|---|---|---|---|")
    for size in args.sizes:
        if size >= 10000:
            print("\n".join(bench_search(folders[size], size)), flush=True)

    print("\n## Whole process\n")
    print("| command | time | target |\n|---|---|---|")
    print(bench_cli_search(folders[max(args.sizes)]))


if __name__ == "__main__":
    main()
