"""What the site's pages carry, kept by the library: dedup by arXiv id first,
merges, one paper per file, skipped blocks, papers without an abstract,
upvote history and page dates. On real SQLite libraries and Whoosh indexes.

The papers are built as the readers of the site's JSON and saved pages give
them (values from tests/data/wild/daily_papers_api.json and the daily page
of 2024-08-01), so these tests run before and after those readers land.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from readinglist.cli import main
from readinglist.collection import Collection
from readinglist.dumps import NO_PAPERS, SkippedBlock
from readinglist.errors import NotFoundError
from readinglist.library.importing import (
    ImportPlan,
    PlannedFile,
    dated_by_page,
    disambiguated_key,
    known_lookup,
    plan_papers,
)
from readinglist.library.records import SourceFile
from readinglist.papers import ParsedPaper
from readinglist.paths import DATABASE_NAME

BEYOND_TITLE = (
    "Beyond Semantic Similarity: Rethinking Retrieval for Agentic Search via Direct Corpus "
    "Interaction"
)
BEYOND_NAMES = (
    *("Zhuofeng Li", "Haoxiang Zhang", "Cong Wei", "Pan Lu", "Ping Nie", "Yi Lu", "Yuyang Bai"),
    *("Shangbin Feng", "Hangxiao Zhu", "Ming Zhong", "Yuyu Zhang", "Jianwen Xie", "Yejin Choi"),
    *("James Zou", "Jiawei Han", "Wenhu Chen", "Jimmy Lin", "Dongfu Jiang", "Yu Zhang"),
)
BEYOND_ABSTRACT = (
    "Modern retrieval systems, whether lexical or semantic, expose a corpus through a fixed "
    "similarity interface that compresses access into a single top-k retrieval step before "
    "reasoning."
)
BEYOND_SUMMARY = (
    "Direct corpus interaction enables more effective agentic search by allowing agents to "
    "query raw text directly, outperforming traditional retrieval methods in complex tasks."
)

# As the site's JSON gives it: everything.
BEYOND = ParsedPaper(
    title=BEYOND_TITLE,
    abstract=BEYOND_ABSTRACT,
    authors=19,
    organisation="TIGER-Lab",
    published=date(2026, 5, 3),
    published_text="May 3, 2026",
    upvotes=86,
    arxiv_id="2605.05242",
    author_names=BEYOND_NAMES,
    comments=3,
    submitter="ZhuofengLi",
    github_url="https://github.com/DCI-Agent/DCI-Agent-Lite",
    github_stars=101,
    summary=BEYOND_SUMMARY,
    year_source="text",
)
# As a daily page's card shows it, copied as text: no abstract, a count of
# authors, a date whose year is guessed from the file's time, fewer upvotes.
BEYOND_CARD = ParsedPaper(
    title=BEYOND_TITLE,
    abstract="",
    authors=19,
    published=date(2025, 5, 3),
    published_text="May 3",
    year_inferred=True,
    upvotes=40,
    year_source="file",
)
COLA = ParsedPaper(
    title="Continuous Latent Diffusion Language Model",
    abstract="Large language models have achieved remarkable success under the autoregressive "
    "paradigm, yet high-quality text generation is not tied to it.",
    authors=11,
    organisation="ByteDance Seed",
    upvotes=68,
    arxiv_id="2605.06548",
    comments=6,
    submitter="taesiri",
)
SKILL = ParsedPaper(
    title="Skill1: Unified Evolution of Skill-Augmented Agents via Reinforcement Learning",
    abstract="A persistent skill library allows language model agents to reuse successful "
    "strategies across tasks.",
    authors=9,
    upvotes=67,
    arxiv_id="2605.06130",
    comments=2,
)
FILE_TIME = datetime(2026, 5, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def collection(tmp_path: Path):
    opened = Collection.open(tmp_path / "lib")
    yield opened
    opened.close()


def site_file(
    papers: list[ParsedPaper],
    *,
    name: str = "daily.json",
    page_date: date | None = None,
    modified_at: datetime = FILE_TIME,
    skipped: tuple[SkippedBlock, ...] = (),
    error: str | None = None,
) -> PlannedFile:
    """A file of the site read as its readers read it (papers, skipped blocks, page date)."""
    digest = hashlib.sha256(repr((papers, name, page_date)).encode()).hexdigest()
    source = SourceFile(
        path=f"/saved/{name}",
        name=name,
        size=1000,
        sha256=digest,
        modified_at=modified_at,
        page_date=page_date,
        form="site-json",
    )
    planned = PlannedFile(Path(f"/saved/{name}"), source=source, error=error)
    planned.skipped = list(skipped)
    planned.form, planned.page_date = "site-json", page_date
    planned.papers = papers  # type: ignore[assignment]  # planned below
    return planned


def plan(collection: Collection, *files: PlannedFile) -> ImportPlan:
    """Plan hand-read files as Collection.plan_import plans read ones."""
    parsed = [list(f.papers) for f in files]
    candidates = [b.candidate for f in files for b in f.skipped if b.candidate is not None]
    keys, ids = known_lookup([*(p for papers in parsed for p in papers), *candidates])
    known = collection.reader.find_known(keys, ids)
    placeholder = iter(range(-1, -1000, -1))
    for planned, papers in zip(files, parsed, strict=True):
        planned.papers = plan_papers(papers, known, lambda: next(placeholder), planned.skipped)
    return ImportPlan(list(files))


def import_files(collection: Collection, *files: PlannedFile):
    return collection.run_import(plan(collection, *files))


def only_paper(collection: Collection):
    (paper_id,) = collection.list_ids()
    return collection.get(paper_id)


def table_rows(collection: Collection, table: str) -> list[tuple]:
    with sqlite3.connect(collection.folder / DATABASE_NAME) as conn:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    conn.close()
    return rows


def search_ids(collection: Collection, query: str) -> set[int]:
    return {hit.id for hit in collection.search(query, limit=None, highlight=False).hits}


# -- dedup: the arXiv id first, the title key second --------------------------------


def test_the_arxiv_id_matches_a_paper_whose_title_changed(collection: Collection):
    import_files(collection, site_file([COLA]))
    retitled = replace(COLA, title="Cola DLM: Continuous Latent Diffusion Language Models")
    report = import_files(collection, site_file([retitled], name="later.json"))
    assert (report.added, report.unchanged) == (0, 1)
    assert only_paper(collection).title == COLA.title  # the title it was added under


def test_a_paper_first_seen_without_an_id_gains_it(collection: Collection):
    import_files(collection, site_file([BEYOND_CARD], name="card.txt"))
    report = import_files(collection, site_file([replace(BEYOND_CARD, arxiv_id="2605.05242")]))
    assert (report.added, report.merged) == (0, 1)
    paper = only_paper(collection)
    assert paper.arxiv_id == "2605.05242"
    # From now on the id finds it, whatever the title says.
    retitled = replace(BEYOND, title="DCI: Direct Corpus Interaction for Agentic Search")
    assert import_files(collection, site_file([retitled], name="api.json")).added == 0
    assert collection.reader.count() == 1


def test_two_arxiv_ids_are_two_papers_even_with_one_title(collection: Collection):
    first = ParsedPaper("Attention Is All You Need", "Transformers, first.", arxiv_id="1706.03762")
    second = replace(first, abstract="Another paper of that title.", arxiv_id="2501.00001")
    report = import_files(collection, site_file([first, second]))
    assert report.added == 2
    papers = collection.get_many(collection.list_ids(sort="added"))
    assert [p.arxiv_id for p in papers] == ["1706.03762", "2501.00001"]
    assert [r[1] for r in table_rows(collection, "paper")] == [
        "attention is all you need",
        disambiguated_key("attention is all you need", "2501.00001"),
    ]
    # Each is found again by its id; a listing without an id is the first.
    again = import_files(
        collection,
        site_file([second, first], name="again.json"),
        site_file([replace(first, arxiv_id=None, upvotes=3)], name="text.txt"),
    )
    assert (again.added, again.merged, again.unchanged) == (0, 1, 2)
    assert [p.upvotes for p in collection.get_many([p.id for p in papers])] == [3, None]


def test_the_preview_plans_a_second_id_under_one_title_as_new(collection: Collection):
    import_files(collection, site_file([COLA]))
    other = replace(COLA, arxiv_id="2605.99999", upvotes=1)
    (planned,) = plan(collection, site_file([other], name="b.json")).files[0].papers
    assert planned.action == "new" and planned.known_id is None
    assert planned.key == disambiguated_key(
        "continuous latent diffusion language model", other.arxiv_id
    )


# -- merges ---------------------------------------------------------------------------


def test_a_known_paper_gains_what_it_lacked_and_keeps_the_readers_part(collection: Collection):
    import_files(collection, site_file([BEYOND_CARD], name="card.txt"))
    paper_id = only_paper(collection).id
    collection.mark([paper_id], "read")
    collection.set_note(paper_id, "read for the seminar")
    collection.add_tags([paper_id], ["retrieval"])

    preview = plan(collection, site_file([BEYOND], name="api.json"))
    (planned,) = preview.files[0].papers
    assert planned.action == "merge" and planned.known_id == paper_id
    assert set(planned.gains) == {
        "arxiv_id",
        "author_names",
        "organisation",
        "abstract",
        "summary",
        "submitter",
        "github_url",
        "github_stars",
        "comments",
        "upvotes",
        "published",
        "published_text",
        "year_inferred",
        "year_source",
    }
    report = collection.run_import(preview)
    assert report.merged == 1
    paper = collection.get(paper_id)
    assert paper.abstract == BEYOND_ABSTRACT and paper.summary == BEYOND_SUMMARY
    assert paper.author_names == BEYOND_NAMES and paper.authors == 19
    assert (paper.organisation, paper.submitter) == ("TIGER-Lab", "ZhuofengLi")
    assert (paper.github_url, paper.github_stars) == (BEYOND.github_url, 101)
    assert (paper.upvotes, paper.comments) == (86, 3)
    assert paper.published == date(2026, 5, 3) and paper.year_source == "text"
    assert (paper.status, paper.note, paper.tags) == ("read", "read for the seminar", ["retrieval"])


def test_names_give_the_author_count(collection: Collection):
    import_files(collection, site_file([replace(SKILL, authors=None, arxiv_id=None)]))
    names = ("Yaorui Shi", "Yuxin Chen", "Zhengxi Lu")
    import_files(collection, site_file([replace(SKILL, author_names=names)], name="b.json"))
    paper = only_paper(collection)
    assert paper.author_names == names and paper.authors == 3


def test_counts_keep_the_highest_seen_and_text_is_not_replaced(collection: Collection):
    import_files(collection, site_file([BEYOND]))
    lower = replace(
        BEYOND,
        upvotes=10,
        comments=1,
        github_stars=5,
        summary="Another summary.",
        submitter="someone",
        abstract="A shorter abstract.",
    )
    report = import_files(collection, site_file([lower], name="older.json"))
    assert report.unchanged == 1
    paper = only_paper(collection)
    assert (paper.upvotes, paper.comments, paper.github_stars) == (86, 3, 101)
    assert (paper.summary, paper.submitter, paper.abstract) == (
        BEYOND_SUMMARY,
        "ZhuofengLi",
        BEYOND_ABSTRACT,
    )


def test_a_stated_year_beats_a_guessed_one_and_never_the_reverse(collection: Collection):
    import_files(collection, site_file([BEYOND_CARD], name="card.txt"))
    assert only_paper(collection).year_source == "file"
    page = replace(BEYOND_CARD, published=date(2026, 5, 3), year_source="page")
    assert import_files(collection, site_file([page], name="page.html")).merged == 1
    paper = only_paper(collection)
    assert (paper.published, paper.year_source) == (date(2026, 5, 3), "page")
    # A later guess from some file's time does not move it back.
    assert import_files(collection, site_file([BEYOND_CARD], name="copy.txt")).unchanged == 1
    assert only_paper(collection).published == date(2026, 5, 3)


def test_a_whole_entry_completes_one_the_page_cut_off(collection: Collection):
    cut = replace(COLA, abstract="Large language models have achieved", incomplete=True)
    import_files(collection, site_file([cut]))
    assert only_paper(collection).incomplete
    import_files(collection, site_file([COLA], name="whole.json"))
    paper = only_paper(collection)
    assert not paper.incomplete and paper.abstract == COLA.abstract


# -- a paper listed twice in one file ---------------------------------------------------


def test_a_paper_twice_in_one_file_is_one_planned_paper(collection: Collection):
    planned_file = plan(collection, site_file([BEYOND_CARD, COLA, BEYOND])).files[0]
    assert [(p.position, p.action) for p in planned_file.papers] == [(0, "new"), (1, "new")]
    first = planned_file.papers[0].paper
    assert first.arxiv_id == BEYOND.arxiv_id and first.abstract == BEYOND_ABSTRACT
    assert first.upvotes == 86 and first.published == date(2026, 5, 3)
    report = collection.run_import(ImportPlan([planned_file]))
    (outcome,) = report.files
    assert (outcome.found, outcome.added, outcome.merged, outcome.unchanged) == (2, 2, 0, 0)
    assert collection.reader.count() == 2


def test_a_known_paper_twice_in_one_file_is_one_merge(collection: Collection):
    import_files(collection, site_file([BEYOND_CARD], name="card.txt"))
    planned = plan(collection, site_file([BEYOND, replace(BEYOND, upvotes=90)])).files[0].papers
    assert [p.action for p in planned] == ["merge"]
    assert planned[0].paper.upvotes == 90


def test_across_files_a_repeat_is_still_a_repeat(collection: Collection):
    first, second = plan(
        collection, site_file([COLA]), site_file([replace(COLA, upvotes=70)], name="b.json")
    ).files
    assert first.papers[0].action == "new"
    repeat = second.papers[0]
    assert repeat.action == "merge" and repeat.known_id is not None and repeat.known_id < 0
    report = collection.run_import(ImportPlan([first, second]))
    assert (report.added, report.merged) == (1, 1)
    assert only_paper(collection).upvotes == 70


# -- skipped blocks -----------------------------------------------------------------------

DOUBTFUL = (
    "Daily Papers\n\nbyAK and the research community\n\n"
    "Universal Transformers\n\n"
    "Recurrent neural networks sequentially process data one element at a time.\n\n"
    "  • 5 authors\n·\nJul 10, 2018 7\n\n"
    "https://arxiv.org/abs/1807.03819\n\n"
    "An abstract that is long enough to read as the abstract of a paper, and ends.\n\n"
    "1,234 upvotes\n\n"
    "Another abstract that is long enough to read as the abstract of a paper, and it ends.\n"
)


def test_skipped_blocks_are_planned_unticked_with_their_reason(tmp_path: Path, collection):
    dump = tmp_path / "doubtful.txt"
    dump.write_text(DOUBTFUL)
    (planned,) = collection.plan_import([dump]).files
    assert planned.form == "sample"
    assert [(b.first_line, b.reason) for b in planned.skipped] == [
        ("https://arxiv.org/abs/1807.03819", "a web address"),
        ("1,234 upvotes", "a count"),
    ]
    taken = [p for p in planned.papers if p.include]
    left = [p for p in planned.papers if not p.include]
    assert [p.paper.title for p in taken] == ["Universal Transformers"]
    assert [(p.skipped_reason, p.action) for p in left] == [
        ("a web address", "new"),
        ("a count", "new"),
    ]
    before = collection.reader.count()
    report = collection.run_import(collection.plan_import([dump]))
    (outcome,) = report.files
    assert (outcome.found, outcome.added, outcome.error) == (1, 1, None)
    assert outcome.skipped == [
        {"first_line": "https://arxiv.org/abs/1807.03819", "reason": "a web address"},
        {"first_line": "1,234 upvotes", "reason": "a count"},
    ]
    assert collection.reader.count() == before + 1


def test_a_ticked_skipped_block_imports_like_any_paper(tmp_path: Path, collection):
    dump = tmp_path / "doubtful.txt"
    dump.write_text(DOUBTFUL)
    preview = collection.plan_import([dump])
    ticked = next(p for p in preview.files[0].papers if p.skipped_reason == "a count")
    ticked.include = True
    (outcome,) = collection.run_import(preview).files
    assert outcome.added == 2
    assert outcome.skipped == [
        {"first_line": "https://arxiv.org/abs/1807.03819", "reason": "a web address"}
    ]
    assert "1,234 upvotes" in {p.title for p in collection.get_many(collection.list_ids())}


def test_a_file_without_papers_reports_its_skipped_blocks_and_changes_nothing(collection):
    import_files(collection, site_file([COLA]))
    before = (collection.reader.generation(), table_rows(collection, "paper"))
    blocks = (
        SkippedBlock("1,234 upvotes", "a count", replace(SKILL, title="1,234 upvotes")),
        SkippedBlock("Sign in to see more", "site navigation"),
    )
    empty = site_file([], name="nothing.html", skipped=blocks, error=NO_PAPERS)
    preview = plan(collection, empty)
    (candidate,) = preview.files[0].papers
    assert candidate.include is False and candidate.skipped_reason == "a count"
    report = collection.run_import(preview)
    (outcome,) = report.files
    assert outcome.error == NO_PAPERS and outcome.found == 0
    assert [b["first_line"] for b in outcome.skipped] == ["1,234 upvotes", "Sign in to see more"]
    assert (collection.reader.generation(), table_rows(collection, "paper")) == before
    # Ticked in the preview, its block imports after all.
    preview = plan(collection, site_file([], name="nothing.html", skipped=blocks, error=NO_PAPERS))
    preview.files[0].papers[0].include = True
    (outcome,) = collection.run_import(preview).files
    assert (outcome.error, outcome.added) == (None, 1)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_names_the_skipped_blocks_on_stderr_and_in_json(capsys, tmp_path: Path):
    lib = str(tmp_path / "lib")
    dump = tmp_path / "doubtful.txt"
    extra = "".join(
        f"{n} comments\n\nYet another abstract that is long enough to read as one, number {n}.\n\n"
        for n in range(5, 8)
    )
    dump.write_text(DOUBTFUL + "\n" + extra)
    code, out, err = run(capsys, "--library", lib, "import", str(dump))
    assert code == 0 and "1 added" in out
    assert err == (
        f"readinglist: {dump}: skipped 5 blocks that do not read as papers: "
        '"https://arxiv.org/abs/1807.03819", "1,234 upvotes", "5 comments" and 2 more\n'
    )
    code, out, err = run(capsys, "--library", lib, "import", str(dump), "--json")
    assert code == 0
    (result,) = json.loads(out)["files"]
    assert result["skipped"][0] == {
        "first_line": "https://arxiv.org/abs/1807.03819",
        "reason": "a web address",
    }
    assert len(result["skipped"]) == 5 and result["added"] == 0


def test_cli_a_json_that_is_not_a_listing_fails_and_changes_nothing(capsys, tmp_path, dump_paths):
    lib = str(tmp_path / "lib")
    run(capsys, "--library", lib, "import", str(dump_paths[3]))
    before = _library_state(tmp_path / "lib")
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps({"id": "bert-base-uncased", "downloads": 123, "tags": ["fill-mask"]}))
    code, out, err = run(capsys, "--library", lib, "import", str(bad))
    assert code == 1
    assert err.startswith(f"readinglist: {bad}: ") and err.count("\n") == 1
    reason = err.removeprefix(f"readinglist: {bad}: ").strip()
    assert reason and "Traceback" not in err
    assert "no papers" in reason or "JSON" in reason or "listing" in reason
    assert "0 added, 0 merged, 1 failed" in out
    assert _library_state(tmp_path / "lib") == before


def _library_state(folder: Path) -> tuple:
    with sqlite3.connect(folder / DATABASE_NAME) as conn:
        state = tuple(
            tuple(conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())
            for table in ("paper", "paper_tag", "upvote_seen", "meta")
        )
    conn.close()
    return state


# -- papers without an abstract ---------------------------------------------------------------


def test_a_paper_without_an_abstract_imports_and_its_summary_is_searchable(collection):
    card = replace(BEYOND_CARD, summary=BEYOND_SUMMARY)
    report = import_files(collection, site_file([card], name="card.html"))
    assert report.added == 1
    paper = only_paper(collection)
    assert paper.abstract == "" and paper.summary == BEYOND_SUMMARY
    assert search_ids(collection, "title:rethinking") == {paper.id}
    assert search_ids(collection, "abstract:outperforming") == {paper.id}
    # The abstract, once an import brings it, is what the index holds.
    import_files(collection, site_file([BEYOND], name="api.json"))
    assert search_ids(collection, "abstract:lexical") == {paper.id}
    assert search_ids(collection, "abstract:outperforming") == set()


# -- upvote history and page dates -------------------------------------------------------------


def test_every_import_records_the_upvotes_it_saw(collection: Collection):
    may_8 = site_file([replace(BEYOND, upvotes=86)], name="may8.json", page_date=date(2026, 5, 8))
    may_5 = site_file(
        [replace(BEYOND, upvotes=12), COLA], name="may5.json", page_date=date(2026, 5, 5)
    )
    no_date = site_file([replace(BEYOND, upvotes=90)], name="later.json")
    no_count = site_file([replace(SKILL, upvotes=None)], name="skill.json")
    for planned in (may_8, may_5, no_date, no_count):
        import_files(collection, planned)
    beyond = collection.reader.find_known([], ["2605.05242"]).by_arxiv["2605.05242"].id
    history = collection.upvote_history(beyond)
    # Oldest first, by the day each page was of (the file's time without one).
    assert [(h.upvotes, h.seen_at, h.source) for h in history] == [
        (12, datetime(2026, 5, 5, tzinfo=UTC), "may5.json"),
        (86, datetime(2026, 5, 8, tzinfo=UTC), "may8.json"),
        (90, FILE_TIME, "later.json"),
    ]
    assert collection.get(beyond).upvotes == 90
    skill = collection.reader.find_known([], ["2605.06130"]).by_arxiv["2605.06130"].id
    assert collection.upvote_history(skill) == []
    with pytest.raises(NotFoundError):
        collection.upvote_history(10**6)
    files = table_rows(collection, "import_file")
    assert [(r[2], r[8], r[9]) for r in files[:2]] == [
        ("may8.json", "2026-05-08", "site-json"),
        ("may5.json", "2026-05-05", "site-json"),
    ]


def test_the_page_date_beats_the_file_time_for_a_year_left_out():
    # A page of 2 Jan 2023 listing "Dec 30", saved to a file touched in 2024.
    guessed = ParsedPaper(
        "A Paper",
        "An abstract.",
        published=date(2023, 12, 30),
        published_text="Dec 30",
        year_inferred=True,
        year_source="file",
    )
    dated = dated_by_page(guessed, date(2023, 1, 2))
    assert (dated.published, dated.year_source) == (date(2022, 12, 30), "page")
    stated = replace(guessed, published_text="Dec 30, 2021", published=date(2021, 12, 30))
    assert dated_by_page(replace(stated, year_source="text"), date(2023, 1, 2)).published == date(
        2021, 12, 30
    )
    assert dated_by_page(guessed, None) is guessed


def test_importing_a_site_file_twice_adds_and_changes_nothing(collection: Collection):
    blocks = (SkippedBlock("1,234 upvotes", "a count", replace(SKILL, title="1,234 upvotes")),)

    def again() -> PlannedFile:
        papers = [BEYOND_CARD, COLA, BEYOND, SKILL]
        return site_file(papers, name="day.html", page_date=date(2026, 5, 8), skipped=blocks)

    first = import_files(collection, again())
    assert first.added == 3
    state = (
        table_rows(collection, "paper"),
        table_rows(collection, "paper_tag"),
        table_rows(collection, "upvote_seen"),
    )
    report = import_files(collection, again())
    assert (report.added, report.merged, report.unchanged) == (0, 0, 3)
    assert state == (
        table_rows(collection, "paper"),
        table_rows(collection, "paper_tag"),
        table_rows(collection, "upvote_seen"),
    )


# -- what the reader and the CLI show ----------------------------------------------------------


def test_cli_show_prints_the_site_fields_and_json_the_history(capsys, tmp_path: Path):
    folder = tmp_path / "lib"
    collection = Collection.open(folder)
    import_files(collection, site_file([replace(BEYOND, upvotes=12)], page_date=date(2026, 5, 5)))
    import_files(collection, site_file([BEYOND], name="may8.json", page_date=date(2026, 5, 8)))
    paper_id = only_paper(collection).id
    collection.close()

    code, out, _ = run(capsys, "--library", str(folder), "show", str(paper_id))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == BEYOND_TITLE
    assert "86 upvotes" in lines[1] and "3 comments" in lines[1]
    assert "by Zhuofeng Li, Haoxiang Zhang, Cong Wei, Pan Lu, Ping Nie and 14 more" in lines
    assert (
        "arXiv 2605.05242: https://huggingface.co/papers/2605.05242 · "
        "https://arxiv.org/abs/2605.05242"
    ) in lines
    assert "GitHub: https://github.com/DCI-Agent/DCI-Agent-Lite (101 stars)" in lines
    assert f"Summary: {BEYOND_SUMMARY}" in lines
    assert BEYOND_ABSTRACT in lines

    code, out, _ = run(capsys, "--library", str(folder), "show", str(paper_id), "--json")
    shown = json.loads(out)
    assert shown["upvote_history"] == [
        {"upvotes": 12, "seen_at": "2026-05-05T00:00:00+00:00", "source": "daily.json"},
        {"upvotes": 86, "seen_at": "2026-05-08T00:00:00+00:00", "source": "may8.json"},
    ]
    assert shown["arxiv_id"] == "2605.05242" and shown["author_names"] == list(BEYOND_NAMES)
    assert shown["url"] == "https://huggingface.co/papers/2605.05242"
    code, out, _ = run(capsys, "--library", str(folder), "list", "--json")
    (listed,) = json.loads(out)["papers"]
    assert {"arxiv_id", "summary", "github_stars", "year_source", "incomplete"} <= set(listed)
    assert listed["github_stars"] == 101 and listed["year_source"] == "text"


def test_cli_show_makes_dump_text_safe_for_the_terminal(capsys, tmp_path: Path):
    folder = tmp_path / "lib"
    collection = Collection.open(folder)
    hostile = replace(
        COLA,
        summary="Bold \x1b[1mESC\x1b[0m summary",
        author_names=("A\x1b]0;title\x07B",),
        submitter="x\x1b[2Jy",
    )
    import_files(collection, site_file([hostile]))
    paper_id = only_paper(collection).id
    collection.close()
    code, out, _ = run(capsys, "--library", str(folder), "show", str(paper_id))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
