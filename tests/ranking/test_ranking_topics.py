"""A reader of one topic, set up through the API on the five real dumps."""

from __future__ import annotations

import re

import pytest

from readinglist.ranking import RankDoc, Signal, train
from readinglist.ranking.fallback import by_popularity

READ = 8


def read_first(topic_ids: list[int]) -> dict[int, Signal]:
    return {doc_id: Signal(read=True) for doc_id in sorted(topic_ids)[:READ]}


def top_ids(corpus: list[RankDoc], signals: dict[int, Signal], k: int = 10) -> list[int]:
    model = train(corpus, signals)
    candidates = [d.id for d in corpus if d.id not in signals]
    return [r.id for r in model.rank(candidates, limit=k)]


@pytest.mark.parametrize(
    "topic",
    [
        "in-context learning",
        "state-space and recurrent models",
        "pruning, quantization and distillation",
    ],
)
def test_a_reader_of_one_topic_gets_that_topics_papers_first(corpus, topics, topic):
    members = set(topics[topic])
    signals = read_first(topics[topic])
    top = top_ids(corpus, signals)
    hits = sum(1 for i in top if i in members)
    upvote_top = [d.id for d in by_popularity(corpus) if d.id not in signals][:10]
    assert hits >= 6, f"{topic}: {hits} of the top 10"
    assert hits >= 2 * max(1, sum(1 for i in upvote_top if i in members))


def test_two_readers_of_different_topics_get_different_lists(corpus, topics):
    icl = top_ids(corpus, read_first(topics["in-context learning"]))
    ssm = top_ids(corpus, read_first(topics["state-space and recurrent models"]))
    assert not set(icl) & set(ssm)


def test_dismissed_papers_and_their_like_sink(corpus, topics):
    icl, pruning = topics["in-context learning"], topics["pruning, quantization and distillation"]
    liked = read_first(icl) | read_first(pruning)
    dismissed = {doc_id: Signal(dismissed=True, read=True) for doc_id in sorted(pruning)[READ:13]}
    rest = [i for i in pruning[13:] if i not in liked]
    candidates = [d.id for d in corpus if d.id not in liked]

    def positions(signals: dict[int, Signal]) -> list[int]:
        order = [r.id for r in train(corpus, signals).rank(candidates)]
        return [order.index(i) for i in rest]

    before, after = positions(liked), positions(liked | dismissed)
    assert sum(after) > sum(before), "pruning papers should sink once five of them are dismissed"
    ranked = train(corpus, liked | dismissed).rank(candidates)
    assert {r.id for r in ranked[-len(dismissed) :]} == set(dismissed)
    assert all(r.reason == "you dismissed it" for r in ranked[-len(dismissed) :])
    assert all(r.score == float("-inf") for r in ranked[-len(dismissed) :])


def _occurs(term: str, text: str) -> bool:
    """Whether a shown term (folded: 'language model') occurs in a text, as words in a row."""
    stems = [w[:-1] if w.endswith("y") else w for w in term.split()]
    pattern = r"\b" + r"\W+".join(re.escape(stem) + r"\w*" for stem in stems) + r"\b"
    return re.search(pattern, text.lower()) is not None


REASON = re.compile(r"^shares (?P<terms>.+) with (?P<n>\d+) papers? you read$")


def test_reasons_name_terms_the_paper_shares_with_papers_read(corpus, topics):
    signals = read_first(topics["in-context learning"])
    model = train(corpus, signals)
    assert not model.fallback
    by_id = {d.id: d for d in corpus}
    read_texts = [f"{by_id[i].title} {by_id[i].abstract}" for i in signals]
    ranked = model.rank([d.id for d in corpus if d.id not in signals], limit=10)
    phrases = 0
    for r in ranked:
        match = REASON.match(r.reason)
        assert match, r.reason
        terms = match["terms"].split(", ")
        assert 1 <= len(terms) <= 2
        phrases += sum(1 for t in terms if " " in t)
        text = f"{by_id[r.id].title} {by_id[r.id].abstract}"
        assert all(_occurs(t, text) for t in terms), (r.reason, by_id[r.id].title)
        sharing = sum(1 for read in read_texts if any(_occurs(t, read) for t in terms))
        assert int(match["n"]) == sharing >= 1, r.reason
    assert phrases >= 5, "two-word phrases should lead the reasons where they exist"
    assert any("context learning" in r.reason for r in ranked)


def test_retraining_with_the_kept_features_ranks_the_same(corpus, topics):
    ids = sorted(topics["in-context learning"])
    first = train(corpus, {i: Signal(read=True) for i in ids[:6]})
    signals = {i: Signal(read=True) for i in ids[:8]}
    candidates = [d.id for d in corpus if d.id not in signals]
    again = train(corpus, signals, features=first.features)
    assert again.features is first.features
    assert again.rank(candidates, limit=20) == train(corpus, signals).rank(candidates, limit=20)
    other = train(corpus[:50], {})
    assert train(corpus, signals, features=other.features).features is not other.features


def test_a_reason_says_noted_or_tagged_when_not_every_paper_was_read(corpus, topics):
    ids = sorted(topics["in-context learning"])
    signals = {i: Signal(read=True) for i in ids[:4]} | {i: Signal(tags=1) for i in ids[4:8]}
    model = train(corpus, signals)
    assert model.note == "Learned from 8 papers you read, noted or tagged and 0 you dismissed."
    top = model.rank([d.id for d in corpus if d.id not in signals], limit=3)
    assert all(" papers you read, noted or tagged" in r.reason for r in top), top
