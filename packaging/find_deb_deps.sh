#!/usr/bin/env bash
# Find the Debian packages the Linux bundle needs by trying it on a bare Debian.
#
#   sudo packaging/find_deb_deps.sh [BUNDLE_DIR]      (default: dist/readinglist)
#
# Not part of CI: the first run debootstraps Debian (minbase) and takes a few
# minutes; later runs reuse a tarball of that bare system and take about one.
# Needs root, debootstrap and apt-file (installed if missing), and network
# access to the Debian archive.
#
# What it does, each run from a fresh copy of the bare system:
#   1. copies the bundle to /opt/readinglist in the chroot;
#   2. runs ldd on every ELF file of the bundle (the Qt libraries and every Qt
#      plugin included) and collects the libraries that are "not found";
#      apt-file names the package holding each; those are installed with
#      --no-install-recommends; repeat until nothing is missing;
#   3. runs the app for real: --version, a headless import of a dump, a
#      search, and the window with QT_QPA_PLATFORM=offscreen (and on the xcb
#      platform against the host's Xvfb when there is one), and reads what Qt
#      says on stderr: missing fonts, plugins that cannot load;
#   4. lists the packages owning the system libraries the bundle links
#      directly (NEEDED entries it does not carry), plus what step 3 needed:
#      that is the Depends list, written to $WORK/depends.txt;
#   5. cross-checks it with dpkg-shlibdeps run in the chroot, which adds the
#      minimal versions ($WORK/depends-versioned.txt), and compares the
#      package names with packaging/linux/deb-depends.txt, the list the .deb
#      declares (exit 3 when the list lacks one; extras are reported: a
#      bundle made with another Python may need fewer).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=$(cd "${1:-$REPO/dist/readinglist}" && pwd)
WORK=${READINGLIST_DEPS_WORK:-/tmp/readinglist-deps}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOT=$WORK/root
PRISTINE=$WORK/pristine-$SUITE.tar
COMMITTED=$REPO/packaging/linux/deb-depends.txt
DUMP=$(ls "$REPO"/tests/data/dumps/*.txt 2>/dev/null | head -n 1 || true)
LDPATH=/opt/readinglist/_internal:/opt/readinglist/_internal/PySide6/Qt/lib
XVFB_PID=

log() { echo "[find_deb_deps] $*" >&2; }

need() {
    command -v "$1" >/dev/null 2>&1 && return
    log "installing $2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

cleanup() {
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    for m in tmp/.X11-unix dev/pts dev proc; do
        mountpoint -q "$ROOT/$m" && umount -l "$ROOT/$m" || true
    done
}
trap cleanup EXIT

in_root() {
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 XDG_RUNTIME_DIR=/tmp/xdg "$@"
}

[ "$(id -u)" = 0 ] || { log "run as root (debootstrap and chroot need it)"; exit 2; }
[ -x "$BUNDLE/readinglist" ] || { log "no bundle at $BUNDLE: run packaging/build.py"; exit 2; }
need debootstrap debootstrap
need apt-file apt-file
mkdir -p "$WORK"

# 1. A bare Debian, made once and reset for every run.
if [ ! -f "$PRISTINE" ]; then
    log "debootstrap --variant=minbase $SUITE (once; a few minutes)"
    rm -rf "$ROOT"
    debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1
    tar -C "$ROOT" -cf "$PRISTINE" .
fi
cleanup
rm -rf "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$PRISTINE"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
mkdir -p "$ROOT/tmp/xdg" && chmod 700 "$ROOT/tmp/xdg"
log "apt-get update in the chroot"
in_root apt-get update -qq >/dev/null
if [ ! -d /var/lib/apt/lists ] || ! apt-file list libc6 >/dev/null 2>&1; then
    log "apt-file update on the host"
    apt-file update >/dev/null
fi

cp -a "$BUNDLE" "$ROOT/opt/readinglist"
find "$ROOT/opt/readinglist" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' f; do
        head -c 4 "$f" | grep -q 'ELF' && echo "${f#"$ROOT"}"
    done >"$ROOT/tmp/elf-files.txt"
log "$(wc -l <"$ROOT/tmp/elf-files.txt") ELF files in the bundle"
# The architecture's library folder, e.g. /lib/x86_64-linux-gnu.
LIBDIR=$(in_root ldd /bin/ls | awk '/libc\.so/ {print $3}' | xargs dirname)
LIBDIR=${LIBDIR#/usr}

ldd_all() {
    in_root /bin/sh -c "while read -r f; do LD_LIBRARY_PATH=$LDPATH ldd \"\$f\" 2>/dev/null; done </tmp/elf-files.txt"
}

# 2. ldd until nothing is missing.
: >"$WORK/found-by-ldd.txt"
for round in 1 2 3 4 5 6; do
    missing=$(ldd_all | awk '/not found/ {print $1}' | sort -u)
    [ -z "$missing" ] && break
    log "round $round, not found: $(echo $missing)"
    # Only the architecture's own library folder: other packages ship copies
    # of the same names elsewhere (lib32*, test suites, GPU shims).
    # (apt-file mangles a regex that starts with ^/, hence the awk.)
    regex="${LIBDIR#/}/($(echo "$missing" | sed 's/[.+]/\\&/g' | paste -sd '|'))\$"
    pkgs=$(apt-file search -x "$regex" |
        awk -F': ' -v dir="$LIBDIR" 'index($2, dir "/") == 1 || index($2, "/usr" dir "/") == 1 {print $1}' |
        sort -u)
    [ -n "$pkgs" ] || { log "apt-file knows no package for: $missing"; exit 1; }
    log "installing: $(echo $pkgs)"
    echo "$pkgs" >>"$WORK/found-by-ldd.txt"
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        $pkgs >/dev/null
    [ "$round" = 6 ] && { log "still missing after 6 rounds"; exit 1; }
done
log "ldd: every library of the bundle resolves"

# 3. Run it.
: >"$WORK/found-by-running.txt"
run() { in_root env LANG=C.UTF-8 "$@"; }
app=/opt/readinglist/readinglist
run "$app" --version
if [ -n "$DUMP" ]; then
    cp "$DUMP" "$ROOT/tmp/dump.txt"
    run "$app" --library /tmp/lib import /tmp/dump.txt --json >"$WORK/import.json"
    log "headless import: $(head -c 300 "$WORK/import.json")"
    run "$app" --library /tmp/lib search transformer --limit 3 --json >/dev/null
    log "headless search: ok"
fi

window_problems() {  # stderr of a window run -> the lines that name a missing piece
    grep -iE "cannot open shared|could not load|cannot find font|fontconfig error|no fonts|failed to load|not found" "$1" || true
}

try_window() {  # platform [display]
    local platform=$1 display=${2:-} err="$WORK/window-$1.err"
    run env QT_QPA_PLATFORM="$platform" DISPLAY="$display" QT_DEBUG_PLUGINS=0 \
        READINGLIST_QUIT_AFTER_MS=3000 timeout 60 "$app" --library /tmp/lib \
        >/dev/null 2>"$err" || echo "window ($platform) exited with $?: $(tail -n 3 "$err")"
    window_problems "$err"
}

problems=$(try_window offscreen)
if echo "$problems" | grep -qiE "font"; then
    # Qt renders no text at all without one font: a bare system has none.
    log "offscreen window says: $problems"
    log "installing fonts-dejavu-core (Qt found no font)"
    echo fonts-dejavu-core >>"$WORK/found-by-running.txt"
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        fonts-dejavu-core >/dev/null
    problems=$(try_window offscreen)
fi
[ -z "$problems" ] || { log "offscreen window still reports: $problems"; exit 1; }
log "offscreen window: ok"

if command -v Xvfb >/dev/null; then
    mkdir -p "$ROOT/tmp/.X11-unix"
    Xvfb :87 -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    sleep 2
    mount --bind /tmp/.X11-unix "$ROOT/tmp/.X11-unix"
    problems=$(try_window xcb :87)
    [ -z "$problems" ] || { log "xcb window reports: $problems"; exit 1; }
    log "xcb window on the host's Xvfb: ok"
else
    log "no Xvfb on the host: the xcb platform was checked by ldd only"
fi

# 4. Depends: the owners of the system libraries the bundle links directly
# (its ELF files' NEEDED entries that the bundle does not carry itself), the
# way dpkg-shlibdeps reads them; what those libraries need in turn comes with
# their own packages' Depends. Plus whatever running it showed to be needed.
while read -r f; do
    LC_ALL=C objdump -p "$ROOT$f" 2>/dev/null | awk '$1 == "NEEDED" {print $2}'
done <"$ROOT/tmp/elf-files.txt" | sort -u >"$WORK/needed.txt"
find "$ROOT/opt/readinglist" \( -type f -o -type l \) -printf '%f\n' | sort -u >"$WORK/bundled.txt"
ldd_all | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | sort -u >"$WORK/resolved.txt"
owners=$(comm -23 "$WORK/needed.txt" "$WORK/bundled.txt" | while read -r soname; do
    case $soname in ld-linux*) continue ;; esac # the loader: libc6, listed anyway
    path=$(awk -v s="$soname" '$1 == s {print $2; exit}' "$WORK/resolved.txt")
    [ -n "$path" ] || { log "no path for $soname"; continue; }
    in_root dpkg -S "*/$(basename "$(in_root readlink -f "$path")")" 2>/dev/null | head -n 1
done | awk -F: '{print $1}' | sort -u)
{
    echo "$owners"
    cat "$WORK/found-by-running.txt"
} | sed '/^$/d' | sort -u >"$WORK/depends.txt"

