"""The command line: commands, exit codes, problem output, listings and schemas (README: "A short tour", "Problems and exit codes")."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import policycmp

from .corpus_helpers import COURT, MINI, PROBLEM_LINE, copy_mini

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

COMMANDS = ["validate", "table", "diff", "agreement", "claims", "topics", "actors", "cases", "schema"]
CLAIM_COLUMNS = [
    "actor", "claim", "topic", "stance", "summary", "quote", "source", "source_title", "source_type", "date",
    "clause", "ground", "speaker", "path", "line",
]  # fmt: skip

EXTRA = """\
actor: extra
name: Extra
role: platform
sources:
  s: {title: S, type: tweet, date: 2021-02-30}
claims:
  - {topic: politcal, stance: asserts, summary: x, source: s}
"""
# (file, line, column, severity, code) of every problem in the broken corpus below
BROKEN_PROBLEMS = {
    ("broken.yaml", 2, 1, "error", "yaml-syntax"),
    ("court.yaml", 4, 1, "warning", "unknown-field"),
    ("court.yaml", 12, 13, "error", "unknown-stance"),
    ("extra.yaml", 5, 36, "error", "bad-date"),
    ("extra.yaml", 7, 13, "error", "unknown-topic"),
}

Run = Callable[..., Any]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    court = COURT.replace("role: court\n", "role: court\nwebsite: x\n").replace("stance: denies", "stance: denys")
    files = {"court.yaml": court, "extra.yaml": EXTRA, "broken.yaml": "actor: b\n\tname: x\n"}
    return copy_mini(tmp_path, "broken-corpus", files)


def mini_claim_count() -> int:
    """Claims written in the small corpus's actor files, counted from the YAML itself."""
    return sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8"))["claims"])
        for p in MINI.glob("*.yaml")
        if p.name != "case.yaml"
    )


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


# -- version and help --------------------------------------------------------------------------


def test_version(cli: Run) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"policycmp {policycmp.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", policycmp.__version__)


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_every_command(cli: Run, flag: str) -> None:
    result = cli(flag)
    assert result.exit_code == 0
    listed = {m.group(1) for m in re.finditer(r"^\s{2}([a-z][a-z-]*)\s", result.stdout, re.MULTILINE)}
    assert set(COMMANDS) <= listed


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(cli: Run, command: str) -> None:
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and command in result.stdout


# -- validate ----------------------------------------------------------------------------------


def test_validate_mini(cli: Run) -> None:
    result = cli("validate", "-c", MINI)
    assert result.exit_code == 0
    assert not any(PROBLEM_LINE.match(line) for line in result.stderr.splitlines())
    assert result.stdout == ""


def test_validate_bundled_case(cli: Run) -> None:
    result = cli("validate")
    assert result.exit_code == 0, result.stderr
    assert not any(PROBLEM_LINE.match(line) for line in result.stderr.splitlines())


def test_validate_broken_corpus_prints_every_problem(cli: Run, broken: Path) -> None:
    result = cli("validate", "-c", broken)
    assert result.exit_code == 1
    no_traceback(result)
    lines = result.stderr.splitlines()
    parsed = [PROBLEM_LINE.match(line) for line in lines]
    problems = {(Path(m["path"]).name, int(m["line"]), int(m["column"]), m["severity"], m["code"]) for m in parsed if m}
    assert problems == BROKEN_PROBLEMS
    assert len([m for m in parsed if m]) == len(BROKEN_PROBLEMS)  # each once
    for m in filter(None, parsed):
        assert Path(m["path"]).parent.resolve() == broken.resolve()
        assert m["message"].strip()
    # anything else on stderr is the closing summary, never a Python error
    others = [line for line, m in zip(lines, parsed, strict=True) if not m]
    assert len(others) <= 1
    assert all("error" in line for line in others)


def test_validate_json(cli: Run, broken: Path) -> None:
    result = cli("validate", "-c", broken, "--format", "json")
    assert result.exit_code == 1
    no_traceback(result)
    problems = json.loads(result.stdout)
    assert isinstance(problems, list)
    assert all(set(p) == {"path", "line", "column", "severity", "code", "message"} for p in problems)
    got = {(Path(p["path"]).name, p["line"], p["column"], p["severity"], p["code"]) for p in problems}
    assert got == BROKEN_PROBLEMS
    assert all(isinstance(p["line"], int) and isinstance(p["column"], int) for p in problems)


