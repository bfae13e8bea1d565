"""Stances read one way only, and topics or sources no claim uses are warned about."""

from __future__ import annotations

from pathlib import Path

import pytest

import policycmp
from policycmp import normalize as norm
from tests.corpus_helpers import CASE, COURT, PROBLEM_LINE, copy_mini

# The aliases the README's "The corpus format" lists, and nothing else: a new alias is a decision about direction.
LISTED_ALIASES = {
    "asserts": {"asserts", "claims", "alleges", "argues", "affirms", "agrees", "supports", "yes"},
    "denies": {"denies", "rejects", "disputes", "refutes", "contests", "disagrees", "no"},
    "qualifies": {"qualifies", "partly", "partially", "nuanced", "mixed"},
}


def test_the_alias_set_is_the_reviewed_one() -> None:
    got: dict[str, set[str]] = {}
    for alias, canonical in norm.STANCE_ALIASES.items():
        got.setdefault(canonical, set()).add(alias)
    assert got == LISTED_ALIASES


def test_no_ambiguous_word_is_an_alias() -> None:
    assert "concedes" in norm.AMBIGUOUS_STANCES
    assert not set(norm.AMBIGUOUS_STANCES) & set(norm.STANCE_ALIASES)
    for word in norm.AMBIGUOUS_STANCES:
        assert norm.stance(word) is None


def _problems(root: Path) -> list[policycmp.Problem]:
    return list(policycmp.check(root).problems)


@pytest.mark.parametrize(
    ("alias", "canonical"), [(a, c) for c, aliases in LISTED_ALIASES.items() for a in sorted(aliases)]
)
def test_each_alias_loads_as_its_direction(tmp_path: Path, alias: str, canonical: str) -> None:
    root = copy_mini(tmp_path, files={"court.yaml": COURT.replace("stance: denies", f"stance: {alias.title()}")})
    claims = policycmp.load(root).claims
    assert claims.loc[(claims["actor"] == "court") & (claims["claim"] == "political-1"), "stance"].tolist() == [
        canonical
    ]


@pytest.mark.parametrize("word", ["concedes", "Concedes", "admits", "acknowledges", "accepts"])
def test_an_ambiguous_stance_is_an_error_naming_the_three_values(tmp_path: Path, word: str) -> None:
    root = copy_mini(tmp_path, files={"court.yaml": COURT.replace("stance: denies", f"stance: {word}")})
    errors = [p for p in _problems(root) if p.severity == "error"]
    assert [(p.code, p.location.line, p.location.column) for p in errors] == [("unknown-stance", 11, 13)]
    message = errors[0].message
    assert "ambiguous" in message
    for value in ("asserts", "denies", "qualifies"):
        assert value in message
    with pytest.raises(policycmp.PolicyError):
        policycmp.load(root)


def test_an_unknown_stance_suggests_and_names_the_three_values(tmp_path: Path) -> None:
    root = copy_mini(tmp_path, files={"court.yaml": COURT.replace("stance: denies", "stance: denys")})
    (problem,) = [p for p in _problems(root) if p.severity == "error"]
    assert "did you mean 'denies'" in problem.message
    assert "write asserts, denies or qualifies" in problem.message


def test_the_cli_refuses_concedes_with_a_located_line(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_mini(tmp_path, files={"court.yaml": COURT.replace("stance: denies", "stance: concedes")})
    result = cli("table", "-c", root)
    assert result.exit_code == 1
    lines = [PROBLEM_LINE.match(line) for line in result.stderr.splitlines()]
    assert any(m and m["code"] == "unknown-stance" and m["line"] == "11" for m in lines)
    assert result.stdout == ""


# -- unused topics and sources ---------------------------------------------------------------

UNUSED_TOPIC = (
    CASE
    + """\
  appeals:
    label: Appeals offered
    statement: The host offered an appeal.
"""
)


def test_a_topic_no_claim_uses_is_a_warning_at_its_key(tmp_path: Path) -> None:
    root = copy_mini(tmp_path, files={"case.yaml": UNUSED_TOPIC})
    problems = _problems(root)
    unused = [p for p in problems if p.code == "unused-topic"]
    assert [(p.severity, Path(p.location.path).name, p.location.line, p.location.column) for p in unused] == [
        ("warning", "case.yaml", 29, 3)
    ]
    assert "'appeals'" in unused[0].message
    policycmp.load(root)  # a warning does not fail loading


def test_a_topic_used_only_through_an_alias_is_used(tmp_path: Path) -> None:
    court = COURT.replace("topic: violent-content", "topic: Violent Posts")
    root = copy_mini(tmp_path, files={"court.yaml": court})
    assert not [p for p in _problems(root) if p.code == "unused-topic"]


def test_unused_topics_wait_for_actor_files_without_errors(tmp_path: Path) -> None:
    # the broken claim may be the one that uses the topic: no guess while errors stand
    court = COURT.replace("stance: asserts", "stance: nope")
    root = copy_mini(tmp_path, files={"case.yaml": UNUSED_TOPIC, "court.yaml": court})
    codes = [p.code for p in _problems(root)]
    assert "unknown-stance" in codes and "unused-topic" not in codes


UNUSED_SOURCE = COURT.replace(
    "claims:\n",
    "  press:\n    title: Press release\n    type: statement\nclaims:\n",
)


def test_a_source_no_claim_cites_is_a_warning_at_its_key(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_mini(tmp_path, files={"court.yaml": UNUSED_SOURCE})
    unused = [p for p in _problems(root) if p.code == "unused-source"]
    assert [(p.severity, Path(p.location.path).name, p.location.line, p.location.column) for p in unused] == [
        ("warning", "court.yaml", 9, 3)
    ]
    assert "'press'" in unused[0].message
    result = cli("validate", "-c", root)
    assert result.exit_code == 0
    assert "[unused-source]" in result.stderr


def test_a_source_cited_in_a_list_is_used(tmp_path: Path) -> None:
    court = UNUSED_SOURCE.replace("source: order\n", "source: [order, press]\n", 1)
    root = copy_mini(tmp_path, files={"court.yaml": court})
    assert not [p for p in _problems(root) if p.code == "unused-source"]


def test_the_bundled_case_uses_every_topic_and_source() -> None:
    assert not [p for p in policycmp.check(None).problems if p.code in ("unused-topic", "unused-source")]
