"""The report's view of other cases (``report --across CASE``): theme links and "Across cases".

Each topic of the report's case that names a theme links to that theme's section, which lists
the topics of every case on the theme and, for each actor the cases share, its position in each
case with a consistency label (the same result ``policycmp across`` renders).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..vocabulary import CONSISTENCIES, POSITIONS
from .anchors import anchor

HTML_POSITION_MARK = {w: t.html_mark for w, t in POSITIONS.items()}

if TYPE_CHECKING:
    from ..crosscase import AcrossResult
    from ..loader import CorpusData as Corpus

CONSISTENCY_WORDS = {w: t.description for w, t in CONSISTENCIES.items()}


@dataclass(frozen=True, slots=True)
class ThemeTopic:
    case: str
    topic: str
    label: str
    negated: bool
    here: bool  # a topic of the report's own case (links to its evidence)
    anchor: str


@dataclass(frozen=True, slots=True)
class AcrossCell:
    case: str
    position: str | None
    mark: str
    topics: str  # the topic ids it came from, "inverted" where negated


@dataclass(frozen=True, slots=True)
class AcrossRow:
    actor: str
    consistency: str
    cells: list[AcrossCell]


@dataclass(frozen=True, slots=True)
class ThemeView:
    id: str
    label: str
    statement: str
    anchor: str
    topics: list[ThemeTopic]
    rows: list[AcrossRow]


@dataclass(frozen=True, slots=True)
class TopicLink:
    """What a themed topic's evidence shows: its theme and the same theme in the other cases."""

    theme: str
    label: str
    negated: bool
    anchor: str
    elsewhere: list[ThemeTopic]


@dataclass(frozen=True, slots=True)
class AcrossView:
    cases: list[str]
    titles: dict[str, str]
    summary: dict[str, int]
    summary_line: str
    themes: list[ThemeView]
    links: dict[str, TopicLink]  # topic id of the report's case -> its link
    words: dict[str, str]


def across_view(corpus: Corpus, others: list[Corpus], result: AcrossResult) -> AcrossView:
    """The themes the report's case uses, each with its topics in every case and its rows."""
    themes = corpus.themes
    here = corpus.case.id
    used: dict[str, list[ThemeTopic]] = {}
    for c in [corpus, *others]:
        for t in c.case.topics:
            if t.theme:
                where = anchor("t", t.id) if c.case.id == here else ""
                used.setdefault(t.theme, []).append(
                    ThemeTopic(c.case.id, t.id, t.label, t.theme_negated, c.case.id == here, where)
                )
    own = [t.theme for t in corpus.case.topics if t.theme]
    views: list[ThemeView] = []
    for theme in dict.fromkeys(own):
        rows = []
        for (actor, row_theme), rec in zip(result.frame.index, result.frame.to_dict("records"), strict=True):
            if row_theme != theme:
                continue
            cells = []
            for case in result.cases:
                pos = rec[case]
                detail = result.details.get((actor, theme, case))
                topics = (
                    ", ".join(t.topic + (" (inverted)" if t.negated else "") for t in detail.topics)
                    if detail and pos
                    else ""
                )
                cells.append(AcrossCell(case, pos, HTML_POSITION_MARK.get(pos or "", ""), topics))
            rows.append(AcrossRow(actor, rec["consistency"], cells))
        info = themes.themes.get(theme)
        views.append(
            ThemeView(theme, themes.label(theme), info.statement if info else "", anchor("theme", theme),
                      used.get(theme, []), rows)
        )  # fmt: skip
    links = {}
    for t in corpus.case.topics:
        if t.theme:
            elsewhere = [x for x in used.get(t.theme, []) if not x.here]
            links[t.id] = TopicLink(
                t.theme, themes.label(t.theme), t.theme_negated, anchor("theme", t.theme), elsewhere
            )
    return AcrossView(
        result.cases, result.titles, result.summary, result.summary_line(), views, links, CONSISTENCY_WORDS
    )
