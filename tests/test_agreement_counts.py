"""Agreement scores carry their counts and stay empty below --min-shared (README: "A short tour").

The corpus is written here by hand so that every count can be checked by reading it: x and y
share five topics (3 agree, 1 conflict, 1 partial: score (3 - 1) / 5 = +0.40); x and z share
two (1 agree, 1 conflict); y and z share none.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

import policycmp
from policycmp.compare import UsageError

TOPICS = ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]
POSITIONS = {
    "x": {"t1": "asserts", "t2": "asserts", "t3": "denies", "t4": "asserts", "t5": "qualifies", "t6": "asserts", "t7": "denies"},
    "y": {"t1": "asserts", "t2": "asserts", "t3": "denies", "t4": "denies", "t5": "asserts"},
    "z": {"t6": "asserts", "t7": "asserts"},
}  # fmt: skip


def write_corpus(root: Path) -> Path:
    root.mkdir()
    topics = "".join(f"  {t}:\n    label: Topic {t}\n    statement: Statement {t}.\n" for t in TOPICS)
    (root / "case.yaml").write_text(f"case: counts\ntitle: Counts\ntopics:\n{topics}", encoding="utf-8")
    for actor, stances in POSITIONS.items():
        claims = "".join(
            f"  - {{topic: {t}, stance: {s}, summary: {actor} on {t}, source: s}}\n" for t, s in stances.items()
        )
        (root / f"{actor}.yaml").write_text(
            f"actor: {actor}\nname: Actor {actor.upper()}\nrole: platform\n"
            f"sources:\n  s: {{title: Statement, type: letter}}\nclaims:\n{claims}",
            encoding="utf-8",
        )
    return root


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "counts")


def pairs(result: policycmp.Corpus | object) -> dict[tuple[str, str], dict[str, object]]:
    return {(p["left"], p["right"]): p for p in json.loads(result.to_json())["pairs"]}  # type: ignore[attr-defined]


def test_counts_and_scores_by_hand(corpus_dir: Path) -> None:
    ag = policycmp.load(corpus_dir).agreement()
    got = pairs(ag)
    assert got[("x", "y")] == {
        "left": "x",
        "right": "y",
        "score": 0.4,
        "agree": 3,
        "conflict": 1,
        "partial": 1,
        "shared": 5,
    }
    assert got[("x", "z")] == {
        "left": "x",
        "right": "z",
        "score": None,
        "agree": 1,
        "conflict": 1,
        "partial": 0,
        "shared": 2,
    }
    assert got[("y", "z")] == {
        "left": "y",
        "right": "z",
        "score": None,
        "agree": 0,
        "conflict": 0,
        "partial": 0,
        "shared": 0,
    }
    assert json.loads(ag.to_json())["min_shared"] == 3


def test_no_self_pairs_and_a_nan_diagonal(corpus_dir: Path) -> None:
    ag = policycmp.load(corpus_dir).agreement(min_shared=1)
    assert all(p["left"] != p["right"] for p in ag.to_dict()["pairs"])
    assert len(ag.frame) == 3
    for a in ("x", "y", "z"):
        assert math.isnan(ag.matrix.loc[a, a])
        assert ag.shared_square().loc[a, a] == 0
    assert ag.matrix.loc["x", "z"] == pytest.approx(0.0)  # 1 agree, 1 conflict of 2
    assert ag.shared_square().loc["z", "x"] == 2
    assert ag.shared.equals(ag.shared_square())  # the square as a field, as it was first offered
    for count in ("agree", "conflict", "partial"):  # every count's square matches its pairs
        for p in ag.to_dict()["pairs"]:
            assert (
                ag.square(count).loc[p["left"], p["right"]] == ag.square(count).loc[p["right"], p["left"]] == p[count]
            )
        assert all(ag.square(count).loc[a, a] == 0 for a in ("x", "y", "z"))


@pytest.mark.parametrize(("minimum", "scored"), [(1, {("x", "y"), ("x", "z")}), (2, {("x", "y"), ("x", "z")}),
                                                 (3, {("x", "y")}), (5, {("x", "y")}), (6, set())])  # fmt: skip
def test_min_shared_decides_which_pairs_have_a_score(
    corpus_dir: Path, minimum: int, scored: set[tuple[str, str]]
) -> None:
    ag = policycmp.load(corpus_dir).agreement(min_shared=minimum)
    got = pairs(ag)
    assert {k for k, p in got.items() if p["score"] is not None} == scored
    assert [p["shared"] for p in got.values()] == [5, 2, 0]  # the counts never go away
    for (left, right), p in got.items():
        value = ag.matrix.loc[left, right]
        assert math.isnan(value) if p["score"] is None else value == pytest.approx(p["score"])


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_min_shared_below_one_is_a_usage_error(corpus_dir: Path, bad: object) -> None:
    with pytest.raises(UsageError, match="--min-shared"):
        policycmp.load(corpus_dir).agreement(min_shared=bad)  # type: ignore[arg-type]


def test_text_cells_show_score_and_count(corpus_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("agreement", "-c", corpus_dir, "-f", "text", "--no-color")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3 actors, 3 pairs: 1 scored, mean score +0.40; 2 share fewer than 3 topics (no score)"
    rows = {line.split()[0]: line.split(None, 1)[1] for line in lines[2:6] if line and not line.startswith("actor")}
    assert rows["x"].split() == ["+0.40", "(5)", "n<3", "(2)"]
    assert rows["y"].split() == ["+0.40", "(5)", "n<3", "(0)"]
    assert rows["z"].split() == ["n<3", "(2)", "n<3", "(0)"]


def test_min_shared_on_the_command_line(corpus_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("agreement", "-c", corpus_dir, "-f", "json", "--min-shared", "2")
    got = {(p["left"], p["right"]): p["score"] for p in json.loads(result.stdout)["pairs"]}
    assert got == {("x", "y"): 0.4, ("x", "z"): 0.0, ("y", "z"): None}
    text = cli("agreement", "-c", corpus_dir, "--min-shared", "2", "--no-color").stdout
    assert "+0.00 (2)" in text and "n<2 (0)" in text


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_a_bad_min_shared_exits_2(corpus_dir: Path, cli, value: str) -> None:  # type: ignore[no-untyped-def]
    for command in ("agreement", "report"):
        result = cli(command, "-c", corpus_dir, "--min-shared", value)
        assert result.exit_code == 2
        assert "--min-shared" in result.stderr
        assert "Traceback" not in result.stderr


def test_markdown_csv_and_html_carry_the_counts(corpus_dir: Path) -> None:
    ag = policycmp.load(corpus_dir).agreement()
    md = ag.to_markdown()
    assert "+0.40 (5)" in md and "n&lt;3 (2)" in md
    rows = list(csv.DictReader(io.StringIO(ag.to_csv())))
    assert [(r["left"], r["right"], r["score"], r["shared"]) for r in rows] == [
        ("x", "y", "0.4", "5"), ("x", "z", "", "2"), ("y", "z", "", "0"),
    ]  # fmt: skip
    html = ag.to_html()
    assert "+0.40 (5)" in html and "n&lt;3 (2)" in html


def test_the_report_heatmap_follows_the_same_rule(corpus_dir: Path) -> None:
    from tests.test_report import parse  # the report tests' HTML parser

    page = parse(policycmp.load(corpus_dir).report().to_html())
    cells = {}
    for row in page.root.find("table", "pc-heatmap").find("tbody").find_all("tr"):
        name = row.find("th").text().strip()
        cells[name] = list(row.find_all("td"))
    xy, xz = cells["Actor X"][1], cells["Actor X"][2]
    assert xy.find("span", "pc-heat-score").text() == "+0.40"
    assert xy.find("span", "pc-heat-counts").text() == "=3 !1 ~1 / 5"
    assert "pc-heat-none" in xz.classes
    assert xz.find("span", "pc-heat-score").text() == "n<3"
    assert xz.find("span", "pc-heat-counts").text() == "=1 !1 ~0 / 2"
    assert "pc-heat-self" in cells["Actor X"][0].classes
    assert cells["Actor Y"][2].text().strip() == "no shared topic"
    lower = parse(policycmp.load(corpus_dir).report(min_shared=2).to_html())
    row_x = lower.root.find("table", "pc-heatmap").find("tbody").find_all("tr")[0]
    assert row_x.find_all("td")[2].find("span", "pc-heat-score").text() == "+0.00"
