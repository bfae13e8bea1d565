"""Hostile input: files that try to exhaust, crash or hang the loader, and corpus strings that try
to escape from every output format.

Part 1 proves the loader's limits (file size, alias expansion, nesting, tags, encodings, links,
pipes, huge lines), several of them in a separate process so that a crash would show as a
signal and memory can be measured. Part 2 renders a corpus whose every text field holds attack
strings (``tests/hostile.py``) in every format, and reads each output back with the program a
user would feed it to: html.parser and headless Chromium, pdflatex and pdftotext, pandoc,
pandas, json, and a check of the terminal bytes.

Tests that need Chromium, pandoc or pdflatex skip when the program is missing, unless
POLICYCMP_REQUIRE_BROWSER / POLICYCMP_REQUIRE_CLIENTS is set: then they fail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import policycmp
from benchmarks.chromium import chromium_flags
from policycmp import Limits
from policycmp.render.csvout import neutralize, render_csv
from policycmp.render.markdown import ZWSP
from policycmp.render.text import term_safe

from .browser_helpers import chromium_or_skip, selenium_driver
from .corpus_helpers import COURT_ONE_CLAIM, MINI, PROBLEM_LINE, SUMMARY_LINE
from .hostile import (
    ACTOR_IDS,
    ALL,
    CSV,
    FORMULA_STARTS,
    HOSTILE_FILE,
    LATEX,
    MARKDOWN,
    TERMINAL,
    XSS,
    Hostile,
    write_hostile_corpus,
    yaml_quote,
)
from .test_clients import client, pandoc_html

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
ENV = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}

COURT = COURT_ONE_CLAIM


def corpus_with(tmp_path: Path, court: str | bytes | None = None, name: str = "court.yaml") -> Path:
    """A copy of the small corpus with the court's file replaced (or removed, with b"")."""
    root = tmp_path / "corpus"
    shutil.copytree(MINI, root)
    if court is not None:
        (root / "court.yaml").unlink()
        if court != b"":
            data = court.encode("utf-8") if isinstance(court, str) else court
            (root / name).write_bytes(data)
    return root


def problems(root: Path, limits: Limits | None = None) -> list[tuple[str, int, int, str]]:
    loaded = policycmp.check(root, limits or Limits())
    return [(Path(p.location.path).name, p.location.line, p.location.column, p.code) for p in loaded.problems]


