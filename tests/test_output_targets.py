"""Where ``-o`` and standard output may go: devices and named pipes are written into (never
replaced), ``-o -`` is standard output, templates are inputs like corpus files, and an
unwritable standard output is a one-line output error."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .corpus_helpers import MINI

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def run_cli(*args: str | Path, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policycmp", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=ENV, **kwargs,  # type: ignore[call-overload]
    )  # fmt: skip


def one_clean_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return lines[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_o_onto_a_named_pipe_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    done = run_cli("topics", "-c", MINI, "-f", "csv", "-o", fifo, timeout=30)
    thread.join(timeout=10)
    if thread.is_alive():  # nobody wrote into the pipe: unblock the reader
        with open(fifo, "wb"):
            pass
        thread.join(timeout=10)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the named pipe was replaced by a file"
    assert got and got[0].startswith(b"topic,"), got
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "mknod"), reason="device nodes are POSIX")
def test_o_onto_a_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    """A null device of our own (never the system's /dev/null, which a regression would replace)."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    before = os.lstat(device)
    done = run_cli("topics", "-c", MINI, "-o", device)
    assert done.returncode == 0, done.stderr
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode), "the device was replaced by a file"
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_o_dash_is_standard_output(tmp_path: Path) -> None:
    done = run_cli("topics", "-c", MINI, "-f", "csv", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("topic,")
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_o_onto_a_directory_is_a_located_error(tmp_path: Path) -> None:
    done = run_cli("topics", "-c", MINI, "-o", tmp_path)
    assert done.returncode == 2
    assert str(tmp_path) in one_clean_error_line(done.stderr)


def test_o_never_overwrites_a_template_the_report_reads(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    override = templates / "report.html.j2"
    override.write_text('{% extends "default:report.html.j2" %}\n', encoding="utf-8")
    before = override.read_bytes()
    done = run_cli("report", "-c", MINI, "--template-dir", templates, "-o", override)
    assert done.returncode == 2, done.stderr
    assert "template" in one_clean_error_line(done.stderr)
    assert override.read_bytes() == before
    elsewhere = run_cli("report", "-c", MINI, "--template-dir", templates, "-o", tmp_path / "report.html")
    assert elsewhere.returncode == 0, elsewhere.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", [["topics"], ["table", "-f", "md"], ["validate", "-f", "json"], ["--version"]])
def test_a_full_standard_output_is_an_output_error(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "policycmp", *command, *(["-c", str(MINI)] if command[0] != "--version" else [])],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, env=ENV,
        )  # fmt: skip
    assert done.returncode in (1, 2), done.stderr
    line = one_clean_error_line(done.stderr)
    assert re.match(r"error: cannot write to standard output: ", line), line


@pytest.mark.skipif(not shutil.which("sh"), reason="needs a POSIX shell")
def test_a_closed_standard_output_is_an_output_error() -> None:
    done = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m policycmp topics -c "{MINI}" >&-'],
        stderr=subprocess.PIPE, text=True, timeout=60, env=ENV,
    )  # fmt: skip
    assert done.returncode in (1, 2), done.stderr
    line = one_clean_error_line(done.stderr)
    assert line.startswith("error: cannot write to standard output"), line


def test_an_out_of_range_max_file_size_is_a_usage_error() -> None:
    for value in ("9223372036854775807", "99999999999999999999999", "0", "-1"):
        done = run_cli("validate", "-c", MINI, "--max-file-size", value)
        assert done.returncode == 2, (value, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        assert "--max-file-size" in done.stderr


def test_a_huge_size_limit_in_the_library_reads_normally() -> None:
    import policycmp
    from policycmp import Limits

    assert not policycmp.check(MINI, Limits(max_bytes=2**63 - 1)).problems
