"""Training on 10k papers, and what the package imports."""

from __future__ import annotations

import math
import random
import subprocess
import sys

from testdata import DUMPS

from readinglist.ranking import RankDoc, Signal, train


def synthetic_library(n: int, planted: int, seed: int = 3) -> list[RankDoc]:
    """n papers of words drawn from the real dumps; the first `planted` share a topic."""
    words = sorted({w for p in DUMPS.glob("*.txt") for w in p.read_text("utf-8").split()})
    rng = random.Random(seed)
    docs = []
    for i in range(1, n + 1):
        title = " ".join(rng.choices(words, k=8))
        abstract = " ".join(rng.choices(words, k=150))
        if i <= planted:
            abstract += " We study quantum annealing for protein folding."
        docs.append(RankDoc(i, title, abstract, rng.randint(0, 300), None))
    return docs


def test_training_on_10k_papers_finds_the_planted_topic():
    docs = synthetic_library(10_000, planted=40)
    signals = {i: Signal(read=True) for i in range(1, 11)}
    signals |= {i: Signal(dismissed=True) for i in range(5000, 5005)}
    model = train(docs, signals)
    assert not model.fallback
    unread = [d.id for d in docs if d.id not in signals]
    top = model.rank(unread, limit=30)
    assert all(r.id <= 40 for r in top)  # the 30 planted papers not read
    assert "quantum annealing" in top[0].reason or "protein folding" in top[0].reason
    scores = model.scores(unread)
    assert len(scores) == len(unread) and all(math.isfinite(s) for s in scores.values())


PROBE = """
import sys
for name in ("PySide6", "shiboken6", "sqlmodel", "sqlalchemy", "whoosh", "yaml", "platformdirs"):
    sys.modules[name] = None  # importing any of them now raises ImportError
import readinglist.ranking
loaded = {m.split(".")[0] for m, module in sys.modules.items() if module is not None}
outside = loaded - set(sys.stdlib_module_names)
print(sorted(m for m in outside if not m.startswith("_")))
"""


def test_the_package_imports_only_numpy_and_the_standard_library():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "['numpy', 'readinglist']"
