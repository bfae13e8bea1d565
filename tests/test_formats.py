"""Output formats: golden files on the small corpus, JSON shapes, text options, CLI output options.

The golden files under ``tests/golden/`` are compared exactly; regenerate them on purpose with
``python tests/update_golden.py`` and review the diff.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

import policycmp
from policycmp.compare import build_claims
from policycmp.render.text import width as columns
from policycmp.vocabulary import POSITION_WORDS, VERDICT_WORDS

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def _load_update_golden():
    spec = importlib.util.spec_from_file_location("policycmp_update_golden", TESTS / "update_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _load_update_golden()
CASES = [(cmd, fmt) for cmd in golden.COMMANDS for fmt in golden.FORMATS]
ANSI = "\x1b["
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def rendered() -> dict[Path, str]:
    return golden.render_all()


@pytest.fixture(scope="module")
def mini() -> policycmp.Corpus:
    return policycmp.load(TESTS / "corpora" / "mini")


@pytest.fixture(scope="module")
def bundled() -> policycmp.Corpus:
    return policycmp.load()


def all_results(corpus: policycmp.Corpus, left: str, right: str) -> dict[str, object]:
    return {
        "table": corpus.table(),
        "diff": corpus.diff(left, right),
        "agreement": corpus.agreement(),
        "claims": build_claims(corpus),
    }


# -- golden files ------------------------------------------------------------------------------


def test_every_golden_file_exists():
    expected = {golden.golden_path(cmd, fmt) for cmd, fmt in CASES}
    assert len(expected) == len(golden.COMMANDS) * len(golden.FORMATS) > 0
    missing = sorted(p.name for p in expected if not p.exists())
    assert not missing, f"run python tests/update_golden.py: missing {missing}"
    stray = sorted(p.name for p in (TESTS / "golden").iterdir() if p not in expected)
    assert not stray, f"golden files no test reads: {stray}"


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=[f"{c}-{f}" for c, f in CASES])
def test_output_matches_golden(rendered, command, fmt):
    path = golden.golden_path(command, fmt)
    assert rendered[path] == golden.read_golden(path), f"{path.name} differs: python tests/update_golden.py"


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=[f"{c}-{f}" for c, f in CASES])
def test_cli_output_matches_golden(cli, monkeypatch, command, fmt):
    monkeypatch.chdir(REPO)  # claim paths are shown relative to the working directory
    res = cli(*golden.COMMANDS[command], "-c", golden.MINI, "-f", fmt)
    assert res.exit_code == 0, res.stderr
    assert res.stdout_bytes.decode("utf-8") == golden.read_golden(golden.golden_path(command, fmt))


def test_golden_text_has_no_colour_and_csv_is_crlf():
    for command in golden.COMMANDS:
        assert ANSI not in golden.read_golden(golden.golden_path(command, "text"))
        csv_text = golden.read_golden(golden.golden_path(command, "csv"))
        assert csv_text.endswith("\r\n")
        assert "\n" not in csv_text.replace("\r\n", "")


# -- JSON shapes (README: "JSON shapes") ----------------------------------------------------------

CLAIM_COLUMNS = [
    "actor", "claim", "topic", "stance", "summary", "quote", "source", "source_title", "source_type", "date",
    "clause", "ground", "speaker", "path", "line",
]  # fmt: skip


@pytest.mark.parametrize("which", ["mini", "bundled"])
def test_json_shapes(mini, bundled, which):
    corpus, left, right = (mini, "host", "forum") if which == "mini" else (bundled, "aws", "parler")
    results = all_results(corpus, left, right)

    table = json.loads(results["table"].to_json())
    assert set(table) == {"case", "actors", "topics"}
    assert table["case"] == corpus.case.id
    assert table["actors"] == list(corpus.actors)
    assert table["topics"]
    for topic in table["topics"]:
        assert set(topic) == {"topic", "label", "group", "verdict", "positions"}
        assert list(topic["positions"]) == table["actors"]
        assert set(topic["positions"].values()) <= {*POSITION_WORDS, None}
        assert topic["verdict"] in set(VERDICT_WORDS) - {"silent"}  # silent topics only with --all

    diff = json.loads(results["diff"].to_json())
    assert set(diff) == {"left", "right", "summary", "rows"}
    assert (diff["left"], diff["right"]) == (left, right)
    assert list(diff["summary"]) == ["agree", "conflict", "partial", "left-only", "right-only"]
    assert sum(diff["summary"].values()) == len(diff["rows"])
    for row in diff["rows"]:
        assert set(row) == {"topic", "label", "status", "left", "right"}
        for side in ("left", "right"):
            assert set(row[side]) == {"position", "claims"}
            assert isinstance(row[side]["claims"], list)
            assert (row[side]["position"] is None) == (row[side]["claims"] == [])
            for claim in row[side]["claims"]:
                assert {"claim", "stance", "summary"} <= set(claim)

    agreement = json.loads(results["agreement"].to_json())
    assert set(agreement) == {"actors", "min_shared", "pairs"}
    n = len(agreement["actors"])
    assert len(agreement["pairs"]) == n * (n - 1) // 2
    for pair in agreement["pairs"]:
        assert set(pair) == {"left", "right", "score", "agree", "conflict", "partial", "shared"}
        assert pair["score"] is None or -1 <= pair["score"] <= 1

    claims = json.loads(results["claims"].to_json())
    assert isinstance(claims, list)
    assert len(claims) == len(corpus.records)
    for record in claims:
        assert list(record)[: len(CLAIM_COLUMNS)] == CLAIM_COLUMNS
        assert isinstance(record["line"], int)


# -- text output -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", list(golden.COMMANDS))
def test_text_colour_on_and_off(mini, command):
    result = all_results(mini, "host", "forum")[command]
    assert ANSI in result.to_text(color=True)
    assert ANSI not in result.to_text(color=False)
    assert ANSI not in result.to_text()


def test_colour_marks_verdicts(mini):
    text = mini.table().to_text(color=True)
    conflict_line = next(line for line in text.splitlines() if "Political motive" in line)
    assert "\x1b[1;31m" in conflict_line  # conflicts stand out in bold red


@pytest.mark.parametrize("command", list(golden.COMMANDS))
def test_width_100_fits_the_bundled_case(bundled, command):
    result = all_results(bundled, "aws", "parler")[command]
    for text in (result.to_text(width=100), result.to_text(width=100, color=True)):
        plain = SGR.sub("", text)
        assert ANSI not in plain
        wide = [line for line in plain.splitlines() if columns(line) > 100]
        assert not wide, wide[:3]


def test_width_100_keeps_every_topic_readable(bundled):
    text = bundled.table(all=True).to_text(width=100)
    for topic in bundled.case.topics:
        start = topic.label[:10]
        assert any(line.startswith(start) for line in text.splitlines()), topic.label


@pytest.mark.parametrize("command", list(golden.COMMANDS))
def test_summary_comes_first(mini, bundled, command):
    for corpus, left, right in ((mini, "host", "forum"), (bundled, "aws", "parler")):
        result = all_results(corpus, left, right)[command]
        lines = result.to_text().splitlines()
        assert lines[0] == result.grid().summary
        assert lines[1] == ""


def test_summary_counts(mini):
    assert mini.table().to_text().splitlines()[0] == "4 topics, 3 actors: 3 conflict, 1 partial"
    first = mini.diff("host", "forum").to_text().splitlines()[0]
    assert first == "host vs forum: = 0 agree, ! 3 conflict, ~ 1 partial, - 0 left-only, + 0 right-only"


def test_cli_diff_summary_first(cli, mini_dir):
    res = cli("diff", "host", "court", "-c", mini_dir)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "host vs court: = 2 agree, ! 0 conflict, ~ 0 partial, - 1 left-only, + 0 right-only"
    assert lines[1] == ""
    assert lines[2].split() == ["topic", "status", "host", "court"]


# -- colour through the CLI --------------------------------------------------------------------


def test_cli_color_flags_when_piped(cli, mini_dir):
    assert ANSI not in cli("table", "-c", mini_dir).stdout  # piped: plain
    assert ANSI in cli("table", "-c", mini_dir, "--color").stdout
    assert ANSI not in cli("table", "-c", mini_dir, "--no-color").stdout
    assert ANSI not in cli("diff", "host", "forum", "-c", mini_dir, "--no-color").stdout
    assert ANSI not in cli("table", "-c", mini_dir, "--no-color", env={"NO_COLOR": ""}).stdout


def run_on_terminal(*args: str, env: dict[str, str]) -> str:
    """Run the CLI with standard output on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update({"PYTHONPATH": str(REPO), "COLUMNS": "200", "TERM": "xterm"}, **env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "policycmp", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=full_env,
        cwd=REPO,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=60) == 0, stderr
    return b"".join(chunks).decode("utf-8")


