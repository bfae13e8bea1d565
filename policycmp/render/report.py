"""The HTML report: one self-contained page drawn from the comparison results.

``build_report`` asks the corpus for its results once (the topic x actor table, the agreement
matrix, and the claims the table selected); :class:`Report` arranges what they hold into plain
records (groups of topics, evidence per topic and actor, heatmap cells, a timeline, the sources)
that the jinja2 templates in ``templates/`` draw. Nothing here decides a position, a verdict or
a score: those come from ``compare.py`` through the result objects.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ..about import __version__
from ..compare import build_agreement, build_table
from ..crosscase import build_across
from ..loader import CorpusData, Progress
from ..model import Case
from ..output import write_atomic
from ..problems import Problem
from ..quotes import QuoteCheck, check_quotes
from ..results import PAIR_COUNTS, AgreementResult, TableResult
from ..selection import Selection
from ..vocabulary import POSITIONS, QUOTE_STATUSES, STATUSES, VERDICTS, marks
from .across import AcrossView, across_view
from .anchors import anchor
from .html import render_report

VERDICT_WORDS = {w: t.description for w, t in VERDICTS.items()}
POSITION_WORDS = {w: t.description for w, t in POSITIONS.items()}
HTML_POSITION_MARK = {w: t.html_mark for w, t in POSITIONS.items()}
VERDICT_MARK = marks(VERDICTS)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


COMPACT_HEATMAP = 30  # more actors than this: heatmap cells show the score only (counts on hover)
LARGE_REPORT = 2000  # more claims than this: evidence folded per topic, a timeline without summaries


ID_PREFIX = "pc-"  # the standalone page's element ids (one report per page)
_ID_PREFIX_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")


def id_prefix_problem(prefix: str) -> str | None:
    """What is wrong with an id prefix, or None."""
    if _ID_PREFIX_OK.match(prefix):
        return None
    return "use a letter, then letters, digits, '-' or '_' (at most 40 characters), e.g. report1-"


def id_prefix(prefix: str | None, fragment: bool) -> str:
    """The prefix of every element id in one render: ``prefix`` when given (checked), ``pc-``
    for a page, and a fresh random one for a fragment, so that several fragments share a page.
    """
    if prefix is not None:
        if problem := id_prefix_problem(prefix):
            raise ValueError(f"id prefix {prefix!r}: {problem}")
        return prefix
    return f"pc{os.urandom(4).hex()}-" if fragment else ID_PREFIX


def display_date(value: str | None) -> str:
    """ISO text at its precision -> ``9 Jan 2021``, ``Jan 2021`` or ``2021``."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def humanize(slug: str | None) -> str:
    """``acceptable-use-policy`` -> ``acceptable use policy``."""
    return (slug or "").replace("-", " ")


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return r, g, bl


