"""Too few signals: upvotes then date, and every reason and the note say so."""

from __future__ import annotations

from datetime import date

from readinglist.ranking import MIN_SIGNALS, RankDoc, Signal, train


def test_four_signals_fall_back_to_upvotes_then_date(corpus, topics):
    signals = {i: Signal(read=True) for i in sorted(topics["in-context learning"])[:4]}
    model = train(corpus, signals)
    assert model.fallback
    assert "upvotes and date" in model.note and "4 so far" in model.note
    assert "\n" not in model.note
    candidates = [d.id for d in corpus if d.id not in signals]
    ranked = model.rank(candidates)
    assert [r.id for r in ranked] != candidates
    by_id = {d.id: d for d in corpus}
    keys = [
        (-(by_id[r.id].upvotes or 0), -(by_id[r.id].published or date.min).toordinal())
        for r in ranked
    ]
    assert keys == sorted(keys)
    top = ranked[0]
    assert top.reason == f"popular on the site: {by_id[top.id].upvotes} upvotes"
    for r in ranked:
        doc = by_id[r.id]
        if doc.upvotes:
            assert r.reason.startswith("popular on the site: ")
        elif doc.published:
            assert r.reason == f"no upvotes on the site; by date: {doc.published.isoformat()}"
        else:
            assert r.reason == "no upvotes or date on the site"


def test_the_fifth_signal_starts_learning(corpus, topics):
    ids = sorted(topics["in-context learning"])
    four = {i: Signal(read=True) for i in ids[:4]}
    assert train(corpus, four).fallback
    five = four | {ids[4]: Signal(note=True)}
    model = train(corpus, five)
    assert not model.fallback
    assert model.note.startswith("Learned from 5 papers")
    assert MIN_SIGNALS == 5


def test_signals_that_weigh_nothing_or_name_unknown_papers_do_not_count(corpus):
    ids = [d.id for d in corpus[:4]]
    signals = {i: Signal(read=True) for i in ids}
    signals[corpus[10].id] = Signal(opened_seconds=3.0)  # a glance: no weight
    signals[10_000_000] = Signal(read=True)  # not in the library
    assert train(corpus, signals).fallback


def test_dismissals_alone_fall_back_but_still_sink(corpus):
    dismissed = {d.id: Signal(dismissed=True) for d in corpus[:6]}
    model = train(corpus, dismissed)
    assert model.fallback and "(6 dismissed)" in model.note
    ranked = model.rank([d.id for d in corpus])
    assert {r.id for r in ranked[-6:]} == set(dismissed)
    assert all(r.reason == "you dismissed it" for r in ranked[-6:])


def test_no_papers_at_all():
    model = train([], {})
    assert model.fallback
    unknown = "imported after the ranking last learned"
    assert [(r.id, r.reason) for r in model.rank([1, 2])] == [(1, unknown), (2, unknown)]


def test_ties_and_unknown_ids_keep_a_stable_order():
    docs = [
        RankDoc(3, "Alpha", "a b", None, None),
        RankDoc(1, "Beta", "c d", 2, date(2024, 1, 1)),
        RankDoc(2, "Gamma", "e f", 2, date(2025, 1, 1)),
    ]
    ranked = train(docs, {}).rank([3, 99, 1, 2, 1])
    assert [r.id for r in ranked] == [2, 1, 3, 99]
    assert ranked[-1].reason == "imported after the ranking last learned"
    assert [r.id for r in train(docs, {}).rank([3, 1, 2], limit=2)] == [2, 1]