def run_cli(*args: str | Path, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m policycmp ARGS`` in a fresh process: a crash shows as a negative return code."""
    return subprocess.run(
        [sys.executable, "-m", "policycmp", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=ENV, cwd=cwd,
    )  # fmt: skip


def assert_clean_problem_lines(stderr: str) -> None:
    lines = stderr.splitlines()
    assert lines, "no problem was printed"
    for line in lines:
        assert PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line), line
        assert "Traceback" not in line


# == Part 1: the loader's limits ===================================================================

# -- file size --------------------------------------------------------------------------------------


def test_the_default_size_limit_is_10_mib(tmp_path: Path) -> None:
    assert Limits().max_bytes == 10 * 1024 * 1024
    padding = "#" * 1023 + "\n"
    exactly = COURT + padding * ((10 * 1024 * 1024 - len(COURT)) // 1024)
    exactly += "#" * (10 * 1024 * 1024 - len(exactly) - 1) + "\n"
    assert len(exactly) == Limits().max_bytes
    root = corpus_with(tmp_path, exactly)
    assert problems(root) == []
    (root / "court.yaml").write_text(exactly + "\n", encoding="utf-8")  # one byte over
    assert problems(root) == [("court.yaml", 1, 1, "file-too-large")]


def test_the_size_limit_is_configurable(tmp_path: Path) -> None:
    root = corpus_with(tmp_path, COURT + "# " + "x" * 5000 + "\n")
    assert problems(root, Limits(max_bytes=4096)) == [("court.yaml", 1, 1, "file-too-large")]
    assert problems(root, Limits(max_bytes=8192)) == []
    refused = run_cli("validate", "-c", root, "--max-file-size", "4096")
    assert refused.returncode == 1
    assert_clean_problem_lines(refused.stderr)
    assert "court.yaml:1:1: error: file is 5,2" in refused.stderr  # 5,2xx bytes, and says so
    assert run_cli("table", "-c", root, "--max-file-size", "8192").returncode == 0
    assert run_cli("table", "-c", root, "--max-file-size", "4096").returncode == 1


def test_a_huge_single_line_is_read(tmp_path: Path) -> None:
    """A 9 MiB summary on one line loads in reasonable time and survives intact."""
    summary = "word " * (9 * 1024 * 1024 // 5)
    text = COURT.replace("The court found no evidence of political motive.", summary.strip())
    root = corpus_with(tmp_path, text)
    started = time.perf_counter()
    corpus = policycmp.load(root)
    assert time.perf_counter() - started < 20
    court = corpus.claims[corpus.claims["actor"] == "court"]
    assert list(court["summary"]) == [summary.strip()]


def test_a_huge_line_of_brackets_is_refused_quickly(tmp_path: Path) -> None:
    root = corpus_with(tmp_path, "actor: " + "[" * (5 * 1024 * 1024) + "\n")
    started = time.perf_counter()
    got = problems(root)
    assert time.perf_counter() - started < 10
    assert got == [("court.yaml", 1, 107, "nesting-limit")]  # the mapping and 100 brackets: the 101st level


# -- alias expansion ("billion laughs") ---------------------------------------------------------------


def laughs(levels: int, flow: bool = True) -> str:
    """A billion-laughs file: each level lists the previous one 9 times (9**levels values)."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        if flow:
            lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
        else:
            lines.append(f"{cur}: &{cur}\n" + "".join(f"  k{j}: *{prev}\n" for j in range(9)).rstrip("\n"))
    return "\n".join(lines) + "\n"


MEASURE = """\
import json, resource, sys, time
from pathlib import Path
import policycmp
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
loaded = policycmp.check(Path(sys.argv[1]))
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "grew_kib": after - before,
                  "problems": [[p.code, p.location.line, p.location.column] for p in loaded.problems]}))
"""


def measure(root: Path) -> dict[str, Any]:
    """Load a corpus in a fresh process: seconds, peak RSS growth (KiB, Linux) and problems."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(root)], capture_output=True, text=True, timeout=120,
                          env=ENV)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
@pytest.mark.parametrize("levels", [10, 12])
def test_billion_laughs_is_refused_fast_in_bounded_memory(tmp_path: Path, levels: int, flow: bool) -> None:
    root = corpus_with(tmp_path, laughs(levels, flow))
    got = measure(root)
    assert got["seconds"] < 3, got
    assert got["grew_kib"] < 200 * 1024, got  # 9**12 values would need terabytes
    assert [p[0] for p in got["problems"]] == ["alias-limit"]
    assert got["problems"][0][1] >= 2  # located at the alias that went over the limit
    done = run_cli("validate", "-c", root)
    assert done.returncode == 1
    assert_clean_problem_lines(done.stderr)
    assert "[alias-limit]" in done.stderr


def tight_laughs(levels: int) -> str:
    """A billion-laughs file in one flow mapping, each anchor written straight after the ':'."""
    items = ['"a":&a [' + ", ".join(['"lol"'] * 9) + "]"]
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        items.append(f'"{cur}":&{cur} [' + ", ".join([f"*{prev}"] * 9) + "]")
    return "{" + ", ".join(items) + "}\n"


ANCHOR_SPELLINGS = {
    "after-colon-in-flow": tight_laughs(6),
    "after-tag": "a: !!seq &a [x, x, x, x, x, x, x, x, x, x]\nb: !!seq &b [" + ", ".join(["*a"] * 1200) + "]\n",
    "in-explicit-key-block": "? k\n: &a [x, x, x, x, x, x, x, x, x, x]\nb: [" + ", ".join(["*a"] * 1200) + "]\n",
}


@pytest.mark.parametrize("name", list(ANCHOR_SPELLINGS))
def test_the_alias_limit_holds_however_the_anchor_is_written(tmp_path: Path, name: str) -> None:
    """Aliases are counted as the composed values are converted, not found by scanning the text."""
    got = problems(corpus_with(tmp_path, ANCHOR_SPELLINGS[name]))
    assert [code for *_, code in got] == ["alias-limit"]


def test_billion_laughs_with_anchors_after_colons_is_refused_fast(tmp_path: Path) -> None:
    got = measure(corpus_with(tmp_path, tight_laughs(10)))
    assert got["seconds"] < 3, got
    assert got["grew_kib"] < 200 * 1024, got
    assert [p[0] for p in got["problems"]] == ["alias-limit"]


@pytest.mark.parametrize(
    "text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [x, [y, *a]]\n"], ids=["list", "mapping", "nested"]
)
def test_a_self_referencing_alias_is_refused(tmp_path: Path, text: str) -> None:
    got = problems(corpus_with(tmp_path, text))
    assert [code for *_, code in got] == ["recursive-alias"]
    assert got[0][1:3] == (1, 4)  # the anchored value that contains itself


# -- nesting ------------------------------------------------------------------------------------------


DEEP = {
    "flow-sequences": lambda n: "actor: " + "[" * n + "]" * n + "\n",
    "flow-mappings": lambda n: "actor: " + "{a: " * n + "x" + "}" * n + "\n",
    "block-sequences": lambda n: "- " * n + "x\n",
    "block-mappings": lambda n: "".join(" " * i + "k:\n" for i in range(n)) + " " * n + "v\n",
}


@pytest.mark.parametrize("kind", list(DEEP))
def test_100000_deep_nesting_exits_1_with_a_located_error(tmp_path: Path, kind: str) -> None:
    """libyaml's composer recurses in C and would kill the process; the loader refuses first."""
    depth = 100_000 if kind != "block-mappings" else 20_000  # 20,000 indented lines are 200 MB of spaces
    root = corpus_with(tmp_path, DEEP[kind](depth))
    done = run_cli("validate", "-c", root, "--max-file-size", str(300 * 1024 * 1024), timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])  # a signal would be negative
    assert_clean_problem_lines(done.stderr)
    assert re.search(r"court\.yaml:\d+:\d+: error: nesting deeper than 100 levels.* \[nesting-limit\]", done.stderr)


def test_nesting_just_past_the_limit_is_refused_without_anchors(tmp_path: Path) -> None:
    """Indentation and brackets each under the quick pre-check's bound, together 196 levels deep."""
    text = "a:\n"
    text += "".join(" " * (2 * i) + "- b:\n" + " " * (2 * i + 2) + "c:\n" for i in range(48))
    text += " " * 98 + "[" * 99 + "]" * 99 + "\n"
    got = problems(corpus_with(tmp_path, text))
    assert [code for *_, code in got] == ["nesting-limit"]
    shallow = "a:\n" + "".join(" " * (2 * i) + "- b:\n" + " " * (2 * i + 2) + "c:\n" for i in range(20)) + " x\n"
    assert "nesting-limit" not in {code for *_, code in problems(corpus_with(tmp_path / "ok", shallow))}


# -- tags: no code runs --------------------------------------------------------------------------------


