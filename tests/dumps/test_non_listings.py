"""Files that hold no listing: a README, notes, changelogs, a CSV, an email, source code.

Each must give "no papers found in it", whatever its name, and whatever a
reader makes of it: the judge of the file as a whole turns down what does
not read as papers in a text with no sign of the site.
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
from testdata import DATA

from readinglist.dumps import NO_PAPERS, browser_copy, read_dump, sample_text, text_browser
from readinglist.dumps.decoding import decode_bytes
from readinglist.dumps.judge import judge_listing
from readinglist.dumps.result import ParseResult
from readinglist.errors import DumpError
from readinglist.papers import ParsedPaper

SNAPSHOT = datetime(2026, 4, 20, 12, 0)
NONLISTINGS = sorted((DATA / "nonlistings").iterdir())
EXPECTED_FILES = {
    "readme.md",
    "CHANGELOG.md",
    "changelog.Debian.txt",
    "papers.csv",
    "notes.md",
    "email.txt",
    "textwrap.py",
    "README.md",
}


def test_the_files_are_there():
    assert {path.name for path in NONLISTINGS} == EXPECTED_FILES


@pytest.mark.parametrize("path", NONLISTINGS, ids=lambda path: path.name)
@pytest.mark.parametrize("name", ["{}", "dump.txt", "dump.md", "page.html", "noext"])
def test_no_papers_found_in_it(path: Path, name: str):
    with pytest.raises(DumpError) as caught:
        read_dump(path.read_bytes(), name=name.format(path.name), snapshot=SNAPSHOT)
    assert str(caught.value) == NO_PAPERS


@pytest.mark.parametrize("path", NONLISTINGS, ids=lambda path: path.name)
def test_crlf_and_utf16_change_nothing(path: Path):
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    for data in (text.encode(), text.encode("utf-16")):
        with pytest.raises(DumpError, match=NO_PAPERS):
            read_dump(data, name=path.name, snapshot=SNAPSHOT)


def _naive_entries(text: str) -> list[ParsedPaper]:
    """Every heading or line before a paragraph, with the paragraph's lines joined.

    What the most credulous reader could propose: the judge must turn it down.
    """
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    entries = []
    for before, after in pairwise(blocks):
        title = before.splitlines()[-1].lstrip("#").strip()
        abstract = " ".join(line.strip() for line in after.splitlines())
        if 0 < len(title) <= 300 and len(abstract) > len(title):
            entries.append(ParsedPaper(title, abstract))
    return entries


@pytest.mark.parametrize("path", NONLISTINGS, ids=lambda path: path.name)
@pytest.mark.parametrize("form", ["sample", "markdown", "browser-copy", "text-browser"])
def test_the_judge_turns_down_what_a_credulous_reader_proposes(path: Path, form: str):
    text = decode_bytes(path.read_bytes())
    proposed = _naive_entries(text)
    judged = judge_listing(text, ParseResult(proposed, form=form))
    assert judged.papers == []
    assert len(judged.skipped) == len(proposed)


@pytest.mark.parametrize("path", NONLISTINGS, ids=lambda path: path.name)
@pytest.mark.parametrize("reader", [sample_text, browser_copy, text_browser])
def test_each_text_reader_then_the_judge_gives_nothing(path: Path, reader):
    text = decode_bytes(path.read_bytes())
    assert judge_listing(text, reader.read(text, snapshot=SNAPSHOT)).papers == []


def test_the_notes_name_papers_of_the_dumps():
    # The notes are about real papers: their titles are in them, as headings and in lines.
    notes = (DATA / "nonlistings" / "notes.md").read_text(encoding="utf-8")
    assert "## Universal Transformers" in notes
    assert "## Zamba: A Compact 7B SSM Hybrid Model" in notes
