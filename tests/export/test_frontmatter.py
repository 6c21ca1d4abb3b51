"""YAML front matter: what is written reads back exactly, and nothing breaks out."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from testdata import DUMPS

from readinglist.export.frontmatter import render_front_matter, split_front_matter

# Titles that trip naive YAML writers: indicators, booleans and numbers of
# YAML 1.1 and 1.2, fences, and non-Latin script.
ADVERSARIAL_TITLES = [
    '"Quoted": a [b] #c {d} & *e | >f',
    "- dash start",
    "? q",
    "@at",
    "`tick`",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "123",
    "1e3",
    "0o17",
    "0x1F",
    "1_000",
    ".inf",
    "2023-07-16",
    "日本語のタイトル",
    "Before --- after",
    "---",
    "...",
    "Trailing colon:",
    "key: value",
    "a #comment",
    "!!python/object:os.system",
    "&anchor *alias",
    "%YAML 1.2",
    "'single' and \"double\"",
    "back\\slash",
    "  leading and trailing spaces  ",
    "",
    "tab\tinside",
    "\ufeffbom",
    "line\u2028separator\x85next",
]

HOSTILE = [
    "x\n---\nevil: true",
    "x\n...\nevil: true",
    "x\nevil: true",
    "x\r\n---\r\nevil: true",
    '"\nevil: true\n"',
    "'\nevil: true\n'",
    "x\n  evil: true",
]


def dump_lines() -> list[str]:
    """Every line of every shared dump: a superset of their titles and abstracts.

    Taking every line needs no parser and misses no title, whatever the
    layout (A, B or C) of the dump.
    """
    lines: dict[str, None] = {}  # ordered and without the repeats across dumps
    for path in sorted(DUMPS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8-sig")
        lines.update((line.strip(), None) for line in text.splitlines() if line.strip())
    return list(lines)


def fields_for(title: str) -> dict:
    return {
        "title": title,
        "authors": 6,
        "organisation": None,
        "published": date(2023, 7, 16),
        "upvotes": 3,
        "tags": ["a: b", "#c", "- d"],
        "status": "read",
        "read": None,
        "paper-id": "arxiv:2307.08621",
        "exported": datetime(2025, 4, 20, 10, 0, tzinfo=timezone(timedelta(hours=2))),
    }


def read_back(block: str) -> dict:
    assert block.startswith("---\n") and block.endswith("\n---\n")
    return yaml.safe_load(block[4 : -len("---\n")])


def test_every_dump_line_round_trips_as_a_title() -> None:
    lines = dump_lines()
    assert len(lines) > 200
    for line in lines:
        fields = fields_for(line)
        assert read_back(render_front_matter(fields)) == fields


def test_titles_found_by_the_dump_parser_round_trip() -> None:
    dumps = pytest.importorskip("readinglist.dumps")
    seen = 0
    for path in sorted(DUMPS.glob("*.txt")):
        for paper in dumps.parse_dump(path.read_bytes(), name=path.name, snapshot=datetime.now()):
            fields = fields_for(paper.title) | {"abstract": paper.abstract}
            assert read_back(render_front_matter(fields)) == fields
            seen += 1
    assert seen > 0


@pytest.mark.parametrize("title", ADVERSARIAL_TITLES)
def test_adversarial_titles_round_trip(title: str) -> None:
    fields = fields_for(title)
    block = render_front_matter(fields)
    assert read_back(block) == fields
    parsed, body = split_front_matter(block + "body\n")
    assert parsed == fields
    assert body == "body\n"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_cannot_add_keys_or_close_the_block(text: str) -> None:
    fields = fields_for(text) | {"tags": [text]}
    block = render_front_matter(fields)
    # The block has exactly its two fences and one line per key (+ the tag).
    lines = block.splitlines()
    assert lines.count("---") == 2
    assert "..." not in lines
    assert len(lines) == 2 + len(fields) + 1
    parsed, body = split_front_matter(block + "user text\n")
    assert parsed == fields
    assert set(parsed) == set(fields)
    assert body == "user text\n"


def test_every_string_is_quoted() -> None:
    # YAML 1.2 readers (Obsidian) take a plain 0o17 for a number.
    block = render_front_matter({"title": "0o17", "tags": ["yes"]})
    assert 'title: "0o17"' in block
    assert '- "yes"' in block


def test_dates_and_times_are_plain_iso() -> None:
    block = render_front_matter(
        {"published": date(2024, 1, 29), "exported": datetime(2025, 4, 20, 10, 0, 5)}
    )
    assert "published: 2024-01-29\n" in block
    assert "exported: 2025-04-20T10:00:05\n" in block


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(ValueError):
        render_front_matter({"x": object()})


@given(
    st.dictionaries(
        st.sampled_from(["title", "organisation", "note"]),
        st.one_of(st.text(), st.none(), st.integers(), st.lists(st.text(), max_size=3)),
    )
)
def test_any_text_round_trips(fields: dict) -> None:
    assert read_back(render_front_matter(fields)) == fields


def test_split_without_front_matter() -> None:
    assert split_front_matter("# Title\n") == (None, "# Title\n")
    assert split_front_matter("") == (None, "")


def test_split_unclosed_front_matter() -> None:
    assert split_front_matter("---\ntitle: x\n") == (None, "---\ntitle: x\n")


def test_split_invalid_yaml_or_not_a_mapping() -> None:
    assert split_front_matter("---\ntitle: [x\n---\nbody")[0] is None
    assert split_front_matter("---\n- a\n- b\n---\nbody")[0] is None


def test_split_empty_front_matter() -> None:
    assert split_front_matter("---\n---\nbody\n") == ({}, "body\n")


def test_split_accepts_bom_and_crlf() -> None:
    fields, body = split_front_matter('\ufeff---\r\ntitle: "x"\r\n---\r\nbody\r\n')
    assert fields == {"title": "x"}
    assert body == "body\r\n"


def test_lists_of_hostile_names_stay_one_line_each() -> None:
    names = [*HOSTILE, *(f"Author {n}" for n in range(533))]
    fields = fields_for("The Llama 3 Herd of Models") | {"author-names": names}
    block = render_front_matter(fields)
    lines = block.splitlines()
    assert lines.count("---") == 2
    start = lines.index("author-names:") + 1
    assert all(line.startswith('- "') for line in lines[start : start + len(names)])
    assert lines[start + len(names) :] == ["---"]  # one line per name, nothing else
    assert split_front_matter(block + "rest\n") == (fields, "rest\n")