_HEAT_NEG = (179, 88, 6)  # PuOr orange: conflict
_HEAT_MID = (247, 247, 247)
_HEAT_POS = (33, 102, 172)  # RdBu blue: agreement


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance."""
    channels = [c / 255 for c in rgb]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


_INK_DARK = (0, 0, 0)  # black: with white, at least 4.5:1 on any background


@lru_cache(maxsize=4096)
def heat_colors(score: float | None) -> tuple[str, str]:
    """Background and ink for a score in [-1, 1] on a blue-orange diverging (colour-blind safe) scale.

    The ink is white or black, whichever contrasts more with the background (never below 4.5:1).
    """
    if score is None:
        return "#ffffff", "#5b6270"
    s = max(-1.0, min(1.0, score))
    rgb = _mix(_HEAT_MID, _HEAT_POS if s >= 0 else _HEAT_NEG, abs(s) ** 0.8)
    bg = _luminance(rgb)
    on_white = 1.05 / (bg + 0.05)
    on_dark = (bg + 0.05) / (_luminance(_INK_DARK) + 0.05)
    ink = "#ffffff" if on_white > on_dark else "#{:02x}{:02x}{:02x}".format(*_INK_DARK)
    return "#{:02x}{:02x}{:02x}".format(*rgb), ink


@lru_cache(maxsize=4096)
def _score_text(score: float | None) -> str:
    """A heatmap score as shown: ``+0.50``, with a true minus sign; empty for no score."""
    return "" if score is None else f"{score:+.2f}".replace("-", "\u2212")


# -- the records the templates draw --------------------------------------------------------
# One per claim or per cell (tens of thousands in a large report) are NamedTuples, the cheapest
# record to build; the few per actor, topic or source are frozen dataclasses.


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str
    title: str
    type: str
    type_label: str
    date: str | None
    date_label: str
    publisher: str | None
    url: str | None  # as written; the templates pass it through the safe_url filter
    anchor: str
    cited: int = 0


@dataclass(frozen=True, slots=True)
class ActorView:
    id: str
    name: str
    role: str
    role_label: str
    description: str | None
    anchor: str
    claims: int
    sources: list[SourceView]


class ClaimView(NamedTuple):
    id: str
    actor: ActorView
    topic: str
    topic_label: str
    topic_anchor: str
    stance: str
    mark: str
    summary: str
    quote: str | None
    clause: str | None
    ground: str | None
    speaker: str | None
    date: str | None
    date_label: str
    sources: list[SourceView]
    anchor: str
    path: str
    line: int
    provenance: QuoteCheck | None = None  # the quote checked against its source text, if any


class CellView(NamedTuple):
    """One actor's position on one topic in the matrix (``position`` None: no claim)."""

    actor: ActorView
    position: str | None
    mark: str
    anchor: str  # the actor's claims on the topic, in the evidence


class ActorClaims(NamedTuple):
    actor: ActorView
    position: str
    mark: str
    anchor: str
    claims: list[ClaimView]


@dataclass(frozen=True, slots=True)
class TopicView:
    id: str
    label: str
    statement: str
    group: str | None
    group_label: str | None
    verdict: str
    verdict_mark: str
    anchor: str
    cells: list[CellView]
    evidence: list[ActorClaims]

    @property
    def claims(self) -> int:
        return sum(len(e.claims) for e in self.evidence)


@dataclass(frozen=True, slots=True)
class GroupView:
    id: str | None
    label: str | None
    anchor: str
    topics: list[TopicView]


class HeatCell(NamedTuple):
    left: ActorView
    right: ActorView
    same: bool  # the diagonal
    score: float | None
    text: str
    agree: int
    conflict: int
    partial: int
    shared: int
    background: str
    ink: str


@dataclass(frozen=True, slots=True)
class HeatRow:
    actor: ActorView
    cells: list[HeatCell]


@dataclass(frozen=True, slots=True)
class TimelineDay:
    date: str | None
    label: str
    claims: list[ClaimView]


@dataclass(frozen=True, slots=True)
class LegendItem:
    key: str
    mark: str
    meaning: str


