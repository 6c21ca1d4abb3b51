"""The GUI's text helpers: escaping, facts as text, highlight words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from readinglist.gui import text
from readinglist.papers import Paper


def _paper(**fields) -> Paper:
    return Paper(id=1, title="T", abstract="A", **fields)


def test_escape_makes_markup_inert() -> None:
    assert text.escape('<b>x</b><script>"&') == "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;&quot;&amp;"
    assert text.escape(None) == ""
    assert text.plain_to_html("a<\nb") == "a&lt;<br>b"


def test_meta_line_joins_what_the_listing_showed() -> None:
    paper = _paper(authors=6, published=date(2025, 1, 29), upvotes=4)
    assert text.meta_line(paper) == "6 authors · Jan 29, 2025 · ▲ 4"
    assert text.meta_line(_paper(authors=1)) == "1 author"
    assert text.meta_line(_paper(organisation="Reactive AI", upvotes=0)) == "Reactive AI · ▲ 0"
    assert text.meta_line(_paper()) == ""


def test_dates_always_show_their_year_and_say_when_it_was_inferred() -> None:
    inferred = _paper(published=date(2026, 3, 5), year_inferred=True)
    assert text.date_text(inferred.published) == "Mar 5, 2026"
    assert "no year" in text.date_tooltip(inferred)
    assert text.date_tooltip(_paper(published=date(2023, 7, 16))) == ""
    assert text.date_text(None) == ""


def test_marked_words_and_whole_text_highlight() -> None:
    fragment = "… the <b>Transformer</b> and <b>transformers</b> &amp; <b>Q&amp;A</b> …"
    words = text.marked_words(fragment)
    assert words == ["transformers", "Transformer", "Q&A"]
    marked = text.highlight_text("Transformers beat a transformer <x> on Q&A; retransformer", words)
    assert marked == (
        "<b>Transformers</b> beat a <b>transformer</b> &lt;x&gt; on <b>Q&amp;A</b>; retransformer"
    )
    assert text.highlight_text("<i>", []) == "&lt;i&gt;"


def test_time_ago() -> None:
    now = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)
    assert text.time_ago(now - timedelta(seconds=5), now) == "just now"
    assert text.time_ago(now - timedelta(minutes=1), now) == "1 minute ago"
    assert text.time_ago(now - timedelta(hours=3), now) == "3 hours ago"
    assert text.time_ago(now - timedelta(days=1, hours=2), now) == "yesterday"
    assert text.time_ago(now - timedelta(days=4), now) == "4 days ago"
    assert text.time_ago(datetime(2025, 1, 2, 12, 0), now).startswith("on Jan ")
    assert text.time_ago(None) == ""


def test_counts_and_eliding() -> None:
    assert text.count_text(1, "paper") == "1 paper"
    assert text.count_text(2, "paper") == "2 papers"
    assert text.upvotes_text(None) == ""
    assert text.elide_middle("abcdefghij", 7) == "abc…hij"
    assert text.elide_middle("short", 10) == "short"
