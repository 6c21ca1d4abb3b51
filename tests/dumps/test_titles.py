"""title_key: when two titles are the same paper."""

from __future__ import annotations

import pytest

from readinglist.dumps.titles import title_key


def test_the_key_of_a_plain_title():
    assert title_key("Transformer-XL: Attentive Language Models") == (
        "transformer xl attentive language models"
    )


@pytest.mark.parametrize(
    "variant",
    [
        "Attention Is All You Need",
        "attention is all you need",
        "ATTENTION IS ALL YOU NEED",
        "  Attention  Is\tAll\u00a0You Need  ",
        "Attention Is All You Need.",
        "\u201cAttention Is All You Need\u201d",
        "Attention -- Is All: You Need!",
        "\uff21ttention Is All You Need",  # full-width A
    ],
)
def test_case_white_space_and_punctuation_do_not_count(variant):
    assert title_key(variant) == "attention is all you need"


def test_nfkc_and_casefold():
    assert title_key("E\ufb03cient Stra\u00dfe") == "efficient strasse"  # ffi ligature, sharp s
    assert title_key("Caf\u0065\u0301") == title_key("Caf\u00e9")  # combining accent vs composed


def test_words_stay_words():
    assert title_key("LLaMA Pro") != title_key("LLaMAPro")
    assert title_key("GPT-4") == "gpt 4"
    assert title_key("BT^2: Backward-compatible") == "bt 2 backward compatible"


def test_non_latin_titles_keep_their_letters():
    assert title_key("日本語の論文: 要約") == "日本語の論文 要約"


def test_a_title_of_punctuation_only_has_an_empty_key():
    assert title_key(" -- ... ") == ""


def test_the_key_of_a_key_is_itself():
    key = title_key("Ask, and it shall be given: Turing completeness of prompting")
    assert title_key(key) == key
