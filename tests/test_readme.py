"""The README stays true: its two set-up commands, the commands it documents, the codes."""

from __future__ import annotations

import re
from pathlib import Path

from policycmp.catalogue import CATALOGUE, markdown_table
from policycmp.cli import app

REPO = Path(__file__).resolve().parent.parent

README = (REPO / "README.md").read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.DOTALL)


def test_readme_starts_with_two_commands() -> None:
    before_prose = README.split("\n\n", 3)
    blocks = _code_blocks()
    assert blocks[0].count("\n") == 1 and blocks[1].count("\n") == 1
    assert "policycmp report" in blocks[0] and "policycmp table" in blocks[0]
    assert "pytest" in blocks[1]
    assert before_prose[0].startswith("# policycmp")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    command = _code_blocks()[1].strip()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()


def test_every_command_is_documented() -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    assert len(names) >= 9
    for name in names:
        assert f"policycmp {name}" in README, name


def test_every_problem_code_is_documented() -> None:
    """The README's problem table is the catalogue's, row for row (severity and meaning too)."""
    codes = set(CATALOGUE)
    assert len(codes) >= 25
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", README, flags=re.MULTILINE))
    assert codes - documented == set()
    assert markdown_table() in README, "the README's problem table differs from policycmp.catalogue.markdown_table()"
