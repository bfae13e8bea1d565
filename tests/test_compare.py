"""Comparison semantics (the rules in the README's "The corpus format"): positions, verdicts, pairwise statuses, scores, filters.

Case-by-case tests run on ``tests/corpora/semantics`` (one topic per rule) and on small corpora
written in the test; property tests generate random small corpora and check the engine against
a plain reference implementation written from the README's text.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policycmp
from policycmp.compare import UsageError, build_claims
from policycmp.render import FORMATS
from policycmp.selection import Selection

CORPORA = Path(__file__).resolve().parent / "corpora"

# -- reference implementation, straight from the README text --------------------------------------


def ref_position(stances: list[str]) -> str | None:
    """An actor's position from the stances of its claims on one topic."""
    kinds = set(stances)
    if not kinds:
        return None
    if kinds == {"asserts"}:
        return "asserts"
    if kinds == {"denies"}:
        return "denies"
    if {"asserts", "denies"} <= kinds:
        return "inconsistent"
    assert "qualifies" in kinds
    return "qualifies"


def ref_verdict(positions: list[str | None]) -> str:
    """A topic's verdict across actors: the first rule that applies."""
    taken = [p for p in positions if p is not None]
    asserting = any(p in ("asserts", "inconsistent") for p in taken)
    denying = any(p in ("denies", "inconsistent") for p in taken)
    if asserting and denying:
        return "conflict"
    if len(taken) >= 2 and (all(p == "asserts" for p in taken) or all(p == "denies" for p in taken)):
        return "agreement"
    if len(taken) >= 2 and any(p == "qualifies" for p in taken):
        return "partial"
    if len(taken) == 1:
        return "single"
    return "silent"


def ref_status(left: str | None, right: str | None) -> str | None:
    """The pairwise status of two positions (None when neither addresses the topic)."""
    if left is None and right is None:
        return None
    if "inconsistent" in (left, right):  # a self-contradiction is a conflict even against silence
        return "conflict"
    if right is None:
        return "left-only"
    if left is None:
        return "right-only"
    if {left, right} == {"asserts", "denies"}:
        return "conflict"
    if left == right and left in ("asserts", "denies"):
        return "agree"
    return "partial"


# -- helpers -----------------------------------------------------------------------------------


