"""One window per library: a second launch hands its files to the first and exits."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from readinglist.gui.single_instance import InstanceServer, hand_over, server_name


def test_server_names_differ_per_library(tmp_path):
    one, two = server_name(tmp_path / "one"), server_name(tmp_path / "two")
    assert one != two
    assert server_name(tmp_path / "one" / ".." / "one") == one
    assert len(one) < 90  # unix socket paths are short


def test_no_running_instance_means_no_hand_over(qapp, tmp_path):
    assert hand_over(server_name(tmp_path / "nobody"), ["x.txt"], timeout_ms=200) is False


@pytest.fixture
def instance_server(qtbot, window, library_dir):
    server = InstanceServer(server_name(library_dir))
    assert server.listen()
    server.filesReceived.connect(window.import_paths)
    yield server
    server.close()


def test_a_second_launch_hands_its_files_to_the_running_window(
    qtbot, window, library_dir, zebra_dump, instance_server
):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    code = (
        "import sys; from pathlib import Path; from readinglist.gui.app import run; "
        "sys.exit(run(Path(sys.argv[1]), sys.argv[2:]))"
    )
    second = subprocess.Popen(
        [sys.executable, "-c", code, str(library_dir), zebra_dump.name],
        cwd=zebra_dump.parent,  # a relative path: the second instance makes it absolute
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        qtbot.waitUntil(lambda: window.import_flow.preview is not None, timeout=30000)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
    finally:
        if second.poll() is None:
            second.kill()
        output = second.communicate()[0].decode(errors="replace")
    assert second.returncode == 0, output
    preview = window.import_flow.preview
    assert [f.path for f in preview.plan.files] == [zebra_dump]
    preview.reject()


def test_the_import_action_of_a_second_launch_opens_the_import_dialog(
    qtbot, window, library_dir, instance_server
):
    instance_server.importDialogRequested.connect(window.open_import_dialog)
    with qtbot.waitSignal(instance_server.importDialogRequested, timeout=10000):
        assert hand_over(server_name(library_dir), [], import_dialog=True, timeout_ms=5000)
    dialog = window.last_dialog
    assert dialog is not None and dialog.windowTitle() == "Import page dumps"
    dialog.reject()


def test_the_cli_passes_the_import_dialog_flag(monkeypatch, tmp_path):
    from readinglist import cli

    seen = {}

    def fake_run(library_dir, files, *, import_dialog=False):
        seen.update(library_dir=library_dir, files=files, import_dialog=import_dialog)
        return 0

    monkeypatch.setattr("readinglist.gui.app.run", fake_run)
    assert cli.main(["--library", str(tmp_path), "--import-dialog"]) == 0
    assert seen == {"library_dir": tmp_path, "files": [], "import_dialog": True}
