"""Inter-coder reliability (README: "A two-coder reliability study"): Krippendorff's alpha (nominal) checked against the
maintained ``krippendorff`` package and a worked example from the literature, and the command
on hand-written codings."""

from __future__ import annotations

import io
import json
import math
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policycmp
from policycmp.intercoder import ReliabilityError, nominal_alpha, percent_agreement
from tests.corpus_helpers import MINI, PROBLEM_LINE

if os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):  # CI: the reference implementation must be there
    import krippendorff
else:
    krippendorff = pytest.importorskip("krippendorff")

POSITIONS = ["asserts", "denies", "qualifies", "inconsistent"]


def package_alpha(units: list[list[str | None]]) -> float | None:
    """The krippendorff package's nominal alpha of units x coders; None where it is undefined."""
    codes = {v: i for i, v in enumerate(POSITIONS)}
    data = np.array([[np.nan if v is None else codes.get(v, v) for v in unit] for unit in units], dtype=float).T
    try:
        with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 where nothing is pairable: NaN
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except (ValueError, ZeroDivisionError):  # one value in the whole domain
        return None
    return None if math.isnan(value) else float(value)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four coders,
# twelve units, missing values; nominal alpha = 0.743 (the paper's figure, to three places).
KRIPPENDORFF_2011 = [
    [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None],
]  # fmt: skip


def test_the_worked_example_from_the_literature() -> None:
    units = [[None if v is None else str(v) for v in unit] for unit in KRIPPENDORFF_2011]
    alpha = nominal_alpha(units)
    assert alpha is not None
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(package_alpha(KRIPPENDORFF_2011), abs=1e-12)  # type: ignore[arg-type]


def test_textbook_edge_cases() -> None:
    assert nominal_alpha([["asserts", "asserts"], ["denies", "denies"]]) == 1.0
    # systematic disagreement: alpha below zero
    assert nominal_alpha([["asserts", "denies"], ["denies", "asserts"]]) == pytest.approx(-0.5)
    assert nominal_alpha([["asserts", "asserts"], ["asserts", "asserts"]]) is None  # one value: undefined
    assert nominal_alpha([["asserts", None], [None, "denies"]]) is None  # nothing pairable
    assert percent_agreement([["asserts", "asserts", "denies"]]) == pytest.approx(1 / 3)
    assert percent_agreement([["asserts", None]]) is None


codings = st.integers(min_value=2, max_value=5).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.sampled_from(POSITIONS)), min_size=coders, max_size=coders),
        min_size=1,
        max_size=40,
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=codings)
def test_alpha_matches_the_krippendorff_package(units: list[list[str | None]]) -> None:
    ours = nominal_alpha(units)
    theirs = package_alpha(units)
    if theirs is None:
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


# -- the command on hand-written codings ------------------------------------------------------

HOST = (MINI / "host.yaml").read_text(encoding="utf-8")
FORUM = (MINI / "forum.yaml").read_text(encoding="utf-8")


@pytest.fixture
def coders(tmp_path: Path) -> tuple[Path, Path]:
    """Two codings of the small case: coder B reads the host's 'violent' claim as qualifying and
    codes the forum's first claim as asserting; B has no court file at all."""
    a, b = tmp_path / "coder-a", tmp_path / "coder-b"
    shutil.copytree(MINI, a)
    shutil.copytree(MINI, b)
    (b / "host.yaml").write_text(HOST.replace("stance: yes", "stance: qualifies"), encoding="utf-8")
    (b / "forum.yaml").write_text(FORUM.replace("stance: no", "stance: asserts", 1), encoding="utf-8")
    (b / "court.yaml").unlink()
    return a, b


def test_units_values_and_figures(coders: tuple[Path, Path]) -> None:
    a, b = coders
    result = policycmp.reliability(a, b, labels=["A", "B"])
    data = result.to_dict()
    assert data["coders"] == ["A", "B"]
    # units: court 2 (A only), forum 4, host 3
    assert data["units"] == 9
    assert data["pairable_units"] == 7
    frame = result.frame
    units = [[r["A"], r["B"]] for r in frame.to_dict("records")]
    assert data["alpha"] == pytest.approx(package_alpha(units))
    assert data["percent_agreement"] == pytest.approx(5 / 7)
    assert {(d["actor"], d["topic"]): d["positions"] for d in data["disagreements"]} == {
        ("court", "violent-content"): {"A": "asserts", "B": None},
        ("host", "violent-content"): {"A": "asserts", "B": "qualifies"},
        ("forum", "warned"): {"A": "denies", "B": "asserts"},
        ("court", "political"): {"A": "denies", "B": None},
    }
    topics = {t["topic"]: t for t in data["topics"]}
    violent = frame[frame["topic"] == "violent-content"]
    assert topics["violent-content"]["alpha"] == pytest.approx(package_alpha(violent[["A", "B"]].values.tolist()))
    assert topics["moderation"]["alpha"] is None  # one unit, one value: undefined
    actors = {x["actor"]: x for x in data["actors"]}
    assert actors["court"] == {"actor": "court", "units": 2, "pairable_units": 0, "alpha": None,
                               "percent_agreement": None, "disagreements": 2}  # fmt: skip
    assert actors["forum"]["disagreements"] == 1


