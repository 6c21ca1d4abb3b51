"""TF-IDF of each paper's title and abstract, as a sparse matrix in plain numpy.

The terms come from `readinglist.ranking.terms`. A term kept must occur in at
least two papers (a term of one paper cannot link it to any other) and, in a
corpus of some size, in at most half of them (a term everywhere, like "model"
here, separates nothing). The matrix is CSR: `indptr`, `indices`, `data`, rows
L2-normalised, so a row's dot product with a weight vector is a cosine-like
score and long abstracts do not outweigh short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from readinglist.ranking.docs import RankDoc
from readinglist.ranking.terms import term_codes, term_name, tokens_of

MIN_DOC_FREQ = 2
MAX_DOC_SHARE = 0.5
MIN_DOCS_FOR_MAX_SHARE = 20  # in a handful of papers, every term is in "half of them"


@dataclass(frozen=True, slots=True)
class Features:
    """The TF-IDF matrix of a set of papers, one row a paper (CSR, rows L2-normalised)."""

    ids: tuple[int, ...]
    row_of: dict[int, int]
    codes: np.ndarray  # int64, the term code of each column (see `terms.term_codes`)
    words: tuple[str, ...]  # the folded words the codes are made of
    indptr: np.ndarray  # int64, len(ids) + 1
    indices: np.ndarray  # int32, term of each stored value
    data: np.ndarray  # float64, weight of each stored value
    rows: np.ndarray  # int32, row of each stored value (CSR expanded, for bincount)

    @property
    def n_docs(self) -> int:
        return len(self.ids)

    @property
    def n_terms(self) -> int:
        return len(self.codes)

    def term(self, column: int) -> str:
        """The term of a column, as shown to the reader: 'attention', 'state space'."""
        return term_name(int(self.codes[column]), self.words)

    def is_phrase(self, column: int) -> bool:
        """Whether a column holds a two-word phrase."""
        return bool(self.codes[column] >= len(self.words))

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The terms of one row and their weights."""
        start, end = self.indptr[row], self.indptr[row + 1]
        return self.indices[start:end], self.data[start:end]

    def scores(self, weights: np.ndarray) -> np.ndarray:
        """Every row's dot product with a vector over the terms."""
        return np.bincount(
            self.rows, weights=self.data * weights[self.indices], minlength=self.n_docs
        )

    def weighted_sum(self, rows: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """Sum of the given rows, each times its weight, as a dense vector over the terms."""
        total = np.zeros(self.n_terms)
        for row, weight in zip(rows, weights, strict=True):
            indices, data = self.row(row)
            total[indices] += weight * data
        return total


def build_features(docs: Sequence[RankDoc]) -> Features:
    """The TF-IDF matrix of the papers, in the order given.

    Args:
        docs: the papers; ids must be distinct.

    Returns:
        The matrix with its vocabulary.

    Raises:
        ValueError: if two papers share an id.
    """
    docs = list(docs)
    ids = tuple(doc.id for doc in docs)
    row_of = {doc_id: row for row, doc_id in enumerate(ids)}
    if len(row_of) != len(ids):
        raise ValueError("two papers share an id")
    tokens = tokens_of(docs)
    doc, code, weight = term_codes(tokens)
    n_words = len(tokens.words)
    span = np.int64(n_words + n_words * n_words)
    # One entry per (paper, term), in paper order then term order: CSR order.
    # A title's occurrences are repeated TITLE_WEIGHT times, so that one sort
    # and its run lengths count everything (a sort is several times cheaper
    # than the argsort behind np.unique's inverse).
    keys = np.sort(np.repeat(doc.astype(np.int64) * span + code, weight))
    new_run = np.ones(len(keys), dtype=bool)
    new_run[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(new_run)
    pairs = keys[starts]
    counts = np.diff(np.append(starts, len(keys)))
    # Where each paper's entries start: 10k binary searches, cheaper than a
    # division of every entry.
    pair_start = np.searchsorted(pairs, np.arange(len(docs) + 1, dtype=np.int64) * span)
    per_doc = np.diff(pair_start)
    pair_doc = np.repeat(np.arange(len(docs), dtype=np.int64), per_doc)
    pair_code = pairs - pair_doc * span
    codes, doc_freq = np.unique(pair_code, return_counts=True)
    column = np.searchsorted(codes, pair_code)
    ceiling = len(docs)
    if len(docs) >= MIN_DOCS_FOR_MAX_SHARE:
        ceiling = int(MAX_DOC_SHARE * len(docs))
    kept_codes = (doc_freq >= MIN_DOC_FREQ) & (doc_freq <= ceiling)
    new_column = np.cumsum(kept_codes) - 1
    keep = kept_codes[column]
    rows = pair_doc[keep].astype(np.int32)
    indices = new_column[column[keep]].astype(np.int32)
    idf = np.log((1 + len(docs)) / (1 + doc_freq[kept_codes])) + 1.0
    # Sublinear term frequency: the tenth "attention" in an abstract adds little.
    data = (1.0 + np.log(counts[keep])) * idf[indices]
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(docs)))
    norms[norms == 0] = 1.0
    data /= norms[rows]
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(docs)), out=indptr[1:])
    # Names are made on demand (`Features.term`): a reason needs a handful, not 100k.
    return Features(
        ids, row_of, codes[kept_codes], tuple(tokens.words), indptr, indices, data, rows
    )
