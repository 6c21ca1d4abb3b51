"""Fast checks of the packaging files: they parse, agree with each other and with pyproject.

No Qt here (the icon rendering test is tests/gui/test_packaging_icon.py), no
PyInstaller and no dpkg: the real builds run in packaging/ci_check.sh.
"""

from __future__ import annotations

import ast
import configparser
import gzip
import importlib.util
import itertools
import json
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
APP_ID = "io.github.readinglist.ReadingList"
DESKTOP_FILE = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
SPEC = PACKAGING / "readinglist.spec"
QT_USED = {"QtCore", "QtGui", "QtWidgets", "QtNetwork"}


def load(path: Path) -> ModuleType:
    """Import a packaging script (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def version() -> str:
    with (REPO / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


@pytest.fixture(scope="module")
def desktop() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read_string(DESKTOP_FILE.read_text(encoding="utf-8"))
    return parser


def spec_literal(name: str) -> object:
    """A top-level literal assignment of the PyInstaller spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned a literal in {SPEC.name}")


# --- the .desktop file ---------------------------------------------------------


def test_desktop_entry_launches_the_app_with_files(desktop: configparser.ConfigParser) -> None:
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "readinglist"
    assert "%F" in entry["Exec"].split()
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert [c for c in entry["Categories"].split(";") if c]


def test_desktop_entry_lists_the_page_dump_mime_types(desktop: configparser.ConfigParser) -> None:
    mime_types = [m for m in desktop["Desktop Entry"]["MimeType"].split(";") if m]
    assert mime_types == ["text/plain", "text/markdown", "text/html"]


def test_desktop_entry_has_the_import_action(desktop: configparser.ConfigParser) -> None:
    actions = [a for a in desktop["Desktop Entry"]["Actions"].split(";") if a]
    assert "import" in actions
    for action in actions:
        section = desktop[f"Desktop Action {action}"]
        assert section["Name"]
        assert section["Exec"].split()[0] == "readinglist"


# --- the AppStream metainfo ----------------------------------------------------


@pytest.fixture(scope="module")
def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_metainfo_describes_the_desktop_app(metainfo: ET.Element) -> None:
    assert metainfo.tag == "component"
    assert metainfo.get("type") == "desktop-application"
    assert metainfo.findtext("id") == APP_ID
    assert metainfo.findtext("launchable") == DESKTOP_FILE.name
    assert metainfo.findtext("summary")
    assert len(metainfo.findall("description/p")) >= 1


def test_metainfo_newest_release_is_the_pyproject_version(
    metainfo: ET.Element, version: str
) -> None:
    releases = metainfo.findall("releases/release")
    assert releases, "no <release> in the metainfo"
    assert releases[0].get("version") == version
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", releases[0].get("date", ""))


def test_metainfo_screenshot_is_the_committed_path(metainfo: ET.Element) -> None:
    images = [i.text or "" for i in metainfo.findall("screenshots/screenshot/image")]
    assert images
    assert all(i.endswith("/resources/screenshots/main.png") for i in images)
    # tools/screenshots.py writes it; the URL points at the committed file.
    assert (REPO / "resources" / "screenshots" / "main.png").is_file()


def test_metainfo_lists_the_same_mime_types_as_the_desktop_file(
    metainfo: ET.Element, desktop: configparser.ConfigParser
) -> None:
    listed = [m.text for m in metainfo.findall("provides/mediatype")]
    in_desktop = [m for m in desktop["Desktop Entry"]["MimeType"].split(";") if m]
    assert listed == in_desktop


def test_filled_metainfo_has_no_placeholder_left(version: str) -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    project = build_deb.project_meta.load()
    text = build_deb.metainfo_text(project, "https://example.org/readinglist")
    assert "@" not in text
    root = ET.fromstring(text)
    image = root.findtext("screenshots/screenshot/image")
    assert image == f"https://example.org/readinglist/raw/v{version}/resources/screenshots/main.png"


def test_filled_metainfo_names_pyproject_developer_and_issues() -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    project = {
        "version": "2.0",
        "maintainers": [{"name": "Ada Example", "email": "ada@example.org"}],
        "urls": {"Issues": "https://tracker.example.org/rl"},
    }
    root = ET.fromstring(build_deb.metainfo_text(project, "https://example.org/rl"))
    assert root.findtext("developer_name") == "Ada Example"
    assert root.findtext("url[@type='bugtracker']") == "https://tracker.example.org/rl"
    assert root.findtext("url[@type='homepage']") == "https://example.org/rl"


# --- the PyInstaller spec --------------------------------------------------------


def test_spec_uses_exactly_the_qt_modules_of_the_app() -> None:
    assert set(spec_literal("QT_USED")) == QT_USED


def test_spec_excludes_the_unused_qt_modules() -> None:
    excludes = set(spec_literal("QT_EXCLUDES"))
    assert not excludes & QT_USED
    for heavy in (
        "QtWebEngineCore",
        "QtWebEngineWidgets",
        "QtQml",
        "QtQuick",
        "QtQuick3D",
        "Qt3DCore",
        "QtMultimedia",
        "QtPdf",
        "QtCharts",
        "QtDesigner",
        "QtSql",
    ):
        assert heavy in excludes