def test_three_coders(coders: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = coders
    c = tmp_path / "coder-c"
    shutil.copytree(MINI, c)
    result = policycmp.reliability(a, b, c)
    units = [list(r.values())[2:5] for r in result.frame.to_dict("records")]
    assert result.alpha == pytest.approx(package_alpha(units))
    assert len(result.to_dict()["disagreements"][0]["positions"]) == 3


def test_the_cli_formats(coders: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    a, b = coders
    text = cli("reliability", a, b, "--no-color")
    assert text.exit_code == 0, text.stderr
    first = text.stdout.splitlines()[0]
    data = json.loads(cli("reliability", a, b, "-f", "json").stdout)
    assert first == (
        f"2 coders, 9 units (7 coded by two or more): alpha {data['alpha']:.3f}, agreement 71.4%,"
        " 4 units where coders differ"
    )
    assert {"coders", "units", "alpha", "percent_agreement", "disagreements", "topics", "actors"} <= set(data)
    assert "(none)" in text.stdout  # a missing value is shown as such
    md = cli("reliability", a, b, "-f", "md").stdout
    assert md.count("### ") == 3 and "| Violent content" in md
    frame = pd.read_csv(io.StringIO(cli("reliability", a, b, "-f", "csv").stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["actor", "topic", str(a), str(b), "agree"]
    assert len(frame) == 9
    assert frame[frame["agree"] == "False"].shape[0] == 4


def test_the_same_directory_twice_is_a_usage_error(coders: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    a, _ = coders
    for args in ((a, a), (a, Path(str(a) + "/")), (a, a / ".." / a.name)):
        result = cli("reliability", *args)
        assert result.exit_code == 2
        assert "same directory" in result.stderr
    with pytest.raises(ReliabilityError):
        policycmp.reliability(a, a)
    one = cli("reliability", a)
    assert one.exit_code == 2 and "two or more" in one.stderr


def test_a_topic_one_coder_lacks_is_a_located_error(coders: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    a, b = coders
    case = (b / "case.yaml").read_text(encoding="utf-8")
    extra = "  appeals:\n    label: Appeals\n    statement: An appeal was offered.\n"
    (b / "case.yaml").write_text(case + extra, encoding="utf-8")
    result = cli("reliability", a, b)
    assert result.exit_code == 1
    problems = [m for m in map(PROBLEM_LINE.match, result.stderr.splitlines()) if m]
    mismatch = [m for m in problems if m["code"] == "topic-mismatch"]
    assert len(mismatch) == 1
    assert mismatch[0]["path"].endswith("coder-b/case.yaml")
    assert (mismatch[0]["line"], mismatch[0]["column"]) == (str(case.count("\n") + 1), "3")
    assert "'appeals'" in mismatch[0]["message"] and str(a) in mismatch[0]["message"]
    assert result.stdout == ""


def test_problems_in_a_coding_exit_1(coders: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    a, b = coders
    (b / "host.yaml").write_text(HOST.replace("stance: yes", "stance: concedes"), encoding="utf-8")
    result = cli("reliability", a, b)
    assert result.exit_code == 1
    assert "[unknown-stance]" in result.stderr


def test_str_and_repr_are_the_text_tables(coders: tuple[Path, Path]) -> None:
    result = policycmp.reliability(*coders)
    assert str(result) == repr(result) == result.to_text()
    assert str(result).startswith("2 coders, 9 units")


def test_grids_are_the_three_tables_every_format_draws(coders: tuple[Path, Path]) -> None:
    result = policycmp.reliability(*coders, labels=["A", "B"])
    grids = result.grids()
    assert [g.title for g in grids] == ["Reliability by topic", "Reliability by actor", "Units where coders differ"]
    assert grids[0] == result.grid()
    assert grids[2].headers == ["actor", "topic", "A", "B"] and len(grids[2].rows) == 4
    text = result.to_text()
    assert all(g.summary in text for g in grids)


def test_output_never_lands_in_a_coding(coders: tuple[Path, Path], cli) -> None:  # type: ignore[no-untyped-def]
    a, b = coders
    result = cli("reliability", a, b, "-o", b / "results.yaml")
    assert result.exit_code == 2
    assert not (b / "results.yaml").exists()