# 5. Cross-check with dpkg-shlibdeps (in the chroot, where every library is
# now installed), which also gives the minimal versions from the libraries'
# symbols files.
log "cross-check: dpkg-shlibdeps"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    dpkg-dev >/dev/null
mkdir -p "$ROOT/tmp/shlibdeps/debian"
printf 'Source: readinglist\n\nPackage: readinglist\nArchitecture: any\n' \
    >"$ROOT/tmp/shlibdeps/debian/control"
in_root /bin/sh -c "cd /tmp/shlibdeps && dpkg-shlibdeps -O --ignore-missing-info \
    -l/opt/readinglist/_internal -l/opt/readinglist/_internal/PySide6/Qt/lib \
    \$(sed 's/^/-e/' /tmp/elf-files.txt)" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p' | tr ',' '\n' | sed 's/^ *//' | sort -u >"$WORK/shlibdeps.txt"
if ! diff <(awk '{print $1}' "$WORK/shlibdeps.txt") <(echo "$owners" | sed '/^$/d'); then
    log "dpkg-shlibdeps (<) and the owners found above (>) disagree"
    exit 1
fi
log "dpkg-shlibdeps agrees; with its minimal versions:"
sort -u "$WORK/shlibdeps.txt" "$WORK/found-by-running.txt" | sed '/^$/d' >"$WORK/depends-versioned.txt"
cat "$WORK/depends-versioned.txt"

log "packages found missing on the bare system: $(sort -u "$WORK/found-by-ldd.txt" "$WORK/found-by-running.txt" | paste -sd ' ')"
log "Depends: $(paste -sd ' ' "$WORK/depends.txt")"
if [ -f "$COMMITTED" ]; then
    committed=$(grep -v '^#' "$COMMITTED" | awk '{print $1}' | sed '/^$/d' | sort -u)
    lacking=$(comm -13 <(echo "$committed") "$WORK/depends.txt")
    extra=$(comm -23 <(echo "$committed") "$WORK/depends.txt")
    [ -z "$extra" ] || log "listed in $COMMITTED but not needed by this bundle: $(echo $extra)"
    if [ -n "$lacking" ]; then
        log "MISSING from $COMMITTED: $(echo $lacking)"
        exit 3
    fi
    log "$COMMITTED covers this bundle"
fi