def test_spec_ships_the_dist_info_so_the_bundle_knows_its_version() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert 'copy_metadata("readinglist")' in text
    assert "pyproject.toml" in text


def test_spec_entry_script_runs_the_cli() -> None:
    entry = (PACKAGING / "entry.py").read_text(encoding="utf-8")
    assert "from readinglist.cli import main" in entry


# --- icons -----------------------------------------------------------------------


def test_source_icon_is_a_square_svg() -> None:
    root = ET.parse(REPO / "resources" / "icon.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    x, y, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert (x, y) == (0, 0)
    assert width == height


def test_runtime_icon_is_a_256_px_png() -> None:
    data = (REPO / "resources" / "icon-256.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (256, 256)


def test_ico_container_points_at_each_png() -> None:
    make_icons = load(PACKAGING / "make_icons.py")
    pngs = {16: b"\x89PNG-sixteen", 256: b"\x89PNG-two-hundred-fifty-six"}
    data = make_icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 2)
    for index, size in enumerate(sorted(pngs)):
        entry = struct.unpack("<BBBBHHII", data[6 + 16 * index : 22 + 16 * index])
        width, _height, _colors, _res, _planes, bits, length, offset = entry
        assert width == (0 if size == 256 else size)
        assert bits == 32
        assert data[offset : offset + length] == pngs[size]


def test_icns_container_holds_every_element() -> None:
    make_icons = load(PACKAGING / "make_icons.py")
    sizes = {size for _, size in make_icons.ICNS_TYPES}
    pngs = {size: b"\x89PNG" + str(size).encode() for size in sizes}
    data = make_icons.icns_bytes(pngs)
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    offset, seen = 8, []
    while offset < len(data):
        kind = data[offset : offset + 4]
        length = struct.unpack(">I", data[offset + 4 : offset + 8])[0]
        seen.append(kind)
        offset += length
    assert offset == len(data)
    assert seen == [kind for kind, _ in make_icons.ICNS_TYPES]


# --- the Debian package ------------------------------------------------------------


def test_deb_depends_are_debian_package_names() -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    depends = build_deb.read_depends()
    names = [entry.split()[0] for entry in depends]
    assert len(names) == len(set(names))
    for entry in depends:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]+( \([<>=]{1,2} [^)]+\))?", entry), entry
    # The libraries Qt needs on any desktop (the issue names these).
    for needed in ("libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libxcb-cursor0"):
        assert needed in names


@pytest.mark.parametrize(
    ("pep440", "debian"),
    [
        ("0.1.0", "0.1.0-1"),
        ("1.2.0rc1", "1.2.0~rc1-1"),
        ("1.2.0.dev3", "1.2.0~dev3-1"),
        ("2.0b2", "2.0~b2-1"),
    ],
)
def test_debian_version_sorts_pre_releases_first(pep440: str, debian: str) -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    assert build_deb.debian_version(pep440) == debian


@pytest.mark.skipif(not shutil.which("dpkg"), reason="needs dpkg --compare-versions")
def test_debian_versions_sort_like_the_releases() -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    ordered = ["1.2.0.dev3", "1.2.0rc1", "1.2.0", "1.2.1"]
    for older, newer in itertools.pairwise(ordered):
        a, b = build_deb.debian_version(older), build_deb.debian_version(newer)
        subprocess.run(["dpkg", "--compare-versions", a, "lt", b], check=True)