def test_validate_json_short_option_on_a_valid_corpus(cli: Run) -> None:
    result = cli("validate", "-c", MINI, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_validate_writes_its_problems_to_a_file(cli: Run, broken: Path, tmp_path: Path) -> None:
    shown = cli("validate", "-c", broken)
    out = tmp_path / "problems.txt"
    result = cli("validate", "-c", broken, "-o", out)
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8").splitlines() == [
        line for line in shown.stderr.splitlines() if PROBLEM_LINE.match(line)
    ]
    assert not any(PROBLEM_LINE.match(line) for line in result.stderr.splitlines())
    assert "error" in result.stderr  # the summary stays on standard error
    as_json = tmp_path / "problems.json"
    result = cli("validate", "-c", broken, "-f", "json", "-o", as_json)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(as_json.read_text(encoding="utf-8")) == json.loads(
        cli("validate", "-c", broken, "-f", "json").stdout
    )


def test_validate_output_spares_the_corpus(cli: Run, tmp_path: Path) -> None:
    root = copy_mini(tmp_path, "spared")
    (root / "texts").mkdir()
    text = root / "texts" / "order.txt"
    text.write_text("the order\n", encoding="utf-8")
    court = COURT.replace("    title:", "    text: texts/order.txt\n    title:", 1)
    assert court != COURT
    (root / "court.yaml").write_text(court, encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert cli("validate", "-c", root).exit_code == 0
    for target in (root / "problems.yaml", text):
        result = cli("validate", "-c", root, "-o", target)
        assert result.exit_code == 2, (target, result.stderr)
        assert "will not write" in result.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_validate_warnings_only_exits_zero(cli: Run, tmp_path: Path) -> None:
    court = COURT.replace("role: court\n", "role: court\nwebsite: x\n")
    root = copy_mini(tmp_path, "warned", {"court.yaml": court})
    result = cli("validate", "-c", root)
    assert result.exit_code == 0
    matches = [m for m in map(PROBLEM_LINE.match, result.stderr.splitlines()) if m]
    assert [(m["severity"], m["code"], int(m["line"])) for m in matches] == [("warning", "unknown-field", 4)]


@pytest.mark.parametrize("command", ["validate", "table", "claims", "topics", "actors", "agreement"])
def test_nonexistent_corpus_is_a_usage_error(cli: Run, tmp_path: Path, command: str) -> None:
    result = cli(command, "-c", tmp_path / "no-such-dir")
    assert result.exit_code == 2
    no_traceback(result)
    assert "no-such-dir" in result.stderr


def test_a_file_as_corpus_is_a_usage_error(cli: Run) -> None:
    result = cli("validate", "-c", MINI / "case.yaml")
    assert result.exit_code == 2
    no_traceback(result)


@pytest.mark.parametrize("command", ["table", "claims", "agreement", "topics", "actors"])
def test_other_commands_on_a_broken_corpus_exit_1(cli: Run, broken: Path, command: str) -> None:
    result = cli(command, "-c", broken)
    assert result.exit_code == 1
    no_traceback(result)
    assert "unknown-stance" in result.stderr
    assert result.stdout == ""


# -- claims ------------------------------------------------------------------------------------


def test_claims_csv(cli: Run) -> None:
    result = cli("claims", "-c", MINI, "-f", "csv")
    assert result.exit_code == 0
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert len(frame) == mini_claim_count()
    assert list(frame.columns)[: len(CLAIM_COLUMNS)] == CLAIM_COLUMNS
    assert set(frame["actor"]) == {"court", "forum", "host"}
    assert set(frame["stance"]) <= {"asserts", "denies", "qualifies"}
    assert frame["line"].dtype.kind == "i"


def test_claims_csv_to_a_file_matches_stdout(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "claims.csv"
    written = cli("claims", "-c", MINI, "-f", "csv", "-o", target)
    assert written.exit_code == 0
    assert written.stdout == ""
    printed = cli("claims", "-c", MINI, "-f", "csv")
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]  # no temporary file left behind


def test_claims_json(cli: Run) -> None:
    result = cli("claims", "-c", MINI, "-f", "json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    assert len(records) == mini_claim_count()
    assert all(set(CLAIM_COLUMNS) <= set(r) for r in records)


def test_claims_actor_filter(cli: Run) -> None:
    result = cli("claims", "-c", MINI, "-f", "json", "-a", "court")
    assert result.exit_code == 0
    assert {r["actor"] for r in json.loads(result.stdout)} == {"court"}


# -- listings ----------------------------------------------------------------------------------


def test_topics(cli: Run) -> None:
    case = yaml.safe_load((MINI / "case.yaml").read_text(encoding="utf-8"))
    text = cli("topics", "-c", MINI)
    assert text.exit_code == 0
    for topic in case["topics"]:
        assert topic in text.stdout
    listed = json.loads(cli("topics", "-c", MINI, "-f", "json").stdout)
    assert [t["topic"] for t in listed] == list(case["topics"])


def test_actors(cli: Run) -> None:
    text = cli("actors", "-c", MINI)
    assert text.exit_code == 0
    listed = json.loads(cli("actors", "-c", MINI, "-f", "json").stdout)
    expected = {}
    for path in MINI.glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "actor" in doc:
            expected[doc["actor"]] = len(doc["claims"])
    assert {a["actor"]: a["claims"] for a in listed} == expected
    for actor in expected:
        assert actor in text.stdout


def test_cases_lists_the_bundled_case(cli: Run) -> None:
    text = cli("cases")
    assert text.exit_code == 0
    assert "parler-2021" in text.stdout
    listed = json.loads(cli("cases", "-f", "json").stdout)
    assert "parler-2021" in {c["case"] for c in listed}


def test_the_bundled_case_is_found_by_name(cli: Run) -> None:
    result = cli("validate", "-c", "parler-2021")
    assert result.exit_code == 0


# -- schema ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "required"),
    [
        ((), None),
        (("case",), {"case", "title", "topics"}),
        (("actor",), {"actor", "name", "role", "sources", "claims"}),
    ],
)
def test_schema_prints_json(cli: Run, args: tuple[str, ...], required: set[str] | None) -> None:
    result = cli("schema", *args)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    if required is None:
        assert {"case", "actor"} <= set(schema["$defs"])
    else:
        assert set(schema["required"]) == required


def test_schema_bogus(cli: Run) -> None:
    result = cli("schema", "bogus")
    assert result.exit_code == 2
    no_traceback(result)
    assert "bogus" in result.stderr
    assert result.stdout == ""


# -- usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--bogus"),
        ("table", "--nope"),
        ("claims", "-f", "xml"),
        ("nosuchcommand",),
        ("diff", "host"),
        ("validate", "--max-file-size", "0"),
    ],
)
def test_usage_errors_exit_2(cli: Run, args: tuple[str, ...]) -> None:
    result = cli(*args, "-c", MINI) if args[0] != "nosuchcommand" else cli(*args)
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stdout == ""