@dataclass
class Report:
    """A case's report: the results it draws from and the records its templates read."""

    corpus: CorpusData
    table: TableResult
    agreement: AgreementResult
    title: str | None = None
    generated: str | None = None  # shown in the header when given (kept out by default: reproducible output)
    texts: Path | None = None  # a directory of source texts for quote provenance (see quotes.py)
    cache: bool = True  # PDF and HTML extractions through the user's cache (see textcache.py)
    text_warnings: list[Problem] = field(default_factory=list)  # source texts there but unusable
    across: AcrossView | None = None  # other cases joined by themes (report --across), see render/across.py

    # -- what the templates read ---------------------------------------------------------------

    @property
    def case(self) -> Case:
        return self.corpus.case

    @property
    def actor_ids(self) -> list[str]:
        return list(self.table.actors)

    @cached_property
    def actors(self) -> list[ActorView]:
        """The selected actors, in table order, each with its sources (and how often cited)."""
        claims = self.table.claims
        counts = claims["actor"].value_counts().to_dict()
        cited: dict[tuple[str, str], int] = {}
        for rec in self.corpus.records_of(claims):
            for s in rec.sources:
                cited[(rec.actor, s.id)] = cited.get((rec.actor, s.id), 0) + 1
        views = []
        for aid in self.actor_ids:
            a = self.corpus.actors[aid]
            sources = [
                SourceView(s.id, s.title, s.type, humanize(s.type), s.date, display_date(s.date), s.publisher,
                           s.url, anchor("s", aid, s.id), cited.get((aid, s.id), 0))
                for s in a.sources.values()
            ]  # fmt: skip
            views.append(
                ActorView(aid, a.name, a.role, humanize(a.role), a.description, anchor("a", aid),
                          int(counts.get(aid, 0)), sources)
            )  # fmt: skip
        return views

    def _actor(self, aid: str) -> ActorView:
        return {a.id: a for a in self.actors}[aid]

    @cached_property
    def subject(self) -> ActorView | None:
        """The selected actor the case's ``subject`` names (its id or its name, case aside), if any."""
        wanted = (self.case.subject or "").strip().casefold()
        if not wanted:
            return None
        return next((a for a in self.actors if wanted in (a.id.casefold(), a.name.strip().casefold())), None)

    @cached_property
    def matrix_actors(self) -> list[ActorView]:
        """The matrix's actor columns: the case's subject first (where a narrow screen shows it), then table order."""
        subject = self.subject
        if subject is None:
            return self.actors
        return [subject, *(a for a in self.actors if a is not subject)]

    @cached_property
    def provenance(self) -> dict[tuple[str, str], QuoteCheck]:
        """Each quote checked against its source text, when the corpus or ``texts`` has texts."""
        if self.texts is None and not self.corpus.source_texts:
            return {}
        checks = check_quotes(self.corpus, self.texts, self.text_warnings, cache=self.cache)
        return {(c.actor, c.claim): c for c in checks}

    @cached_property
    def quote_summary(self) -> dict[str, int]:
        """How the shown claims' quotes fared against their source texts (empty without texts)."""
        checked: list[str] = [c.provenance.status for c in self.claims if c.provenance is not None]
        if not checked:
            return {}
        return {status: checked.count(status) for status in QUOTE_STATUSES}

    @cached_property
    def claims(self) -> list[ClaimView]:
        """The selected claims in table order (actor file order within a topic)."""
        actors = {a.id: a for a in self.actors}
        sources_of = {a.id: {s.id: s for s in a.sources} for a in self.actors}
        topics = self.corpus.topics
        topic_anchor = {t: anchor("t", t) for t in topics}
        provenance = self.provenance
        out = []
        for rec in self.corpus.records_of(self.table.claims):
            aid, cid, tid = rec.actor, rec.claim, rec.topic
            by_id = sources_of[aid]
            out.append(
                ClaimView(
                    id=cid,
                    actor=actors[aid],
                    topic=tid,
                    topic_label=topics[tid].label,
                    topic_anchor=topic_anchor[tid],
                    stance=rec.stance,
                    mark=HTML_POSITION_MARK[rec.stance],
                    summary=rec.summary,
                    quote=rec.quote,
                    clause=rec.clause,
                    ground=rec.ground,
                    speaker=rec.speaker,
                    date=rec.date,
                    date_label=display_date(rec.date),
                    sources=[by_id[s.id] for s in rec.sources],
                    anchor=anchor("c", aid, cid),
                    path=rec.path,
                    line=rec.line,
                    provenance=provenance.get((aid, cid)),
                )
            )
        return out

    @cached_property
    def topics(self) -> list[TopicView]:
        """The table's topics in its order, each with its matrix cells (subject first) and its evidence."""
        actors = self.matrix_actors
        by_topic: dict[str, dict[str, list[ClaimView]]] = {}
        for c in self.claims:
            by_topic.setdefault(c.topic, {}).setdefault(c.actor.id, []).append(c)
        groups = {g.id: g.label for g in self.case.groups}
        info = self.corpus.topics
        out = []
        for tid, rec in zip(self.table.frame.index, self.table.frame.to_dict("records"), strict=True):
            tid = str(tid)
            cells, evidence = [], []
            for actor in actors:
                pos = rec[actor.id]
                where = anchor("e", tid, actor.id)
                cells.append(CellView(actor, pos, HTML_POSITION_MARK.get(pos or "", ""), where))
                said = by_topic.get(tid, {}).get(actor.id)
                if said and pos:
                    evidence.append(ActorClaims(actor, pos, HTML_POSITION_MARK[pos], where, said))
            group = rec["group"]
            out.append(
                TopicView(tid, rec["label"], info[tid].statement, group, groups.get(group) if group else None,
                          rec["verdict"], VERDICTS[rec["verdict"]].mark, anchor("t", tid), cells, evidence)
            )  # fmt: skip
        return out

    @cached_property
    def groups(self) -> list[GroupView]:
        """Runs of topics sharing a group, in the table's (group) order; ungrouped ones last."""
        out: list[GroupView] = []
        has_groups = bool(self.case.groups)
        for topic in self.topics:
            if out and out[-1].id == topic.group:
                out[-1].topics.append(topic)
                continue
            label = topic.group_label if topic.group else ("Other topics" if has_groups else None)
            out.append(GroupView(topic.group, label, anchor("g", topic.group) if topic.group else "ungrouped", [topic]))
        return out

    @cached_property
    def heatmap(self) -> list[HeatRow]:
        """The agreement matrix, square, with each pair's counts from the agreement result."""
        ids = list(self.agreement.actors)
        agree, conflict, partial, shared = (self.agreement.square(k).to_numpy().tolist() for k in PAIR_COUNTS)
        scores = self.agreement.matrix.to_numpy().tolist()
        actors = {a.id: a for a in self.actors}
        rows = []
        for i, left in enumerate(ids):
            cells = []
            for j, right in enumerate(ids):
                same = i == j
                raw = scores[i][j]
                score = None if same or raw != raw else raw  # NaN: too few shared topics for a score
                background, ink = heat_colors(score) if not same else ("#eef0f3", "#5b6270")
                cells.append(
                    HeatCell(actors[left], actors[right], same, score, _score_text(score), agree[i][j],
                             conflict[i][j], partial[i][j], shared[i][j], background, ink)
                )  # fmt: skip
            rows.append(HeatRow(actors[left], cells))
        return rows

    @cached_property
    def timeline(self) -> list[TimelineDay]:
        """Claims by date (then actor, then topic order); undated claims last."""
        actor_rank = {a: i for i, a in enumerate(self.actor_ids)}
        topic_rank = {t: i for i, t in enumerate(self.table.frame.index)}
        ordered = sorted(
            self.claims,
            key=lambda c: (c.date is None, c.date or "", actor_rank[c.actor.id], topic_rank.get(c.topic, 0)),
        )
        days: list[TimelineDay] = []
        for c in ordered:
            if days and days[-1].date == c.date:
                days[-1].claims.append(c)
            else:
                days.append(TimelineDay(c.date, c.date_label or "Undated", [c]))
        return days

    @cached_property
    def legend(self) -> dict[str, list[LegendItem]]:
        """Every position, and the verdicts (silent too when the table shows it), with marks."""
        positions = [LegendItem(p, HTML_POSITION_MARK[p], POSITION_WORDS[p]) for p in POSITION_WORDS]
        shown = [v for v in VERDICTS if v != "silent" or v in self.table.summary]  # silent: only when shown
        verdicts = [LegendItem(v, VERDICTS[v].mark.strip() or "\u2205", VERDICT_WORDS[v]) for v in shown]
        return {"positions": positions, "verdicts": verdicts}

    def context(
        self,
        fragment: bool = False,
        title: str | None = None,
        prefix: str | None = None,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Everything the templates see (documented names: overrides may rely on them).

        ``pid`` prefixes every element id (see :func:`id_prefix`); ``scope`` is the stylesheet's
        root selector, the report's own id, whose specificity outweighs a host page's rules.
        """
        actors = self.actors
        pid = id_prefix(prefix, fragment)
        done = [0]
        total = len(self.topics)

        def tick() -> str:
            """Called by the evidence template once per topic: moves the progress bar, writes nothing."""
            done[0] += 1
            if progress is not None:
                progress(min(done[0], total), total)
            return ""

        return {
            "tick": tick,
            "pid": pid,
            "scope": f"#{pid}report",
            "report": self,
            "case": self.case,
            "across": self.across,
            "title": title or self.title or self.case.title,
            "fragment": fragment,
            "generated": self.generated,
            "version": __version__,
            "as_of": self.table.as_of,
            "as_of_label": display_date(self.table.as_of),
            "actors": actors,
            "matrix_actors": self.matrix_actors,
            "subject": self.subject,
            "topics": self.topics,
            "groups": self.groups,
            "claims": self.claims,
            "heatmap": self.heatmap,
            "compact_heatmap": len(self.agreement.actors) > COMPACT_HEATMAP,
            "min_shared": self.agreement.min_shared,
            "large": len(self.table.claims) > LARGE_REPORT,
            "heat_scale": [(step, *heat_colors((step - 10) / 10)) for step in range(21)],
            "timeline": self.timeline,
            "legend": self.legend,
            "summary": self.table.summary,
            "marks": {
                "verdict": VERDICT_MARK,
                "position": HTML_POSITION_MARK,
                "status": marks(STATUSES),
                "quote": marks(QUOTE_STATUSES),
            },
            "summary_line": self.table.summary_line(),
            "agreement_line": self.agreement.summary_line(),
            "inconsistent": [(self._actor(a), self.corpus.topics[t]) for a, t in self.table.inconsistent],
            "counts": {
                "actors": len(actors),
                "topics": len(self.table.frame),
                "claims": len(self.table.claims),
                "sources": sum(len(a.sources) for a in actors),
            },
        }

    # -- output --------------------------------------------------------------------------------

    def to_html(
        self,
        fragment: bool = False,
        template_dir: str | Path | None = None,
        title: str | None = None,
        id_prefix: str | None = None,
        progress: Progress | None = None,
    ) -> str:
        """The report page (or, with ``fragment``, only its scoped ``<section>`` for embedding).

        ``id_prefix`` fixes the prefix of the element ids (default: ``pc-`` for a page, a fresh
        random one for each fragment). ``progress(done, total)`` is told of each topic rendered.
        """
        context = self.context(fragment, title, id_prefix, progress)
        return render_report(context, Path(template_dir) if template_dir else None)

    def save(self, path: str | Path, **options: Any) -> None:
        """Write the report (atomically); ``options`` as for :meth:`to_html`."""
        write_atomic(Path(path), self.to_html(**options))

    def _repr_html_(self) -> str:
        return self.to_html(fragment=True)


def build_report(
    corpus: CorpusData,
    selection: Selection | None = None,
    title: str | None = None,
    generated: str | None = None,
    texts: Path | None = None,
    cache: bool = True,
    min_shared: int = 3,
    across: Sequence[CorpusData] | None = None,
) -> Report:
    """Compare once (table and agreement over the same selection) and wrap the results.
    ``across``: other cases whose topics share themes with this one (the report links them)."""
    selection = selection or Selection()
    table = build_table(corpus, selection)
    if selection.verdicts:  # the agreement of the topics shown
        selection = selection._replace(topics=tuple(str(t) for t in table.frame.index))
    agreement = build_agreement(corpus, selection, min_shared)
    view = None
    if across:
        view = across_view(corpus, list(across), build_across([corpus, *across], themes=corpus.themes))
    return Report(corpus, table, agreement, title=title, generated=generated, texts=texts, cache=cache, across=view)
