"""`stackwatch demo --dir`: it writes and removes only its own files, and refuses a directory
holding anyone else's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from console.demo.files import DemoDir, DemoDirRefused
from console.demo.stack import ALL_PROGRAMS


def demo(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "console", "demo", "--embedded", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_directory_with_other_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.txt").write_text("my notes")
    done = demo("--dir", str(root), "--clean", "--headless", "1")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"stackwatch demo: {root} holds files the demo did not write (notes.txt); "
        "give it an empty or new one"
    ]
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    assert (root / "notes.txt").read_text() == "my notes"


def test_a_settings_file_it_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    root = tmp_path / "cfg"
    root.mkdir()
    (root / "stackwatch.toml").write_text('host = "production"\n')
    done = demo("--dir", str(root), "--headless", "1")
    assert done.returncode == 2 and "did not write (stackwatch.toml)" in done.stderr
    assert (root / "stackwatch.toml").read_text() == 'host = "production"\n'


def test_an_edited_demo_settings_file_is_not_overwritten(tmp_path: Path) -> None:
    root = tmp_path / "again"
    files = DemoDir.claim(root, ALL_PROGRAMS)
    files.write("stackwatch.toml", 'host = "demo"\n')
    (root / "stackwatch.toml").write_text('host = "demo"\n# my change\n')
    try:
        DemoDir.claim(root, ALL_PROGRAMS)
    except DemoDirRefused as exc:
        assert "was changed since the demo wrote it" in str(exc)
    else:
        raise AssertionError("an edited settings file was accepted")
    assert (root / "stackwatch.toml").read_text().endswith("# my change\n")


def test_a_previous_demo_directory_is_reused(tmp_path: Path) -> None:
    root = tmp_path / "reuse"
    files = DemoDir.claim(root, ALL_PROGRAMS)
    files.write("stackwatch.toml", 'host = "demo"\n')
    (root / "logs").mkdir()
    (root / "logs" / "chatty.out.log.2").write_text("old\n")
    again = DemoDir.claim(root, ALL_PROGRAMS)
    assert again.created_root  # still the demo's own directory: --clean may remove it


def test_clean_removes_its_own_files_and_keeps_one_added_while_it_ran(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    command = [sys.executable, "-m", "console", "demo", "--embedded", "--no-history"]
    command += ["--dir", str(root), "--clean", "--headless", "3", "--interval", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (root / "supervisord.conf").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (root / "report.txt").write_text("written by the user while the demo ran")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    assert sorted(p.name for p in root.iterdir()) == ["report.txt"]
    assert f"left the others in {root}: report.txt" in out
