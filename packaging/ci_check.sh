#!/usr/bin/env bash
# CI's packaging check: build the bundle and the .deb, then prove both work.
#
#   bash packaging/ci_check.sh          (as root on Debian/Ubuntu; .ci/run calls it)
#
# 1. installs what it needs: the .deb's Depends (the bundle uses the system's
#    libraries), desktop-file-utils, appstream, lintian, and the build's ELF
#    tools (binutils, elfutils, patchelf), waiting for apt's lock like
#    scripts/setup-system; readinglist, PyInstaller, shtab and
#    argparse-manpage into .venv (created if missing);
# 2. builds: python packaging/build.py --deb; then lintian on the .deb, which
#    must report no error and no warning but those the package's override
#    file accepts (packaging/linux/readinglist.lintian-overrides, each with
#    its reason);
# 3. bundle size under the budget (200 MiB), and the .deb's Depends cover every
#    system library the bundle links (the owners of its NEEDED libraries);
# 4. the same scenario run by the source install (python -m readinglist) and
#    by the bundled binary, each on its own temp library: --version, import of
#    the dumps (twice: the second adds nothing), note/tag/mark, searches,
#    list, show, similar, export; packaging/compare_outputs.py compares the
#    results (only temp paths and moments may differ);
# 5. the bundled window starts offscreen and quits by itself
#    (READINGLIST_QUIT_AFTER_MS), with and without a file to open, no error;
# 6. desktop-file-validate and appstreamcli validate --no-net on the files the
#    .deb installs;
# 7. dpkg -i the .deb, /usr/bin/readinglist --version, the man page and the
#    bash completion found where man and bash-completion look, a headless
#    import into the default library of a temp HOME, dpkg -r, and the library
#    is still there, byte for byte.
#
# Environment: READINGLIST_DUMPS (folder of dumps; default tests/data/dumps,
# else a small dump written here), READINGLIST_DEB_COMPRESSION (default gzip:
# seconds instead of minutes for xz, which releases use; not zstd, which
# Debian 12's lintian rejects as a malformed archive).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
STARTED=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/readinglist-ci.XXXXXX")
BUDGET_MIB=200
PY="$REPO/.venv/bin/python"
BUNDLE="$REPO/dist/readinglist"
APP="$BUNDLE/readinglist"
export QT_QPA_PLATFORM=offscreen
unset READINGLIST_LIBRARY

