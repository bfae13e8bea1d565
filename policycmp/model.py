"""The normalized corpus: a case, its topics, actors with their sources, and claim records.

These are the output of loading (``loader.py``) and the input of everything else. All are
immutable named tuples: cheap to create at 100,000 rows, and cheap to define at start-up
(a frozen dataclass costs about a millisecond to define, which ``policycmp validate`` feels).
``Corpus.claims`` turns the claim records into the DataFrame.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .normalize import slugify

if TYPE_CHECKING:
    from collections.abc import Iterable


class Group(NamedTuple):
    id: str
    label: str


class Topic(NamedTuple):
    id: str
    label: str
    statement: str
    group: str | None = None
    aliases: tuple[str, ...] = ()
    dsa_category: str | None = None
    theme: str | None = None  # the theme id this topic instantiates (README: "One actor across cases")
    theme_negated: bool = False  # the topic is phrased against its theme: positions invert when joined


class Case(NamedTuple):
    id: str
    title: str
    summary: str | None
    subject: str | None
    groups: tuple[Group, ...]
    topics: tuple[Topic, ...]
    path: str


def topic_index(case: Case) -> dict[str, str]:
    """Every name a claim may use for a topic (its id, and each alias as a slug) -> the topic id."""
    index: dict[str, str] = {}
    for topic in case.topics:
        index[topic.id] = topic.id
        for alias in topic.aliases:
            index.setdefault(slugify(alias), topic.id)
    return index


class Source(NamedTuple):
    id: str
    title: str
    type: str
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    text: str | None = None  # path of a local copy of the document, relative to the corpus


class Actor(NamedTuple):
    id: str
    name: str
    role: str
    description: str | None
    sources: dict[str, Source]
    path: str
    wikidata: str | None = None  # a Wikidata item id (Q312): the same item in two cases is one actor
    same_as: tuple[str, ...] = ()  # actor ids in other cases that name this actor


class Claim(NamedTuple):
    """One row of the claims table (the README's claims columns first)."""

    actor: str
    claim: str
    topic: str
    stance: str
    summary: str
    quote: str | None
    source: str  # source ids, "; "-separated when a claim cites several
    source_title: str
    source_type: str
    date: str | None
    clause: str | None
    ground: str | None
    speaker: str | None
    path: str
    line: int
    publisher: str | None
    url: str | None


CLAIM_COLUMNS: tuple[str, ...] = Claim._fields


def source_texts(root: Path, actors: Iterable[Actor]) -> tuple[Path, ...]:
    """The local copies of source documents (``text:``, relative to ``root``) that ``actors`` name."""
    return tuple(root / s.text for a in actors for s in a.sources.values() if s.text)
