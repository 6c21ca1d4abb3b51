"""Search against two anchors, on the same synthetic papers, in one run.

    .venv/bin/pip install tantivy            # benchmark-only, not a dependency
    .venv/bin/python benchmarks/anchors.py [--sizes 10000 100000] [--work DIR]

Builds, from the same documents (title and abstract of synthetic papers, see
synthetic.py), the readinglist index (`SearchIndex.rebuild`: one process per
core; and once more with one Whoosh writer, for the rebuild's ratio), a bare
SQLite FTS5 table (stdlib sqlite3, `porter unicode61`, bm25 with the title
weighted 3, `highlight` and `snippet`) and a tantivy-py index (`en_stem`,
title boosted 3, snippets). Then runs the query table of issue 11 on each:
the top 20 with highlights of the title and the abstract, p50 and p95 over
repeated runs (the first run of each query included), the first query of a
fresh process (cold), and the build time. Prints Markdown.

FTS5 has no fuzzy words: `vison~1` is matched there as an OR of the
indexed terms within one edit (looked up in its fts5vocab table, in the
timed part). tantivy matches `gen*` with a regex query on each field, as
its query parser has no prefix of a word.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import draw_words

from readinglist.index import index as index_module
from readinglist.index.index import IndexDoc, SearchIndex

QUERIES = {
    "one common word": ["model", "language", "learning", "vision"],
    "two words AND": ["language model", "visual tokens", "image generation", "large models"],
    "phrase": ['"language models"', '"large language"', '"neural networks"', '"state space"'],
    "prefix gen*": ["gen*"],
    "fuzzy vison~1": ["vison~1"],
}
RUNS = 12
TOP = 20
COLD_QUERY = "language model"


def documents(count: int, seed: int = 5) -> list[IndexDoc]:
    """`count` papers of synthetic.py's shape: titles of 6-14 words, abstracts
    of 120-260 in sentences, drawn with the word frequencies of the real dumps."""
    rng = random.Random(seed)
    out = []
    for serial in range(count):
        title_words = draw_words(rng, rng.randint(6, 14))
        title = " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(title_words))
        sentences, remaining = [], rng.randint(120, 260)
        while remaining > 0:
            n = min(remaining, rng.randint(12, 30))
            sentences.append(" ".join(draw_words(rng, n)).capitalize() + ".")
            remaining -= n
        year = rng.choice([None, rng.randint(2017, 2025)])
        upvotes = rng.choice([None, rng.randint(1, 400)])
        out.append(
            IndexDoc(
                serial + 1,
                f"{title} {serial}",
                " ".join(sentences),
                "",
                (),
                "unread",
                year,
                upvotes,
            )
        )
    return out


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(build: Callable[[], None]) -> tuple[float, float]:
    """(wall s, CPU s of this process and its children) of `build()`."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    build()
    return time.perf_counter() - wall, cpu_seconds() - cpu


# readinglist


def build_readinglist(folder: Path, docs: list[IndexDoc], *, processes: int | None) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    original = index_module._rebuild_processes
    if processes is not None:
        index_module._rebuild_processes = lambda: processes
    try:
        index = SearchIndex(folder)
        assert index.rebuild(docs, total=len(docs), generation=1)
        index.close()
    finally:
        index_module._rebuild_processes = original


class Readinglist:
    name = "readinglist"

    def __init__(self, folder: Path) -> None:
        self.index = SearchIndex(folder)

    def search(self, query: str) -> int:
        result = self.index.search(query, limit=TOP, highlight=True)
        return len(result.hits)


# FTS5


def fts5_query(query: str, db: sqlite3.Connection) -> str:
    """The FTS5 form of a query of the table (AND, "phrase", prefix*, word~1)."""
    if query.endswith("~1"):
        word = query[:-2]
        terms = [
            term
            for (term,) in db.execute("SELECT term FROM vocab WHERE col = 'abstract'")
            if within_one_edit(word, term)
        ]
        return " OR ".join(f'"{t}"' for t in terms) or '"zzznothing"'
    return query