def write_corpus(root: Path, case_yaml: str, actors: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "case.yaml").write_text(case_yaml, encoding="utf-8")
    for name, text in actors.items():
        (root / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def positions_of(table) -> dict[str, dict[str, str | None]]:
    records = table.frame.to_dict("records")
    return {str(t): {a: rec[a] for a in table.actors} for t, rec in zip(table.frame.index, records, strict=True)}


def verdicts_of(table) -> dict[str, str]:
    return {str(t): v for t, v in table.frame["verdict"].items()}


def statuses_of(diff) -> dict[str, str]:
    return {str(t): s for t, s in diff.frame["status"].items()}


def pair_of(agreement, left: str, right: str) -> dict:
    for rec in agreement.frame.to_dict("records"):
        if {rec["left"], rec["right"]} == {left, right}:
            return rec
    raise AssertionError(f"no pair {left}/{right}")


@pytest.fixture(scope="module")
def sem() -> policycmp.Corpus:
    return policycmp.load(CORPORA / "semantics")


@pytest.fixture(scope="module")
def mini() -> policycmp.Corpus:
    return policycmp.load(CORPORA / "mini")


# -- positions ---------------------------------------------------------------------------------


def test_positions_of_every_kind(sem):
    pos = positions_of(sem.table(all=True))
    assert pos["both-assert"] == {"a": "asserts", "b": "asserts", "c": "asserts", "d": None}
    assert pos["both-deny"]["a"] == "denies"
    assert pos["both-deny"]["b"] == "denies"  # stance alias 'no'
    assert pos["assert-vs-qualify"]["b"] == "qualifies"
    # asserts + qualifies -> qualifies; denies + qualifies ('partly') -> qualifies
    assert pos["mixed-vs-assert"]["a"] == "qualifies"
    assert pos["deny-qualify"]["a"] == "qualifies"
    # asserts + denies -> inconsistent
    assert pos["self-contradiction"]["a"] == "inconsistent"
    assert pos["inconsistent-vs-assert"]["a"] == "inconsistent"
    # no claim -> no position
    assert pos["nobody"] == {"a": None, "b": None, "c": None, "d": None}
    assert pos["only-b"]["a"] is None


def test_asserts_denies_and_qualifies_together_is_inconsistent(tmp_path):
    root = write_corpus(
        tmp_path / "c",
        "case: x\ntitle: X\ntopics:\n  t: {label: T, statement: T.}\n",
        {
            "a": "actor: a\nname: A\nrole: platform\nsources:\n  s: {title: S, type: letter}\nclaims:\n"
            "  - {topic: t, stance: asserts, summary: one, source: s}\n"
            "  - {topic: t, stance: qualifies, summary: two, source: s}\n"
            "  - {topic: t, stance: denies, summary: three, source: s}\n",
        },
    )
    table = policycmp.load(root).table()
    assert positions_of(table) == {"t": {"a": "inconsistent"}}
    assert verdicts_of(table) == {"t": "conflict"}


def test_inconsistent_actor_is_reported(sem):
    table = sem.table()
    assert sorted(table.inconsistent) == [("a", "inconsistent-vs-assert"), ("a", "self-contradiction")]
    text = table.to_text()
    assert "note: Actor A both asserts and denies 'Self contradiction'" in text
    assert "note: Actor A both asserts and denies 'Inconsistent vs assert'" in text


# -- verdicts ----------------------------------------------------------------------------------

EXPECTED_VERDICTS = {
    "both-assert": "agreement",
    "both-deny": "agreement",
    "opposed": "conflict",
    "assert-vs-qualify": "partial",
    "mixed-vs-assert": "partial",
    "both-qualify": "partial",
    "self-contradiction": "conflict",
    "inconsistent-vs-assert": "conflict",
    "only-b": "single",
    "only-a": "single",
    "deny-qualify": "partial",
    "d-only": "single",
}


def test_verdicts_case_by_case(sem):
    assert verdicts_of(sem.table()) == EXPECTED_VERDICTS


def test_silent_topics_left_out_unless_all(sem):
    assert "nobody" not in sem.table().frame.index
    full = sem.table(all=True)
    assert verdicts_of(full) == {**EXPECTED_VERDICTS, "nobody": "silent"}
    assert full.summary["silent"] == 1
    assert "silent" not in sem.table().summary


def test_cli_all_shows_silent(cli):
    plain = cli("table", "-c", CORPORA / "semantics", "-f", "json")
    full = cli("table", "-c", CORPORA / "semantics", "--all", "-f", "json")
    assert plain.exit_code == 0
    assert full.exit_code == 0
    plain_topics = {t["topic"]: t["verdict"] for t in json.loads(plain.stdout)["topics"]}
    full_topics = {t["topic"]: t["verdict"] for t in json.loads(full.stdout)["topics"]}
    assert "nobody" not in plain_topics
    assert full_topics["nobody"] == "silent"


def test_inconsistent_actor_alone_makes_a_conflict(sem):
    alone = sem.table(actors=["a"])
    verdicts = verdicts_of(alone)
    assert verdicts["self-contradiction"] == "conflict"
    assert verdicts["inconsistent-vs-assert"] == "conflict"
    # every other topic a addresses is a single
    assert verdicts["both-assert"] == "single"
    assert verdicts["mixed-vs-assert"] == "single"


def test_verdicts_follow_the_actor_selection(sem):
    # with b and c only, 'both-assert' is still an agreement and 'opposed' is b's alone
    verdicts = verdicts_of(sem.table(actors=["b", "c"]))
    assert verdicts["both-assert"] == "agreement"
    assert verdicts["opposed"] == "single"
    assert verdicts["inconsistent-vs-assert"] == "single"
    assert "self-contradiction" not in verdicts
    assert "d-only" not in verdicts


def test_qualifies_never_agreement_in_verdicts(sem):
    verdicts = verdicts_of(sem.table(actors=["a", "b"]))
    for topic in ("both-qualify", "mixed-vs-assert", "assert-vs-qualify", "deny-qualify"):
        assert verdicts[topic] == "partial", topic


def test_table_summary_counts(sem):
    table = sem.table()
    assert table.summary == {"conflict": 3, "agreement": 2, "partial": 4, "single": 3}
    assert table.summary_line().startswith("12 topics, 4 actors: 3 conflict, 2 agreement, 4 partial, 3 single")


# -- pairwise diff -----------------------------------------------------------------------------

EXPECTED_AB = {
    "both-assert": "agree",
    "both-deny": "agree",
    "opposed": "conflict",
    "assert-vs-qualify": "partial",
    "mixed-vs-assert": "partial",
    "both-qualify": "partial",
    "self-contradiction": "conflict",
    "inconsistent-vs-assert": "conflict",
    "only-b": "right-only",
    "only-a": "left-only",
    "deny-qualify": "partial",
}


def test_diff_statuses_case_by_case(sem):
    d = sem.diff("a", "b")
    assert statuses_of(d) == EXPECTED_AB
    assert d.summary == {"agree": 2, "conflict": 3, "partial": 4, "left-only": 1, "right-only": 1}
    assert d.has_conflict
    assert list(d.frame.loc["mixed-vs-assert", ["left", "right"]]) == ["qualifies", "asserts"]


def test_diff_swapped_sides(sem):
    d = sem.diff("b", "a")
    swap = {"left-only": "right-only", "right-only": "left-only"}
    assert statuses_of(d) == {t: swap.get(s, s) for t, s in EXPECTED_AB.items()}


def test_diff_inconsistent_against_anything_is_conflict(sem):
    # with itself: the inconsistent topics conflict, qualifying ones are partial, the rest agree
    d = sem.diff("a", "a")
    statuses = statuses_of(d)
    assert statuses["self-contradiction"] == "conflict"
    assert statuses["inconsistent-vs-assert"] == "conflict"
    assert statuses["both-qualify"] == "partial"
    assert statuses["mixed-vs-assert"] == "partial"
    assert statuses["both-assert"] == "agree"
    assert statuses["only-a"] == "agree"
    assert "left-only" not in statuses.values()
    assert "right-only" not in statuses.values()


def test_diff_inconsistent_vs_denies_and_qualifies(tmp_path):
    case = "case: x\ntitle: X\ntopics:\n" + "".join(f"  {t}: {{label: {t}, statement: {t}.}}\n" for t in "pqr")
    actor = "actor: {a}\nname: {a}\nrole: platform\nsources:\n  s: {{title: S, type: letter}}\nclaims:\n"
    claim = "  - {{topic: {t}, stance: {s}, summary: x, source: s}}\n"
    left = actor.format(a="l") + "".join(claim.format(t=t, s=s) for t in "pqr" for s in ("asserts", "denies"))
    right = actor.format(a="r") + "".join(
        claim.format(t=t, s=s) for t, s in (("p", "denies"), ("q", "qualifies"), ("r", "asserts"))
    )
    corpus = policycmp.load(write_corpus(tmp_path / "c", case, {"l": left, "r": right}))
    assert statuses_of(corpus.diff("l", "r")) == {"p": "conflict", "q": "conflict", "r": "conflict"}
    assert statuses_of(corpus.diff("r", "l")) == {"p": "conflict", "q": "conflict", "r": "conflict"}


def test_diff_leaves_out_topics_neither_addresses(sem):
    d = sem.diff("c", "d")
    assert statuses_of(d) == {"both-assert": "left-only", "d-only": "right-only"}
    assert not d.has_conflict


def test_diff_accepts_names_as_slugs(sem):
    assert statuses_of(sem.diff("A", " b ")) == EXPECTED_AB


def test_diff_json_claims_follow_the_sides(sem):
    data = sem.diff("a", "b").to_dict()
    rows = {r["topic"]: r for r in data["rows"]}
    mixed = rows["mixed-vs-assert"]
    assert mixed["left"]["position"] == "qualifies"
    assert sorted(c["stance"] for c in mixed["left"]["claims"]) == ["asserts", "qualifies"]
    assert [c["stance"] for c in mixed["right"]["claims"]] == ["asserts"]
    assert rows["only-b"]["left"] == {"position": None, "claims": []}


# -- agreement ---------------------------------------------------------------------------------


def test_agreement_counts_and_score(sem):
    ag = sem.agreement()
    ab = pair_of(ag, "a", "b")
    assert (ab["agree"], ab["conflict"], ab["partial"], ab["shared"]) == (2, 2, 4, 8)
    assert ab["score"] == pytest.approx(0.0)
    bc = pair_of(ag, "b", "c")
    assert (bc["agree"], bc["conflict"], bc["partial"], bc["shared"]) == (1, 0, 0, 1)
    assert math.isnan(bc["score"])  # one shared topic: below the default minimum of 3
    assert pair_of(sem.agreement(min_shared=1), "b", "c")["score"] == pytest.approx(1.0)
    assert len(ag.frame) == 6  # every pair of four actors, once


@pytest.mark.parametrize(
    ("topics", "counts", "score"),
    [
        (["opposed", "both-qualify", "inconsistent-vs-assert"], (0, 2, 1, 3), -2 / 3),
        (["both-assert", "both-deny", "assert-vs-qualify"], (2, 0, 1, 3), 2 / 3),
        (["opposed", "inconsistent-vs-assert"], (0, 2, 0, 2), -1.0),
        (["mixed-vs-assert", "both-qualify", "deny-qualify"], (0, 0, 3, 3), 0.0),
    ],
)
def test_agreement_score_formula(sem, topics, counts, score):
    ab = pair_of(sem.agreement(actors=["a", "b"], topics=topics, min_shared=1), "a", "b")
    assert (ab["agree"], ab["conflict"], ab["partial"], ab["shared"]) == counts
    assert ab["score"] == pytest.approx(score)


def test_agreement_empty_when_no_shared_topic(sem):
    ag = sem.agreement()
    for other in ("a", "b", "c"):
        rec = pair_of(ag, other, "d")
        assert rec["shared"] == 0
        assert math.isnan(rec["score"])
        assert math.isnan(ag.matrix.loc[other, "d"])
    pairs = {(p["left"], p["right"]): p for p in ag.to_dict()["pairs"]}
    assert pairs[("a", "d")]["score"] is None
    rows = list(csv.DictReader(io.StringIO(ag.to_csv())))
    assert next(r for r in rows if (r["left"], r["right"]) == ("c", "d"))["score"] == ""


def test_agreement_matrix_is_symmetric(sem):
    m = sem.agreement().matrix
    assert list(m.index) == list(m.columns) == ["a", "b", "c", "d"]
    for x in m.index:
        for y in m.columns:
            a, b = m.loc[x, y], m.loc[y, x]
            assert (math.isnan(a) and math.isnan(b)) or a == b


def test_agreement_matches_the_pairwise_diff(sem):
    ag = sem.agreement()
    for rec in ag.frame.to_dict("records"):
        frame = sem.diff(rec["left"], rec["right"]).frame
        both = frame[frame["left"].notna() & frame["right"].notna()]  # the score's topics
        counts = both["status"].value_counts()
        assert rec["agree"] == counts.get("agree", 0)
        assert rec["conflict"] == counts.get("conflict", 0)
        assert rec["partial"] == counts.get("partial", 0)
        assert rec["shared"] == len(both)


# -- filters -----------------------------------------------------------------------------------


def test_filter_actors(sem):
    table = sem.table(actors=["b", "a"])
    assert table.actors == ["b", "a"]
    assert [c for c in table.frame.columns if c in ("a", "b", "c", "d")] == ["b", "a"]
    assert sem.table(actors=["b,a"]).actors == ["b", "a"]  # comma-separated, as the CLI passes it
    assert "d-only" not in table.frame.index


def test_filter_topics_by_id_and_alias(sem):
    by_id = sem.table(topics=["both-assert", "opposed"])
    assert list(by_id.frame.index) == ["both-assert", "opposed"]
    by_alias = sem.table(topics=["Both Say Yes", "opposed"])
    assert list(by_alias.frame.index) == ["both-assert", "opposed"]
    assert list(sem.table(topics=["yes_yes"]).frame.index) == ["both-assert"]
    assert statuses_of(sem.diff("a", "b", topics=["yes yes"])) == {"both-assert": "agree"}


def test_filter_group(sem):
    alpha = sem.table(group=["alpha"])
    assert list(alpha.frame.index) == ["both-assert", "both-deny", "opposed", "assert-vs-qualify"]
    assert set(alpha.frame["group"]) == {"alpha"}
    beta = sem.diff("a", "b", group=["beta"])
    assert set(beta.frame.index) == {
        "mixed-vs-assert",
        "both-qualify",
        "self-contradiction",
        "inconsistent-vs-assert",
    }


def test_filter_verdict(sem):
    conflicts = sem.table(verdict=["conflict"])
    assert list(conflicts.frame.index) == ["opposed", "self-contradiction", "inconsistent-vs-assert"]
    several = sem.table(verdict=["single,agreement"])
    assert set(several.frame["verdict"]) == {"single", "agreement"}
    assert len(several.frame) == 5
    assert list(sem.table(verdict=["silent"], all=True).frame.index) == ["nobody"]


def test_filters_through_the_cli(cli):
    res = cli(
        "table", "-c", CORPORA / "semantics", "--actors", "a,b", "--group", "alpha", "--verdict", "agreement",
        "-f", "json",
    )  # fmt: skip
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["actors"] == ["a", "b"]
    assert [t["topic"] for t in data["topics"]] == ["both-assert", "both-deny"]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda c: c.table(actors=["hots"]), "did you mean 'host'"),
        (lambda c: c.diff("host", "froum"), "did you mean 'forum'"),
        (lambda c: c.agreement(actors=["court", "cuort"]), "did you mean 'court'"),
        (lambda c: c.table(topics=["violent-contnt"]), "did you mean 'violent-content'"),
        (lambda c: c.diff("host", "forum", topics=["politcal"]), "did you mean 'political'"),
        (lambda c: c.table(group=["harn"]), "did you mean 'harm'"),
        (lambda c: c.table(verdict=["conflit"]), "did you mean 'conflict'"),
        (lambda c: build_claims(c, Selection.of(topics=["warnd"])), "did you mean 'warned'"),
    ],
)
def test_unknown_names_are_usage_errors_with_suggestions(mini, call, expected):
    with pytest.raises(UsageError, match=expected):
        call(mini)


