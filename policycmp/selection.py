"""What a command compares: one :class:`Selection`, carried from the command line to every builder.

The filters are written once here (like daff's ``CompareFlags``): which actors, topics, groups and
verdicts, the date the comparison is as of, and whether topics nobody addresses are shown. Values
are split on commas and normalized like ids; ``compare.py`` checks them against the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .loader import CorpusData
from .model import topic_index
from .normalize import DateError, date, date_bounds, slugify
from .problems import UsageError, suggest


def names(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Split comma-separated option values (one string or several) and slugify them."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values or ():
        out.extend(slugify(v) for v in value.split(",") if v.strip())
    return tuple(out)


class Selection(NamedTuple):
    """The part of a corpus a comparison covers; the empty selection covers all of it."""

    actors: tuple[str, ...] = ()  # actor ids, in the order given (empty: every actor)
    topics: tuple[str, ...] = ()  # topic ids or aliases (empty: every topic)
    groups: tuple[str, ...] = ()  # only topics of these groups
    verdicts: tuple[str, ...] = ()  # only topics with these verdicts (table and report)
    as_of: str | None = None  # only claims dated on or before this date, as written
    show_all: bool = False  # also topics no selected actor addresses (table and report)

    @classmethod
    def of(
        cls,
        actors: Iterable[str] | str | None = None,
        topics: Iterable[str] | str | None = None,
        group: Iterable[str] | str | None = None,
        verdict: Iterable[str] | str | None = None,
        as_of: str | None = None,
        all: bool = False,  # noqa: A002 - mirrors the --all option
    ) -> Selection:
        """A selection from option values as the command line and the Python API take them."""
        return cls(names(actors), names(topics), names(group), names(verdict), as_of, all)

    @property
    def narrows_claims(self) -> bool:
        """Whether it leaves out any claim (actors, topics, groups or a date)."""
        return bool(self.actors or self.topics or self.groups or self.as_of)


# -- checked against a corpus -----------------------------------------------------------------


def select_actors(corpus: CorpusData, actors: Iterable[str] | None) -> list[str]:
    known = list(corpus.actors)
    chosen = names(actors)
    for name in chosen:
        if name not in corpus.actors:
            raise UsageError(f"unknown actor '{name}'{suggest(name, known)}; known actors: {', '.join(known)}")
    return list(dict.fromkeys(chosen)) or known


def one_actor(corpus: CorpusData, name: str) -> str:
    """The actor one side of a diff names: exactly one id (no commas, not empty)."""
    slug = slugify(name)
    if slug not in corpus.actors:
        known = list(corpus.actors)
        raise UsageError(f"unknown actor '{slug}'{suggest(slug, known)}; known actors: {', '.join(known) or 'none'}")
    return slug


def select_topics(corpus: CorpusData, topics: Iterable[str] | None, groups: Iterable[str] | None) -> list[str]:
    """Topic ids in display order: grouped in group order, then ungrouped, each in case order."""
    index = topic_index(corpus.case)
    wanted: set[str] | None = None
    if topics:
        wanted = set()
        for name in names(topics):
            if name not in index:
                ids = [t.id for t in corpus.case.topics]
                hint = suggest(name, ids) or suggest(name, index)
                raise UsageError(f"unknown topic '{name}'{hint}; 'policycmp topics' lists the topics and their aliases")
            wanted.add(index[name])
    group_ids = [g.id for g in corpus.case.groups]
    wanted_groups = names(groups)
    for g in wanted_groups:
        if g not in group_ids:
            known = ", ".join(group_ids) or "none are defined"
            raise UsageError(f"unknown group '{g}'{suggest(g, group_ids)}; groups: {known}")
    rank = {g: i for i, g in enumerate(group_ids)}
    ordered = sorted(corpus.case.topics, key=lambda t: rank.get(t.group, len(rank)) if t.group else len(rank))
    return [
        t.id for t in ordered if (wanted is None or t.id in wanted) and (not wanted_groups or t.group in wanted_groups)
    ]


def as_of_cutoff(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date_bounds(date(value))[1]
    except (DateError, ValueError) as exc:
        raise UsageError(f"--as-of {value!r}: {exc}") from None