def tag_payloads(marker: Path) -> dict[str, str]:
    touch = f"open({str(marker)!r}, 'w').close()"
    return {
        "python-object-apply": f'!!python/object/apply:os.system ["touch {marker}"]',
        "python-object-apply-exec": f'!!python/object/apply:builtins.exec ["{touch}"]',
        "python-object-new": f'!!python/object/new:subprocess.call [["touch", "{marker}"]]',
        "python-name": "!!python/name:os.system",
        "python-module": "!!python/module:os",
        "long-form-tag": f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
        "custom": "!custom value",
        "local-handle": '!touch "x"',
        "binary": "!!binary aGVsbG8=",
        "set": "!!set {a, b}",
        "omap": "!!omap [a: 1]",
    }


@pytest.mark.parametrize("name", list(tag_payloads(Path("x"))))
def test_disallowed_tags_are_located_and_never_run(tmp_path: Path, name: str) -> None:
    marker = tmp_path / "pwned"
    payload = tag_payloads(marker)[name]
    text = COURT.replace("name: The Court", f"name: {payload}")
    root = corpus_with(tmp_path, text)
    assert problems(root) == [("court.yaml", 2, 7, "disallowed-tag")]
    done = run_cli("table", "-c", root)
    assert done.returncode == 1
    assert_clean_problem_lines(done.stderr)
    assert not marker.exists()


def test_a_tag_directive_cannot_smuggle_a_python_tag(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        f'%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n{COURT}description: !p!os.system ["touch {marker}"]\n'
    )
    root = corpus_with(tmp_path, text)
    assert [code for *_, code in problems(root)] == ["disallowed-tag"]
    assert not marker.exists()


def test_the_tag_payloads_would_run_in_an_unsafe_loader(tmp_path: Path) -> None:
    """The control: the same payload does create the file when PyYAML's unsafe loader reads it."""
    marker = tmp_path / "pwned"
    yaml.unsafe_load(f"name: {tag_payloads(marker)['python-object-apply-exec']}\n")
    assert marker.exists()


# -- encodings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "accented", "where"),
    [
        ("latin-1", True, (2, 16)),  # the 'ê' of 'Cour Suprême': the first byte that is not UTF-8
        ("cp1252", True, (2, 16)),
        ("utf-16", False, (1, 1)),  # the BOM
        ("utf-16", True, (1, 1)),
        ("utf-16-le", False, (1, 2)),  # no BOM, ASCII text: valid UTF-8 bytes, but a NUL after each letter
        ("utf-16-be", False, (1, 1)),
        ("utf-32", False, (1, 1)),
    ],
)
def test_files_that_are_not_utf8_are_refused(tmp_path: Path, encoding: str, accented: bool,
                                             where: tuple[int, int]) -> None:  # fmt: skip
    text = COURT.replace("name: The Court", "name: Cour Suprême") if accented else COURT
    root = corpus_with(tmp_path, text.encode(encoding))
    assert problems(root) == [("court.yaml", *where, "not-utf8")]


@pytest.mark.parametrize(("bom", "newline"), [(b"\xef\xbb\xbf", "\n"), (b"", "\r\n"), (b"\xef\xbb\xbf", "\r\n")])
def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path, bom: bytes, newline: str) -> None:
    root = corpus_with(tmp_path, bom + COURT.replace("\n", newline).encode("utf-8"))
    assert problems(root) == []
    claims = policycmp.load(root).claims
    court = claims[claims["actor"] == "court"]
    assert list(court["line"]) == [10]
    assert list(court["summary"]) == ["The court found no evidence of political motive."]


# -- links, pipes and other files that are not files ----------------------------------------------------


def test_a_link_to_a_file_outside_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(COURT.replace("actor: court", "actor: smuggled"), encoding="utf-8")
    root = corpus_with(tmp_path, b"")
    (root / "court.yaml").symlink_to(outside)
    assert problems(root) == [("court.yaml", 1, 1, "symlink-outside")]
    (root / "court.yaml").unlink()
    (root / "passwd.yaml").symlink_to("/etc/passwd")
    assert problems(root) == [("passwd.yaml", 1, 1, "symlink-outside")]


def test_linked_directories_are_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "court.yaml").write_text(COURT, encoding="utf-8")
    root = corpus_with(tmp_path)
    (root / "linked.yaml").symlink_to(outside)
    (root / "inside.yml").symlink_to(root)  # a link to the corpus itself: no loop
    (root / "plain-dir.yaml").mkdir()
    assert problems(root) == []
    assert set(policycmp.load(root).actors) == {"court", "forum", "host"}


def make_socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return sock


def test_pipes_sockets_and_broken_links_never_hang(tmp_path: Path) -> None:
    root = corpus_with(tmp_path)
    os.mkfifo(root / "pipe.yaml")
    (root / "pipe-link.yml").symlink_to("pipe.yaml")
    (root / "broken.yaml").symlink_to("gone.yaml")
    sock = make_socket(root / "socket.yaml")
    try:
        done = run_cli("validate", "-c", root, timeout=30)
    finally:
        sock.close()
    assert done.returncode == 1
    assert_clean_problem_lines(done.stderr)
    unreadable = sorted(re.findall(r"/([a-z-]+\.ya?ml):1:1: error: .* \[unreadable-file\]", done.stderr))
    assert unreadable == ["broken.yaml", "pipe-link.yml", "pipe.yaml", "socket.yaml"]


def test_a_pipe_as_case_file_is_reported_once(tmp_path: Path) -> None:
    root = corpus_with(tmp_path)
    (root / "case.yaml").unlink()
    os.mkfifo(root / "case.yaml")
    done = run_cli("validate", "-c", root, timeout=30)
    assert done.returncode == 1
    assert "case.yaml:1:1: error: not a regular file; it is not read [unreadable-file]" in done.stderr
    assert "missing-case" not in done.stderr