def within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def build_fts5(path: Path, docs: list[IndexDoc]) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE papers USING fts5(title, abstract, tokenize='porter unicode61')"
    )
    db.executemany(
        "INSERT INTO papers(rowid, title, abstract) VALUES (?, ?, ?)",
        ((d.id, d.title, d.abstract) for d in docs),
    )
    db.execute("INSERT INTO papers(papers) VALUES ('optimize')")
    db.commit()
    db.close()


class Fts5:
    name = "FTS5"

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, papers, col)"
        )

    def search(self, query: str) -> int:
        rows = self.db.execute(
            "SELECT rowid, highlight(papers, 0, '<b>', '</b>'), "
            "snippet(papers, 1, '<b>', '</b>', '…', 40) FROM papers WHERE papers MATCH ? "
            "ORDER BY bm25(papers, 3.0, 1.0) LIMIT ?",
            (fts5_query(query, self.db), TOP),
        ).fetchall()
        return len(rows)


# tantivy


def tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("abstract", stored=True, tokenizer_name="en_stem")
    return builder.build()


def build_tantivy(folder: Path, docs: list[IndexDoc]) -> None:
    import tantivy

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    index = tantivy.Index(tantivy_schema(), path=str(folder))
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    for d in docs:
        writer.add_document(tantivy.Document(id=d.id, title=d.title, abstract=d.abstract))
    writer.commit()
    writer.wait_merging_threads()


