"""html_to_text: the visible text of a saved page, as a text dump."""

from __future__ import annotations

from readinglist.dumps.html_text import html_to_text


def test_blocks_become_paragraphs_and_inline_text_joins():
    html = "<div><h3>A <b>bold</b> title</h3><p>An <i>abstract</i>.</p></div>"
    assert html_to_text(html) == "A bold title\n\nAn abstract."


def test_hidden_elements_are_dropped():
    html = (
        "<html><head><title>Page title</title><style>p { color: red }</style>"
        "<script>var x = '<p>not text</p>';</script></head>"
        "<body><noscript>Enable JavaScript</noscript><template><p>Template</p></template>"
        "<svg><title>icon</title><text>svg text</text></svg>"
        "<p>Visible</p><script type='module'>document.write('<p>no</p>')</script></body></html>"
    )
    assert html_to_text(html) == "Visible"


def test_a_missing_head_end_tag_does_not_hide_the_body():
    html = "<html><head><title>Page</title><body><p>Visible</p></body></html>"
    assert html_to_text(html) == "Visible"


def test_entities_are_decoded():
    html = "<p>Q&amp;A &lt;tags&gt; &quot;quoted&quot; caf&eacute; &#8226; &#x00B7;</p>"
    assert html_to_text(html) == 'Q&A <tags> "quoted" café • ·'


def test_white_space_collapses_as_a_browser_shows_it():
    html = "<p>\n    A title\n    split   over\tlines&nbsp;and&nbsp;nbsp\n</p>"
    assert html_to_text(html) == "A title split over lines and nbsp"


def test_br_is_a_line_break_and_pre_keeps_its_lines():
    assert html_to_text("<p>one<br>two<br/>three</p>") == "one\ntwo\nthree"
    assert html_to_text("<pre>a  b\nc</pre>") == "a  b\nc"


def test_paragraphs_are_separated_by_one_blank_line():
    html = "<div><div><p>one</p></div></div>\n\n<ul><li>two</li><li>three</li></ul>"
    assert html_to_text(html) == "one\n\ntwo\n\nthree"


def test_malformed_html_still_gives_its_text():
    html = "<p>unclosed <b>bold <i>both</p><div>after</span></div><p>tail"
    assert html_to_text(html) == "unclosed bold both\n\nafter\n\ntail"


def test_comments_and_doctype_are_not_text():
    assert html_to_text("<!DOCTYPE html><!-- a comment --><p>text</p>") == "text"


def test_plain_text_passes_through():
    assert html_to_text("just text") == "just text"
    assert html_to_text("") == ""


def test_odd_marked_sections_are_bogus_comments_not_errors():
    # The stdlib raises AssertionError on these (Python 3.11-3.13).
    assert html_to_text("<p>a</p><![0 x]><p>b</p><![foo>") == "a\n\nb"
    assert html_to_text("<![if !supportLists]><p>c</p><![endif]>") == "c"