def test_source_texts_that_are_pipes_or_devices_are_never_read(tmp_path: Path) -> None:
    """``quotes`` (and ``claims``, which adds quote_status) read source texts: never a pipe, never /dev/zero."""
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "tests" / "corpora" / "quotes", root)
    (root / "texts" / "host-letter.txt").unlink()
    os.mkfifo(root / "texts" / "host-letter.txt")
    texts = tmp_path / "texts"
    (texts / "forum").mkdir(parents=True)
    (texts / "forum" / "complaint.txt").symlink_to("/dev/zero")
    (texts / "host-letter.txt").symlink_to("/dev/urandom")
    for command in ("quotes", "claims"):
        done = run_cli(command, "-c", root, "--texts", texts, "-f", "json", timeout=60)
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        statuses = {r["quote_status"] for r in rows} if command == "claims" else {q["status"] for q in rows["quotes"]}
        assert statuses <= {"no-text", None}


def test_read_regular_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    from policycmp.yamlio import NotRegularFile, read_regular

    os.mkfifo(tmp_path / "pipe")
    sock = make_socket(tmp_path / "sock")
    try:
        for path in (tmp_path / "pipe", Path("/dev/zero"), Path("/dev/null"), tmp_path):
            started = time.perf_counter()
            with pytest.raises((NotRegularFile, IsADirectoryError)):
                read_regular(path, 1024)
            assert time.perf_counter() - started < 2
        with pytest.raises(OSError):
            read_regular(tmp_path / "sock", 1024)
    finally:
        sock.close()
    (tmp_path / "file").write_bytes(b"x" * 2000)
    assert read_regular(tmp_path / "file", 4096) == (b"x" * 2000, 2000)
    assert read_regular(tmp_path / "file", 1000) == (b"", 2000)  # over the limit: nothing is read


# == Part 2: attack strings in every field, every format ============================================


def test_the_attack_lists_are_broad() -> None:
    assert len(XSS) >= 40
    assert len(LATEX) >= 15 and len(CSV) >= 10 and len(MARKDOWN) >= 20 and len(TERMINAL) >= 15
    assert len(ALL) == len(set(ALL)) >= 120


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


@pytest.fixture(scope="module")
def corpus(hostile: Hostile) -> policycmp.Corpus:
    return policycmp.load(hostile.root)


def cli_out(*args: str | Path, **kwargs: Any) -> str:
    from typer.testing import CliRunner

    from policycmp.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, **kwargs)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF


COMMANDS = {
    "table": ("table", "--all"),
    "diff": ("diff", ACTOR_IDS[0], ACTOR_IDS[1]),
    "agreement": ("agreement",),
    "claims": ("claims",),
    "topics": ("topics",),
    "actors": ("actors",),
    "quotes": ("quotes",),
}


def expected_in(hostile: Hostile, command: str) -> list[str]:
    """The corpus strings each command shows."""
    return {
        "table": hostile.values("topic_label"),
        "diff": hostile.values("topic_label"),
        "agreement": [],
        "claims": hostile.values("summary"),
        "topics": hostile.values("topic_label", "statement", "alias"),
        "actors": hostile.values("actor_name"),
        "quotes": [],
    }[command]


def test_every_attack_reaches_every_kind_of_field(hostile: Hostile, corpus: policycmp.Corpus) -> None:
    """The corpus loads without a problem and holds each string exactly as written (trimmed)."""
    assert policycmp.check(hostile.root).problems == []
    collapse = set(hostile.attacks) | {" ".join(a.split()) for a in hostile.attacks}
    for kind in ("topic_label", "statement", "source_title", "publisher", "summary", "quote", "clause", "speaker"):
        shown = hostile.fields[kind]
        assert len({a for a in hostile.attacks if " ".join(a.split()) in shown or a.strip() in shown}) == len(
            hostile.attacks
        ), kind
        assert set(shown) <= {a.strip() for a in collapse}
    topics = corpus.case.topics
    assert [t.label for t in topics] == hostile.fields["topic_label"]
    assert [t.statement for t in topics] == hostile.fields["statement"]
    assert [a for t in topics for a in t.aliases] == hostile.fields["alias"]
    assert [g.label for g in corpus.case.groups] == hostile.fields["group"]
    assert (corpus.case.title, corpus.case.summary, corpus.case.subject) == (
        hostile.case_title, hostile.case_summary, hostile.case_subject,
    )  # fmt: skip
    assert [a.name for a in corpus.actors.values()] == hostile.fields["actor_name"]
    assert [a.description for a in corpus.actors.values()] == hostile.fields["description"]
    sources = [s for a in corpus.actors.values() for s in a.sources.values()]
    assert [s.title for s in sources] == hostile.fields["source_title"]
    assert [s.publisher for s in sources] == hostile.fields["publisher"]
    claims = corpus.claims
    for column, kind in (("summary", "summary"), ("quote", "quote"), ("clause", "clause"), ("speaker", "speaker")):
        assert [v for v in claims[column] if isinstance(v, str)] == hostile.fields[kind], column
    assert len(claims) == 3 * len(hostile.attacks) + 1


# -- terminal -------------------------------------------------------------------------------------------

SGR = re.compile(r"\x1b\[[0-9;]*m")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_bad(text: str, colour: bool) -> list[str]:
    """Characters a terminal would act on: ESC outside our SGR codes, other C0/C1 controls, bidi."""
    if colour:
        text = SGR.sub("", text)
    return sorted(
        {f"U+{ord(ch):04X}" for ch in text if (unicodedata.category(ch) == "Cc" and ch != "\n") or ch in BIDI}
    )


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_terminal_output_shows_controls_as_escapes(hostile: Hostile, command: str, colour: bool) -> None:
    args = [*COMMANDS[command], "-c", hostile.root, "-f", "text"]
    if command not in ("topics", "actors"):
        args.append("--color" if colour else "--no-color")
    out = cli_out(*args)
    assert terminal_bad(out, colour and command not in ("topics", "actors")) == []
    if colour and command not in ("topics", "actors"):
        assert SGR.search(out)
    assert "\x1b" not in SGR.sub("", out)
    visible = SGR.sub("", out)
    for value in expected_in(hostile, command):
        assert term_safe(value) in visible, value
    assert "\\e[31mred\\e[0m" in visible or command in ("agreement", "actors", "quotes")