@pytest.mark.parametrize(
    "args",
    [
        ("table", "--actors", "hots"),
        ("table", "--topics", "violent-contnt"),
        ("table", "--group", "harn"),
        ("table", "--verdict", "conflit"),
        ("diff", "host", "froum"),
        ("agreement", "--actors", "hots"),
        ("table", "--as-of", "2021-02-30"),
    ],
)
def test_unknown_names_exit_2_in_the_cli(cli, mini_dir, args):
    res = cli(*args, "-c", mini_dir)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("error: ")
    assert "Traceback" not in res.stderr


def test_bad_as_of_is_a_usage_error(mini):
    with pytest.raises(UsageError):
        mini.table(as_of="2021-02-30")
    with pytest.raises(UsageError):
        mini.table(as_of="yesterday")


# -- as_of -------------------------------------------------------------------------------------

DATED_CASE = """\
case: dated
title: Dated claims
topics:
  day: {label: Day, statement: Day.}
  month: {label: Month, statement: Month.}
  year: {label: Year, statement: Year.}
  undated: {label: Undated, statement: Undated.}
  december: {label: December, statement: December.}
  later: {label: Later, statement: Later.}
"""

DATED_ACTOR = """\
actor: x
name: X
role: platform
sources:
  day: {title: Day, type: letter, date: 2021-01-10}
  month: {title: Month, type: letter, date: 2021-01}
  year: {title: Year, type: letter, date: '2021'}
  undated: {title: Undated, type: letter}
  december: {title: December, type: letter, date: 'December 31, 2020'}
claims:
  - {id: on-day, topic: day, stance: asserts, summary: s, source: day}
  - {id: on-day-later, topic: day, stance: denies, summary: s, source: day, date: 'Jan 12 2021'}
  - {id: in-month, topic: month, stance: asserts, summary: s, source: month}
  - {id: in-year, topic: year, stance: asserts, summary: s, source: year}
  - {id: never, topic: undated, stance: asserts, summary: s, source: undated}
  - {id: in-december, topic: december, stance: asserts, summary: s, source: december}
  - {id: second-source, topic: later, stance: asserts, summary: s, source: [day, december]}
"""

