"""Portable file names from titles."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readinglist.export.filenames import CaseInsensitiveNames, plain_name_problem, portable_name

FORBIDDEN = set('<>:"/\\|?*')
RESERVED_STEMS = {"CON", "PRN", "AUX", "NUL"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in "123456789"
}


def assert_portable(name: str, *, max_length: int = 120) -> None:
    """Every rule a name must meet on Windows, macOS and Linux."""
    assert name
    assert not FORBIDDEN & set(name)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)
    assert name[-1] not in ". "
    assert not name.startswith(".")
    assert name.split(".", 1)[0].rstrip().upper() not in RESERVED_STEMS
    assert len(name.encode("utf-16-le")) // 2 <= max_length
    assert len(name.encode("utf-8")) <= 240
    assert plain_name_problem(name) is None


def test_title_with_colon_reads_naturally() -> None:
    name = portable_name("CoFrGeNet: Continued Fraction Architectures", taken=set())
    assert name == "CoFrGeNet - Continued Fraction Architectures.md"


@pytest.mark.parametrize(
    "title",
    [
        '"Quoted": a [b] #c {d} & *e | >f',
        "a/b\\c",
        "what? <really> *now*",
        "tab\there\nnewline\x00nul\x1besc",
        "bidi \u202eevil\u202c.exe",
        "trailing dots...",
        "trailing spaces   ",
        ".hidden",
        "../../etc/passwd",
        "日本語のタイトル",
        "---",
    ],
)
def test_hostile_titles_give_portable_names(title: str) -> None:
    assert_portable(portable_name(title, taken=set()))


def test_trailing_colon_leaves_no_dangling_dash() -> None:
    assert portable_name("Attention is all you need:", taken=set()) == (
        "Attention is all you need.md"
    )


def test_path_traversal_cannot_survive() -> None:
    name = portable_name("../../etc/passwd", taken=set())
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")


@pytest.mark.parametrize(
    "title", ["CON", "con", "Nul", "aux.txt", "COM1", "lpt9", "prn.tar", "CON .x", "COM¹"]
)
def test_reserved_device_names_are_avoided(title: str) -> None:
    name = portable_name(title, taken=set())
    assert_portable(name)
    assert name.split(".", 1)[0].rstrip().upper() not in RESERVED_STEMS | {"COM¹"}


@pytest.mark.parametrize("title", ["", "   ", "???", "...", "\n\t", "<>?*", " - : | "])
def test_empty_result_falls_back_to_untitled(title: str) -> None:
    assert portable_name(title, taken=set()) == "untitled.md"


def test_long_title_is_cut_to_120_characters() -> None:
    name = portable_name("word " * 100, taken=set())
    assert len(name) <= 120
    assert name.endswith(".md")
    assert_portable(name)


def test_non_latin_title_is_cut_to_240_utf8_bytes() -> None:
    # 3 bytes a character: 100 characters would be 300 bytes.
    name = portable_name("日" * 100, taken=set())
    assert len(name.encode("utf-8")) <= 240
    assert name == "日" * 79 + ".md"


def test_length_counts_utf16_units_like_windows() -> None:
    name = portable_name("😀" * 100, taken=set(), max_length=20)
    assert len(name.encode("utf-16-le")) // 2 <= 20
    assert name == "😀" * 8 + ".md"


def test_cut_never_leaves_a_dangling_combining_mark() -> None:
    title = "e\u0301" * 200  # NFC turns each pair into one character
    name = portable_name(unicodedata.normalize("NFD", title), taken=set(), max_length=10)
    assert not unicodedata.combining(name[-4])
    assert_portable(name, max_length=10)


def test_taken_names_get_a_counter_without_regard_to_case() -> None:
    taken = {"Attention.md", "attention (2).MD"}
    assert portable_name("ATTENTION", taken=taken) == "ATTENTION (3).md"
    assert taken == {"Attention.md", "attention (2).MD"}  # not modified


def test_taken_names_compare_across_unicode_normalisation() -> None:
    # macOS may hand back the decomposed form of a name.
    taken = {unicodedata.normalize("NFD", "Café.md")}
    assert portable_name("Café", taken=taken) == "Café (2).md"


def test_counter_fits_within_the_limit() -> None:
    first = portable_name("x" * 300, taken=set())
    second = portable_name("x" * 300, taken={first})
    assert second.endswith(" (2).md")
    assert len(second) <= 120


def test_case_insensitive_names_set() -> None:
    names = CaseInsensitiveNames(["Paper.md"])
    assert "PAPER.MD" in names
    names.add("Other.md")
    assert "other.md" in names
    assert portable_name("paper", taken=names) == "paper (2).md"


@given(st.text(max_size=400), st.sets(st.text(max_size=20), max_size=5))
def test_any_title_gives_a_portable_unique_name(title: str, taken: set[str]) -> None:
    name = portable_name(title, taken=taken)
    assert_portable(name)
    assert name.casefold() not in {t.casefold() for t in taken}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "empty"),
        ("a/b.md", "not a path"),
        ("a\\b.md", "not a path"),
        ("..", "not a path"),
        ("../notes.md", "not a path"),
        (".hidden.md", "dot"),
        ("what?.md", "must not contain"),
        ("notes.md.", "must not end"),
        ("con.md", "reserved"),
        ("x" * 130, "too long"),
    ],
)
def test_plain_name_problem(name: str, problem: str) -> None:
    found = plain_name_problem(name)
    assert found is not None and problem in found


def test_plain_name_problem_accepts_plain_names() -> None:
    assert plain_name_problem("reading-notes.md") is None
    assert plain_name_problem("読書ノート.md") is None