def test_problem_messages_show_controls_as_escapes(tmp_path: Path) -> None:
    """validate on a broken file full of attack strings: every line clean, located, escaped."""
    root = corpus_with(tmp_path)
    bad = [a for a in (*TERMINAL, *XSS[:5]) if "\x00" not in a]
    lines = ["actor: court", "name: x", "role: court", "sources:", "  s:", "    title: t", "    type: letter",
             f"    url: {yaml_quote('https://x.example/' + bad[0])}", f"    date: {yaml_quote(bad[1])}", "claims:"]  # fmt: skip
    for i, attack in enumerate(bad):
        lines += [
            f"  - topic: {yaml_quote(attack)}",
            f"    stance: {yaml_quote(attack)}",
            "    summary: s",
            f"    source: {yaml_quote(attack)}",
            f"    {yaml_quote('x-' + attack)}: unknown field" if i % 2 else f"    ground: {yaml_quote(attack)}",
        ]
    (root / "court.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("validate", "-c", root)
    assert done.returncode == 1
    assert_clean_problem_lines(done.stderr)
    assert terminal_bad(done.stderr, colour=False) == []
    assert "\\e[31mred\\e[0m" in done.stderr
    assert "\\u202eevil" in done.stderr
    codes = set(re.findall(r"\[([a-z-]+)\]$", done.stderr, re.MULTILINE))
    assert {"unknown-topic", "unknown-stance", "unknown-source", "unknown-ground", "unknown-field", "bad-url"} <= codes
    as_json = json.loads(run_cli("validate", "-c", root, "-f", "json").stdout)
    assert any("'\\e[31mred\\e[0m'" in p["message"] for p in as_json)  # messages quote values visibly
    assert not any("\x1b" in p["message"] for p in as_json)


def test_a_hostile_file_name_is_shown_escaped(tmp_path: Path) -> None:
    root = corpus_with(tmp_path, COURT.replace("name: The Court", "name: [unclosed"), name="\x1b]0;owned\x07.yaml")
    done = run_cli("validate", "-c", root)
    assert done.returncode == 1
    assert terminal_bad(done.stderr, colour=False) == []
    assert "/\\e]0;owned\\x07.yaml:3:5: error: " in done.stderr


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    root = corpus_with(tmp_path, b"")
    with open(os.fsencode(root) + b"/\xffcourt.yaml", "wb") as fh:
        fh.write(COURT.encode("utf-8"))
    out = tmp_path / "claims.json"
    done = run_cli("claims", "-c", root, "-f", "json", "-o", out)
    assert done.returncode == 0, done.stderr
    paths = {r["path"] for r in json.loads(out.read_text(encoding="utf-8"))}
    assert any(p.endswith("\\xffcourt.yaml") for p in paths)


# -- JSON -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
def test_json_is_valid_and_safe_to_print(hostile: Hostile, command: str) -> None:
    """Control and bidi characters are JSON escapes (the same string), never raw bytes on a terminal."""
    out = cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "json")
    json.loads(out)
    assert terminal_bad(out, colour=False) == []


def test_json_round_trips_every_string(hostile: Hostile) -> None:
    c = hostile.root
    claims = json.loads(cli_out("claims", "-c", c, "-f", "json"))
    for column, kind in (("summary", "summary"), ("quote", "quote"), ("clause", "clause"), ("speaker", "speaker")):
        assert [r[column] for r in claims if r[column] is not None] == hostile.fields[kind]
    assert {Path(r["path"]).name for r in claims} == {"alpha.yaml", "beta.yaml", HOSTILE_FILE}
    table = json.loads(cli_out("table", "-c", c, "-f", "json", "--all"))
    labels = {t["topic"]: t["label"] for t in table["topics"]}  # the table lists topics in group order
    assert [labels[f"t-{i}"] for i in range(len(hostile.attacks))] == hostile.fields["topic_label"]
    topics = json.loads(cli_out("topics", "-c", c, "-f", "json"))
    assert [t["statement"] for t in topics] == hostile.fields["statement"]
    assert [a for t in topics for a in t["aliases"]] == hostile.fields["alias"]
    assert [t["group_label"] for t in topics[:4]] == hostile.fields["group"]
    actors = json.loads(cli_out("actors", "-c", c, "-f", "json"))
    assert [a["name"] for a in actors] == hostile.fields["actor_name"]
    diff = json.loads(cli_out("diff", ACTOR_IDS[0], ACTOR_IDS[2], "-c", c, "-f", "json"))
    quotes = [q["quote"] for row in diff["rows"] for q in row["left"]["claims"]]
    assert sorted(quotes) == sorted(hostile.fields["quote"][: len(hostile.attacks)])  # rows come in group order


