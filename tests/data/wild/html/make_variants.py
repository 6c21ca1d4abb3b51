"""Remake the variants of the saved daily page in this folder (see README.md).

Run from the repository root: `.venv/bin/python tests/data/wild/html/make_variants.py`.
Every variant is made from `../daily_2024-08-01.html` by the plain string
operations below, so that what each one tests is plain to see.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = (HERE.parent / "daily_2024-08-01.html").read_text(encoding="utf-8")
PROPS = re.compile(r' data-props="([^"]*)"(?=>)')
DAILY = re.compile(r'(data-target="DailyPapers") data-props="[^"]*"')


def daily_props() -> dict:
    """The JSON of the page's DailyPapers component."""
    start = SAMPLE.index('data-target="DailyPapers"')
    match = PROPS.search(SAMPLE, start)
    assert match is not None
    return json.loads(html.unescape(match[1]))


def without_props(page: str) -> str:
    """The page with the DailyPapers component's data-props attribute removed."""
    stripped, count = DAILY.subn(r"\1", page)
    assert count == 1
    return stripped


def cards() -> str:
    return without_props(SAMPLE)


def text_only() -> str:
    """The visible text of the page, one paragraph per line, under a minimal head."""
    from readinglist.htmltext import html_to_text

    lines = [line for line in html_to_text(SAMPLE).split("\n") if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Daily Papers - Hugging Face</title>\n"
        '<link rel="canonical" href="https://huggingface.co/papers?date=2024-08-01">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def search_cards() -> str:
    """The cards-only page with each paper's abstract in a <p> under its title."""
    page = cards()
    abstracts = {
        entry["paper"]["id"]: " ".join(entry["paper"]["summary"].split())
        for entry in daily_props()["dailyPapers"]
    }
    out, position = [], 0
    for match in re.finditer(r'<h3 [^>]*><a href="/papers/([^"]+)"[^>]*>.*?</h3>', page, re.S):
        paragraph = (
            '<p class="line-clamp-4 text-sm text-gray-600 dark:text-gray-400">'
            f"{html.escape(abstracts[match[1]])}</p>"
        )
        out += [page[position : match.end()], paragraph]
        position = match.end()
    out.append(page[position:])
    page = "".join(out)
    page = page.replace(
        '<meta property="og:url" content="https://huggingface.co/papers" />',
        '<meta property="og:url" content="https://huggingface.co/papers?q=llama" />',
    )
    return page


def cards_truncated() -> str:
    """The cards-only page cut right after the title of its 9th card."""
    page = cards()
    ninth = [match.start() for match in re.finditer("<article", page)][8]
    end = page.index("</h3>", ninth) + len("</h3>")
    return page[:end]


def props_truncated() -> str:
    """The page cut inside its JSON, in the author list of the 10th entry."""
    at = SAMPLE.index("&quot;id&quot;:&quot;2407.21781&quot;")
    assert SAMPLE.index('data-target="DailyPapers"') < at
    return SAMPLE[: at + 600]


VARIANTS = {
    "daily_2024-08-01.cards.html": cards,
    "daily_2024-08-01.text.html": text_only,
    "search_2024-08-01.cards-with-abstracts.html": search_cards,
    "daily_2024-08-01.cards-truncated.html": cards_truncated,
    "daily_2024-08-01.props-truncated.html": props_truncated,
}


def main() -> None:
    for name, make in VARIANTS.items():
        (HERE / name).write_text(make(), encoding="utf-8")
        print(name)


if __name__ == "__main__":
    main()
