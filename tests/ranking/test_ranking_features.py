"""TF-IDF terms: words and phrases, what breaks a phrase, what is kept."""

from __future__ import annotations

import numpy as np
import pytest

from readinglist.ranking import RankDoc
from readinglist.ranking.features import build_features
from readinglist.ranking.terms import fold


def terms_of_row(features, row: int) -> dict[str, float]:
    indices, data = features.row(row)
    return {features.term(int(c)): float(w) for c, w in zip(indices, data, strict=True)}


def test_fold_takes_plurals_to_the_singular_and_leaves_the_rest():
    assert fold("models") == "model"
    assert fold("studies") == "study"
    assert [fold(w) for w in ("attention", "class", "status", "analysis", "bias")] == [
        "attention",
        "class",
        "status",
        "analysis",
        "bias",
    ]


def test_phrases_never_span_a_stop_word_or_punctuation():
    docs = [
        RankDoc(1, "Selective scan", "Learning in transformers. Selective scan models."),
        RankDoc(2, "Learning transformers", "Selective scans; transformers learning"),
        RankDoc(3, "Other", "Learning transformers, and nothing else"),
    ]
    features = build_features(docs)
    first = terms_of_row(features, 0)
    assert "selective scan" in first  # "scan" and "scans" fold together
    assert "learning transformer" not in first  # "in" sits between them
    assert "transformer selective" not in first  # a full stop sits between them
    second = terms_of_row(features, 1)
    assert "scan transformer" not in second  # a semicolon
    assert "learning transformer" in second  # the title, and paper 3: a phrase kept
    assert "transformer learning" not in second  # one paper only


def test_hyphens_split_words_except_after_a_prefix():
    docs = [
        RankDoc(i, "t", "in-context learning with state-space models, pre-training them")
        for i in (1, 2)
    ] + [RankDoc(3, "x", "unrelated")]
    terms = terms_of_row(build_features(docs), 0)
    assert {"in-context learning", "state space", "space model", "pre-training"} <= set(terms)
    assert "context learning" not in terms


def test_a_term_of_one_paper_or_of_most_papers_is_not_kept():
    docs = [RankDoc(i, f"Paper {i}", f"transformer common words here {i}") for i in range(30)]
    docs.append(RankDoc(30, "Rare", "zygomorphic attention attention"))
    docs.append(RankDoc(31, "Rare too", "attention span"))
    features = build_features(docs)
    vocabulary = {features.term(c) for c in range(features.n_terms)}
    assert "attention" in vocabulary
    assert "zygomorphic" not in vocabulary  # one paper: it links nothing
    assert "transformer" not in vocabulary  # 30 of 32 papers: it separates nothing


def test_rows_are_unit_length_and_titles_weigh_more():
    docs = [
        RankDoc(1, "Diffusion", "tokenizer words"),
        RankDoc(2, "Tokenizer", "diffusion words"),
        RankDoc(3, "Unrelated", "diffusion tokenizer"),
    ]
    features = build_features(docs)
    for row in range(3):
        assert np.linalg.norm(features.row(row)[1]) == pytest.approx(1.0)
    first, second = terms_of_row(features, 0), terms_of_row(features, 1)
    assert first["diffusion"] > first["tokenizer"]
    assert second["tokenizer"] > second["diffusion"]


def test_control_characters_in_the_text_do_not_shift_papers():
    docs = [
        RankDoc(1, "Sparse \x01 attention", "sparse attention \x02 here"),
        RankDoc(2, "Sparse attention", "dense layers"),
        RankDoc(3, "Dense layers", "dense layers"),
    ]
    features = build_features(docs)
    assert "sparse attention" in terms_of_row(features, 0)
    assert "sparse attention" not in terms_of_row(features, 2)


def test_a_paper_with_no_words_has_an_empty_row():
    features = build_features([RankDoc(1, "", ""), RankDoc(2, "a b", "c"), RankDoc(3, "", "...")])
    assert features.n_docs == 3
    assert all(len(features.row(r)[0]) == 0 for r in range(3))


def test_two_papers_with_one_id_are_refused():
    with pytest.raises(ValueError, match="share an id"):
        build_features([RankDoc(1, "a", "b"), RankDoc(1, "c", "d")])