def test_no_color_env_and_flag_on_a_terminal(mini_dir):
    corpus = str(mini_dir)
    assert ANSI in run_on_terminal("table", "-c", corpus, env={})
    assert ANSI not in run_on_terminal("table", "-c", corpus, env={"NO_COLOR": "1"})
    assert ANSI not in run_on_terminal("table", "-c", corpus, "--no-color", env={})
    plain = run_on_terminal("diff", "host", "forum", "-c", corpus, env={"NO_COLOR": "1"})
    assert plain.replace("\r\n", "\n") == golden.read_golden(golden.golden_path("diff", "text"))


# -- -o FILE and --fail-on-conflict ------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(golden.FORMATS))
def test_output_file_and_nothing_on_stdout(cli, monkeypatch, tmp_path, fmt):
    monkeypatch.chdir(REPO)
    target = tmp_path / f"out.{golden.FORMATS[fmt]}"
    res = cli("table", "-c", golden.MINI, "-f", fmt, "-o", target)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert target.read_bytes().decode("utf-8") == golden.read_golden(golden.golden_path("table", fmt))
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_output_file_replaces_an_existing_file(cli, tmp_path, mini_dir):
    target = tmp_path / "diff.json"
    target.write_text("old content that is longer than nothing\n" * 100, encoding="utf-8")
    res = cli("diff", "host", "forum", "-c", mini_dir, "-f", "json", "-o", target)
    assert res.exit_code == 0
    assert res.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["conflict"] == 3


