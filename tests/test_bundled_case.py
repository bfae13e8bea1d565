"""The bundled parler-2021 case: it loads cleanly and tells the story its sources tell.

The pinned verdicts below are the case's key disputes; an edit to an actor file that silently
changes one of them (a flipped stance, a claim moved to another topic) fails here.
"""

from __future__ import annotations

import pytest

import policycmp

ACTORS = ["aws", "apple", "google", "parler", "twitter", "court"]

# (topic, verdict with all six actors, {actor: position})
PINNED = [
    (
        "incitement-on-platform",
        "agreement",
        {"aws": "asserts", "apple": "asserts", "google": "asserts", "court": "asserts"},
    ),
    ("public-safety-risk", "agreement", {"aws": "asserts", "google": "asserts", "court": "asserts"}),
    (
        "inadequate-moderation",
        "partial",
        {"aws": "asserts", "apple": "asserts", "google": "asserts", "parler": "qualifies"},
    ),
    ("prior-warnings", "conflict", {"aws": "asserts", "parler": "denies"}),
    ("immediate-termination-right", "conflict", {"aws": "asserts", "court": "asserts", "parler": "denies"}),
    ("thirty-day-notice-required", "conflict", {"aws": "denies", "court": "denies", "parler": "asserts"}),
    ("political-motive", "conflict", {"aws": "denies", "apple": "denies", "court": "denies", "parler": "asserts"}),
    ("anticompetitive-motive", "conflict", {"aws": "denies", "court": "denies", "parler": "asserts"}),
    ("double-standard", "conflict", {"aws": "denies", "court": "denies", "parler": "asserts"}),
    ("responsibility-for-user-content", "conflict", {"apple": "asserts", "parler": "denies"}),
    ("breach-of-terms", "agreement", {"aws": "asserts", "apple": "asserts", "google": "asserts", "court": "asserts"}),
    ("no-place-for-incitement", "agreement", dict.fromkeys(ACTORS, "asserts")),
]


@pytest.fixture(scope="module")
def corpus() -> policycmp.Corpus:
    return policycmp.load()


def test_bundled_case_loads_without_errors_or_warnings() -> None:
    loaded = policycmp.check()
    assert loaded.ok
    assert loaded.problems == []


def test_size_and_actors(corpus: policycmp.Corpus) -> None:
    assert sorted(corpus.actors) == sorted(ACTORS)
    assert len(corpus.case.topics) >= 14
    assert len(corpus.records) >= 60
    counts = corpus.claims["actor"].value_counts()
    assert all(counts[a] >= 3 for a in ACTORS)


@pytest.mark.parametrize(("topic", "verdict", "positions"), PINNED, ids=[p[0] for p in PINNED])
def test_key_disputes_are_pinned(corpus: policycmp.Corpus, topic: str, verdict: str, positions: dict[str, str]) -> None:
    frame = corpus.table(all=True).frame
    row = frame.loc[topic]
    assert row["verdict"] == verdict
    for actor, position in positions.items():
        assert row[actor] == position, f"{actor} on {topic}"


def test_without_parler_the_other_sides_do_not_conflict(corpus: policycmp.Corpus) -> None:
    frame = corpus.table(actors=["aws,apple,google,twitter,court"]).frame
    assert "conflict" not in set(frame["verdict"])


def test_every_dispute_with_parler_is_a_conflict_in_the_diff(corpus: policycmp.Corpus) -> None:
    diff = corpus.diff("aws", "parler")
    assert diff.summary["conflict"] >= 8
    assert {"prior-warnings", "political-motive", "thirty-day-notice-required"} <= set(
        diff.frame.index[diff.frame["status"] == "conflict"]
    )


def test_every_claim_is_sourced_and_quotes_are_not_empty(corpus: policycmp.Corpus) -> None:
    claims = corpus.claims
    assert claims["source_title"].str.len().gt(0).all()
    assert claims["summary"].str.len().gt(20).all()
    quotes = claims["quote"].dropna()
    assert len(quotes) > 0
    assert quotes.str.strip().str.len().gt(0).all()
