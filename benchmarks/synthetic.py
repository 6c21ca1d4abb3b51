"""Synthetic page dumps of realistic shape, for benchmarks.

Titles (6-14 words) and abstracts (120-260 words) are drawn from the words
of the real dumps in ../shared/dumps, each as often as it occurs there (a
uniform draw made every word equally common, so "attention" was as rare as
any typo), so term statistics look like the real thing; layout A with
byline, date and upvotes.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DUMPS = REPO / "tests" / "data" / "dumps"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CHROME = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\nApr 20\n\n"
)


@functools.cache
def word_counts() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The distinct words of the real dumps (sorted) and how often each occurs."""
    counts: Counter[str] = Counter()
    for path in sorted(DUMPS.glob("*.txt")):
        counts.update(re.findall(r"[A-Za-z][A-Za-z-]{2,}", path.read_text(encoding="utf-8")))
    words = tuple(sorted(counts))
    return words, tuple(counts[word] for word in words)


def vocabulary() -> list[str]:
    """The distinct words of the real dumps, sorted."""
    return list(word_counts()[0])


def draw_words(rng: random.Random, k: int) -> list[str]:
    """`k` words of the real dumps, each drawn as often as it occurs there."""
    return rng.choices(word_counts()[0], cum_weights=_cumulative(), k=k)


@functools.cache
def _cumulative() -> list[int]:
    return list(itertools.accumulate(word_counts()[1]))


def entry(rng: random.Random, serial: int) -> str:
    """One paper of a dump, its words drawn as often as in the real dumps."""
    title_words = draw_words(rng, rng.randint(6, 14))
    title = " ".join(w.capitalize() if i == 0 else w for i, w in enumerate(title_words))
    title = f"{title} {serial}"  # unique, so every entry is a distinct paper
    sentences = []
    remaining = rng.randint(120, 260)
    while remaining > 0:
        n = min(remaining, rng.randint(12, 30))
        sentences.append(" ".join(draw_words(rng, n)).capitalize() + ".")
        remaining -= n
    abstract = " ".join(sentences)
    month = rng.choice(MONTHS)
    year = rng.choice(["", f", {rng.randint(2017, 2025)}"])
    votes = rng.choice(["", f" {rng.randint(1, 400)}"])
    byline = f"  • {rng.randint(1, 30)} authors"
    return f"{title}\n\n{abstract}\n\n{byline}\n·\n{month} {rng.randint(1, 28)}{year}{votes}\n\n"


def write_dumps(folder: Path, papers: int, *, per_file: int = 250, seed: int = 7) -> list[Path]:
    """Write `papers` papers as dumps of `per_file` papers each; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for start in range(0, papers, per_file):
        body = "".join(entry(rng, serial) for serial in range(start, min(papers, start + per_file)))
        path = folder / f"dump_{start // per_file:05d}.txt"
        path.write_text(CHROME + body, encoding="utf-8")
        paths.append(path)
    return paths


def write_big_dump(path: Path, megabytes: float, *, seed: int = 11) -> Path:
    """One dump file of about `megabytes` MB."""
    rng = random.Random(seed)
    parts = [CHROME]
    size = 0
    serial = 0
    while size < megabytes * 1024 * 1024:
        text = entry(rng, serial)
        parts.append(text)
        size += len(text)
        serial += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path