def test_output_file_text_has_no_colour(cli, tmp_path, mini_dir):
    target = tmp_path / "table.txt"
    res = cli("table", "-c", mini_dir, "-o", target, env={"NO_COLOR": ""})
    assert res.exit_code == 0
    assert res.stdout == ""
    assert ANSI not in target.read_text(encoding="utf-8")


def test_fail_on_conflict(cli, mini_dir):
    conflicted = cli("diff", "host", "forum", "-c", mini_dir, "--fail-on-conflict")
    assert conflicted.exit_code == 3
    assert conflicted.stdout.startswith("host vs forum: ")  # the diff is still printed
    assert cli("diff", "host", "forum", "-c", mini_dir).exit_code == 0
    peaceful = cli("diff", "host", "court", "-c", mini_dir, "--fail-on-conflict")
    assert peaceful.exit_code == 0
    assert "! 0 conflict" in peaceful.stdout
    as_json = cli("diff", "host", "forum", "-c", mini_dir, "--fail-on-conflict", "-f", "json")
    assert as_json.exit_code == 3
    assert json.loads(as_json.stdout)["summary"]["conflict"] == 3


def test_fail_on_conflict_with_output_file(cli, mini_dir, tmp_path):
    target = tmp_path / "d.md"
    res = cli("diff", "forum", "court", "-c", mini_dir, "--fail-on-conflict", "-f", "md", "-o", target)
    assert res.exit_code == 3
    assert res.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("forum vs court: = 0 agree, ! 2 conflict")


# -- LaTeX rows that TeX would misread ---------------------------------------------------------


def test_latex_rows_starting_with_bracket_or_star_are_protected():
    corpus = policycmp.load(TESTS / "corpora" / "special")
    body = corpus.table(topics=["brackets", "star", "latin"]).to_latex().splitlines()
    rows = body[body.index("\\midrule") + 1 : body.index("\\bottomrule")]
    assert rows[0].startswith("{}[Draft] terms")  # not an optional argument of \midrule
    assert rows[1].startswith("{}*Starred*")  # not the star of \\*
    assert rows[2].startswith("Émigré café")  # other rows are left alone
