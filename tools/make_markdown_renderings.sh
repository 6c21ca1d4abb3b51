#!/bin/sh
# Remake tests/data/wild/markdown/ : Markdown captures of the site's pages.
#
#   sh tools/make_markdown_renderings.sh
#
# 1. tests/data/wild/daily_2024-08-01.html rendered to Markdown by real
#    converters: html2text (default settings, --body-width=80, --body-width=0,
#    --reference-links), pandoc -t gfm (raw HTML kept, as it comes) and
#    pandoc without raw HTML, markdownify, and turndown (what browser
#    clippers such as MarkDownload use).
# 2. Variants of the real capture tests/data/wild/trending_capture.md: in a
#    fenced block under a small header, text hard-wrapped at 80 and at 120
#    columns, cut off mid-abstract with "[Content truncated]", CRLF line ends.
# 3. Two captures in the forms that scrapers and text browsers give of the
#    current site (upvote links before titles, abstracts inside links, dates
#    glued to comment counts, reference links whose definitions were cut off),
#    written from the page's own JSON (data-props) by the Python below.
#
# Needs: python3; Debian's pandoc (apt-get install -y pandoc); node and npm.
# html2text and markdownify go into a venv under /tmp (pip, from PyPI) and
# turndown into /tmp with npm; nothing is installed into the project. The
# files in the repository were made with html2text 2025.4.15, markdownify
# 1.2.3, pandoc 2.17.1.1 (Debian 12), turndown 7.2.5 + turndown-plugin-gfm
# 1.0.2 on node 20.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PAGE="$ROOT/tests/data/wild/daily_2024-08-01.html"
TRENDING="$ROOT/tests/data/wild/trending_capture.md"
OUT="$ROOT/tests/data/wild/markdown"
BASE="$OUT/daily_2024-08-01"
VENV=${MARKDOWN_VENV:-/tmp/readinglist-markdown-venv}
NODE_DIR=${MARKDOWN_NODE_DIR:-/tmp/readinglist-turndown}
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/html2text" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "html2text==2025.4.15" "markdownify==1.2.3"
fi
if [ ! -d "$NODE_DIR/node_modules/turndown" ]; then
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && npm init -y >/dev/null && npm install --silent turndown@7.2.5 turndown-plugin-gfm@1.0.2)
fi

# 1. Converters.
"$VENV/bin/html2text" "$PAGE" >"$BASE.html2text.md"
"$VENV/bin/html2text" --body-width=80 "$PAGE" >"$BASE.html2text-width80.md"
"$VENV/bin/html2text" --body-width=0 "$PAGE" >"$BASE.html2text-nowrap.md"
"$VENV/bin/html2text" --reference-links "$PAGE" >"$BASE.html2text-reflinks.md"
pandoc -f html -t gfm "$PAGE" -o "$BASE.pandoc-gfm.md"
pandoc -f html-native_divs-native_spans -t gfm-raw_html "$PAGE" -o "$BASE.pandoc-gfm-plain.md"
"$VENV/bin/python" -c 'import sys, markdownify; sys.stdout.write(markdownify.markdownify(open(sys.argv[1], encoding="utf-8").read()))' "$PAGE" >"$BASE.markdownify.md"
cat >"$NODE_DIR/render.js" <<'EOF'
// HTML -> Markdown with turndown, set up as web clippers set it up.
const fs = require('fs');
const TurndownService = require('turndown');
const { gfm } = require('turndown-plugin-gfm');
const td = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
td.use(gfm);
td.remove(['script', 'style', 'noscript', 'svg']);
process.stdout.write(td.turndown(fs.readFileSync(process.argv[2], 'utf8')) + '\n');
EOF
(cd "$NODE_DIR" && node render.js "$PAGE") >"$BASE.turndown.md"

# 2 and 3. Variants and forms (standard library only).
python3 - "$TRENDING" "$PAGE" "$OUT" <<'EOF'
import html
import json
import re
import sys
import textwrap
from pathlib import Path

trending, page, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
capture = trending.read_text(encoding="utf-8")