def test_unknown_actor_with_a_suggestion(cli: Run) -> None:
    result = cli("table", "-c", MINI, "-a", "hots")
    assert result.exit_code == 2
    no_traceback(result)
    assert "did you mean 'host'" in result.stderr


def test_unknown_actor_without_a_close_name(cli: Run) -> None:
    result = cli("table", "-c", MINI, "-a", "nosuchactor")
    assert result.exit_code == 2
    no_traceback(result)
    assert "nosuchactor" in result.stderr
    assert result.stdout == ""


def test_unknown_topic_with_a_suggestion(cli: Run) -> None:
    result = cli("table", "-c", MINI, "-t", "politcal")
    assert result.exit_code == 2
    assert "did you mean 'political'" in result.stderr


def test_diff_unknown_actor(cli: Run) -> None:
    result = cli("diff", "host", "froum", "-c", MINI)
    assert result.exit_code == 2
    no_traceback(result)
    assert "did you mean 'forum'" in result.stderr


@pytest.mark.parametrize("command", [("table",), ("agreement",), ("diff", "host", "forum")])
def test_comparison_commands_run_on_mini(cli: Run, command: tuple[str, ...]) -> None:
    result = cli(*command, "-c", MINI, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)


# -- fresh interpreters ------------------------------------------------------------------------


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_python_dash_m_help() -> None:
    done = run_python("-m", "policycmp", "--help")
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert command in done.stdout


def test_python_dash_m_validate_broken_exits_1(broken: Path) -> None:
    done = run_python("-m", "policycmp", "validate", "-c", str(broken))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "[unknown-stance]" in done.stderr


VALIDATE_WITHOUT_PANDAS = """\
import sys
import policycmp.cli
try:
    policycmp.cli.app(["validate", "-c", "tests/corpora/mini"], standalone_mode=False)
except SystemExit as exc:
    print("exit", exc.code)
print("pandas" in sys.modules)
"""


def test_validate_does_not_import_pandas() -> None:
    done = run_python("-c", VALIDATE_WITHOUT_PANDAS)
    assert done.returncode == 0, done.stderr
    assert "ok:" in done.stderr  # validate did run
    assert done.stdout.strip().splitlines()[-1] == "False"