OTHER_ACTOR = """\
actor: y
name: Y
role: court
sources:
  o: {title: Order, type: order, date: 2021-01-11}
claims:
  - {topic: day, stance: asserts, summary: s, source: o}
"""


@pytest.fixture(scope="module")
def dated(tmp_path_factory) -> policycmp.Corpus:
    root = tmp_path_factory.mktemp("dated")
    return policycmp.load(write_corpus(root, DATED_CASE, {"x": DATED_ACTOR, "y": OTHER_ACTOR}))


def test_claims_take_their_first_source_date(dated):
    dates = dict(zip(dated.claims["claim"], dated.claims["date"], strict=True))
    assert dates["on-day"] == "2021-01-10"
    assert dates["on-day-later"] == "2021-01-12"  # the claim's own date wins
    assert dates["in-month"] == "2021-01"
    assert dates["in-year"] == "2021"
    assert dates["never"] is None or (isinstance(dates["never"], float) and math.isnan(dates["never"]))
    assert dates["in-december"] == "2020-12-31"
    assert dates["second-source"] == "2021-01-10"


@pytest.mark.parametrize(
    ("as_of", "topics"),
    [
        ("2020-12-30", {"undated"}),
        ("2020-12-31", {"undated", "december"}),
        # month- and year-precision claims count once their period has started
        ("2021-01-01", {"undated", "december", "month", "year"}),
        ("January 1, 2021", {"undated", "december", "month", "year"}),
        ("2021-01-09", {"undated", "december", "month", "year"}),
        ("2021-01-10", {"undated", "december", "month", "year", "day", "later"}),
        ("2022-06-30", {"undated", "december", "month", "year", "day", "later"}),
    ],
)
def test_as_of_keeps_claims_said_by_then(dated, as_of, topics):
    table = dated.table(actors=["x"], as_of=as_of)
    assert set(table.frame.index) == topics
    claims = build_claims(dated, Selection.of(actors=["x"], as_of=as_of)).frame
    assert set(claims["topic"]) == topics