def write(name: str, text: str, newline: str = "\n") -> None:
    with open(out / name, "w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)


# The capture in a fence, as a notes app or a chat pastes it.
write(
    "trending_capture.fenced.md",
    "# Trending papers, saved for the reading group\n\n"
    "Saved from the site's trending page; the capture tool's output as it came:\n\n"
    "```markdown\n" + capture.rstrip("\n") + "\n```\n\n"
    "Notes: go through the agent papers first.\n",
)


def wrapped(text: str, width: int) -> str:
    """Hard-wrap the prose lines (summaries, abstracts); headings, lists and links stay."""
    lines = []
    for line in text.split("\n"):
        if len(line) > width and not line.startswith(("#", "-", "[", "*", " ", "|")):
            lines.extend(textwrap.wrap(line, width, break_on_hyphens=False))
        else:
            lines.append(line)
    return "\n".join(lines)


write("trending_capture.wrapped80.md", wrapped(capture, 80))
write("trending_capture.wrapped120.md", wrapped(capture, 120))

# Cut off inside the first copy of MiroThinker's abstract, as capture tools
# that cap their output do.
start = capture.index("### MiroThinker")
abstract = capture.index("We present MiroThinker", start)
cut = capture.index("interaction scaling at the model level", abstract)
write("trending_capture.truncated.md", capture[:cut] + "\n\n[Content truncated]\n")
write("trending_capture.crlf.md", capture, newline="\r\n")

# The page's own data, for the forms of the current site.
source = page.read_text(encoding="utf-8")
props = re.search(r'data-target="DailyPapers"\s+data-props="([^"]*)"', source)
data = json.loads(html.unescape(props[1]))
papers = data["dailyPapers"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def day(iso: str) -> str:
    """A date as the site writes it: the year only when it is not the page's."""
    year, month, dom = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    text = f"{MONTHS[month - 1]} {dom}"
    return text if year == int(data["date"][:4]) else f"{text}, {year}"


def one_line(text: str) -> str:
    return " ".join(text.split())


# A scraper's Markdown of the search page (firecrawl and the like): front
# matter, upvote links before titles, the abstract as a link to the paper,
# the author list as a link, a date with the comment count glued to it.
site = "https://huggingface.co"
parts = [
    "---\nurl: https://huggingface.co/papers?q=video\nretrieved: 2024-08-02\n"
    "title: Daily Papers - Hugging Face\n---\n",
    "new\n\nGet trending papers in your email inbox once a day!\n\n"
    "Get trending papers in your email inbox!\n\n[Subscribe](https://huggingface.co/login?next=%2Fpapers)\n\n"
    "# Daily Papers\n\n## by [![](https://huggingface.co/front/assets/papers-by.png)AK]"
    "(https://huggingface.co/akhaliq) and the research community\n\n- Daily\n- Weekly\n- Monthly\n\n"
    "[Trending Papers](https://huggingface.co/papers/trending)\n\nAug 1\n",
]
for item in papers:
    paper = item["paper"]
    pid = paper["id"]
    upvotes = paper["upvotes"] or "-"
    avatars = ""
    for author in paper["authors"][:3]:
        if author.get("user"):
            url = author["user"]["avatarUrl"]
            avatars += f"- ![]({site + url if url.startswith('/') else url})\\\\\n"
    # Such scrapers escape Markdown's marks and backslashes (LaTeX's \% becomes
    # \\%), and write arXiv's line breaks as an escaped backslash ending the line.
    abstract = re.sub(r"([\\\\\[\]*_`])", r"\\\1", paper["summary"].strip())
    abstract = abstract.replace("\n", "\\\\\n")
    parts.append(
        f"\n[{upvotes}]({site}/login?next=%2Fpapers%2F{pid})\n\n"
        f"### [{one_line(paper['title'])}]({site}/papers/{pid})\n\n"
        f"[{abstract}]({site}/papers/{pid})\n\n"
        f"[{avatars}- {len(paper['authors'])} authors]({site}/papers/{pid})\n\n·\n\n"
        f"{day(paper['publishedAt'])}[{item['numComments']}]({site}/papers/{pid}#community)\n"
    )
write("daily_2024-08-01.scraper-form.md", "".join(parts))

# A text browser's capture in a fence under a "Web source" header: reference
# links whose list of references was cut off, text wrapped at 120 columns,
# upvotes and comment counts as link marks, cut off in the last abstract.
body = [
    "* [ Models ][2]\n* [ Datasets ][3]\n* [ Spaces ][4]\n* [Log In][5]\n* [Sign Up][6]\nnew\n\n"
    "Get trending papers in your email inbox once a day!\n\nGet trending papers in your email inbox!\n\n"
    "[Subscribe][7]\n\n# Daily Papers\n\n## by[AK][8] and the research community\n* Daily\n* Weekly\n"
    "* Monthly\n\nAug 1\n"
]
ref = 9
for number, item in enumerate(papers):
    paper = item["paper"]
    title = textwrap.wrap(one_line(paper["title"]), 120 - 6)
    abstract = "\n".join(textwrap.wrap(one_line(paper["summary"]), 120))
    body.append(f"[\n{paper['upvotes'] or '-'}\n][{ref}]\n\n")
    body.append("### [" + "\n### ".join(title) + f"][{ref + 1}]\n\n")
    if number == len(papers) - 1:
        body.append("[\n\n" + abstract[: len(abstract) // 2] + "\n\n[Content truncated]\n")
        break
    body.append(f"[\n\n{abstract}\n\n][{ref + 2}]\n")
    body.append(f"[\n* {len(paper['authors'])} authors\n][{ref + 3}]\n·\n")
    body.append(f"{day(paper['publishedAt'])} [ {item['numComments']}][{ref + 4}]\n")
    ref += 5
write(
    "daily_2024-08-01.text-browser-fenced.md",
    "# Web source\n\n- URL: https://huggingface.co/papers?date=2024-08-01\n"
    "- Title: [[Hugging Face's logo] Hugging Face][1]\n"
    "- Captured (UTC): 2024-08-01T18:02:11.348115904+00:00\n\n"
    "```text\n[[Hugging Face's logo] Hugging Face][1]\n" + "".join(body) + "```\n",
)
EOF
echo "wrote $(ls "$OUT" | wc -l) files to $OUT"
