"""What the terminal shows: a progress bar that names the file and stays, a summary that says how
many files were new, updated and up to date and lists the files that need a look, the same
summary as JSON, and stage commands that count as `ogi run` does."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import absent

pytestmark = pytest.mark.e2e

RAW = Path(__file__).resolve().parents[1] / "raw"
FILES = ("南京市玄武区人民政府_2021.txt", "南京市玄武区人民政府_2022.txt", "南京市玄武区人民政府_2023.md")


def ogi(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in FILES:
        shutil.copy(RAW / name, src / name)
    (src / "notes.txt").write_text("a shopping list\n", encoding="utf-8")
    (src / "bad.pdf").write_bytes(b"%PDF-1.4 not really")
    return src


def test_the_summary_counts_new_updated_and_up_to_date_files(folder, tmp_path):
    out = tmp_path / "out"
    first = json.loads(ogi("run", folder, "-o", out, "--workers", "1", "--json").stdout)
    assert first["files"] == {"files": 5, "new": 5, "updated": 0, "up_to_date": 0, "kept": 0}
    assert first["status"] == {"ok": 3, "partial": 0, "not_a_report": 1, "failed": 1}
    assert [x["source"] for x in first["failed"]] == ["bad.pdf"]
    assert [x["source"] for x in first["not_a_report"]] == ["notes.txt"]
    assert first["cells"]["total"] > 0 and first["flags"]["error"]["count"] >= 1

    (folder / "notes.txt").write_text("a longer shopping list\n", encoding="utf-8")
    shutil.copy(RAW / "南京市玄武区人民政府_2021.md", folder / "南京市玄武区人民政府_2021.md")
    p = ogi("run", folder, "-o", out, "--workers", "1")
    assert p.returncode == 1                                  # bad.pdf still fails
    assert "files: 6 · new 1, updated 1, up to date 4" in p.stdout
    # the table of files that need a look: status, file, why
    table = p.stdout[p.stdout.index("status "):]
    assert "not a report  notes.txt" in table and "FAILED        bad.pdf" in table
    assert "not a readable PDF" in table
    assert "1 file(s) failed" in p.stderr


def test_stage_commands_count_as_the_run_does(folder, tmp_path):
    whole, staged = tmp_path / "whole", tmp_path / "staged"
    run = json.loads(ogi("run", folder, "-o", whole, "--workers", "1", "--json").stdout)
    assert ogi("ingest", folder, "-o", staged).returncode == 0
    for stage in ("parse", "segment", "extract"):
        f = json.loads(ogi(stage, staged, "--json").stdout)
        assert (f["files"], f["read"], f["up_to_date"]) == (5, 5, 0)
        assert [x["source"] for x in f["failed"]] == ["bad.pdf"]
    check = json.loads(ogi("check", staged, "--json").stdout)
    # the findings the check stage counts are those the run published, severity by severity
    assert check["flags"] == run["flags"]
    again = ogi("check", staged)
    assert "check: 5 files · read 0, up to date 5 · failed 0" in again.stdout
    assert f"flags error: {run['flags']['error']['count']}" in again.stdout
    published = json.loads(ogi("publish", staged, "--json").stdout)
    assert published["flags"] == run["flags"] and published["status"] == run["status"]


def test_the_progress_bar_names_the_file_and_stays(folder, tmp_path):
    """Run under a pseudo-terminal (tqdm draws only on a terminal): the bar's last state, 5/5
    with a file's name, is still on the screen after the summary is printed."""
    if not hasattr(os, "openpty"):
        absent("this system has no pseudo-terminals (os.openpty)")
    import fcntl
    import pty
    import struct
    import termios
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-m", "pipeline", "run", str(folder), "-o",
                                  str(tmp_path / "out"), "--workers", "1"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    screen = b"".join(chunks).decode("utf-8", "replace")
    frames = [f for f in screen.replace("\r", "\n").split("\n") if f.startswith("reports:") and "%|" in f]
    assert frames, screen[:2000]
    assert "5/5" in frames[-1] and any(name in frames[-1] for name in FILES + ("notes.txt", "bad.pdf"))
    named = {name for f in frames for name in FILES if name in f}
    assert len(named) >= 2                     # the bar named the files as it went
    # it stays: the summary comes after the bar's last frame, which was not erased
    last = screen.rindex(frames[-1])
    assert last < screen.index("files: 5")
    assert "\x1b[A" not in screen[last:]
