"""The problem catalogue: every code declared once, with a severity, a title and templates."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from policycmp.catalogue import CATALOGUE, problem_type
from policycmp.problems import Location, Problem, Problems


def test_every_template_formats_and_reads_like_a_message() -> None:
    for code, kind in CATALOGUE.items():
        assert kind.severity in ("error", "warning"), code
        assert kind.title and "" in kind.templates, code
        for variant, template in kind.templates.items():
            names = {f for _, f, spec, _ in string.Formatter().parse(template) if f}
            specs = {f for _, f, spec, _ in string.Formatter().parse(template) if f and spec}
            fields: dict[str, object] = {n: 1234 if n in specs else f"<{n}>" for n in names}
            message = kind.message(variant, **fields)
            assert message and not message.endswith("."), (code, variant)


def test_a_problem_takes_its_severity_from_the_catalogue() -> None:
    p = Problem.of("no-claims", Location("a.yaml", 3, 5))
    assert (p.severity, p.message) == ("warning", "the actor has no claims yet")
    problems = Problems()
    problems.add("missing-field", Location("a.yaml"), "empty", what="claim 1", key="summary")
    assert problems.has_errors and [str(p) for p in problems] == [
        "a.yaml:1:1: error: claim 1 field 'summary' is empty; give it a value [missing-field]"
    ]


def test_an_undeclared_code_or_a_wrong_severity_is_refused() -> None:
    with pytest.raises(KeyError, match="not declared"):
        problem_type("no-such-code")
    with pytest.raises(ValueError, match="declared a warning"):
        Problems().error("no-claims", "x", Location("a.yaml"))


def test_every_code_is_reported_somewhere_and_exercised_by_a_test() -> None:
    """A declared code that no check reports, or that no test provokes, fails here (not in use)."""
    package = Path(__file__).resolve().parent.parent / "policycmp"
    reported = {
        node.value
        for path in package.rglob("*.py")
        if path.name != "catalogue.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert sorted(set(CATALOGUE) - reported) == []
    here = Path(__file__).resolve()
    tests = "\n".join(
        p.read_text(encoding="utf-8")
        for p in here.parent.glob("*.py")
        if p not in (here, here.with_name("test_readme.py"))
    )
    assert sorted(c for c in CATALOGUE if not re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", tests)) == []
