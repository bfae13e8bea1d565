"""Inter-coder reliability (README: "A two-coder reliability study"): several coders' codings of one case, compared.

Each coder is a corpus directory coding the same case (the same topic ids). A unit is an
(actor, topic) pair where at least one coder has a position; a coder's value for it is that
position (asserts, denies, qualifies or inconsistent), or missing. Reliability is Krippendorff's
alpha for nominal data, computed from the coincidence matrix (Krippendorff 2011, "Computing
Krippendorff's Alpha-Reliability"); missing values are left out, as alpha prescribes, so a unit
only one coder coded enters no alpha but is listed among the disagreements.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import hooks
from .loader import CorpusData, CorpusLoader
from .problems import Location, PolicyError, Problem
from .resources import resolve_corpus
from .results import Result, _plural
from .vocabulary import Position
from .yamlio import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    import pandas as pd


Value = str | None


def nominal_alpha(units: Iterable[Sequence[Value]]) -> float | None:
    """Krippendorff's alpha (nominal) of ``units``, each the values its coders gave (None: missing).

    ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k``, where ``o`` is the
    coincidence matrix of the pairable values (units with two or more) and ``n_c`` its margins.
    None when it is undefined: fewer than two pairable values, or only one value in all of them
    (no expected disagreement to compare with).
    """
    coincidences: dict[tuple[str, str], float] = {}
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts: dict[str, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    coincidences[c, k] = coincidences.get((c, k), 0.0) + pairs / (m - 1)
    margins: dict[str, float] = {}
    for (c, _), o in coincidences.items():
        margins[c] = margins.get(c, 0.0) + o
    n = sum(margins.values())
    if n < 2:
        return None
    expected = n * n - sum(nc * nc for nc in margins.values())  # sum over c != k of n_c * n_k
    if expected <= 0:
        return None
    observed = sum(o for (c, k), o in coincidences.items() if c != k)
    return 1.0 - (n - 1) * observed / expected


def percent_agreement(units: Iterable[Sequence[Value]]) -> float | None:
    """Pairwise percent agreement: of all pairs of values within a unit, the share that match."""
    agreeing = total = 0
    for unit in units:
        values = [v for v in unit if v is not None]
        for i in range(len(values)):
            for j in range(i + 1, len(values)):
                total += 1
                agreeing += values[i] == values[j]
    return agreeing / total if total else None


class ReliabilityError(ValueError):
    """The coders cannot be compared: fewer than two, or one directory given twice (exit 2)."""


@dataclass(frozen=True)
class Unit:
    actor: str
    topic: str
    values: tuple[Position | None, ...]  # one per coder, in the coders' order

    @property
    def agree(self) -> bool:
        """Every coder gave the same position (none missing)."""
        return None not in self.values and len(set(self.values)) == 1


@dataclass(frozen=True)
class Figure:
    """Reliability of a group of units (a topic, an actor, or all of them)."""

    key: str
    label: str
    units: int
    pairable: int
    alpha: float | None
    percent_agreement: float | None
    disagreements: int

    def to_dict(self, name: str) -> dict[str, Any]:
        out: dict[str, Any] = {name: self.key}
        if name == "topic":
            out["label"] = self.label
        out.update(
            units=self.units,
            pairable_units=self.pairable,
            alpha=self.alpha,
            percent_agreement=self.percent_agreement,
            disagreements=self.disagreements,
        )
        return out


def _figure(key: str, label: str, units: Sequence[Unit]) -> Figure:
    values = [u.values for u in units]
    pairable = sum(sum(v is not None for v in vs) >= 2 for vs in values)
    return Figure(
        key, label, len(units), pairable, nominal_alpha(values), percent_agreement(values),
        sum(not u.agree for u in units),
    )  # fmt: skip


@dataclass(repr=False)
class ReliabilityResult(Result):
    """Every unit with each coder's value, and alpha and percent agreement overall, per topic
    and per actor."""

    coders: list[str]
    units: list[Unit]
    topic_labels: dict[str, str]
    actor_names: dict[str, str]

    @property
    def overall(self) -> Figure:
        return _figure("all", "all units", self.units)

    @property
    def by_topic(self) -> list[Figure]:
        return [
            _figure(t, label, [u for u in self.units if u.topic == t])
            for t, label in self.topic_labels.items()
            if any(u.topic == t for u in self.units)
        ]

    @property
    def by_actor(self) -> list[Figure]:
        return [
            _figure(a, name, [u for u in self.units if u.actor == a])
            for a, name in self.actor_names.items()
            if any(u.actor == a for u in self.units)
        ]

    @property
    def disagreements(self) -> list[Unit]:
        return [u for u in self.units if not u.agree]

    @property
    def alpha(self) -> float | None:
        return self.overall.alpha

    @property
    def frame(self) -> pd.DataFrame:  # type: ignore[override]
        """One row per unit: actor, topic, each coder's position, and whether all agree."""
        import pandas as pd

        records = [
            {"actor": u.actor, "topic": u.topic, **dict(zip(self.coders, u.values, strict=True)), "agree": u.agree}
            for u in self.units
        ]
        return pd.DataFrame(records, columns=["actor", "topic", *self.coders, "agree"])

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def summary_line(self) -> str:
        f = self.overall
        return (
            f"{_plural(len(self.coders), 'coder')}, {_plural(f.units, 'unit')} ({f.pairable} coded by two or more):"
            f" alpha {as_number(f.alpha)}, agreement {as_percent(f.percent_agreement)},"
            f" {_plural(f.disagreements, 'unit')} where coders differ"
        )

    def grids(self) -> list[Any]:
        """The figures per topic and per actor, then every unit where coders differ: each a
        ``policycmp.render.grid.Grid``, built there (typed ``Any`` as ``Result.grid()`` is)."""
        return hooks.grids(self)

    def to_dict(self) -> dict[str, Any]:
        f = self.overall
        return {
            "coders": list(self.coders),
            "units": f.units,
            "pairable_units": f.pairable,
            "alpha": f.alpha,
            "percent_agreement": f.percent_agreement,
            "topics": [t.to_dict("topic") for t in self.by_topic],
            "actors": [a.to_dict("actor") for a in self.by_actor],
            "disagreements": [
                {"actor": u.actor, "topic": u.topic, "positions": dict(zip(self.coders, u.values, strict=True))}
                for u in self.disagreements
            ],
        }