def test_as_of_changes_positions_and_verdicts(dated):
    before = dated.table(as_of="2021-01-10")
    assert before.frame.loc["day", "x"] == "asserts"
    assert before.frame.loc["day", "y"] is None
    assert before.frame.loc["day", "verdict"] == "single"
    middle = dated.table(as_of="2021-01-11")
    assert middle.frame.loc["day", "verdict"] == "agreement"
    after = dated.table(as_of="2021-01-12")
    assert after.frame.loc["day", "x"] == "inconsistent"
    assert after.frame.loc["day", "verdict"] == "conflict"
    assert statuses_of(dated.diff("x", "y", as_of="2021-01-11")) == {
        "day": "agree",
        "month": "left-only",
        "year": "left-only",
        "undated": "left-only",
        "december": "left-only",
        "later": "left-only",
    }
    assert statuses_of(dated.diff("x", "y", as_of="2021-01-12"))["day"] == "conflict"
    assert pair_of(dated.agreement(as_of="2021-01-10"), "x", "y")["shared"] == 0
    assert pair_of(dated.agreement(as_of="2021-01-11", min_shared=1), "x", "y")["score"] == pytest.approx(1.0)
    assert pair_of(dated.agreement(as_of="2021-01-12", min_shared=1), "x", "y")["score"] == pytest.approx(-1.0)