# -- CSV ------------------------------------------------------------------------------------------------


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def csv_rows(text: str) -> list[list[str]]:
    """Cells exactly as written (pandas turns a CRLF inside a quoted cell into LF)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("command", ["table", "diff", "claims", "quotes", "agreement"])
def test_csv_neutralizes_formulas_by_default_and_keeps_raw_values_on_request(
    hostile: Hostile, corpus: policycmp.Corpus, command: str
) -> None:
    safe_text = cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "csv")
    raw_text = cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "csv", "--no-csv-escape")
    safe, raw = read_csv(safe_text), read_csv(raw_text)
    assert safe.shape == raw.shape == result_of(corpus, command).csv_frame().shape
    assert list(safe.columns) == list(raw.columns)
    # by default no text cell starts like a formula (numbers such as -0.50 stay numbers)
    starts = [v for col in safe.columns for v in safe[col] if v.startswith(FORMULA_STARTS) and not is_number(v)]
    assert starts == []
    safe_cells, raw_cells = csv_rows(safe_text), csv_rows(raw_text)
    assert len(safe_cells) == len(raw_cells) == len(safe) + 1
    for safe_row, raw_row in zip(safe_cells, raw_cells, strict=True):
        assert len(safe_row) == len(raw_row) == len(safe.columns)
        for s, r in zip(safe_row, raw_row, strict=True):
            assert s == (r if is_number(r) else neutralize(r))
    if command == "claims":
        header = raw_cells[0]
        for column in ("summary", "quote", "clause", "speaker"):
            values = [row[header.index(column)] for row in raw_cells[1:]]
            assert [v for v in values if v] == hostile.fields[column]  # --no-csv-escape: exactly as written
        assert sum(v.startswith(FORMULA_STARTS) for v in raw["summary"]) >= len(CSV) - 3  # the attacks are there


@pytest.mark.parametrize("command", ["topics", "actors"])
def test_csv_listings_neutralize_formulas(hostile: Hostile, command: str) -> None:
    frame = read_csv(cli_out(command, "-c", hostile.root, "-f", "csv"))
    assert [v for col in frame.columns for v in frame[col] if v.startswith(FORMULA_STARTS) and not is_number(v)] == []
    raw = read_csv(cli_out(command, "-c", hostile.root, "-f", "csv", "--no-csv-escape"))
    assert raw.shape == frame.shape
    if command == "topics":
        labels = [v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_STARTS) else v for v in frame["label"]]
        assert labels == hostile.fields["topic_label"]
        assert list(raw["label"]) == hostile.fields["topic_label"]  # --no-csv-escape: exactly as written
        assert sum(v.startswith(FORMULA_STARTS) for v in raw["label"]) >= len(CSV) - 3


def test_csv_neutralizes_tab_and_carriage_return_starts() -> None:
    """The loader trims fields, so no corpus value starts with a tab or CR; the renderer still handles them."""
    frame = pd.DataFrame({"a": ["\t=1+1", "\r=1+1", "=1", "+1", "-1", "@x", "ok", " =1"], "n": range(8)})
    back = read_csv(render_csv(frame))
    assert list(back["a"]) == ["'\t=1+1", "'\r=1+1", "'=1", "'+1", "'-1", "'@x", "ok", " =1"]
    assert list(read_csv(render_csv(frame, escape_formulas=False))["a"]) == list(frame["a"])


# -- Markdown through pandoc -----------------------------------------------------------------------------


class Cells(HTMLParser):
    """Table rows (lists of cell texts), every tag, and every link target of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.tags: list[str] = []
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.targets += [v or "" for k, v in attrs if k in ("href", "src", "action", "formaction", "data")]
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def md_visible(text: str) -> str:
    """What a Markdown cell must show: line breaks as spaces, controls as U+FFFD, spaces collapsed."""
    text = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]", "\ufffd", text)
    return " ".join(text.split())


INLINE_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "p", "colgroup", "col", "code", "em", "strong", "del",
               "sup", "sub", "span", "a"}  # fmt: skip


@pytest.mark.parametrize("reader", ["markdown", "markdown-smart", "gfm", "commonmark_x-smart"])
@pytest.mark.parametrize("command", ["table", "diff", "claims", "topics", "quotes"])
def test_markdown_keeps_the_table_shape_in_pandoc(hostile: Hostile, corpus: policycmp.Corpus, reader: str,
                                                  command: str) -> None:  # fmt: skip
    markdown = cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "md")
    html = pandoc_html(markdown, reader)
    page = Cells()
    page.feed(html)
    grid = result_of(corpus, command).grid()
    assert len(page.rows) == len(grid.rows) + 1
    assert {len(r) for r in page.rows} == {len(grid.headers)}
    assert set(page.tags) <= INLINE_TAGS, set(page.tags) - INLINE_TAGS
    assert all(t.startswith(("http://", "https://", "www.")) for t in page.targets), page.targets
    assert "<script" not in html.lower() and "javascript:" not in " ".join(page.targets).lower()
    if "smart" in reader or reader == "gfm":  # without typographic quotes the text is exact
        for row, cells in zip(grid.rows, page.rows[1:], strict=True):
            # a cell shows its text, or its mark when the words do not fit the page (a legend follows)
            # (zero-width spaces where a word too wide for its column may break are all it adds)
            shown = [" ".join(c.replace(ZWSP, "").split()) for c in cells]
            assert all(c in (md_visible(g.text).replace(ZWSP, ""), g.mark) for c, g in zip(shown, row, strict=True))


@pytest.mark.parametrize("reader", ["markdown_strict", "markdown_strict+pipe_tables", "markdown_mmd"])
@pytest.mark.parametrize("command", ["table", "claims"])
def test_markdown_holds_raw_html_as_text_in_every_reader(hostile: Hostile, reader: str, command: str) -> None:
    """Readers without backslash escapes before '<' (markdown_strict, Parsedown) get entities."""
    markdown = cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "md")
    assert "<" not in markdown and ">" not in markdown  # no raw angle bracket at all
    html = pandoc_html(markdown, reader)
    page = Cells()
    page.feed(html)
    assert set(page.tags) <= INLINE_TAGS, set(page.tags) - INLINE_TAGS
    assert "onerror" not in " ".join(page.tags)
    assert not re.search(r"<(img|script|svg|iframe)\b", html, re.IGNORECASE)


