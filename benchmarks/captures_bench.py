"""Real captures: per input, papers found / expected / junk, and the parse speed.

    .venv/bin/python benchmarks/captures_bench.py [--repeat 5]

Every file under tests/data/wild (the site's saved page, its JSON, the
trending Markdown capture, and the renderings of the page made with real
browsers and converters) is read through `readinglist.dumps.read_dump`, as an
import reads it. Its expected titles are those of the page it was made from
(tests/data/wild/expected.json): a title found is one of them, junk is
anything else. Truncated captures are expected to miss their tail. Speed is
compared with a plain decode-and-split of the same bytes, measured in the
same run. Files that hold no listing (tests/data/nonlistings, the non-site
pages and notes among the variants, the folders' READMEs) must give no
papers at all. Prints Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from readinglist.dumps import read_dump
from readinglist.dumps.titles import title_key
from readinglist.errors import DumpError

REPO = Path(__file__).resolve().parents[1]

WILD = REPO / "tests" / "data" / "wild"
NONLISTINGS = REPO / "tests" / "data" / "nonlistings"
SNAPSHOT = datetime(2026, 12, 1, tzinfo=UTC)
SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".py"}


def expected_titles() -> dict[str, list[str]]:
    expected = json.loads((WILD / "expected.json").read_text())
    return {
        "daily_2024-08-01": expected["daily_2024-08-01.html"]["titles"],
        "search_2024-08-01": expected["daily_2024-08-01.html"]["titles"],
        "trending_capture": expected["trending_capture.md"]["titles"],
        "daily_papers_api": [],  # filled from the JSON itself below
    }


def api_titles() -> list[str]:
    entries = json.loads((WILD / "daily_papers_api.json").read_text())
    return [entry["paper"]["title"] for entry in entries]


def timed(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def measure(path: Path, titles: list[str] | None, repeat: int) -> str:
    data = path.read_bytes()
    try:
        result = read_dump(data, name=path.name, snapshot=SNAPSHOT)
        papers, skipped, form = result.papers, len(result.skipped), result.form
    except DumpError as exc:
        papers, skipped, form = [], 0, f"none ({exc})"
    parse = timed(lambda: _read(data, path.name), repeat)
    plain = timed(lambda: data.decode("utf-8", "replace").splitlines(), repeat)
    keys = [title_key(p.title) for p in papers]
    distinct = list(dict.fromkeys(keys))
    if titles is None:
        found, wanted, junk = "-", "0", str(len(distinct))
    else:
        wanted_keys = {title_key(t) for t in titles}
        found = str(sum(1 for k in wanted_keys if k in set(keys)))
        wanted = str(len(wanted_keys)) + (" (cut)" if "truncated" in path.name else "")
        junk = str(sum(1 for k in distinct if k not in wanted_keys))
    name = path.relative_to(REPO / "tests" / "data")
    return (
        f"| {name} | {form} | {found} | {wanted} | {junk} | {skipped} | "
        f"{parse * 1000:.1f} ms | {parse / plain:.0f}x |"
    )


def _read(data: bytes, name: str) -> None:
    with contextlib.suppress(DumpError):
        read_dump(data, name=name, snapshot=SNAPSHOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    expected = expected_titles()
    expected["daily_papers_api"] = api_titles()
    print(
        "| input | read as | found | expected | junk | skipped as doubtful | parse | "
        "vs. decode+split |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for path in sorted(WILD.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES or path.name == "expected.json":
            continue
        stem = next((key for key in expected if path.name.startswith(key)), None)
        # Anything not made from one of the site's pages (the folders' READMEs
        # too) must give no papers.
        print(measure(path, None if stem is None else expected[stem], args.repeat))
    for path in sorted(NONLISTINGS.glob("*")) if NONLISTINGS.is_dir() else []:
        if path.is_file():
            print(measure(path, None, args.repeat))


if __name__ == "__main__":
    main()