def as_number(value: float | None) -> str:
    """A figure as tables show it: three places, empty where it is undefined."""
    return "" if value is None else f"{value:.3f}"


def as_percent(value: float | None) -> str:
    """A share as tables show it: a percentage to one place, empty where it is undefined."""
    return "" if value is None else f"{value:.1%}"


def compare_coders(corpora: Sequence[CorpusData], labels: Sequence[str]) -> ReliabilityResult:
    """The units and values of corpora that code the same topics (checked by the caller)."""
    from .compare import positions  # pandas and numpy: only when computing

    topics = {t.id: t.label for t in corpora[0].case.topics}
    actors: dict[str, str] = {}
    for c in corpora:
        for a in c.actors.values():
            actors.setdefault(a.id, a.name)
    matrices = [positions(c.claims, list(actors), list(topics)) for c in corpora]
    units = []
    for topic in topics:
        for actor in actors:
            values: tuple[Position | None, ...] = tuple(m.at[topic, actor] for m in matrices)  # type: ignore[misc]
            if any(v is not None for v in values):
                units.append(Unit(actor, topic, values))
    return ReliabilityResult(list(labels), units, topics, actors)


def reliability(
    *coders: str | Path, labels: Sequence[str] | None = None, max_bytes: int | None = None
) -> ReliabilityResult:
    """Inter-coder reliability of two or more codings (corpus directories) of one case.

    Raises ReliabilityError for fewer than two coders or one directory given twice, and
    PolicyError for problems in a coding, or topics that not every coder's case.yaml lists
    (each located at the topic of the case.yaml that has it).
    """

    if len(coders) < 2:
        raise ReliabilityError("reliability needs two or more codings (corpus directories) of the same case")
    roots = [resolve_corpus(c) for c in coders]
    seen: dict[str, str] = {}
    for root, given in zip(roots, coders, strict=True):
        if not root.is_dir():
            raise ReliabilityError(f"{given}: no such corpus directory")
        real = os.path.realpath(root)
        if real in seen:
            raise ReliabilityError(
                f"{given} is the same directory as {seen[real]}; each coder's coding is a directory of its own"
            )
        seen[real] = str(given)
    names = list(labels) if labels is not None else [str(c) for c in coders]
    if len(names) != len(coders) or len(set(names)) != len(names):
        raise ReliabilityError("give each coder one distinct label")
    limits = Limits(max_bytes=max_bytes) if max_bytes else DEFAULT_LIMITS
    loaders = [CorpusLoader(root, limits) for root in roots]
    loaded = [loader.load() for loader in loaders]
    problems: list[Problem] = [p for one in loaded for p in one.problems if p.severity == "error"]
    if problems or any(not one.ok for one in loaded):
        raise PolicyError(problems or [p for one in loaded for p in one.problems])
    topic_sets: list[set[str]] = [{t.id for t in one.case.topics} for one in loaded if one.case is not None]
    common = set.intersection(*topic_sets)
    for loader, one, name, have in zip(loaders, loaded, names, topic_sets, strict=True):
        for topic in sorted(have - common):
            lacking = [n for n, s in zip(names, topic_sets, strict=True) if topic not in s]
            where = loader.topic_pos.get(topic) or Location(one.case.path if one.case else name)
            problems.append(Problem.of("topic-mismatch", where, topic=topic, coders=", ".join(lacking)))
    if problems:
        raise PolicyError(sorted(problems, key=lambda p: (p.location.path, p.location.line, p.location.column)))
    corpora = [CorpusData(root, one) for root, one in zip(roots, loaded, strict=True)]
    return compare_coders(corpora, names)