def result_of(corpus: policycmp.Corpus, command: str) -> Any:
    from policycmp.compare import build_claims
    from policycmp.results import ListingResult

    if command == "table":
        return corpus.table(all=True)
    if command == "diff":
        return corpus.diff(ACTOR_IDS[0], ACTOR_IDS[1])
    if command == "claims":
        return build_claims(corpus)
    if command == "quotes":
        return corpus.quotes()
    if command == "agreement":
        return corpus.agreement()
    if command == "topics":
        rows = [{"topic": t.id, "label": t.label, "group": t.group, "aliases": list(t.aliases),
                 "statement": t.statement} for t in corpus.case.topics]  # fmt: skip
        return ListingResult(rows, ["topic", "label", "group", "aliases", "statement"])
    raise AssertionError(command)


# -- LaTeX through pdflatex --------------------------------------------------------------------------------

LATEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{booktabs,longtable,array,tabularx}
\pdfpagewidth=500cm \pdfpageheight=500cm \textwidth=480cm \textheight=480cm
\hoffset=-1in \voffset=-1in \oddsidemargin=1cm \topmargin=0cm
\begin{document}
%s
\end{document}
"""
LATEX_COMMANDS = ("table", "diff", "claims", "topics", "quotes")


def latex_visible(text: str) -> str:
    """How pdftotext reads back a string policycmp escaped: what pdflatex cannot typeset as [U+XXXX]."""
    from policycmp.render.latex import latex_escape

    out = []
    for ch in text:
        escaped = latex_escape(ch)
        out.append(escaped if escaped.startswith("[U+") else "" if escaped == "\\-" else " " if ch.isspace() else ch)
    return canonical("".join(out))


def canonical(text: str) -> str:
    """Typography TeX applies (quote glyphs), undone alike on both sides."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    # the escaping breaks T1's ligatures (-- '' ,, !`), so only the quote glyphs' names remain
    for a, b in (("`", "\u2018"), ("'", "\u2019"), ("\u2026", "...")):
        text = text.replace(a, b)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def latex_tables(hostile: Hostile, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("latex")
    inputs = []
    for command in LATEX_COMMANDS:
        name = f"{command}.tex"
        (work / name).write_text(cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "latex"), encoding="utf-8")
        inputs.append(f"\\input{{{name}}}\\clearpage")
    (work / "doc.tex").write_text(LATEX_DOC % "\n".join(inputs), encoding="utf-8")
    return work


@pytest.mark.parametrize("shell_escape", ["-no-shell-escape", "-shell-escape"])
def test_latex_compiles_runs_nothing_and_reads_no_file(latex_tables: Path, tmp_path: Path, shell_escape: str) -> None:
    """Even with shell escape on, the escaped text can neither run a command nor read a file."""
    pdflatex = client("pdflatex")
    work = tmp_path / "work"
    shutil.copytree(latex_tables, work)
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", shell_escape, "-recorder", "doc.tex"],
        cwd=work, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert not list(tmp_path.rglob("pwned")) and not Path("pwned").exists()
    recorded = (work / "doc.fls").read_text(encoding="utf-8", errors="replace")
    assert "passwd" not in recorded
    assert "runsystem" not in (work / "doc.log").read_text(encoding="utf-8", errors="replace")
    if shell_escape == "-no-shell-escape":
        shutil.copy(work / "doc.pdf", latex_tables / "doc.pdf")


def test_latex_pdf_shows_every_string(latex_tables: Path, hostile: Hostile, corpus: policycmp.Corpus) -> None:
    pdftotext = client("pdftotext")
    pdf = latex_tables / "doc.pdf"
    if not pdf.exists():
        test_latex_compiles_runs_nothing_and_reads_no_file(latex_tables, latex_tables / "again", "-no-shell-escape")
    text = canonical(subprocess.run([pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True,
                                    check=True, timeout=120).stdout)  # fmt: skip
    wanted = [*hostile.values("topic_label", "statement", "summary"), *ACTOR_IDS]
    missing = [v for v in wanted if latex_visible(v) not in text]
    assert missing == []
    for attack in ("\\input{/etc/passwd}", "\\write18{touch pwned}", "\\immediate\\write18{touch pwned}",
                   "^^5cinput{/etc/passwd}", "\\catcode"):  # fmt: skip
        assert canonical(attack) in text


# -- HTML: table fragments and the report, parsed ----------------------------------------------------------


def template_vocabulary() -> tuple[set[str], set[str]]:
    """The tags and attribute names the templates write: nothing else may appear in the HTML."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.j2"))
    source = re.sub(r"<script>.*?</script>", "<script></script>", source, flags=re.DOTALL)  # JS strings are not tags
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", source)}
    attrs = {a.lower() for a in re.findall(r"\s([a-zA-Z][a-zA-Z0-9:-]*)=", source)}
    if "<h{{" in source:  # a heading whose level follows the outline (<h{{ h }}>)
        tags |= {f"h{level}" for level in range(2, 7)}
    return tags | {"html", "head", "body"}, attrs


class Page(HTMLParser):
    """Every element with its attributes, and all text, as html.parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.texts).append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    @property
    def attribute_text(self) -> str:
        return "\n".join(v for _, attrs in self.elements for v in attrs.values())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def assert_no_injected_markup(page: Page, own_scripts: int) -> None:
    tags, attrs = template_vocabulary()
    seen_tags = {tag for tag, _ in page.elements}
    assert seen_tags <= tags, seen_tags - tags
    for tag, attributes in page.elements:
        assert set(attributes) <= attrs, (tag, set(attributes) - attrs)
        assert not any(k.startswith("on") for k in attributes), (tag, attributes)
        for key in ("href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "style"):
            value = attributes.get(key, "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:")) and "javascript:" not in value, (tag, attributes)
            assert not value.startswith("data:") or (tag, key, value) == ("link", "href", "data:,"), (tag, attributes)
        assert not attributes.get("id", "").startswith("pwned")
    assert sum(tag == "script" for tag, _ in page.elements) == own_scripts
    assert all("__pwned" not in s for s in page.scripts)


