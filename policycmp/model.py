"""The normalized corpus: a case, its topics, actors with their sources, and claim records.

These are the output of loading (``loader.py``) and the input of everything else. Claims are
plain named tuples (cheap at 100,000 rows); ``Corpus.claims`` turns them into the DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    statement: str
    group: str | None = None
    aliases: tuple[str, ...] = ()
    dsa_category: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    summary: str | None
    subject: str | None
    groups: tuple[Group, ...]
    topics: tuple[Topic, ...]
    path: str


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    type: str
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    text: str | None = None  # path of a local copy of the document, relative to the corpus


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    role: str
    description: str | None
    sources: dict[str, Source] = field(default_factory=dict)
    path: str = ""


class Claim(NamedTuple):
    """One row of the claims table (SPEC section 2 columns first)."""

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
