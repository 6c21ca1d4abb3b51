"""Markdown export: layout, escaping, ownership on re-export, and safety of writes."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from testdata import DUMPS

from readinglist.errors import ExportError
from readinglist.export import vault
from readinglist.export.frontmatter import split_front_matter
from readinglist.export.identity import paper_identity, title_identity
from readinglist.export.vault import (
    BEGIN_MARKER,
    EDITED_REASON,
    END_MARKER,
    FOREIGN_REASON,
    JOURNAL_NAME,
    LINK_REASON,
    MANIFEST_NAME,
    UNRECORDED_REASON,
    ExportIncompleteError,
    ExportReport,
    export_notes,
)
from readinglist.papers import Paper

NOW = datetime(2025, 4, 21, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 4, 22, 8, 30, tzinfo=UTC)
HOSTILE_ABSTRACT = (
    "Harmless start.\n"
    "---\n"
    "<script>alert(1)</script>\n"
    "[link](javascript:alert(1)) and ![img](http://x/y.png) and [[Wiki]]\n"
    "<!-- readinglist:end -->\n"
    "# heading? #tag %%hidden%% `code` &amp; \\*\n"
    "> quote\n"
    "1. list\n"
    "- item\n"
    "    indented\n"
    "<https://autolink.example>"
)


def paper(paper_id: int = 42, title: str = "Attention Is All You Need", **changes) -> Paper:
    values = {
        "abstract": "The dominant sequence transduction models.",
        "authors": 8,
        "published": date(2017, 6, 12),
        "upvotes": 5,
        "tags": ["transformers"],
    }
    return Paper(id=paper_id, title=title, **(values | changes))


def export(papers: list[Paper], folder: Path, **options) -> ExportReport:
    options.setdefault("now", NOW)
    return export_notes(papers, folder, **options)


def only_file(folder: Path) -> Path:
    files = [p for p in folder.iterdir() if p.name != MANIFEST_NAME]
    assert len(files) == 1, files
    return files[0]


def front_matter(path: Path) -> dict:
    fields, _ = split_front_matter(path.read_text("utf-8"))
    assert fields is not None
    return fields


def manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST_NAME).read_text("utf-8"))


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def render_html(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").render(markdown)


# --- layout ------------------------------------------------------------------


def test_one_file_per_paper_with_front_matter(tmp_path: Path) -> None:
    read = paper(
        7,
        "Reactive Transformer",
        authors=None,
        organisation="ReactiveAI Reactive AI",
        status="read",
        read_at=datetime(2025, 4, 20, 9, 30),
        tags=["rnn", "to read"],
        published=None,
        upvotes=None,
    )
    report = export([paper(), read], tmp_path)

    assert report.written == [
        tmp_path / "Attention Is All You Need.md",
        tmp_path / "Reactive Transformer.md",
    ]
    assert front_matter(tmp_path / "Attention Is All You Need.md") == {
        "title": "Attention Is All You Need",
        "authors": 8,
        "organisation": None,
        "published": date(2017, 6, 12),
        "upvotes": 5,
        "tags": ["transformers"],
        "status": "unread",
        "read": None,
        "paper-id": title_identity("Attention Is All You Need"),
        "exported": NOW,
    }
    fields = front_matter(tmp_path / "Reactive Transformer.md")
    assert fields["organisation"] == "ReactiveAI Reactive AI"
    assert fields["authors"] is None
    assert fields["published"] is None
    assert fields["status"] == "read"
    assert fields["read"] == date(2025, 4, 20)
    assert fields["tags"] == ["rnn", "to read"]


def test_body_is_block_with_quoted_abstract_then_note(tmp_path: Path) -> None:
    export([paper(abstract="Line one.\nLine two.", note="My *own* note.\n\n- [ ] task")], tmp_path)
    _, body = split_front_matter(only_file(tmp_path).read_text("utf-8"))
    assert body == (
        f"{BEGIN_MARKER}\n"
        "# Attention Is All You Need\n"
        "\n"
        "> Line one.\n"
        "> Line two.\n"
        "\n"
        "## Note\n"
        "\n"
        "My *own* note.\n"
        "\n"
        "- [ ] task\n"
        "\n"
        f"{END_MARKER}\n"
    )


def test_empty_note_and_abstract_leave_no_empty_sections(tmp_path: Path) -> None:
    export([paper(abstract="", note="  ")], tmp_path)
    _, body = split_front_matter(only_file(tmp_path).read_text("utf-8"))
    assert body == f"{BEGIN_MARKER}\n# Attention Is All You Need\n\n{END_MARKER}\n"


def test_now_defaults_to_an_aware_local_time(tmp_path: Path) -> None:
    export_notes([paper()], tmp_path)
    stamp = front_matter(only_file(tmp_path))["exported"]
    assert isinstance(stamp, datetime) and stamp.tzinfo is not None


def test_progress_is_reported_per_paper(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export(
        [paper(1, "A"), paper(2, "B"), paper(3, "C")], tmp_path, progress=lambda *a: calls.append(a)
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    calls.clear()
    export(
        [paper(1, "A"), paper(2, "B")],
        tmp_path,
        single_file="all.md",
        progress=lambda *a: calls.append(a),
    )
    assert calls == [(1, 2), (2, 2)]


def test_a_paper_given_twice_is_exported_once(tmp_path: Path) -> None:
    report = export([paper(), paper()], tmp_path)
    assert len(report.written) == 1


def test_report_to_json(tmp_path: Path) -> None:
    report = ExportReport(written=[tmp_path / "a.md"], skipped=[(tmp_path / "b.md", EDITED_REASON)])
    assert report.to_json() == {
        "written": [str(tmp_path / "a.md")],
        "updated": [],
        "unchanged": [],
        "skipped": [{"path": str(tmp_path / "b.md"), "reason": EDITED_REASON}],
    }
    json.dumps(report.to_json())


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    umask = os.umask(0o022)
    os.umask(umask)
    export([paper()], tmp_path)
    assert only_file(tmp_path).stat().st_mode & 0o777 == 0o666 & ~umask


# --- text from dumps stays text -------------------------------------------------


def test_every_dump_line_exports_with_exact_front_matter(tmp_path: Path, monkeypatch) -> None:
    # About this text, not durability: skip the ~5 ms fsync of each of ~900 files.
    monkeypatch.setattr(vault.os, "fsync", lambda fd: None)
    lines: dict[str, None] = {}
    for path in sorted(DUMPS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8-sig")
        lines.update((line.strip(), None) for line in text.splitlines() if line.strip())
    papers = [paper(i, line, abstract=line) for i, line in enumerate(lines, 1)]
    report = export(papers, tmp_path)
    assert len(report.written) == len(papers)
    assert len({p.name.casefold() for p in report.written}) == len(papers)
    paper_ids = set()
    for item, path in zip(papers, report.written, strict=True):
        fields = front_matter(path)
        assert fields["title"] == item.title
        # Lines that differ only in case or punctuation are one title key; as
        # papers of one library they could not both exist, here each still
        # gets a file and an identity of its own.
        assert fields["paper-id"] in (paper_identity(item), f"{paper_identity(item)}#{item.id}")
        paper_ids.add(fields["paper-id"])
    assert len(paper_ids) == len(papers)


@pytest.mark.parametrize(
    "title",
    [
        '"Quoted": a [b] #c {d} & *e | >f',
        "- dash start",
        "? q",
        "@at",
        "`tick`",
        "yes",
        "null",
        "123",
        "1e3",
        "日本語のタイトル",
        "Before --- after",
        "Trailing colon:",
        "x\n---\nreadinglist-id: 666\nevil: true",
        "<!-- readinglist:end -->",
    ],
)
def test_hostile_titles_cannot_inject_front_matter(tmp_path: Path, title: str) -> None:
    report = export([paper(title=title)], tmp_path)
    path = report.written[0]
    text = path.read_text("utf-8")
    fields, body = split_front_matter(text)
    assert fields is not None
    assert fields["title"] == title
    assert fields["paper-id"] == title_identity(title)
    assert "evil" not in fields and "readinglist-id" not in fields
    assert body.startswith(BEGIN_MARKER + "\n")
    # The whole front matter also reads with a plain safe_load.
    assert yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n")) == fields


def test_hostile_abstract_stays_inert_text(tmp_path: Path) -> None:
    export([paper(abstract=HOSTILE_ABSTRACT)], tmp_path)
    text = only_file(tmp_path).read_text("utf-8")
    fields, body = split_front_matter(text)
    assert fields is not None and "evil" not in fields
    block = body.split("\n\n", 2)[1]
    assert all(line.startswith(">") for line in block.splitlines())
    assert "> \\---" in block
    assert "\\<script>" in block
    assert "\\[link\\](javascript:alert(1))" in block
    assert body.splitlines().count(END_MARKER) == 1

    html = render_html(body)
    assert "<script" not in html
    assert "<a " not in html and "<img" not in html
    assert "<hr" not in html and "<ol" not in html and "<ul" not in html
    assert "<h1>" in html and html.count("<h") == 1  # only our title heading
    assert "<code" not in html and "<!--" not in html.replace("<!-- readinglist", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[link](javascript:alert(1))" in html


def test_hostile_title_heading_is_inert(tmp_path: Path) -> None:
    export([paper(title="<img src=x onerror=alert(1)> [x](javascript:y) #tag")], tmp_path)
    _, body = split_front_matter(only_file(tmp_path).read_text("utf-8"))
    html = render_html(body)
    assert "<img" not in html and "<a " not in html
    assert "&lt;img src=x onerror=alert(1)&gt; [x](javascript:y) #tag" in html


def test_the_users_note_is_written_as_is(tmp_path: Path) -> None:
    note = "See [my link](https://example.org) and <b>bold</b>.\n---\n#idea"
    export([paper(note=note)], tmp_path)
    assert note in only_file(tmp_path).read_text("utf-8")


# --- what the site's pages carry -----------------------------------------------------

SITE_NAMES = ("Abhimanyu Dubey", "Abhinav Jauhri", "Abhinav Pandey")


def test_front_matter_gains_arxiv_url_and_names_where_known(tmp_path: Path) -> None:
    site = paper(
        43, "The Llama 3 Herd of Models", arxiv_id="2407.21783", author_names=SITE_NAMES, authors=3
    )
    export([paper(), site], tmp_path)
    assert list(front_matter(tmp_path / "The Llama 3 Herd of Models.md").items())[:5] == [
        ("title", "The Llama 3 Herd of Models"),
        ("arxiv", "2407.21783"),
        ("url", "https://huggingface.co/papers/2407.21783"),
        ("authors", 3),
        ("author-names", list(SITE_NAMES)),
    ]
    # A paper without them has the keys it always had.
    plain = front_matter(tmp_path / "Attention Is All You Need.md")
    assert not {"arxiv", "url", "author-names"} & set(plain)


def test_a_paper_gaining_an_arxiv_id_is_updated_and_keeps_the_users_text(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    path = only_file(tmp_path)
    path.write_text(path.read_text("utf-8") + "\nmy own lines\n", "utf-8")
    report = export([paper(arxiv_id="1706.03762")], tmp_path, now=LATER)
    assert report.updated == [path]
    assert front_matter(path)["arxiv"] == "1706.03762"
    assert path.read_text("utf-8").endswith("\nmy own lines\n")


@pytest.mark.parametrize(
    "text",
    [
        "x\n---\nevil: true",
        "x\nreadinglist-id: 666",
        "<!-- readinglist:end -->",
        '"quoted": [a] #b',
        "- dash",
    ],
)
def test_hostile_site_fields_cannot_inject_front_matter(tmp_path: Path, text: str) -> None:
    report = export([paper(arxiv_id=text, author_names=(text, "B. Author"))], tmp_path)
    fields, body = split_front_matter(report.written[0].read_text("utf-8"))
    assert fields is not None and "evil" not in fields
    assert fields["arxiv"] == text and fields["author-names"] == [text, "B. Author"]
    assert fields["paper-id"] == f"arxiv:{text}" and "readinglist-id" not in fields
    assert body.startswith(BEGIN_MARKER + "\n") and body.splitlines().count(END_MARKER) == 1


def test_single_file_sections_name_the_arxiv_id_and_the_first_authors(tmp_path: Path) -> None:
    names = tuple(f"Author {n}" for n in range(1, 14))
    hostile = paper(7, "Hostile", arxiv_id="[x](javascript:y)", author_names=("<b>B</b>",))
    export(
        [paper(arxiv_id="1706.03762", author_names=names), hostile], tmp_path, single_file="n.md"
    )
    body = (tmp_path / "n.md").read_text("utf-8")
    assert "- arXiv: 1706.03762\n" in body
    assert "- Authors: Author 1, Author 2, " in body and "Author 10 and 3 more\n" in body
    html = render_html(split_front_matter(body)[1])
    assert "<a " not in html and "<b>" not in html


# --- file names ------------------------------------------------------------------


def test_file_names_are_portable_and_unique_without_regard_to_case(tmp_path: Path) -> None:
    report = export(
        [paper(1, "Attention: A/B?"), paper(2, "attention: a/b?"), paper(3, "CON"), paper(4, "")],
        tmp_path,
    )
    assert [p.name for p in report.written] == [
        "Attention - A-B.md",
        "attention - a-b (2).md",
        "CON_.md",
        "untitled.md",
    ]


def test_a_title_spelled_otherwise_keeps_its_file_name(tmp_path: Path) -> None:
    # Another library may have met the paper in another spelling: same words,
    # so the same paper.
    export([paper()], tmp_path)
    report = export([paper(7, title="attention is all you need!")], tmp_path, now=LATER)
    assert report.updated == [tmp_path / "Attention Is All You Need.md"]
    assert front_matter(only_file(tmp_path))["title"] == "attention is all you need!"


def test_a_title_with_other_words_is_another_paper(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    report = export([paper(title="Attention Is All You Need (v2)")], tmp_path, now=LATER)
    assert report.written == [tmp_path / "Attention Is All You Need (v2).md"]
    assert front_matter(tmp_path / "Attention Is All You Need.md")["title"] == (
        "Attention Is All You Need"
    )


def test_a_file_we_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "ATTENTION IS ALL YOU NEED.md").write_text("my own page\n")
    report = export([paper()], tmp_path, force=True)
    assert report.written == [tmp_path / "Attention Is All You Need (2).md"]
    assert (tmp_path / "ATTENTION IS ALL YOU NEED.md").read_text() == "my own page\n"


# --- re-export and ownership ------------------------------------------------------


def test_reexport_without_changes_touches_nothing(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    before = listing(tmp_path)
    inodes = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}
    report = export([paper()], tmp_path, now=LATER)
    assert report.unchanged == [tmp_path / "Attention Is All You Need.md"]
    assert report.written == report.updated == report.skipped == []
    assert listing(tmp_path) == before
    assert {p.name: p.stat().st_ino for p in tmp_path.iterdir()} == inodes


def test_reexport_updates_a_changed_paper(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    report = export([paper(note="new thought", status="read")], tmp_path, now=LATER)
    assert report.updated == [tmp_path / "Attention Is All You Need.md"]
    text = only_file(tmp_path).read_text("utf-8")
    assert "new thought" in text
    assert front_matter(only_file(tmp_path))["exported"] == LATER


def test_user_text_below_the_end_marker_is_kept(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    path = only_file(tmp_path)
    path.write_text(path.read_text("utf-8") + "\n## My thoughts\n\nKeep me.\n", "utf-8")

    report = export([paper()], tmp_path, now=LATER)
    assert report.unchanged == [path]

    report = export([paper(note="changed in the app")], tmp_path, now=LATER)
    assert report.updated == [path]
    text = path.read_text("utf-8")
    assert "changed in the app" in text
    assert text.endswith(f"{END_MARKER}\n\n## My thoughts\n\nKeep me.\n")


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace('status: "unread"', 'status: "reading"'),
        lambda text: text.replace("tags:\n", 'tags:\n- "mine"\n'),
        lambda text: text.replace("> The dominant", "> The DOMINANT"),
        lambda text: text.replace(END_MARKER, "my line\n" + END_MARKER),
        lambda text: "preface\n" + text,
        lambda text: text.replace(END_MARKER + "\n", ""),
    ],
    ids=["front-matter", "tag-added", "abstract", "inside-block", "above", "marker-removed"],
)
def test_an_edited_owned_part_is_skipped_unless_forced(tmp_path: Path, edit) -> None:
    export([paper()], tmp_path)
    path = only_file(tmp_path)
    edited = edit(path.read_text("utf-8"))
    path.write_text(edited, "utf-8")

    report = export([paper(note="from the app")], tmp_path, now=LATER)
    assert report.skipped == [(path, EDITED_REASON)]
    assert report.updated == report.written == []
    assert path.read_text("utf-8") == edited

    report = export([paper(note="from the app")], tmp_path, now=LATER, force=True)
    assert report.updated == [path]
    assert "from the app" in path.read_text("utf-8")
    # Forced again with nothing changed: the file is ours again.
    assert export([paper(note="from the app")], tmp_path, now=LATER).unchanged == [path]


def test_force_keeps_text_below_the_end_marker(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    path = only_file(tmp_path)
    text = path.read_text("utf-8").replace("# Attention", "# My Attention") + "mine\n"
    path.write_text(text, "utf-8")
    export([paper()], tmp_path, now=LATER, force=True)
    text = path.read_text("utf-8")
    assert "# Attention Is All You Need" in text
    assert text.endswith(END_MARKER + "\nmine\n")


def test_a_deleted_file_is_written_again(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    only_file(tmp_path).unlink()
    report = export([paper()], tmp_path, now=LATER)
    assert report.written == [tmp_path / "Attention Is All You Need.md"]


def test_a_file_renamed_in_the_vault_is_followed(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    renamed = tmp_path / "Transformers paper.md"
    only_file(tmp_path).rename(renamed)
    report = export([paper(note="follow me")], tmp_path, now=LATER)
    assert report.updated == [renamed]
    assert only_file(tmp_path) == renamed
    assert "follow me" in renamed.read_text("utf-8")
    assert manifest(tmp_path)["papers"][paper_identity(paper())]["file"] == "Transformers paper.md"


def test_a_note_holding_the_end_marker_does_not_confuse_ownership(tmp_path: Path) -> None:
    note = f"before\n{END_MARKER}\nafter"
    export([paper(note=note)], tmp_path)
    path = only_file(tmp_path)
    path.write_text(path.read_text("utf-8") + "mine\n", "utf-8")
    assert export([paper(note=note)], tmp_path, now=LATER).unchanged == [path]
    report = export([paper(note=note + " more")], tmp_path, now=LATER)
    assert report.updated == [path]
    assert path.read_text("utf-8").endswith(f"after more\n\n{END_MARKER}\nmine\n")


def test_crlf_and_bom_from_an_editor_are_not_edits(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    path = only_file(tmp_path)
    converted = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n") + b"mine\r\n"
    path.write_bytes(converted)
    assert export([paper()], tmp_path, now=LATER).unchanged == [path]
    assert path.read_bytes() == converted
    assert export([paper(note="n")], tmp_path, now=LATER).updated == [path]
    assert path.read_text("utf-8").endswith(END_MARKER + "\nmine\n")


def test_papers_left_out_keep_their_manifest_entries(tmp_path: Path) -> None:
    export([paper(1, "One"), paper(2, "Two")], tmp_path)
    export([paper(1, "One")], tmp_path, now=LATER)
    assert set(manifest(tmp_path)["papers"]) == {title_identity("One"), title_identity("Two")}
    # And a new paper never takes the name of one left out ("T?wo" is
    # another title, whose file name would be "Two.md" too)...
    (tmp_path / "Two.md").unlink()
    report = export([paper(3, "T?wo")], tmp_path, now=LATER)
    assert report.written == [tmp_path / "Two (2).md"]
    # ...while the paper itself gets its name back, whatever its row id.
    report = export([paper(4, "Two")], tmp_path, now=LATER)
    assert report.written == [tmp_path / "Two.md"]


def test_manifest_records_hashes_of_file_and_owned_part(tmp_path: Path) -> None:
    import hashlib

    export([paper()], tmp_path)
    data = manifest(tmp_path)
    assert data["format"] == 2
    entry = data["papers"][title_identity("Attention Is All You Need")]
    data = (tmp_path / entry["file"]).read_bytes()
    assert entry["sha256"] == entry["owned_sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["exported"] == NOW.isoformat()
    assert entry["title_id"] == title_identity("Attention Is All You Need")


def test_a_users_note_with_the_same_title_is_not_taken_for_ours(tmp_path: Path) -> None:
    own = '---\ntitle: "Attention Is All You Need"\ntags: [reading]\n---\nMy summary.\n'
    (tmp_path / "Attention Is All You Need.md").write_text(own, "utf-8")
    report = export([paper()], tmp_path)
    assert report.written == [tmp_path / "Attention Is All You Need (2).md"]
    assert (tmp_path / "Attention Is All You Need.md").read_text("utf-8") == own


def test_a_file_found_by_its_identity_but_changed_is_not_overwritten(tmp_path: Path) -> None:
    # Without the record, a file that is not what the app would write now
    # may hold the user's edits: skipped, and only --force replaces it.
    export([paper()], tmp_path)
    (tmp_path / MANIFEST_NAME).unlink()
    path = only_file(tmp_path)
    path.write_text(path.read_text("utf-8").replace("# Attention", "# My Attention") + "mine\n")
    report = export([paper()], tmp_path, now=LATER)
    assert report.skipped == [(path, UNRECORDED_REASON)]
    assert "# My Attention" in path.read_text("utf-8")
    report = export([paper()], tmp_path, now=LATER, force=True)
    assert report.updated == [path]
    text = path.read_text("utf-8")
    assert "# Attention Is All You Need" in text and text.endswith(END_MARKER + "\nmine\n")


def test_a_file_renamed_in_the_vault_is_followed_without_the_record(tmp_path: Path) -> None:
    export([paper()], tmp_path)
    (tmp_path / MANIFEST_NAME).unlink()
    renamed = tmp_path / "Transformers paper.md"
    only_file(tmp_path).rename(renamed)
    report = export([paper()], tmp_path, now=LATER)
    assert report.unchanged == [renamed] and only_file(tmp_path) == renamed
    # On record again: a change in the library now updates it.
    assert export([paper(note="follow me")], tmp_path, now=LATER).updated == [renamed]


def test_a_fifo_in_the_vault_does_not_stop_the_export(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.md")
    report = export([paper()], tmp_path)  # looks for files naming the paper: must not block
    assert report.written == [tmp_path / "Attention Is All You Need.md"]


def test_a_record_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text('{"format": 3, "papers": {}, "combined": {}}')
    with pytest.raises(ExportError, match="written by a newer version of readinglist"):
        export([paper()], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST_NAME]


# --- single file -----------------------------------------------------------------


def test_single_file_holds_every_paper_as_a_section(tmp_path: Path) -> None:
    papers = [
        paper(1, "First", note="note one", status="read", read_at=datetime(2025, 4, 1)),
        paper(
            2, "Second <b>bold</b>", abstract="[x](javascript:y)", authors=None, organisation="Org"
        ),
    ]
    report = export(papers, tmp_path, single_file="reading-notes.md")
    path = tmp_path / "reading-notes.md"
    assert report.written == [path]
    assert [p.name for p in tmp_path.iterdir() if p.name != MANIFEST_NAME] == ["reading-notes.md"]
    fields, body = split_front_matter(path.read_text("utf-8"))
    assert fields == {"title": "Reading notes", "papers": 2, "exported": NOW}
    assert body.startswith(BEGIN_MARKER + "\n# Reading notes\n")
    assert body.endswith(END_MARKER + "\n")
    assert "## First\n" in body and "## Second \\<b>bold\\</b>\n" in body
    assert "- Status: read, 2025-04-01\n" in body
    assert "- Byline: Org\n" in body
    assert f"- paper-id: {title_identity('Second <b>bold</b>')}\n" in body
    assert "### Note\n\nnote one\n" in body
    html = render_html(body)
    assert "<b>" not in html and "<a " not in html


def test_single_file_reexport_and_ownership(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    export([paper()], tmp_path, single_file="notes.md")
    assert export([paper()], tmp_path, single_file="notes.md", now=LATER).unchanged == [path]

    path.write_text(path.read_text("utf-8") + "my summary\n", "utf-8")
    report = export([paper(), paper(2, "More")], tmp_path, single_file="notes.md", now=LATER)
    assert report.updated == [path]
    assert "## More" in path.read_text("utf-8")
    assert path.read_text("utf-8").endswith(END_MARKER + "\nmy summary\n")

    edited = path.read_text("utf-8").replace("## More", "## More!")
    path.write_text(edited, "utf-8")
    report = export([paper()], tmp_path, single_file="notes.md", now=LATER)
    assert report.skipped == [(path, EDITED_REASON)]
    assert path.read_text("utf-8") == edited

    report = export([paper()], tmp_path, single_file="notes.md", now=LATER, force=True)
    assert report.updated == [path]
    text = path.read_text("utf-8")
    assert "## More" not in text and text.endswith(END_MARKER + "\nmy summary\n")


def test_single_file_never_overwrites_a_file_we_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("precious\n")
    for force in (False, True):
        report = export([paper()], tmp_path, single_file="notes.md", force=force)
        assert report.skipped == [(path, FOREIGN_REASON)]
    assert path.read_text() == "precious\n"
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_single_file_is_recognised_without_the_record(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    export([paper()], tmp_path, single_file="notes.md")
    path.write_text(path.read_text("utf-8") + "my summary\n", "utf-8")
    (tmp_path / MANIFEST_NAME).unlink()
    assert export([paper()], tmp_path, single_file="notes.md", now=LATER).unchanged == [path]
    report = export([paper(), paper(2, "More")], tmp_path, single_file="notes.md", now=LATER)
    assert report.updated == [path]
    assert path.read_text("utf-8").endswith(END_MARKER + "\nmy summary\n")


def test_per_paper_names_avoid_the_single_file(tmp_path: Path) -> None:
    export([paper()], tmp_path, single_file="Attention Is All You Need.md")
    (tmp_path / "Attention Is All You Need.md").unlink()
    report = export([paper()], tmp_path)
    assert report.written == [tmp_path / "Attention Is All You Need (2).md"]


# --- nothing outside the folder ----------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "victim.md"
    target.parent.mkdir()
    target.write_text("do not touch\n")
    return target


def test_symlink_at_a_known_name_is_not_followed(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "vault"
    export([paper()], folder)
    path = only_file(folder)
    path.unlink()
    path.symlink_to(outside)
    for force in (False, True):
        report = export([paper(note="x")], folder, now=LATER, force=force)
        assert report.skipped == [(path, LINK_REASON)]
    assert outside.read_text() == "do not touch\n"
    assert path.is_symlink()


def test_symlink_at_a_new_name_is_left_alone(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "Attention Is All You Need.md").symlink_to(outside)
    report = export([paper()], folder)
    assert report.written == [folder / "Attention Is All You Need (2).md"]
    assert outside.read_text() == "do not touch\n"


def test_symlink_as_single_file_is_not_followed(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "notes.md").symlink_to(outside)
    report = export([paper()], folder, single_file="notes.md", force=True)
    assert report.skipped == [(folder / "notes.md", LINK_REASON)]
    assert outside.read_text() == "do not touch\n"


def test_a_tampered_manifest_cannot_point_outside(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "vault"
    export([paper()], folder)
    data = manifest(folder)
    key = paper_identity(paper())
    data["papers"][key]["file"] = "../outside/victim.md"
    data["combined"]["../outside/victim.md"] = data["papers"][key]
    (folder / MANIFEST_NAME).write_text(json.dumps(data))
    export([paper(note="x")], folder, now=LATER, force=True)
    export([paper(note="x")], folder, now=LATER, force=True, single_file="notes.md")
    assert outside.read_text() == "do not touch\n"
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["victim.md"]


def test_a_journal_that_is_a_symlink_is_not_followed(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / JOURNAL_NAME).symlink_to(outside)
    report = export([paper(1, "One"), paper(2, "Two")], folder)
    assert len(report.written) == 2
    assert outside.read_text() == "do not touch\n"
    assert set(manifest(folder)["papers"]) == {title_identity("One"), title_identity("Two")}


def test_a_folder_that_is_a_symlink_is_used(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    export([paper()], tmp_path / "link")
    assert (real / "Attention Is All You Need.md").is_file()


# --- atomic writes ---------------------------------------------------------------


def no_temp_files(folder: Path) -> bool:
    return not [
        p
        for p in folder.iterdir()
        if p.name.startswith(".readinglist-") and p.name.endswith(".tmp")
    ]


def test_a_failed_write_is_reported_and_leaves_no_half_file(tmp_path: Path, monkeypatch) -> None:
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(vault.os, "replace", failing_replace)
    report = export([paper(1, "One"), paper(2, "Two"), paper(3, "Three")], tmp_path)
    assert report.written == [tmp_path / "One.md", tmp_path / "Three.md"]
    assert report.skipped == [(tmp_path / "Two.md", "could not be written: Input/output error")]
    assert not (tmp_path / "Two.md").exists()
    assert no_temp_files(tmp_path)
    monkeypatch.undo()
    assert set(manifest(tmp_path)["papers"]) == {title_identity("One"), title_identity("Three")}


def test_a_full_disk_stops_the_export_and_says_what_was_written(
    tmp_path: Path, monkeypatch
) -> None:
    # The real thing, on a small tmpfs, is in test_export_disk_full.py.
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name == "Three.md":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(vault.os, "replace", replace)
    papers = [paper(n, title) for n, title in enumerate(["One", "Two", "Three", "Four"], 1)]
    with pytest.raises(ExportIncompleteError) as raised:
        export(papers, tmp_path)
    assert str(raised.value) == (
        "Exported 2 of 4 notes; the disk is full (no space left on device) — 2 were not "
        "written. Free some space and export again: what was written is kept."
    )
    assert raised.value.report.written == [tmp_path / "One.md", tmp_path / "Two.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME, "One.md", "Two.md"]
    monkeypatch.undo()
    report = export(papers, tmp_path, now=LATER)
    assert [p.name for p in report.written] == ["Three.md", "Four.md"]
    assert len(report.unchanged) == 2


def test_a_crash_mid_export_leaves_whole_files_only(tmp_path: Path, monkeypatch) -> None:
    export([paper(1, "One")], tmp_path)
    before = listing(tmp_path)
    real_fsync = os.fsync

    def crash(fd):
        raise KeyboardInterrupt  # stands for the process dying here

    monkeypatch.setattr(vault.os, "fsync", crash)
    papers = [paper(1, "One", note="changed"), paper(2, "Two")]
    with pytest.raises(KeyboardInterrupt):
        export(papers, tmp_path, now=LATER)
    monkeypatch.setattr(vault.os, "fsync", real_fsync)
    # Old file intact, no new or temp files; the journal says what was about to be written.
    after = listing(tmp_path)
    assert after.pop(JOURNAL_NAME).count(b"\n") == 1
    assert after == before
    assert no_temp_files(tmp_path)
    report = export(papers, tmp_path, now=LATER)
    assert report.updated == [tmp_path / "One.md"] and report.written == [tmp_path / "Two.md"]
    assert JOURNAL_NAME not in listing(tmp_path)


def test_stale_temp_files_of_a_killed_export_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".readinglist-0123456789abcdef.tmp").write_text("half")
    (tmp_path / "user.tmp").write_text("theirs")
    export([paper()], tmp_path)
    assert not (tmp_path / ".readinglist-0123456789abcdef.tmp").exists()
    assert (tmp_path / "user.tmp").read_text() == "theirs"


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["sub/notes.md", "..", "../notes.md", "a\\b.md", "", ".", "/abs.md", "con.md", "x?.md"]
)
def test_single_file_must_be_a_plain_name(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "vault"
    with pytest.raises(ExportError, match=r"Give a plain file name such as reading-notes\.md"):
        export([paper()], folder, single_file=name)
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.write_text("a file")
    with pytest.raises(ExportError, match="it is a file, not a folder"):
        export([paper()], folder)
    assert folder.read_text() == "a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault"]


def test_folder_under_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file")
    with pytest.raises(ExportError, match="Cannot create the export folder"):
        export([paper()], tmp_path / "file" / "vault")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores permissions"
)
def test_unwritable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="Cannot write to the export folder"):
            export([paper()], folder)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(
    "content", ["{not json", '{"papers": []}', '["x"]', '{"papers": {"x": {}}}']
)
def test_damaged_manifest(tmp_path: Path, content: str) -> None:
    (tmp_path / MANIFEST_NAME).write_text(content)
    with pytest.raises(ExportError, match=r"export record .* is damaged"):
        export([paper()], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST_NAME]


def test_unwritable_folder_as_root_too(tmp_path: Path, monkeypatch) -> None:
    # Root ignores permissions, so the refusal the OS would give is made here.
    def refuse(path, flags, mode=0o777):
        raise PermissionError(13, "Permission denied")

    folder = tmp_path / "vault"
    folder.mkdir()
    monkeypatch.setattr(vault.os, "open", refuse)
    with pytest.raises(
        ExportError, match=r"Cannot write to the export folder .*: Permission denied"
    ):
        export([paper()], folder)
    monkeypatch.undo()
    assert list(folder.iterdir()) == []
