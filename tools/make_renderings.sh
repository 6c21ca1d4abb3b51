#!/bin/sh
# Remake tests/data/wild/renderings/ from tests/data/wild/daily_2024-08-01.html
# with real browsers: a Chromium select-all copy (document.body.innerText), lynx
# and w3m dumps, and the variants a user's clipboard or a capture tool makes.
#
#   sh tools/make_renderings.sh
#
# Needs Debian's chromium, lynx and w3m (apt-get install -y chromium lynx w3m)
# and python3 (the standard library only). No network is used: the page's own
# scripts, styles and images do not load, and the text comes from the HTML the
# server rendered. The files in the repository were made with:
#   Chromium 156.0.8078.114 (Debian 12 bookworm)
#   Lynx 2.9.0dev.12 (02 Jan 2023)
#   w3m 0.5.3+git20230121
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PAGE="$ROOT/tests/data/wild/daily_2024-08-01.html"
OUT="$ROOT/tests/data/wild/renderings"
BASE="$OUT/daily_2024-08-01"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# 1. Chromium: what select-all + copy gives is document.body.innerText. A copy
# of the page gets a script, before </body>, that puts that text into one
# <pre id=out>; --dump-dom prints the DOM after the script ran.
python3 - "$PAGE" "$WORK/copy.html" <<'EOF'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
script = (
    "<script>(function () {"
    " var text = document.body.innerText;"
    " var pre = document.createElement('pre'); pre.id = 'out'; pre.textContent = text;"
    " document.body.replaceChildren(pre);"
    "})();</script>"
)
head, sep, tail = page.rpartition("</body>")
assert sep, "no </body> in the page"
open(sys.argv[2], "w", encoding="utf-8").write(head + script + sep + tail)
EOF
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$WORK/profile" --dump-dom "file://$WORK/copy.html" \
    >"$WORK/dom.html" 2>"$WORK/chromium.log"

python3 - "$WORK/dom.html" "$BASE" <<'EOF'
import html
import re
import sys

dom, base = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
match = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
assert match, "Chromium's DOM has no <pre id=out>"
copy = html.unescape(match[1])
if not copy.endswith("\n"):
    copy += "\n"


def write(name, text, newline="\n"):
    with open(base + name, "w", encoding="utf-8", newline=newline) as out:
        out.write(text)


write(".chromium.txt", copy)
# As Windows pastes it: CRLF line ends.
write(".chromium-crlf.txt", copy, newline="\r\n")
# As a paste into some editors leaves it: trailing spaces and tabs, lines
# indented by a tab, every blank line doubled.
messy = []
for number, line in enumerate(copy.split("\n")):
    if not line:
        messy += ["", "  \t"]
    else:
        messy.append(("\t" if number % 3 == 0 else "") + line + (" \t " if number % 2 else "  "))
write(".chromium-messy.txt", "\n".join(messy))
# A capture cut off by a size limit inside the 9th card's title.
cut = copy.index("Improving 2D Feature Representations by 3D-Aware Fi") + len(
    "Improving 2D Feature Representations by 3D-Aware Fi"
)
write(".chromium-truncated.txt", copy[:cut] + "\n\n[Content truncated]\n")
EOF

# 2. Text browsers, at a page width of 100 columns.
lynx -dump -width=100 -display_charset=utf-8 "$PAGE" >"$BASE.lynx.txt"
lynx -dump -width=100 -display_charset=utf-8 -nolist "$PAGE" >"$BASE.lynx-nolist.txt"
w3m -dump -cols 100 -O UTF-8 -T text/html "$PAGE" >"$BASE.w3m.txt"
w3m -dump -cols 100 -O UTF-8 -T text/html -o display_link_number=1 "$PAGE" >"$BASE.w3m-links.txt"
# At 60 columns most titles wrap onto a second or third line.
lynx -dump -width=60 -display_charset=utf-8 "$PAGE" >"$BASE.lynx-w60.txt"
w3m -dump -cols 60 -O UTF-8 -T text/html -o display_link_number=1 "$PAGE" >"$BASE.w3m-links-w60.txt"

# 3. The site's search pages show each card's abstract; no real capture of one
# is at hand, so the daily page gets each paper's abstract (from its own
# data-props JSON) as a <p> after the card's title, and the text browsers lay
# that out as they would: paragraphs indented and hard-wrapped.
python3 - "$PAGE" "$WORK/abstracts.html" <<'EOF'
import html
import json
import re
import sys

page = open(sys.argv[1], encoding="utf-8").read()
tag = re.search(r'<[^<>]*data-target="DailyPapers"[^<>]*>', page)[0]
props = json.loads(html.unescape(re.search(r'data-props="([^"]*)"', tag)[1]))
abstracts = iter(" ".join(e["paper"]["summary"].split()) for e in props["dailyPapers"])
page = re.sub(
    r"(<h3\b.*?</h3>)", lambda m: m[1] + f"<p>{html.escape(next(abstracts))}</p>", page, flags=re.S
)
open(sys.argv[2], "w", encoding="utf-8").write(page)
EOF
ABSTRACTS="$OUT/daily_2024-08-01+abstracts"
# The copy sits in a temporary folder; its links are made to look like the page's own.
lynx -dump -width=80 -display_charset=utf-8 "$WORK/abstracts.html" \
    | sed "s|file://$WORK/|file:///|; s|file://localhost$WORK/|file://localhost/|" \
    >"$ABSTRACTS.lynx.txt"
w3m -dump -cols 80 -O UTF-8 -T text/html -o display_link_number=1 "$WORK/abstracts.html" \
    | sed "s|file://$WORK/|file:///|" >"$ABSTRACTS.w3m-links.txt"

ls -l "$OUT"