class Tantivy:
    name = "tantivy"

    def __init__(self, folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.schema = tantivy_schema()
        self.index = tantivy.Index(self.schema, path=str(folder))
        self.index.reload()
        self.searcher = self.index.searcher()

    def parse(self, query: str):
        tv = self.tantivy
        fields = ["title", "abstract"]
        if query.endswith("*"):
            word = query[:-1].lower()
            return tv.Query.boolean_query(
                [
                    (tv.Occur.Should, tv.Query.regex_query(self.schema, f, f"{word}.*"))
                    for f in fields
                ]
            )
        if query.endswith("~1"):
            word = query[:-2].lower()
            return tv.Query.boolean_query(
                [
                    (tv.Occur.Should, tv.Query.fuzzy_term_query(self.schema, f, word, distance=1))
                    for f in fields
                ]
            )
        text = query if query.startswith('"') else " AND ".join(query.split())
        return self.index.parse_query(text, fields, field_boosts={"title": 3.0})

    def search(self, query: str) -> int:
        q = self.parse(query)
        hits = self.searcher.search(q, TOP).hits
        titles = self.tantivy.SnippetGenerator.create(self.searcher, q, self.schema, "title")
        abstracts = self.tantivy.SnippetGenerator.create(self.searcher, q, self.schema, "abstract")
        for _, address in hits:
            doc = self.searcher.doc(address)
            titles.snippet_from_doc(doc).to_html()
            abstracts.snippet_from_doc(doc).to_html()
        return len(hits)


ENGINES = {"readinglist": Readinglist, "FTS5": Fts5, "tantivy": Tantivy}


def latencies(engine, queries: list[str]) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        for query in queries:
            start = time.perf_counter()
            engine.search(query)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def cold(name: str, path: Path) -> float:
    """The first query of a fresh process, in ms: its modules imported
    before (the window imports and reads ahead at start-up, on its worker
    thread), its index not read yet."""
    out = subprocess.run(
        [sys.executable, __file__, "--cold", name, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["ms"]


def cold_child(name: str, path: Path) -> None:
    if name == "readinglist":
        import readinglist.index.bulk
        import readinglist.index.query  # noqa: F401
    elif name == "tantivy":
        import tantivy  # noqa: F401
    start = time.perf_counter()
    ENGINES[name](path).search(COLD_QUERY)
    print(json.dumps({"ms": (time.perf_counter() - start) * 1000}))


def _burn(count: int) -> int:
    total = 0
    for i in range(count):
        total += i * i
    return total


def machine_parallelism(count: int = 10_000_000) -> float:
    """How much faster two spawned processes do two pure-Python loops than
    one process does both (2.0 on two idle cores): what a parallel rebuild
    can gain on the machine right now."""
    import multiprocessing

    start = time.perf_counter()
    _burn(count)
    _burn(count)
    serial = time.perf_counter() - start
    context = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    workers = [context.Process(target=_burn, args=(count,)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return serial / (time.perf_counter() - start)


def run_size(work: Path, size: int, *, serial_build: bool) -> list[str]:
    docs = documents(size)
    paths = {
        "readinglist": work / f"anchors_rl_{size}",
        "FTS5": work / f"anchors_{size}.fts5",
        "tantivy": work / f"anchors_tv_{size}",
    }
    builds = {
        "readinglist": timed_build(
            lambda: build_readinglist(paths["readinglist"], docs, processes=None)
        ),
        "FTS5": timed_build(lambda: build_fts5(paths["FTS5"], docs)),
        "tantivy": timed_build(lambda: build_tantivy(paths["tantivy"], docs)),
    }
    serial = None
    if serial_build:
        serial = timed_build(
            lambda: build_readinglist(work / f"anchors_rl1_{size}", docs, processes=1)
        )
        shutil.rmtree(work / f"anchors_rl1_{size}", ignore_errors=True)

    engines = {name: cls(paths[name]) for name, cls in ENGINES.items()}
    rows = [
        f"\n### {size:,} papers\n",
        "| query | readinglist p50 / p95 ms | FTS5 p50 / p95 | tantivy p50 / p95 "
        "| readinglist / FTS5 (p50, p95) | readinglist / tantivy (p50, p95) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, queries in QUERIES.items():
        got = {name: latencies(engine, queries) for name, engine in engines.items()}
        rl, fts, tv = got["readinglist"], got["FTS5"], got["tantivy"]
        rows.append(
            f"| {kind} | {rl[0]:.1f} / {rl[1]:.1f} | {fts[0]:.1f} / {fts[1]:.1f} | "
            f"{tv[0]:.1f} / {tv[1]:.1f} | {rl[0] / fts[0]:.1f}x, {rl[1] / fts[1]:.1f}x | "
            f"{rl[0] / tv[0]:.1f}x, {rl[1] / tv[1]:.1f}x |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    colds = {name: cold(name, paths[name]) for name in ENGINES}
    rows.append(
        f"| cold first query `{COLD_QUERY}` (fresh process) | {colds['readinglist']:.0f} | "
        f"{colds['FTS5']:.0f} | {colds['tantivy']:.0f} | "
        f"{colds['readinglist'] / colds['FTS5']:.1f}x | "
        f"{colds['readinglist'] / colds['tantivy']:.1f}x |"
    )
    (rw, rc), (fw, fc), (tw, tc) = builds["readinglist"], builds["FTS5"], builds["tantivy"]
    rows.append(
        f"| build, wall s (CPU s) | {rw:.1f} ({rc:.1f}) | {fw:.1f} ({fc:.1f}) | "
        f"{tw:.1f} ({tc:.1f}) | {rw / fw:.1f}x | {rw / tw:.1f}x |"
    )
    if serial is not None:
        rows.append(
            f"\nreadinglist rebuild with one Whoosh writer: {serial[0]:.1f} s wall "
            f"({serial[1]:.1f} s CPU); with one process per core ({os.cpu_count()} cores): "
            f"{rw:.1f} s wall, **{rw / serial[0]:.2f}x**. Two processes against one on a "
            f"pure-Python loop, just after: {machine_parallelism():.2f}x faster."
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--no-serial", action="store_true", help="skip the one-writer rebuild")
    parser.add_argument("--cold", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        cold_child(args.cold[0], Path(args.cold[1]))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"## Search against FTS5 and tantivy ({time.strftime('%Y-%m-%d %H:%M')})")
    for size in args.sizes:
        print("\n".join(run_size(args.work, size, serial_build=not args.no_serial)), flush=True)


if __name__ == "__main__":
    main()