def test_as_of_appears_in_the_summary(dated):
    assert "as of 2021-01-10" in dated.table(as_of="2021-01-10").summary_line()


# -- property tests on random small corpora ----------------------------------------------------

ACTOR_IDS = ("ann", "bob", "cat", "dan")
TOPIC_IDS = ("t1", "t2", "t3", "t4", "t5")
STANCES = ("asserts", "denies", "qualifies")


@st.composite
def corpora(draw):
    n_actors = draw(st.integers(1, 4))
    n_topics = draw(st.integers(1, 5))
    actors = ACTOR_IDS[:n_actors]
    topics = TOPIC_IDS[:n_topics]
    claims = draw(
        st.lists(
            st.tuples(st.sampled_from(actors), st.sampled_from(topics), st.sampled_from(STANCES)),
            max_size=14,
        )
    )
    return actors, topics, claims


def build(spec, root: Path) -> policycmp.Corpus:
    actors, topics, claims = spec
    case = "case: random\ntitle: Random\ntopics:\n" + "".join(
        f"  {t}: {{label: Topic {t.upper()}, statement: Statement {t}.}}\n" for t in topics
    )
    files = {}
    for a in actors:
        lines = [f"actor: {a}", f"name: Actor {a.upper()}", "role: platform", "sources:"]
        lines.append("  s: {title: Source, type: letter, date: 2021-01-10}")
        mine = [(t, s) for x, t, s in claims if x == a]
        lines.append("claims:" if mine else "claims: []")
        lines += [f"  - {{topic: {t}, stance: {s}, summary: {a} on {t}, source: s}}" for t, s in mine]
        files[a] = "\n".join(lines) + "\n"
    return policycmp.load(write_corpus(root, case, files))


