"""The search index: building, writing, highlighting, similarity, damage, threads."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from readinglist.index.index import IndexDoc, SearchIndex, SearchIndexError


def doc(paper_id: int, title: str, abstract: str = "", **kw: object) -> IndexDoc:
    fields: dict[str, object] = {
        "note": "",
        "tags": (),
        "status": "unread",
        "year": None,
        "upvotes": None,
    }
    fields.update(kw)
    return IndexDoc(paper_id, title, abstract, **fields)  # type: ignore[arg-type]


PAPERS = [
    doc(1, "Attention Is All You Need <script>alert(1)</script>", "Transformers & attention."),
    doc(
        2,
        "Diffusion models beat GANs",
        "Diffusion models generate images by denoising; diffusion sampling is slow. "
        + "Filler words about unrelated matters go here to make a long abstract. " * 6
        + "At the very end, diffusion again.",
    ),
    doc(3, "Denoising diffusion probabilistic models", "Image generation with diffusion."),
    doc(4, "Graph neural networks for molecules", "Message passing on molecular graphs."),
    doc(5, "Score-based generative modeling", "Diffusion through stochastic equations."),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def index(folder: Path) -> SearchIndex:
    index = SearchIndex(folder)
    assert index.rebuild(PAPERS, total=len(PAPERS), generation=1)
    yield index
    index.close()


def all_ids(index: SearchIndex) -> list[int]:
    return sorted(index.ranked_ids("*"))


# highlights


def test_highlights_escape_everything_and_bold_the_matches(index: SearchIndex) -> None:
    hit = index.search("attention")
    assert hit.hits[0].highlights == {
        "title": "<b>Attention</b> Is All You Need &lt;script&gt;alert(1)&lt;/script&gt;",
        "abstract": "Transformers &amp; <b>attention</b>.",
    }
    script = index.search("script").hits[0].highlights["title"]
    assert "<script>" not in script
    assert "&lt;<b>script</b>&gt;" in script


def test_highlights_show_stemmed_matches_and_passages(index: SearchIndex) -> None:
    marked = index.search("diffusion generation").hits
    by_id = {hit.id: hit.highlights for hit in marked}
    assert by_id[3] == {
        "title": "Denoising <b>diffusion</b> probabilistic models",
        "abstract": "Image <b>generation</b> with <b>diffusion</b>.",
    }
    long = index.search("diffusion", limit=None).hits
    abstract = {hit.id: hit.highlights for hit in long}[2]["abstract"]
    assert abstract.startswith("<b>Diffusion</b> models generate images")
    assert " … " in abstract  # passages, not the whole long abstract
    assert len(abstract) < len(PAPERS[1].abstract)


def test_fields_without_a_match_and_excluded_words_are_not_highlighted(
    index: SearchIndex,
) -> None:
    hit = index.search("molecules NOT diffusion").hits[0]
    assert hit.highlights == {"title": "Graph neural networks for <b>molecules</b>"}
    assert index.search("attention", highlight=False).hits[0].highlights == {}


def test_highlight_only_what_is_on_screen(index: SearchIndex) -> None:
    marked = index.highlight("diffusion", [3, 4, 99])
    assert marked[3]["title"] == "Denoising <b>diffusion</b> probabilistic models"
    assert marked[4] == {}
    assert marked[99] == {}
    assert index.highlight("", [3]) == {3: {}}


def test_prefix_and_fuzzy_words_are_highlighted(index: SearchIndex) -> None:
    assert (
        index.highlight("gener*", [3])[3]["abstract"] == "Image <b>generation</b> with diffusion."
    )
    assert index.highlight("molecuels~2", [4])[4]["title"].endswith("<b>molecules</b>")


def test_marked_tokens_cut_words_like_the_analyzer() -> None:
    from readinglist.index.fields import marked_tokens, text_analyzer, words_of

    text = "The Düsseldorf GPT-4 models, e.g. U.S. data* — naïve Transformers'"
    analyzed = [
        (t.startchar, t.endchar, t.text)
        for t in text_analyzer()(text, chars=True, removestops=False, mode="index")
    ]
    stems = frozenset(text for _, _, text in analyzed)
    marked = [(t.startchar, t.endchar, t.text, t.matched) for t in marked_tokens(text, stems)]
    assert [m[:2] for m in marked] == [a[:2] for a in analyzed]
    assert [m[3] for m in marked] == [text not in {"the"} for _, _, text in analyzed]
    unstemmed = {t.text for t in text_analyzer()(text, no_morph=True)}
    assert words_of(text) == unstemmed


# similar


def test_similar_excludes_the_paper_and_ranks_related_papers_first(index: SearchIndex) -> None:
    similar = [hit.id for hit in index.similar(3, limit=3)]
    assert 3 not in similar
    assert similar[:2] == [2, 5] or similar[:2] == [5, 2]
    assert 4 not in similar[:2]
    assert all(hit.highlights == {} for hit in index.similar(3))


def test_similar_of_an_unknown_paper_is_empty(index: SearchIndex, tmp_path: Path) -> None:
    assert index.similar(99) == []
    assert SearchIndex(tmp_path / "missing").similar(1) == []


# writing


def test_write_upsert_replaces_without_duplicates(index: SearchIndex) -> None:
    changed = replace(PAPERS[3], title="Graph transformers for proteins", tags=("Bio",))
    index.write(upsert=[changed, changed], generation=2)
    assert index.ranked_ids("molecules") == []
    assert index.ranked_ids("proteins") == [4]
    assert index.ranked_ids("tag:bio") == [4]
    assert all_ids(index) == [1, 2, 3, 4, 5]
    assert index.doc_count() == 5
    assert index.generation() == 2


def test_write_adds_deletes_and_commits_once(index: SearchIndex) -> None:
    new = [doc(10 + i, f"Imported paper {i}", "About zebras.") for i in range(250)]
    index.write(upsert=new, delete=[1, 2], generation=5)
    assert index.search("zebras", limit=10).total == 250
    assert index.ranked_ids("attention") == []
    assert index.doc_count() == 253
    assert index.is_current(5)


def test_delete_wins_over_nothing_and_upsert_wins_over_delete(index: SearchIndex) -> None:
    index.write(upsert=[replace(PAPERS[0], title="Kept")], delete=[1, 4, 404], generation=3)
    assert all_ids(index) == [1, 2, 3, 5]
    assert index.ranked_ids("kept") == [1]


def test_searches_between_many_writes_see_each_write_exactly(index: SearchIndex) -> None:
    # Whoosh merges small segments every few commits; a searcher that was
    # refreshed rather than reopened showed merged papers twice.
    for generation in range(2, 14):
        batch = [doc(100 + generation * 10 + i, "Zebra") for i in range(3)]
        index.write(upsert=batch, delete=[100 + (generation - 1) * 10], generation=generation)
        expected = 3 * (generation - 1) - (generation - 2)
        assert index.search("zebra", limit=None).total == expected
        assert len(set(index.ranked_ids("zebra"))) == expected
        assert index.doc_count() == len(PAPERS) + expected


def test_words_of_written_papers_feed_prefixes_fuzzy_and_suggestions(index: SearchIndex) -> None:
    index.write(
        upsert=[doc(20, "Zebrafish embryos", "Regeneration of fins.", note="pipette")], generation=2
    )
    assert index.ranked_ids("zebrafi*") == [20]
    assert index.ranked_ids("regenerat*") == [20]
    assert index.ranked_ids("zebrafsh~") == [20]
    assert index.ranked_ids("note:pipete~") == [20]
    assert index.suggest("zebrafisj") == "zebrafish"
    assert index.suggest("pipete") is None  # notes feed no suggestions


def test_words_of_deleted_papers_are_not_suggested(index: SearchIndex) -> None:
    index.write(upsert=[doc(30, "Xylophone acoustics")], generation=2)
    assert index.suggest("xylophon") == "xylophone"
    index.write(delete=[30], generation=3)
    assert index.suggest("xylophon") is None
    assert index.ranked_ids("xylo*") == []


def test_negative_queries_return_papers_only(index: SearchIndex) -> None:
    index.write(upsert=[doc(40, "Quokka")], generation=2)  # adds a lexicon document
    assert sorted(index.ranked_ids("NOT diffusion")) == [1, 4, 40]
    assert index.search("NOT diffusion").total == 3
    assert sorted(index.ranked_ids("*")) == [1, 2, 3, 4, 5, 40]
    assert index.doc_count() == 6
    assert all(hit.id != 0 for hit in index.similar(40, limit=50))


def test_an_empty_write_records_the_generation(index: SearchIndex) -> None:
    index.write(generation=9)
    assert index.generation() == 9
    assert not index.is_current(1)


def test_write_leaves_a_missing_index_missing(folder: Path) -> None:
    index = SearchIndex(folder)
    index.write(upsert=PAPERS, generation=4)
    assert index.generation() is None
    assert index.search("attention").total == 0


def test_a_commit_without_its_generation_reads_as_stale(index: SearchIndex, folder: Path) -> None:
    state = json.loads((folder / "state.json").read_text())
    index.write(upsert=[doc(7, "New")], generation=2)
    # A crash between the Whoosh commit and the state file leaves the old
    # generation: the caller, at generation 2, sees the index as stale.
    (folder / "state.json").write_text(json.dumps(state))
    assert index.generation() == 1
    assert not index.is_current(2)


# generation, rebuild, damage


def test_generation_of_a_missing_or_empty_folder_is_none(tmp_path: Path) -> None:
    assert SearchIndex(tmp_path / "nowhere").generation() is None
    (tmp_path / "empty").mkdir()
    empty = SearchIndex(tmp_path / "empty")
    assert empty.generation() is None
    assert empty.doc_count() is None
    assert not empty.is_current(0)
    assert empty.search("attention").hits == []
    assert empty.ranked_ids("attention") == []
    assert not (tmp_path / "nowhere").exists()  # reading creates nothing


def test_rebuild_reports_progress_and_swaps(folder: Path) -> None:
    papers = [doc(i, f"Paper {i}", "Common words.") for i in range(1, 1201)]
    calls: list[tuple[int, int]] = []
    index = SearchIndex(folder)
    assert index.rebuild(
        iter(papers), total=1200, generation=3, progress=lambda *a: calls.append(a)
    )
    assert calls == [(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]
    assert index.is_current(3)
    assert index.search("common").total == 1200
    old = [p.name for p in folder.iterdir() if p.name.startswith("ix-")]
    assert index.rebuild(PAPERS, total=5, generation=4)
    assert index.search("common").total == 0
    assert index.search("diffusion").total == 3
    assert [p.name for p in folder.iterdir() if p.name.startswith("ix-")] != old
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 1


def test_a_cancelled_rebuild_leaves_the_old_index(index: SearchIndex, folder: Path) -> None:
    before = sorted(p.name for p in folder.iterdir())
    polls = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 2

    papers = (doc(i, "Other") for i in range(1000))
    assert not index.rebuild(papers, total=1000, generation=8, cancelled=cancelled)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert index.is_current(1)
    assert set(index.ranked_ids("diffusion")) == {2, 3, 5}


def test_a_cancel_after_the_last_paper_still_cancels(index: SearchIndex) -> None:
    assert not index.rebuild([doc(1, "x")], total=1, generation=2, cancelled=lambda: True)
    assert index.generation() == 1


def test_an_error_while_reading_papers_leaves_the_old_index(
    index: SearchIndex, folder: Path
) -> None:
    def papers():
        yield doc(1, "Fine")
        raise RuntimeError("database went away")

    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(RuntimeError):
        index.rebuild(papers(), total=2, generation=2)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert index.is_current(1)


def garble(paths: list[Path]) -> None:
    for path in paths:
        path.write_bytes(b"\x00garbage\xff" * 64)


def test_a_corrupt_index_reads_as_missing_then_rebuilds(index: SearchIndex, folder: Path) -> None:
    index.close()
    garble([p for p in folder.rglob("*") if p.is_file()])
    assert index.generation() is None
    assert index.doc_count() is None
    assert not index.is_current(1)
    assert index.rebuild(PAPERS, total=5, generation=2)
    assert index.is_current(2)
    assert index.ranked_ids("graph") == [4]


def test_corrupt_index_files_with_an_intact_state_read_as_missing(
    index: SearchIndex, folder: Path
) -> None:
    index.close()
    garble([p for p in folder.rglob("*") if p.is_file() and p.name != "state.json"])
    fresh = SearchIndex(folder)
    assert fresh.generation() is None
    with pytest.raises(SearchIndexError):
        fresh.search("attention")
    with pytest.raises(SearchIndexError):
        fresh.write(upsert=PAPERS[:1], generation=2)
    assert fresh.rebuild(PAPERS, total=5, generation=2)
    assert fresh.search("attention").total == 1


@pytest.mark.parametrize(
    "state",
    [
        "",
        "{",
        "[]",
        '{"schema": 999, "index": "ix-00000000000000000000000000000000", "generation": 1}',
        '{"schema": SV, "index": "../elsewhere", "generation": 1}',
        '{"schema": SV, "index": "ix-00000000000000000000000000000000", "generation": "1"}',
    ],
)
def test_a_bad_state_file_reads_as_missing(index: SearchIndex, folder: Path, state: str) -> None:
    from readinglist.index.fields import SCHEMA_VERSION

    (folder / "state.json").write_text(state.replace("SV", str(SCHEMA_VERSION)))
    assert index.generation() is None


def test_a_deleted_index_folder_reads_as_missing(index: SearchIndex, folder: Path) -> None:
    import shutil

    index.close()
    for sub in folder.iterdir():
        if sub.is_dir():
            shutil.rmtree(sub)
    assert index.generation() is None


def test_close_then_use_again(index: SearchIndex) -> None:
    index.close()
    index.close()
    assert index.ranked_ids("graph") == [4]


# threads


def test_searching_while_another_thread_writes(index: SearchIndex) -> None:
    errors: list[BaseException] = []
    done = threading.Event()

    def writer() -> None:
        try:
            for generation in range(2, 12):
                batch = [doc(100 + generation * 10 + i, f"Zebra {generation}") for i in range(5)]
                index.write(
                    upsert=batch, delete=[100 + (generation - 1) * 10], generation=generation
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = 0
    while not done.is_set() or seen == 0:
        result = index.search("zebra OR diffusion", limit=20)
        index.highlight("zebra", [hit.id for hit in result.hits])
        seen += len(index.ranked_ids("zebra"))
    thread.join()
    assert not errors
    assert index.generation() == 11
    assert index.search("zebra", limit=None).total == 41  # 50 written, 9 deleted


@pytest.mark.parametrize("processes", [1, 2])
def test_a_rebuild_in_another_thread_swaps_under_searches(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    import readinglist.index.index as index_module

    monkeypatch.setattr(index_module, "_PARALLEL_FROM", 100)
    monkeypatch.setattr(index_module, "_rebuild_processes", lambda: processes)
    papers = [doc(i, "Zebra crossing", "Stripes.") for i in range(1, 700)]
    thread = threading.Thread(
        target=index.rebuild, args=(papers,), kwargs={"total": 699, "generation": 5}
    )
    thread.start()
    while thread.is_alive():
        assert index.search("zebra OR diffusion").total in (3, 699)
    thread.join()
    assert index.search("zebra").total == 699


@pytest.mark.slow
def test_a_rebuild_whose_processes_are_killed_fails_at_once_and_keeps_the_old_index(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing
    import os
    import signal

    import readinglist.index.index as index_module

    monkeypatch.setattr(index_module, "_PARALLEL_FROM", 100)
    monkeypatch.setattr(index_module, "_rebuild_processes", lambda: 2)
    before = index.search("zebra OR diffusion").total

    def papers():
        for i in range(1, 20_000):
            if i == 300:  # the processes are indexing, their inboxes about to fill
                for child in multiprocessing.active_children():
                    os.kill(child.pid, signal.SIGKILL)
            yield doc(i, "Zebra crossing", "Stripes.")

    outcome: list[BaseException | None] = []

    def rebuild() -> None:
        try:
            index.rebuild(papers(), total=19_999, generation=7)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=rebuild, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the rebuild waited forever on a dead process"
    assert isinstance(outcome[0], SearchIndexError)
    assert "An indexing process stopped (exit code -9); the old index is kept." in str(outcome[0])
    assert index.search("zebra OR diffusion").total == before


# imports


def test_importing_the_module_does_not_import_whoosh() -> None:
    code = "import sys, readinglist.index.index; assert 'whoosh' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_schema_version_changes_with_the_schema() -> None:
    """An index of another schema reads as missing only if SCHEMA_VERSION
    changed with it. If this fails after a schema or analyzer change: bump
    SCHEMA_VERSION, then update the pin."""
    import hashlib

    from readinglist.index.fields import SCHEMA_VERSION, build_schema

    schema = build_schema()
    parts = []
    for name in schema.names():
        field = schema[name]
        attrs = {
            key: getattr(field, key, None)
            for key in ("bits", "shift_step", "stored", "unique", "field_boost", "scorable")
        }
        parts.append(f"{name}:{type(field).__name__}:{type(field.format).__name__}:{attrs}")
        for step in getattr(field.analyzer, "items", [field.analyzer]):
            expression = getattr(step, "expression", None)
            parts.append(f"  {type(step).__name__} {getattr(expression, 'pattern', '')}")
            parts.append(f"  {getattr(step, 'min', '')} {getattr(step, 'pattern', '')}")
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
    assert (SCHEMA_VERSION, digest) == (4, "db0841ec8fc0")


def zebra_papers(count: int) -> list[IndexDoc]:
    # Distinct scores: paper i says "zebra" i % 7 + 1 times, in abstracts of varying length.
    return [
        doc(i, f"Paper {i}", " ".join(["zebra"] * (i % 7 + 1) + ["filler"] * (i % 5)))
        for i in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    "query",
    ["zebra", "zebra filler", "zebra -filler", "zebr*", '"zebra zebra"', '"zebra filler"'],
)
def test_ranked_ids_is_the_whole_ranking(folder: Path, query: str) -> None:
    index = SearchIndex(folder)
    assert index.rebuild(zebra_papers(40), total=40, generation=1)
    hits = index.search(query, limit=None, highlight=False).hits
    assert len(hits) >= 8
    assert index.ranked_ids(query) == [hit.id for hit in hits]
    assert [hit.id for hit in index.search(query, limit=10).hits] == [h.id for h in hits[:10]]
    index.close()


@pytest.mark.parametrize(
    "query", ["zebra", "zebr*", "title:paper", "zebra OR filler", '"zebra zebra"', '"zebra filler"']
)
def test_top_hits_and_total_match_a_full_scoring(folder: Path, query: str) -> None:
    # Several segments with deletions: the counted postings skip deleted papers.
    index = SearchIndex(folder)
    assert index.rebuild(zebra_papers(30), total=30, generation=1)
    for generation in range(2, 6):
        new = zebra_papers(30 + generation * 5)[-5:]
        index.write(upsert=new, delete=[generation, generation + 10], generation=generation)
    full = index.search(query, limit=None, highlight=False)
    top = index.search(query, limit=7, highlight=False)
    assert top.total == full.total == len(full.hits)
    assert [hit.id for hit in top.hits] == [hit.id for hit in full.hits[:7]]
    assert not {2, 3, 4, 5, 12, 13, 14, 15} & set(index.ranked_ids(query))
    index.close()


def test_prefixes_find_known_words_in_papers_written_later(index: SearchIndex) -> None:
    # The segment of a write has no lexicon words of its own for "diffusion":
    # the index already knew it. A prefix must still find the new paper.
    index.write(upsert=[doc(60, "Latent diffusion")], generation=2)
    assert set(index.ranked_ids("diffus*")) == {2, 3, 5, 60}
    assert index.search("diffus*", limit=None).total == 4
    assert index.search("diffusio~", limit=2).total == 4
    assert index.highlight("diffus*", [60])[60] == {"title": "Latent <b>diffusion</b>"}


@pytest.mark.parametrize("limitmb", [256, 0])
def test_a_rebuild_in_parallel_processes_is_the_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limitmb: int
) -> None:
    # The same papers through one writer and through two processes: the
    # same hits, with the same scores, best first. With no memory to
    # spare, the processes write their postings to temporary files as they
    # go (in one temporary folder, which neither may remove under the other).
    import readinglist.index.index as index_module

    papers = [
        doc(
            i,
            f"Paper {i} on {['diffusion', 'graphs', 'attention'][i % 3]}",
            " ".join(["zebra"] * (i % 7 + 1) + ["filler", "language", "model"] * (i % 4)),
            note="model notes" if i % 5 == 0 else "",
            tags=("Machine Learning",) if i % 4 == 0 else (),
            year=2015 + i % 10,
            upvotes=i % 37,
        )
        for i in range(1, 401)
    ]
    serial = SearchIndex(tmp_path / "serial")
    assert serial.rebuild(papers, total=len(papers), generation=1)
    monkeypatch.setattr(index_module, "_PARALLEL_FROM", 10)
    monkeypatch.setattr(index_module, "_rebuild_processes", lambda: 2)
    monkeypatch.setattr(index_module, "_BATCH", 30)
    monkeypatch.setattr(index_module, "_REBUILD_LIMITMB", limitmb)
    seen: list[tuple[int, int]] = []
    parallel = SearchIndex(tmp_path / "parallel")
    assert parallel.rebuild(
        iter(papers), total=len(papers), generation=1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[0] == (0, 400) and seen[-1] == (400, 400)
    with parallel._lock:
        leaves = list(parallel._searcher().reader().leaf_readers())
    assert len(leaves) == 3  # two processes' segments and the lexicon's
    assert parallel.doc_count() == serial.doc_count() == 400
    for query in [
        "zebra",
        '"language model"',
        "model -diffusion",
        "diffus*",
        "year:[2018 TO 2020]",
        'tag:"machine learning"',
        "notes",
        "diffusio~",
        "*",
    ]:
        want = serial.search(query, limit=None, highlight=False)
        got = parallel.search(query, limit=None, highlight=False)
        assert got.total == want.total > 0, query
        assert {h.id: h.score for h in got.hits} == pytest.approx(
            {h.id: h.score for h in want.hits}
        ), query
        scores = [h.score for h in got.hits]
        assert scores == sorted(scores, reverse=True), query
    assert parallel.suggest("zebar") == serial.suggest("zebar") == "zebra"
    assert parallel.highlight("zebra", [7]) == serial.highlight("zebra", [7])
    serial.close()
    parallel.close()


def test_a_parallel_rebuild_can_be_cancelled(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import readinglist.index.index as index_module

    monkeypatch.setattr(index_module, "_PARALLEL_FROM", 10)
    monkeypatch.setattr(index_module, "_rebuild_processes", lambda: 2)
    papers = zebra_papers(300)
    calls = iter(range(10_000))
    assert not index.rebuild(papers, total=300, generation=2, cancelled=lambda: next(calls) > 3)
    assert index.generation() == 1
    assert sorted(index.ranked_ids("*")) == [1, 2, 3, 4, 5]  # the old index answers
    assert [p.name for p in index.folder.iterdir() if p.name.startswith("ix-")] == [
        index._read_state()[0]
    ]
