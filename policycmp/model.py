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
from .vocabulary import Ground, SourceType, Stance

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
    type: SourceType
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
    """One claim, normalized: what it says, the sources it cites, and where it is written."""

    actor: str
    claim: str
    topic: str
    stance: Stance
    summary: str
    quote: str | None
    sources: tuple[Source, ...]  # the sources it cites, in the order written (one at least)
    date: str | None  # its own date, else its first source's
    clause: str | None
    ground: Ground | None
    speaker: str | None
    path: str
    line: int

    # The claims table's source columns: every cited source's id and title, "; "-separated
    # (ids are slugs, so the separator never occurs in one); type, publisher and url of the first.

    @property
    def source(self) -> str:
        return "; ".join(s.id for s in self.sources)

    @property
    def source_title(self) -> str:
        return "; ".join(s.title for s in self.sources)

    @property
    def source_type(self) -> SourceType:
        return self.sources[0].type

    @property
    def publisher(self) -> str | None:
        return self.sources[0].publisher

    @property
    def url(self) -> str | None:
        return self.sources[0].url


# The claims table's columns, in the README's order: each is a field or a property of Claim.
CLAIM_COLUMNS: tuple[str, ...] = (
    "actor", "claim", "topic", "stance", "summary", "quote", "source", "source_title", "source_type", "date",
    "clause", "ground", "speaker", "path", "line", "publisher", "url",
)  # fmt: skip


def source_texts(root: Path, actors: Iterable[Actor]) -> tuple[Path, ...]:
    """The local copies of source documents (``text:``, relative to ``root``) that ``actors`` name."""
    return tuple(root / s.text for a in actors for s in a.sources.values() if s.text)