def test_deb_layout(tmp_path: Path) -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "readinglist").write_text("#!/bin/sh\n")
    (bundle / "readinglist").chmod(0o755)
    # Wheels ship some libraries executable; a loaded library needs no x bit.
    (bundle / "_internal" / "libQt6Core.so.6").write_bytes(b"\x7fELF")
    (bundle / "_internal" / "libQt6Core.so.6").chmod(0o755)
    icons = tmp_path / "icons"
    for size in (16, 512):
        png = icons / "hicolor" / f"{size}x{size}" / "apps" / "readinglist.png"
        png.parent.mkdir(parents=True)
        png.write_bytes(b"\x89PNG")
    docs = tmp_path / "docs"
    (docs / "man").mkdir(parents=True)
    (docs / "man" / "readinglist.1").write_text('.TH READINGLIST "1"\n')
    (docs / "completions").mkdir()
    for name in ("readinglist", "_readinglist", "readinglist.fish"):
        (docs / "completions" / name).write_text(f"# {name}\n")
    root = tmp_path / "root"
    project = load(PACKAGING / "project_meta.py").load()
    build_deb.stage(root, bundle, icons, docs, project, "https://example.org/rl")

    assert (root / "opt/readinglist/readinglist").stat().st_mode & 0o777 == 0o755
    assert (root / "opt/readinglist/_internal/libQt6Core.so.6").stat().st_mode & 0o777 == 0o644
    assert (root / "usr/bin/readinglist").readlink() == Path("/opt/readinglist/readinglist")
    share = root / "usr/share"
    assert (share / f"applications/{APP_ID}.desktop").is_file()
    assert (share / f"icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    assert (share / f"icons/hicolor/16x16/apps/{APP_ID}.png").is_file()
    assert (share / f"icons/hicolor/512x512/apps/{APP_ID}.png").is_file()
    metainfo = (share / f"metainfo/{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert "@REPO_URL@" not in metainfo
    assert "@VERSION@" not in metainfo
    assert (share / "doc/readinglist/copyright").is_file()
    changelog = gzip.decompress((share / "doc/readinglist/changelog.Debian.gz").read_bytes())
    assert changelog.startswith(b"readinglist (")
    upstream = share / "doc/readinglist/changelog.gz"
    assert upstream.is_file() == (REPO / "CHANGELOG.md").is_file()
    if upstream.is_file():
        assert gzip.decompress(upstream.read_bytes()) == (REPO / "CHANGELOG.md").read_bytes()
    man = gzip.decompress((share / "man/man1/readinglist.1.gz").read_bytes())
    assert man == b'.TH READINGLIST "1"\n'
    assert (share / "bash-completion/completions/readinglist").read_text() == "# readinglist\n"
    assert (share / "zsh/vendor-completions/_readinglist").read_text() == "# _readinglist\n"
    fish = share / "fish/vendor_completions.d/readinglist.fish"
    assert fish.read_text() == "# readinglist.fish\n"
    overrides = share / "lintian/overrides/readinglist"
    assert (
        overrides.read_bytes() == (PACKAGING / "linux/readinglist.lintian-overrides").read_bytes()
    )
    assert overrides.stat().st_mode & 0o777 == 0o644


def test_control_file_continuation_lines() -> None:
    build_deb = load(PACKAGING / "linux" / "build_deb.py")
    text = build_deb.control_text({"Package": "readinglist"}, "Summary\nFirst line\n\nAfter")
    assert text == "Package: readinglist\nDescription: Summary\n First line\n .\n After\n"


# --- the comparison of the source install and the bundle ----------------------------


def write_run(folder: Path, title: str, moment: str) -> None:
    (folder / "export").mkdir(parents=True)
    (folder / "lib").mkdir()
    (folder / "lib" / "library.sqlite3").write_bytes(moment.encode())  # never compared
    paper = {"id": 1, "title": title, "added_at": moment, "read_at": None}
    (folder / "list.json").write_text(json.dumps([paper]))
    written = {"written": [str(folder / "export" / "a.md")]}
    (folder / "export.json").write_text(json.dumps(written))
    (folder / "export" / "a.md").write_text(f"---\ntitle: {title}\nexported: {moment}\n---\n")


def test_runs_that_differ_only_in_paths_and_moments_agree(tmp_path: Path) -> None:
    compare_outputs = load(PACKAGING / "compare_outputs.py")
    write_run(tmp_path / "source", "Attention", "2026-01-01T10:00:00+00:00")
    write_run(tmp_path / "bundle", "Attention", "2026-01-01T10:00:07+00:00")
    assert compare_outputs.compare(tmp_path / "source", tmp_path / "bundle") == []


def test_runs_that_differ_in_a_result_do_not(tmp_path: Path) -> None:
    compare_outputs = load(PACKAGING / "compare_outputs.py")
    write_run(tmp_path / "source", "Attention", "2026-01-01T10:00:00+00:00")
    write_run(tmp_path / "bundle", "Attention!", "2026-01-01T10:00:00+00:00")
    problems = compare_outputs.compare(tmp_path / "source", tmp_path / "bundle")
    assert {p.split(":")[0] for p in problems} == {"list.json", "export/a.md"}


# --- Windows, macOS, the release workflow, the shell scripts -----------------------


def test_inno_setup_installs_per_user_with_open_with() -> None:
    text = (PACKAGING / "windows" / "readinglist.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in text
    assert "{group}" in text  # Start-menu entries
    for extension in (".txt", ".md", ".html"):
        assert f"Software\\Classes\\{extension}\\OpenWithProgids" in text


def test_dmg_settings_parse() -> None:
    ast.parse((PACKAGING / "macos" / "dmg_settings.py").read_text(encoding="utf-8"))


def test_release_workflow_builds_three_platforms_on_tags() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    jobs = workflow["jobs"]
    runners = {name: jobs[name]["runs-on"] for name in ("linux", "windows", "macos")}
    assert runners["windows"].startswith("windows")
    assert runners["macos"].startswith("macos")
    for name in runners:
        steps = jobs[name]["steps"]
        assert any("upload-artifact" in step.get("uses", "") for step in steps)
        assert any("packaging" in step.get("run", "") for step in steps)


@pytest.mark.parametrize("script", ["ci_check.sh", "find_deb_deps.sh"])
def test_shell_scripts_parse(script: str) -> None:
    subprocess.run(["bash", "-n", str(PACKAGING / script)], check=True)