def reference(spec) -> dict[str, dict[str, str | None]]:
    """topic -> actor -> position."""
    actors, topics, claims = spec
    return {t: {a: ref_position([s for x, u, s in claims if x == a and u == t]) for a in actors} for t in topics}


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(spec=corpora())
def test_table_matches_reference(spec):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build(spec, Path(tmp) / "c")
        ref = reference(spec)
        full = corpus.table(all=True)
        assert list(full.frame.index) == list(spec[1])
        assert positions_of(full) == ref
        expected = {t: ref_verdict(list(p.values())) for t, p in ref.items()}
        assert verdicts_of(full) == expected
        assert verdicts_of(corpus.table()) == {t: v for t, v in expected.items() if v != "silent"}
        # a subset of actors gives the verdicts of that subset
        some = list(spec[0][::2])
        sub = {t: ref_verdict([p[a] for a in some]) for t, p in ref.items()}
        assert verdicts_of(corpus.table(actors=some, all=True)) == sub
        assert sum(full.summary.values()) == len(spec[1])


@PROPERTY
@given(spec=corpora())
def test_diff_and_agreement_properties(spec):
    actors = list(spec[0])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build(spec, Path(tmp) / "c")
        ref = reference(spec)
        for a in actors:
            # diff(a, a): no one-sided rows; asserts/denies agree, qualifies partial, inconsistent conflict
            own = statuses_of(corpus.diff(a, a))
            expected_self = {"asserts": "agree", "denies": "agree", "qualifies": "partial", "inconsistent": "conflict"}
            assert own == {t: expected_self[p[a]] for t, p in ref.items() if p[a] is not None}
            for b in actors:
                statuses = statuses_of(corpus.diff(a, b))
                expected = {t: ref_status(p[a], p[b]) for t, p in ref.items()}
                assert statuses == {t: s for t, s in expected.items() if s is not None}
                swap = {"left-only": "right-only", "right-only": "left-only"}
                assert statuses_of(corpus.diff(b, a)) == {t: swap.get(s, s) for t, s in statuses.items()}
        ag = corpus.agreement(min_shared=1)
        m = ag.matrix
        for x in actors:
            assert math.isnan(m.loc[x, x])  # never paired with itself
            for y in actors:
                u, v = m.loc[x, y], m.loc[y, x]
                assert (math.isnan(u) and math.isnan(v)) or (u == v and -1 <= u <= 1)
        default = corpus.agreement().frame  # the default minimum of 3 shared topics
        assert default["score"].isna().tolist() == (default["shared"] < 3).tolist()
        assert len(ag.frame) == len(actors) * (len(actors) - 1) // 2
        for rec in ag.frame.to_dict("records"):
            a, b = rec["left"], rec["right"]
            # the score counts only topics both address (an inconsistent actor facing silence is a
            # conflict in the diff, but not a shared topic)
            pairs = [ref_status(p[a], p[b]) for p in ref.values() if p[a] is not None and p[b] is not None]
            agree, conflict, partial = (pairs.count(s) for s in ("agree", "conflict", "partial"))
            shared = sum(p[a] is not None and p[b] is not None for p in ref.values())
            assert (rec["agree"], rec["conflict"], rec["partial"], rec["shared"]) == (agree, conflict, partial, shared)
            assert agree + conflict + partial == shared
            if shared:
                assert rec["score"] == pytest.approx((agree - conflict) / shared)
                assert -1 <= rec["score"] <= 1
            else:
                assert math.isnan(rec["score"])


@PROPERTY
@given(spec=corpora(), data=st.data())
def test_every_format_holds_every_selected_topic(spec, data):
    actors, topics, _ = spec
    chosen = data.draw(st.lists(st.sampled_from(topics), min_size=1, unique=True))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build(spec, Path(tmp) / "c")
        table = corpus.table(topics=chosen, all=True)
        assert set(table.frame.index) == set(chosen)
        diff = corpus.diff(actors[0], actors[-1], topics=chosen)
        for result in (table, diff):
            shown = list(result.frame.index)
            for fmt in FORMATS:
                out = result.render(fmt)
                for t in shown:
                    label = f"Topic {t.upper()}"
                    assert (t if fmt in ("csv", "json") else label) in out, (fmt, t)
                for t in set(topics) - set(shown):
                    assert f"Topic {t.upper()}" not in out
                    assert f'"{t}"' not in out
            assert [r["topic"] for r in json.loads(result.to_json())["topics" if result is table else "rows"]] == shown
            csv_rows = list(csv.DictReader(io.StringIO(result.to_csv())))
            assert [r["topic"] for r in csv_rows] == shown