step() { echo "[ci_check $(($(date +%s) - STARTED))s] $*"; }
fail() {
    echo "[ci_check] FAILED: $*" >&2
    exit 1
}
cleanup() {
    if dpkg-query -W -f='${Status}' readinglist 2>/dev/null | grep -q "ok installed"; then
        dpkg -r readinglist >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. what it needs --------------------------------------------------------
step "installing system packages"
depends=$(sed -e 's/#.*//' packaging/linux/deb-depends.txt | awk 'NF {print $1}')
tools=(desktop-file-utils appstream binutils dpkg-dev file lintian man-db patchelf elfutils)
# scripts/setup-system's apt_get waits while another package manager holds
# apt's locks and says who; sourcing it only defines its functions.
# shellcheck source=../scripts/setup-system
source "$REPO/scripts/setup-system"
mapfile -t missing < <(missing_packages $depends "${tools[@]}")
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || fail "needs root to install: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_get update -qq
    apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -x "$PY" ]; then
    step "creating .venv"
    python3 -m venv .venv
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -e .
fi
VERSION=$("$PY" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")

# --- 2. build ------------------------------------------------------------------
step "building the bundle and the .deb (readinglist $VERSION)"
"$PY" packaging/build.py --deb --deb-compression "${READINGLIST_DEB_COMPRESSION:-gzip}"
DEB=$(ls -t dist/readinglist_*.deb | head -n 1)

# --- 2b. lintian ---------------------------------------------------------------
# Errors and warnings fail; the tags the package accepts are in its override
# file (installed in the .deb, where lintian reads it), each with its reason.
# Info and pedantic tags are printed as counts only.
step "lintian $DEB"
code=0
lintian --fail-on error,warning --display-level ">=info" "$DEB" >"$WORK/lintian.txt" 2>&1 || code=$?
if [ "$code" != 0 ]; then
    grep -E "^[EW]: " "$WORK/lintian.txt" >&2 || cat "$WORK/lintian.txt" >&2
    fail "lintian reports errors or warnings that packaging/linux/readinglist.lintian-overrides does not accept"
fi
infos=$(awk '$1 == "I:" {print $3}' "$WORK/lintian.txt" | sort | uniq -c |
    awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')
step "lintian: no errors or warnings beyond the overrides (info: ${infos:-none})"

# --- 3. size -----------------------------------------------------------------
size_mib=$(($(du -sb "$BUNDLE" | cut -f1) / 1048576))
step "bundle: ${size_mib} MiB (budget ${BUDGET_MIB} MiB)"
[ "$size_mib" -lt "$BUDGET_MIB" ] || fail "bundle is ${size_mib} MiB, over ${BUDGET_MIB} MiB"

# --- 3b. the Depends cover every system library the bundle links ----------------
# The list was found on a bare Debian (find_deb_deps.sh); this keeps it honest
# when the bundle changes (another Qt, another Python): the owner of each
# library the bundle's ELF files need and do not carry must be in the list.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
needed=$(find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
    xargs -0 file -N -F ' ' | awk '$2 == "ELF" {print $1}' |
    xargs -r objdump -p 2>/dev/null | awk '$1 == "NEEDED" {print $2}' | sort -u)
bundled=$(find "$BUNDLE" \( -type f -o -type l \) -printf '%f\n' | sort -u)
sonames=$(comm -23 <(echo "$needed") <(echo "$bundled") | grep -v '^ld-linux' || true)
# One dpkg -S for all of them: "package:arch: /usr/lib/<multiarch>/libfoo.so.1".
owned=$(dpkg -S $(sed 's|^|*/|' <<<"$sonames") 2>/dev/null |
    grep -E ": (/usr)?/lib/$multiarch/[^/]+\$" || true)
unlisted=()
for soname in $sonames; do
    owner=$(awk -F': ' -v s="$soname" '{n = split($2, p, "/"); if (p[n] == s) {sub(/:.*/, "", $1); print $1; exit}}' <<<"$owned")
    [ -n "$owner" ] || fail "the bundle needs $soname, which no installed package provides"
    echo "$depends" | grep -qx "$owner" || unlisted+=("$owner ($soname)")
done
[ ${#unlisted[@]} -eq 0 ] ||
    fail "packaging/linux/deb-depends.txt lacks: ${unlisted[*]} (see packaging/README.md)"
step "deb-depends.txt covers every system library the bundle links"

# --- 4. the same scenario, source install vs bundle ----------------------------
DUMPS=${READINGLIST_DUMPS:-$REPO/tests/data/dumps}
if ! ls "$DUMPS"/* >/dev/null 2>&1; then
    # A clone without the development tree's dumps (e.g. the release workflow).
    DUMPS="$WORK/dumps"
    mkdir -p "$DUMPS"
    cat >"$DUMPS/sample.txt" <<'EOF'
Daily Papers

Packaging Desktop Applications Written in Python
We describe how a desktop application written in Python with Qt is bundled and shipped as a native package, and what it needs from the system it runs on.
  • 3 authors
·
Jul 16, 2023 12

Reading Lists for Transformer Papers
Researchers triage daily listings of new transformer papers; we study how reading lists help them keep track of what to read next.
EOF
fi

scenario() {  # name, command...: run the scenario with that command into $WORK/name
    local out="$WORK/$1"
    shift
    local rl=("$@" --library "$out/lib")
    mkdir -p "$out"
    "$@" --version >"$out/version.txt"
    "${rl[@]}" import "$DUMPS" --json >"$out/import.json"
    "${rl[@]}" import "$DUMPS" --json >"$out/import-again.json"
    "${rl[@]}" note 2 --set "Read the method section; compare with **paper 1**." >"$out/note.txt"
    "${rl[@]}" tag 1 2 --add to-read --add vision >"$out/tag.txt"
    "${rl[@]}" mark 2 --read >"$out/mark.txt"
    local i=0 query
    for query in transformer '"language model"' 'title:vision' 'diffus*' 'tag:vision' \
        'status:read' 'attention NOT transformer' 'year:[2023 TO 2024]' 'transfromer'; do
        i=$((i + 1))
        "${rl[@]}" search "$query" --limit 15 --json >"$out/search-$i.json"
    done
    "${rl[@]}" list --json >"$out/list.json"
    "${rl[@]}" show 2 --json >"$out/show.json"
    "${rl[@]}" similar 2 --limit 5 --json >"$out/similar.json"
    "${rl[@]}" export --out "$out/export" --all --json >"$out/export.json"
    "${rl[@]}" check >"$out/check.txt"
}

step "scenario with the source install (python -m readinglist)"
scenario source "$PY" -m readinglist
step "scenario with the bundle ($APP)"
scenario bundle "$APP"
grep -qx "readinglist $VERSION" "$WORK/bundle/version.txt" ||
    fail "bundle --version says '$(cat "$WORK/bundle/version.txt")', pyproject says $VERSION"
"$PY" packaging/compare_outputs.py "$WORK/source" "$WORK/bundle" ||
    fail "the bundle's results differ from the source install's"

# A rebuild of 3,000 papers or more indexes in spawned processes, which in the
# bundle start only because its entry script calls freeze_support: without
# it they would run the app instead, and the rebuild would never end.
step "bundle: a rebuild of the index in worker processes"
BIG="$WORK/big"
"$PY" -c "import sys; sys.path.insert(0, '$REPO/benchmarks'); from pathlib import Path
from synthetic import write_dumps; write_dumps(Path('$BIG/dumps'), 3200)"
"$APP" --library "$BIG/lib" import "$BIG/dumps" >/dev/null
rm -rf "$BIG/lib/index"
timeout 600 "$APP" --library "$BIG/lib" check --repair >"$BIG/repair.txt" ||
    fail "the bundle's rebuild of 3,200 papers failed or hung: $(cat "$BIG/repair.txt")"
grep -q "rebuilt the search index (3,200 papers)" "$BIG/repair.txt" ||
    fail "the bundle's rebuild says: $(cat "$BIG/repair.txt")"
"$APP" --library "$BIG/lib" check >/dev/null || fail "the rebuilt index is not in step"

# --- 5. the window, offscreen --------------------------------------------------
window() {  # label, extra args...
    local label=$1 err="$WORK/window-$1.err" code=0
    shift
    READINGLIST_QUIT_AFTER_MS=3000 timeout 60 "$APP" --library "$WORK/bundle/lib" "$@" \
        >/dev/null 2>"$err" || code=$?
    if [ "$code" != 0 ] || grep -qiE "traceback|error|cannot open shared|could not load" "$err"; then
        cat "$err" >&2
        fail "window ($label) exited with $code"
    fi
    step "window ($label): started offscreen and quit by itself"
}
window "empty command line"
window "a file to open" "$(ls "$DUMPS"/* | head -n 1)"

# --- 6. desktop integration files ----------------------------------------------
STAGED="$REPO/build/deb/root"
desktop-file-validate "$STAGED/usr/share/applications/io.github.readinglist.ReadingList.desktop"
appstreamcli validate --no-net "$STAGED/usr/share/metainfo/io.github.readinglist.ReadingList.metainfo.xml"
step "desktop file and metainfo are valid"

# --- 7. the .deb: install, use, remove -----------------------------------------
step "dpkg -i $DEB"
dpkg -r readinglist >/dev/null 2>&1 || true
dpkg -i "$DEB" >/dev/null
[ "$(dpkg-query -W -f='${Version}' readinglist)" = "$(dpkg-deb -f "$DEB" Version)" ] ||
    fail "dpkg does not list readinglist as installed"
for f in /usr/share/applications/io.github.readinglist.ReadingList.desktop \
    /usr/share/metainfo/io.github.readinglist.ReadingList.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/io.github.readinglist.ReadingList.svg \
    /usr/share/icons/hicolor/16x16/apps/io.github.readinglist.ReadingList.png \
    /usr/share/icons/hicolor/512x512/apps/io.github.readinglist.ReadingList.png; do
    [ -f "$f" ] || fail "$f is not installed"
done
[ "$(/usr/bin/readinglist --version)" = "readinglist $VERSION" ] ||
    fail "/usr/bin/readinglist --version says '$(/usr/bin/readinglist --version)'"
for f in /usr/share/bash-completion/completions/readinglist \
    /usr/share/zsh/vendor-completions/_readinglist \
    /usr/share/fish/vendor_completions.d/readinglist.fish; do
    [ -s "$f" ] || fail "$f is not installed"
done
# Slim container images tell dpkg not to install man pages at all.
if grep -qs '^path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
    step "dpkg here excludes /usr/share/man: the man page is not checked installed"
else
    [ "$(man -w readinglist)" = /usr/share/man/man1/readinglist.1.gz ] ||
        fail "man does not find the readinglist page ($(man -w readinglist 2>&1))"
    page=$(MANWIDTH=80 man readinglist 2>/dev/null)
    grep -q "readinglist import" <<<"$page" || fail "the man page does not render"
fi
# bash-completion loads a command's file by its name; this is what it does.
completed=$(bash -c 'source /usr/share/bash-completion/completions/readinglist
COMP_WORDS=(readinglist imp); COMP_CWORD=1; COMP_LINE="readinglist imp"; COMP_POINT=${#COMP_LINE}
"$(complete -p readinglist | sed "s/.*-F \([^ ]*\) .*/\1/")" readinglist imp readinglist
echo "${COMPREPLY[*]}"')
[ "$completed" = import ] || fail "bash completes 'readinglist imp' to '$completed', not 'import'"
step "installed: man page and shell completions in place; bash completes 'imp' to 'import'"

USER_HOME="$WORK/home"
mkdir -p "$USER_HOME"
as_user() { env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME="$USER_HOME" "$@"; }
as_user /usr/bin/readinglist import "$DUMPS" --json >"$WORK/deb-import.json"
"$PY" - "$WORK/deb-import.json" "$WORK/source/import.json" <<'EOF'
import json, sys
installed, source = (json.load(open(p)) for p in sys.argv[1:])
assert installed["added"] == source["added"] > 0, (installed["added"], source["added"])
EOF
LIBRARY=$(as_user "$PY" -c "from readinglist.paths import default_library_dir; print(default_library_dir())")
[ -d "$LIBRARY" ] && [ -n "$(ls -A "$LIBRARY")" ] ||
    fail "no library at $LIBRARY after the import ($(find "$USER_HOME" -maxdepth 4 | head))"
before=$(cd "$LIBRARY" && find . -type f -exec sha256sum {} + | sort)
step "headless import into $LIBRARY: ok; dpkg -r readinglist"
dpkg -r readinglist >/dev/null
[ ! -e /opt/readinglist ] && [ ! -e /usr/bin/readinglist ] || fail "dpkg -r left files behind"
after=$(cd "$LIBRARY" && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] || fail "the user's library changed when the package was removed"
step "removed; the user's library is untouched"

step "all packaging checks passed"
