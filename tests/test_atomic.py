"""Nothing lost, nothing corrupted: outputs appear whole or not at all, inputs are never touched.

``-o FILE`` writes a hidden temporary file beside FILE and renames it into place. These tests
check that directly (``write_atomic``) and through the CLI, then kill a real ``policycmp``
process at random moments while it writes a large output: afterwards the target holds its old
content or the complete new output, never a part. They also check that every claim of a valid
corpus is exported exactly once, that no command changes a byte of its inputs (even when it
fails), and that ``-o`` refuses to write over the files a command reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from benchmarks.generate import generate_corpus
from policycmp.cli import app
from policycmp.output import write_atomic
from policycmp.render import FORMATS

from .corpus_helpers import MINI

REPO = Path(__file__).resolve().parent.parent
QUOTES = REPO / "tests" / "corpora" / "quotes"
ENV = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def invoke(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def temp_files(directory: Path, name: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp"))


def digests(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root``: content hash and modification time."""
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# -- write_atomic ------------------------------------------------------------------------------------


def test_write_atomic_writes_the_whole_text(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    text = "line\r\nnon-ASCII: ü → 你好\n" * 1000
    write_atomic(target, text)
    assert target.read_bytes() == text.encode("utf-8")  # no newline translation
    write_atomic(target, "replaced\n")
    assert target.read_text(encoding="utf-8") == "replaced\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_atomic_renames_a_hidden_temporary_file_from_the_same_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    seen: list[tuple[str, str, str]] = []
    real_replace = os.replace

    def spy(src: str | Path, dst: str | Path) -> None:
        # at the moment of the rename the new text is complete in the temporary file
        seen.append((str(src), Path(src).read_text(encoding="utf-8"), target.read_text(encoding="utf-8")))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(target, "new\n")
    [(tmp, tmp_text, before)] = seen
    assert Path(tmp).parent == tmp_path
    assert re.fullmatch(r"\.out\.json\..+\.tmp", Path(tmp).name)
    assert (tmp_text, before) == ("new\n", "old\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert temp_files(tmp_path, "out.json") == []


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException, where: str
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")

    def boom(*args: object) -> None:
        raise failure

    monkeypatch.setattr(os, where, boom)
    with pytest.raises(type(failure)):
        write_atomic(target, "new\n" * 1000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_atomic_gives_a_plain_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_write_atomic_replaces_a_link_not_its_target(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(kept)
    write_atomic(link, "new\n")
    assert kept.read_text(encoding="utf-8") == "keep me\n"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new\n"


# -- -o through the CLI ---------------------------------------------------------------------------------

OUTPUT_COMMANDS = [
    ("table", "-c", MINI, "--all"),
    ("diff", "host", "forum", "-c", MINI),
    ("agreement", "-c", MINI),
    ("claims", "-c", MINI),
    ("topics", "-c", MINI),
    ("actors", "-c", MINI),
    ("quotes", "-c", QUOTES),
    ("cases",),
]


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: c[0])
def test_output_file_is_what_stdout_shows(tmp_path: Path, command: tuple[str | Path, ...], fmt: str) -> None:
    shown = invoke(*command, "-f", fmt)
    assert shown.exit_code == 0, shown.stderr
    target = tmp_path / f"out.{fmt}"
    target.write_text("old content\n", encoding="utf-8")
    written = invoke(*command, "-f", fmt, "-o", target)
    assert written.exit_code == 0, written.stderr
    assert written.stdout == ""
    if fmt == "text":  # no colour and no terminal width in a file
        assert "\x1b" not in target.read_text(encoding="utf-8")
    assert target.read_bytes() == shown.stdout_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_report_and_schema_output_files(tmp_path: Path) -> None:
    for args, name in ((("report", "-c", MINI), "report.html"), (("schema", "actor"), "actor.json")):
        target = tmp_path / name
        done = invoke(*args, "-o", target)
        assert done.exit_code == 0, done.stderr
        assert target.read_bytes() == invoke(*args).stdout_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actor.json", "report.html"]


@pytest.mark.parametrize(
    "command",
    [*OUTPUT_COMMANDS, ("report", "-c", MINI), ("schema",), ("quotes", "-c", QUOTES)],
    ids=lambda c: c[0],
)
def test_output_into_a_missing_directory_is_a_usage_error(tmp_path: Path, command: tuple[str | Path, ...]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.txt"
    done = invoke(*command, "-o", target)
    assert done.exit_code == 2
    assert done.stderr == f"error: cannot write {target}: No such file or directory\n"
    assert done.stdout == ""
    assert not (tmp_path / "no").exists()


def test_output_onto_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    done = invoke("table", "-c", MINI, "-o", tmp_path)
    assert done.exit_code == 2
    assert done.stderr == f"error: cannot write {tmp_path}: Is a directory\n"
    assert list(tmp_path.iterdir()) == []


# -- -o never replaces an input --------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(QUOTES, root)
    return root


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (("table",), "case.yaml"),
        (("claims", "-f", "json"), "host.yaml"),
        (("report",), "forum.yaml"),
        (("topics",), "new-actor.yml"),  # would be read as an actor file on the next run
        (("quotes",), "texts/host-letter.txt"),  # a source text this command reads
        (("claims",), "texts/host-letter.txt"),
        (("diff", "{root}/host.yaml", "{root}/forum.yaml"), "forum.yaml"),
    ],
)
def test_output_over_an_input_is_refused(corpus: Path, command: tuple[str, ...], target: str) -> None:
    before = digests(corpus)
    args = [a.format(root=corpus) for a in command]
    done = invoke(*args, "-c", corpus, "-o", corpus / target)
    assert done.exit_code == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith(f"error: will not write {corpus / target}: ")
    assert "write the output elsewhere" in done.stderr
    assert digests(corpus) == before


def test_a_diff_file_outside_the_corpus_is_protected_too(corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "host-v2.yaml"
    shutil.copy(corpus / "host.yaml", copy)
    before = copy.read_bytes()
    done = invoke("diff", corpus / "host.yaml", copy, "-c", corpus, "-o", copy)
    assert done.exit_code == 2
    assert copy.read_bytes() == before


@pytest.mark.parametrize("command", ["quotes", "claims", "report"])
@pytest.mark.parametrize("name", ["forum/complaint.txt", "new.txt"])
def test_output_into_the_texts_directory_is_refused(corpus: Path, tmp_path: Path, command: str, name: str) -> None:
    texts = tmp_path / "texts"
    shutil.copytree(REPO / "tests" / "corpora" / "quotes-texts", texts)
    before = digests(texts)
    done = invoke(command, "-c", corpus, "--texts", texts, "-o", texts / name)
    assert done.exit_code == 2, done.stderr
    assert "holds the source texts this command reads" in done.stderr
    assert digests(texts) == before


def test_outputs_beside_the_inputs_are_allowed(corpus: Path) -> None:
    before = digests(corpus)
    for name in ("table.md", ".hidden.yaml", "texts/other.txt"):
        done = invoke("table", "-c", corpus, "-o", corpus / name)
        assert done.exit_code == 0, done.stderr
    link = corpus / "link-to-case.txt"
    link.symlink_to(corpus / "case.yaml")
    assert invoke("table", "-c", corpus, "-o", link).exit_code == 0  # the link is replaced, not case.yaml
    after = digests(corpus)
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {"table.md", ".hidden.yaml", "texts/other.txt", "link-to-case.txt"}
    assert invoke("validate", "-c", corpus).exit_code == 0


# -- inputs are never changed ----------------------------------------------------------------------------

ALL_RUNS = [
    ("validate",), ("validate", "-f", "json"), ("table", "--all"), ("diff", "host", "forum"), ("agreement",),
    ("claims",), ("topics",), ("actors",), ("quotes",), ("report",), ("report", "--fragment"),
]  # fmt: skip


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_no_command_changes_its_inputs(corpus: Path, tmp_path: Path, broken: bool) -> None:
    if broken:
        (corpus / "forum.yaml").write_text("actor: forum\nname: [unclosed\n", encoding="utf-8")
        (corpus / "host.yaml").write_bytes((corpus / "host.yaml").read_bytes().replace(b"Host", b"H\xf4st"))
    before = digests(corpus)
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    for i, run in enumerate(ALL_RUNS):
        for fmt in FORMATS:
            if run[0] in ("validate", "report") and fmt != "text":
                continue
            args = [*run, "-c", corpus] + (["-f", fmt] if run[0] not in ("validate", "report") else [])
            done = invoke(*args, "-o", outputs / f"{i}.{fmt}") if run[0] != "validate" else invoke(*args)
            assert done.exit_code == (1 if broken else 0), (args, done.stderr)
            assert digests(corpus) == before, args
    assert (list(outputs.iterdir()) == []) == broken  # a failed run writes nothing


# -- every claim exactly once ------------------------------------------------------------------------------


def claim_lines(root: Path) -> list[tuple[str, int]]:
    """(file name, line) of every claim item, read with PyYAML's composer, independently of policycmp."""
    found = []
    for path in sorted(root.glob("*.yaml")):
        if path.name == "case.yaml":
            continue
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        claims = next(v for k, v in node.value if k.value == "claims")
        found += [(path.name, item.start_mark.line + 1) for item in claims.value]
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("generated") / "corpus"
    count = generate_corpus(root, actors=60, topics=40, claims_per_actor=80, seed=7)
    return root, count


def test_every_claim_is_exported_exactly_once(generated: tuple[Path, int]) -> None:
    root, count = generated
    expected = claim_lines(root)
    assert len(expected) == count == 60 * 80
    done = invoke("claims", "-c", root, "-f", "json")
    assert done.exit_code == 0, done.stderr
    got = [(Path(r["path"]).name, r["line"]) for r in json.loads(done.stdout)]
    assert len(got) == len(set(got)) == count
    assert sorted(got) == sorted(expected)


# -- killed while writing ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("big") / "corpus"
    return root, generate_corpus(root, actors=80, topics=60, claims_per_actor=100, seed=3)


def start(root: Path, target: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "policycmp", "claims", "-c", str(root), "-f", "json", "-o", str(target)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, cwd=target.parent,
    )  # fmt: skip


def wait_for_temp(proc: subprocess.Popen[bytes], directory: Path, name: str, timeout: float = 60) -> bool:
    """Poll until the temporary file appears (True) or the process ends (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if temp_files(directory, name):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    raise AssertionError("the command neither finished nor started writing")


def check_target(target: Path, old: bytes | None, count: int) -> str:
    """The target holds the old bytes, or is absent when there were none, or is complete."""
    if not target.exists():
        assert old is None, "the old output was lost"
        return "absent"
    data = target.read_bytes()
    if old is not None and data == old:
        return "old"
    rows = json.loads(data)  # a partial file would not parse
    assert len(rows) == count
    return "new"


def test_killing_the_writer_never_leaves_a_partial_file(big: tuple[Path, int], tmp_path: Path) -> None:
    root, count = big
    inputs = digests(root)
    rng = random.Random(20240611)
    outdir = tmp_path / "out"
    outdir.mkdir()
    target = outdir / "claims.json"
    started = time.monotonic()
    full = start(root, target)
    assert full.wait(timeout=120) == 0, full.stderr.read() if full.stderr else ""
    duration = time.monotonic() - started
    complete = target.read_bytes()
    assert len(json.loads(complete)) == count
    outcomes: list[str] = []
    old: bytes | None = None
    target.unlink()
    # kills at random moments of the whole run, then kills while the temporary file is being written
    plans: list[Callable[[subprocess.Popen[bytes]], None]] = []
    for _ in range(4):
        delay = rng.uniform(0.05, duration * 1.1)
        plans.append(lambda p, d=delay: time.sleep(d))
    for delay in (0, 0, 0.001, rng.uniform(0, 0.005), rng.uniform(0, 0.02)):
        plans.append(lambda p, d=delay: (wait_for_temp(p, outdir, target.name), time.sleep(d)))
    killed_while_writing = 0
    for i, plan in enumerate(plans):
        if i == 2:  # from now on there is an old output to keep
            old = b'[{"old": "output"}]\n'
            target.write_bytes(old)
        proc = start(root, target)
        plan(proc)
        writing = bool(temp_files(outdir, target.name)) and proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        killed_while_writing += writing
        outcomes.append(check_target(target, old, count))
        leftovers = [n for n in os.listdir(outdir) if n != target.name]
        assert all(re.fullmatch(rf"\.{re.escape(target.name)}\..+\.tmp", n) for n in leftovers), leftovers
        for n in leftovers:  # SIGKILL cannot be caught: the hidden temporary file is all that remains
            (outdir / n).unlink()
        if outcomes[-1] == "new" and old is not None:
            target.write_bytes(old)
        assert digests(root) == inputs
    assert killed_while_writing >= 3, outcomes  # the kills did land inside the write
    assert "old" in outcomes or "absent" in outcomes


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_terminating_the_writer_leaves_no_temporary_file(big: tuple[Path, int], tmp_path: Path, sig: int) -> None:
    root, count = big
    target = tmp_path / "claims.json"
    old = b"[]\n"
    target.write_bytes(old)
    proc = start(root, target)
    assert wait_for_temp(proc, tmp_path, target.name)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    assert check_target(target, old, count) in ("old", "new")
    assert temp_files(tmp_path, target.name) == []  # the signal unwound the write and removed it
    assert code in (0, 130, 128 + sig)  # 0: the rename came first
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert "Traceback" not in stderr


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    private = tmp_path / "private.csv"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    write_atomic(private, "new")
    assert private.read_text(encoding="utf-8") == "new"
    assert private.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "fresh.csv"
    write_atomic(fresh, "x")
    current = os.umask(0)
    os.umask(current)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~current
