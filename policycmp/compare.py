"""Comparison semantics (the rules in the README's "The corpus format"), computed once from the claims DataFrame.

Positions, verdicts, pairwise statuses and agreement scores are vectorized pandas/numpy
operations; the result objects in ``results.py`` hold what every renderer reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .problems import UsageError, suggest
from .quotes import build_quotes
from .results import AgreementResult, ClaimsResult, DiffResult, TableResult
from .selection import Selection, as_of_cutoff, one_actor, select_actors, select_topics
from .vocabulary import STATUS_WORDS, VERDICT_WORDS

if TYPE_CHECKING:
    from .loader import CorpusData as Corpus

VERDICTS = VERDICT_WORDS
STATUSES = STATUS_WORDS


DEFAULT_MIN_SHARED = 3  # fewer shared topics than this: no agreement score (see the README)


# -- selection ---------------------------------------------------------------------------------


def select_claims(corpus: Corpus, actors: list[str], topics: list[str], as_of: str | None) -> pd.DataFrame:
    """Claims of the selected actors on the selected topics, said on or before ``as_of``.

    A claim dated only to a month or year counts when that period starts on or before the
    cut-off date (it may have been said by then); undated claims always count.
    """
    claims = corpus.claims
    mask = claims["actor"].isin(actors) & claims["topic"].isin(topics)
    cutoff = as_of_cutoff(as_of)
    if cutoff is not None:
        dates = claims["date"]
        starts = dates.str.slice(0, 10).where(dates.str.len() >= 10, dates.str.slice(0, 7) + "-01")
        starts = starts.where(dates.str.len() >= 7, dates.str.slice(0, 4) + "-01-01")
        mask &= dates.isna() | (starts <= cutoff)
    return claims.loc[mask]


# -- positions and verdicts --------------------------------------------------------------------


def positions(claims: pd.DataFrame, actors: Sequence[str], topics: Sequence[str]) -> pd.DataFrame:
    """Topic x actor matrix of positions (None where the actor makes no claim on the topic)."""
    stance = claims["stance"]
    flags = pd.DataFrame(
        {
            "topic": claims["topic"],
            "actor": claims["actor"],
            "a": stance.eq("asserts").to_numpy(),
            "d": stance.eq("denies").to_numpy(),
            "q": stance.eq("qualifies").to_numpy(),
        }
    )
    agg = flags.groupby(["topic", "actor"], sort=False)[["a", "d", "q"]].any()
    a, d, q = (agg[c].to_numpy() for c in ("a", "d", "q"))
    pos = np.select([a & d, a & ~q, d & ~q], ["inconsistent", "asserts", "denies"], default="qualifies")
    series = pd.Series(pos, index=agg.index, dtype=object)
    matrix = series.unstack("actor") if len(series) else pd.DataFrame(index=pd.Index([], name="topic"))
    matrix = matrix.reindex(index=list(topics), columns=list(actors)).astype(object)
    return matrix.where(matrix.notna(), None)


def verdicts(matrix: pd.DataFrame) -> pd.Series:
    """Each topic's verdict across the matrix's actors (the README's rules, the first that applies)."""
    values = matrix.to_numpy(dtype=object)
    asserting = ((values == "asserts") | (values == "inconsistent")).any(axis=1)
    denying = ((values == "denies") | (values == "inconsistent")).any(axis=1)
    qualifying = (values == "qualifies").any(axis=1)
    count = (values != None).sum(axis=1)  # noqa: E711 - elementwise comparison
    verdict = np.select(
        [asserting & denying, (count >= 2) & ~qualifying, count >= 2, count == 1],
        ["conflict", "agreement", "partial", "single"],
        default="silent",
    )
    return pd.Series(verdict, index=matrix.index, name="verdict", dtype=object)


def build_table(corpus: Corpus, selection: Selection | None = None) -> TableResult:
    """The topic x actor matrix over ``selection`` (None: the whole corpus)."""
    selection = selection or Selection()
    actor_ids = select_actors(corpus, selection.actors)
    topic_ids = select_topics(corpus, selection.topics, selection.groups)
    wanted = list(selection.verdicts)
    as_of, show_all = selection.as_of, selection.show_all
    for v in wanted:
        if v not in VERDICTS:
            raise UsageError(f"unknown verdict '{v}'{suggest(v, VERDICTS)}; verdicts: {', '.join(VERDICTS)}")
    claims = select_claims(corpus, actor_ids, topic_ids, as_of)
    matrix = positions(claims, actor_ids, topic_ids)
    verdict_of = verdicts(matrix)
    keep = verdict_of.ne("silent") | show_all | ("silent" in wanted)
    if wanted:
        keep &= verdict_of.isin(wanted)
    topic_info = corpus.topics
    frame = pd.DataFrame(
        {
            "label": [topic_info[t].label for t in topic_ids],
            "group": [topic_info[t].group for t in topic_ids],
            "verdict": verdict_of,
        },
        index=pd.Index(topic_ids, name="topic"),
    ).astype(object)
    frame = pd.concat([frame, matrix], axis=1).loc[keep.to_numpy()]
    frame = frame.where(frame.notna(), None)
    if wanted:  # the claims behind the topics shown (a verdict filter drops some)
        claims = claims.loc[claims["topic"].isin(frame.index)]
    return TableResult(corpus, frame, actor_ids, claims, as_of)


def _statuses(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Pairwise status per topic for two position arrays (None: no position)."""
    has_l = left != None  # noqa: E711
    has_r = right != None  # noqa: E711
    incons = (left == "inconsistent") | (right == "inconsistent")
    opposed = ((left == "asserts") & (right == "denies")) | ((left == "denies") & (right == "asserts"))
    same = (left == right) & ((left == "asserts") | (left == "denies"))
    # An inconsistent actor contradicts itself: a conflict even where the other is silent, as
    # it makes a conflict on its own in the table's verdicts.
    return np.select(
        [incons | opposed, has_l & ~has_r, ~has_l & has_r, same, has_l & has_r],
        ["conflict", "left-only", "right-only", "agree", "partial"],
        default="",
    )


def build_diff(corpus: Corpus, left: str, right: str, selection: Selection | None = None) -> DiffResult:
    """Two actors topic by topic, over the selection's topics, groups and date."""
    selection = selection or Selection()
    as_of = selection.as_of
    left_id, right_id = one_actor(corpus, left), one_actor(corpus, right)
    topic_ids = select_topics(corpus, selection.topics, selection.groups)
    claims = select_claims(corpus, [left_id, right_id], topic_ids, as_of)
    matrix = positions(claims, list(dict.fromkeys([left_id, right_id])), topic_ids)
    lpos = matrix[left_id].to_numpy(dtype=object)
    rpos = matrix[right_id].to_numpy(dtype=object)
    status = _statuses(lpos, rpos)
    topic_info = corpus.topics
    frame = pd.DataFrame(
        {
            "status": status,
            "label": [topic_info[t].label for t in topic_ids],
            "left": lpos,
            "right": rpos,
        },
        index=pd.Index(topic_ids, name="topic"),
        dtype=object,
    )
    frame = frame.loc[status != ""]
    return DiffResult(corpus, frame, left_id, right_id, claims, as_of)


def build_agreement(
    corpus: Corpus, selection: Selection | None = None, min_shared: int = DEFAULT_MIN_SHARED
) -> AgreementResult:
    """Every pair's score with its counts; no score below ``min_shared`` shared topics, and
    none for an actor with itself (NaN in ``matrix``)."""
    if isinstance(min_shared, bool) or not isinstance(min_shared, int) or min_shared < 1:
        raise UsageError(f"--min-shared {min_shared!r}: give a whole number of topics, 1 or more (default 3)")
    selection = selection or Selection()
    as_of = selection.as_of
    actor_ids = select_actors(corpus, selection.actors)
    topic_ids = select_topics(corpus, selection.topics, selection.groups)
    claims = select_claims(corpus, actor_ids, topic_ids, as_of)
    values = positions(claims, actor_ids, topic_ids).to_numpy(dtype=object)
    # 0/1 indicator matrices (topic x actor); float64 so the products run in BLAS, exact for
    # counts far beyond any corpus (integers are exact in float64 up to 2**53).
    asserts = (values == "asserts").astype(np.float64)
    denies = (values == "denies").astype(np.float64)
    incons = (values == "inconsistent").astype(np.float64)
    addressed = (values != None).astype(np.float64)  # noqa: E711
    shared = (addressed.T @ addressed).astype(np.int64)
    agree = (asserts.T @ asserts + denies.T @ denies).astype(np.int64)
    # one asserts and the other denies, or either is inconsistent (counted once when both are)
    opposed = asserts.T @ denies
    conflict = (opposed + opposed.T + incons.T @ addressed + addressed.T @ incons - incons.T @ incons).astype(np.int64)
    partial = shared - agree - conflict
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(shared >= min_shared, (agree - conflict) / np.maximum(shared, 1), np.nan)
    np.fill_diagonal(score, np.nan)  # an actor is never paired with itself
    left_idx, right_idx = np.triu_indices(len(actor_ids), k=1)
    ids = np.array(actor_ids, dtype=object)
    pairs = pd.DataFrame(
        {
            "left": ids[left_idx],
            "right": ids[right_idx],
            "score": score[left_idx, right_idx],
            "agree": agree[left_idx, right_idx],
            "conflict": conflict[left_idx, right_idx],
            "partial": partial[left_idx, right_idx],
            "shared": shared[left_idx, right_idx],
        }
    )
    index = pd.Index(actor_ids, name="actor")
    matrix = pd.DataFrame(score, index=index, columns=actor_ids)
    np.fill_diagonal(shared, 0)  # no self-pairs: nothing is shared with oneself
    # the shared square is kept (every grid of the result reads it); the others are drawn from the
    # pairs when asked (square()), so that `agreement` of 1,000 actors keeps no more n x n tables
    squares = {"shared": pd.DataFrame(shared, index=index, columns=actor_ids)}
    return AgreementResult(corpus, pairs, matrix, actor_ids, as_of, squares=squares, min_shared=min_shared)


def build_claims(
    corpus: Corpus, selection: Selection | None = None, texts: Path | None = None, cache: bool = True
) -> ClaimsResult:
    """The claims table filtered like the comparisons are (all claims when nothing is given).

    When source texts are available (a source's ``text:``, or ``texts``), a ``quote_status``
    column says whether each quote was verified in its text.
    """
    selection = selection or Selection()
    if selection.narrows_claims:
        topic_ids = select_topics(corpus, selection.topics, selection.groups)
        claims = select_claims(corpus, select_actors(corpus, selection.actors), topic_ids, selection.as_of)
    else:
        claims = corpus.claims
    if texts is not None or corpus.source_texts:
        status = (
            build_quotes(corpus, texts, cache=cache)
            .frame[["actor", "claim", "status"]]
            .rename(columns={"status": "quote_status"})
        )
        claims = claims.merge(status, on=["actor", "claim"], how="left")
    return ClaimsResult(corpus, claims)