def html_visible(text: str) -> str:
    """What an HTML text node holds after parsing: NUL is replaced, CR/CRLF become LF (HTML spec)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


@pytest.mark.parametrize("command", ["table", "diff", "claims", "topics", "actors", "quotes", "agreement"])
def test_html_fragments_hold_attacks_as_text(hostile: Hostile, command: str) -> None:
    html = cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "html")
    page = parse(html)
    assert_no_injected_markup(page, own_scripts=0)
    text = html_visible(page.text)
    for value in expected_in(hostile, command):
        assert html_visible(value) in text, value


REPORT_FIELDS = ("case_title", "case_summary", "case_subject", "group", "topic_label", "statement", "actor_name",
                 "description", "source_title", "publisher", "summary", "quote", "clause", "speaker")  # fmt: skip


@pytest.fixture(scope="module")
def reports(hostile: Hostile, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for kind, extra in (("page", ()), ("fragment", ("--fragment",))):
        paths[kind] = out / f"report-{kind}.html"
        cli_out("report", "-c", hostile.root, "-o", paths[kind], *extra)
    for command in ("table", "claims", "quotes"):
        paths[command] = out / f"{command}.html"
        paths[command].write_text(
            "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>fragment</title></head><body>\n"
            + cli_out(*COMMANDS[command], "-c", hostile.root, "-f", "html")
            + "</body></html>\n",
            encoding="utf-8",
        )
    return paths


@pytest.mark.parametrize("kind", ["page", "fragment"])
def test_report_holds_attacks_as_text(hostile: Hostile, reports: dict[str, Path], kind: str) -> None:
    page = parse(reports[kind].read_text(encoding="utf-8"))
    assert_no_injected_markup(page, own_scripts=1 if kind == "page" else 0)
    text = html_visible(page.text)
    missing = [(k, v) for k in REPORT_FIELDS for v in hostile.fields[k] if html_visible(v) not in text]
    assert missing == []
    assert "{{ 7*7 }} {% if true %}jinja{% endif %}" in text  # text, never a template expression


def test_report_title_option_is_escaped(hostile: Hostile, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    cli_out("report", "-c", hostile.root, "-o", out, "--title", XSS[0] + XSS[25])
    page = parse(out.read_text(encoding="utf-8"))
    assert_no_injected_markup(page, own_scripts=1)
    assert XSS[0] + XSS[25] in page.text


# -- HTML in a real browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = chromium_or_skip()
    with selenium_driver(chromium, tmp_path_factory.mktemp("profile"), "--window-size=1280,900") as driver:
        yield driver


PROBE = """
return {
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  markers: document.querySelectorAll('[id^="pwned"]').length,
  scripts: document.scripts.length,
  frames: document.querySelectorAll('iframe, object, embed, svg, img, video, audio, math, form, input, base, '
    + 'meta[http-equiv]:not([http-equiv="Content-Security-Policy"]), link:not([rel="icon"])').length,
  text: document.body.textContent,
  title: document.title,
  ready: document.readyState,
};
"""


def dom_text(text: str) -> str:
    """A string as a browser's DOM holds it: CR and CRLF become LF, NUL is dropped (HTML parsing)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def browser_visible(text: str) -> str:
    """A string as rendered text shows it (innerText): zero-width marks dropped, HTML spaces collapsed."""
    text = re.sub("[\u200b\u200e\u200f]", "", dom_text(text))
    return re.sub(r"[ \t\n\f\r\v\u2028\u2029]+", " ", text).strip()


@pytest.mark.parametrize("kind", ["page", "fragment", "table", "claims", "quotes"])
def test_no_attack_runs_in_chromium(browser: Any, reports: dict[str, Path], hostile: Hostile, kind: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(reports[kind].as_uri())
    time.sleep(0.5)  # let error events of images, frames and media fire
    got = browser.execute_script(PROBE)
    assert got["ready"] == "complete"
    assert got["pwned"] is None
    assert got["markers"] == 0
    assert got["scripts"] == (1 if kind == "page" else 0)
    assert got["frames"] == 0
    if kind in ("page", "fragment"):
        assert got["title"] == html_visible(hostile.case_title) or kind == "fragment"
    body = browser_visible(browser.find_element(By.TAG_NAME, "body").text)
    dom = got["text"]
    wanted = {
        "page": hostile.values("topic_label", "summary", "quote", "source_title", "actor_name"),
        "fragment": hostile.values("topic_label", "summary", "quote"),
        "table": hostile.values("topic_label"),
        "claims": hostile.values("summary"),
        "quotes": [],
    }[kind]
    missing = [v for v in wanted if browser_visible(v) not in body]
    assert missing == []
    assert [v for v in wanted if dom_text(v) not in dom] == []  # and exactly, in the document's text
    for attack in XSS[:20]:
        assert browser_visible(attack) in body or kind == "quotes"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_dump_dom_shows_no_marker(reports: dict[str, Path], tmp_path: Path) -> None:
    """The same without a driver: Chromium's serialized DOM after load holds no injected element."""
    chromium = chromium_or_skip()
    command = [chromium, *chromium_flags(tmp_path / "profile", "--dump-dom"), reports["page"].as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    page = parse(dom)
    assert_no_injected_markup(page, own_scripts=1)
    assert "pwned-marker" not in {attrs.get("id") for _, attrs in page.elements}
