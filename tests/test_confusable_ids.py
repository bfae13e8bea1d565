"""Ids that look alike are refused: an id mixing scripts (Latin 'ws' with a Cyrillic 'а'), two
ids with the same Unicode TS #39 skeleton, and ids holding invisible characters."""

from __future__ import annotations

from pathlib import Path

import pytest

import policycmp

from .corpus_helpers import COURT, copy_mini


def _codes(root: Path) -> list[tuple[str, str, int]]:
    return [(Path(p.location.path).name, p.code, p.location.line) for p in policycmp.check(root).problems]


def _actor(actor_id: str, name: str = "A host") -> str:
    return COURT.replace("actor: court", f'actor: "{actor_id}"').replace("name: The Court", f"name: {name}")


def test_a_cyrillic_look_alike_of_an_actor_id_is_refused(tmp_path: Path) -> None:
    root = copy_mini(tmp_path, files={"aws.yaml": _actor("aws"), "zz.yaml": _actor("\u0430ws")})
    got = _codes(root)
    assert ("zz.yaml", "confusable-id", 1) in got, got
    assert not any(name == "aws.yaml" for name, *_ in got)


def test_an_id_mixing_scripts_is_refused_alone(tmp_path: Path) -> None:
    assert ("zz.yaml", "confusable-id", 1) in _codes(copy_mini(tmp_path, files={"zz.yaml": _actor("\u0430ws")}))


def test_whole_script_look_alikes_are_refused(tmp_path: Path) -> None:
    """Cyrillic 'соре' alone is one script, but its skeleton is Latin 'cope'."""
    root = copy_mini(tmp_path, files={"cope.yaml": _actor("cope"), "zz.yaml": _actor("\u0441\u043e\u0440\u0435")})
    assert ("zz.yaml", "confusable-id", 1) in _codes(root)


def test_topic_ids_that_look_alike_are_refused(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    case = (root / "case.yaml").read_text(encoding="utf-8")
    case += "  w\u0430rned:\n    label: Look-alike\n    statement: Another topic.\n    group: process\n"
    (root / "case.yaml").write_text(case, encoding="utf-8")
    assert "confusable-id" in [code for _, code, _ in _codes(root)]


@pytest.mark.parametrize("char", ["\u3164", "\u115f", "\uffa0", "\u200b", "\u2060", "\ufeff", "\U000e0041", "\u00ad"])
def test_ids_with_invisible_characters_are_bad_slugs(tmp_path: Path, char: str) -> None:
    got = _codes(copy_mini(tmp_path, files={"zz.yaml": _actor(f"aw{char}s".encode("unicode_escape").decode())}))
    assert ("zz.yaml", "bad-slug", 1) in got, got
    [problem] = [
        p
        for p in policycmp.check(
            copy_mini(tmp_path / "2", files={"zz.yaml": _actor(f"aw{char}s".encode("unicode_escape").decode())})
        ).problems
        if p.code == "bad-slug"
    ]
    assert "invisible" in problem.message


@pytest.mark.parametrize("actor_id", ["ålpha.one", "ç3", "müller", "日本語-テスト", "한국-법원", "ελλάδα", "москва-1"])
def test_ids_in_one_script_are_fine(tmp_path: Path, actor_id: str) -> None:
    got = _codes(copy_mini(tmp_path, files={"zz.yaml": _actor(actor_id)}))
    assert not [code for _, code, _ in got if code in ("confusable-id", "bad-slug")], got


def test_source_ids_that_look_alike_are_refused(tmp_path: Path) -> None:
    court = COURT.replace(
        "sources:\n",
        'sources:\n  cope:\n    title: A\n    type: order\n  "\\u0441\\u043e\\u0440\\u0435":\n    title: B\n    type: order\n',
    )
    got = _codes(copy_mini(tmp_path, files={"court.yaml": court}))
    assert ("court.yaml", "confusable-id", 8) in got, got
