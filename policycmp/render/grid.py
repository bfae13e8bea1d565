"""Grids: each result as the headers and styled cells that every tabular format draws.

A :class:`Grid` is what the text, Markdown, LaTeX and HTML renderers share; :func:`grid_of`
builds it from any result. Marks, words and style classes come from the vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..claimchanges import ChangesResult
from ..crosscase import AcrossResult
from ..intercoder import Figure, ReliabilityResult, as_number, as_percent
from ..model import Claim
from ..results import (
    AgreementResult,
    ClaimsResult,
    DiffResult,
    ListingResult,
    QuotesResult,
    Result,
    TableResult,
    clean,
    plural,
    quote_place,
)
from ..vocabulary import CHANGES, CONSISTENCIES, POSITIONS, QUOTE_STATUSES, STATUSES, VERDICTS

__all__ = ["Cell", "Grid", "grid_of", "grids_of", "several_grids"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Cell:
    """One displayed value; ``kind`` names its style (a verdict, status or position)."""

    text: str
    kind: str = ""
    mark: str = ""


@dataclass(frozen=True)
class Grid:
    """A rendered-agnostic table: what every tabular format draws."""

    title: str
    summary: str
    headers: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    key_columns: int = 1  # leading columns that name the row (left-aligned, not styled)


def _table_grid(result: TableResult) -> Grid:
    names = result.corpus.actors
    rows = []
    for topic, rec in zip(result.frame.index, result.frame.to_dict("records"), strict=True):
        verdict = rec["verdict"]
        row = [Cell(rec["label"], "topic", str(topic)), Cell(verdict, verdict, VERDICTS[verdict].mark)]
        for actor in result.actors:
            pos = rec[actor]
            row.append(Cell(pos, pos, POSITIONS[pos].mark) if pos else Cell("", "none"))
        rows.append(row)
    notes = [
        f"{names[a].name} both asserts and denies '{result.corpus.topics[t].label}'" for a, t in result.inconsistent
    ]
    return Grid(
        title=result.corpus.case.title,
        summary=result.summary_line(),
        headers=["topic", "verdict", *result.actors],
        rows=rows,
        notes=notes,
    )


def _diff_grid(result: DiffResult) -> Grid:
    rows = []
    for topic, rec in zip(result.frame.index, result.frame.to_dict("records"), strict=True):
        status = rec["status"]
        row = [Cell(STATUSES[status].mark, status, STATUSES[status].mark), Cell(rec["label"], "topic", str(topic)),
               Cell(status, status, STATUSES[status].mark)]  # fmt: skip
        for side in ("left", "right"):
            pos = rec[side]
            row.append(Cell(pos, pos, POSITIONS[pos].mark) if pos else Cell("", "none"))
        rows.append(row)
    return Grid(
        title=f"{result.left_label or result.left} vs {result.right_label or result.right}",
        summary=result.summary_line(),
        headers=["", "topic", "status", result.left_label or result.left, result.right_label or result.right],
        rows=rows,
        key_columns=2,
    )


def _agreement_grid(result: AgreementResult) -> Grid:
    summary = result.summary_line()
    notes = [f"each cell: score (topics both address); n<{result.min_shared}: too few shared topics for a score"]
    if len(result.actors) > result.max_matrix:
        rows = [
            [Cell(r["left"], "actor"), Cell(r["right"], "actor"), _score_cell(result, r["score"], None),
             *(Cell(str(int(r[k])), "count") for k in ("agree", "conflict", "partial", "shared"))]
            for r in result.frame.to_dict("records")
        ]  # fmt: skip
        headers = ["left", "right", "score", "agree", "conflict", "partial", "shared"]
        return Grid("Agreement between actors", summary, headers, rows, key_columns=2)
    values = result.matrix.to_numpy()
    shared = result.shared_square().to_numpy()
    rows = []
    for i, actor in enumerate(result.actors):
        row = [Cell(actor, "actor")]
        for j in range(len(result.actors)):
            row.append(Cell("", "none") if i == j else _score_cell(result, values[i, j], int(shared[i, j])))
        rows.append(row)
    return Grid("Agreement between actors", summary, ["actor", *result.actors], rows, notes=notes)


def _score_cell(result: AgreementResult, score: float | None, shared: int | None) -> Cell:
    """``+0.83 (6)``; below the minimum ``n<3 (2)``; without a count, the score alone."""
    count = f" ({shared})" if shared is not None else ""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return Cell(f"n<{result.min_shared}{count}" if shared is not None else "", "none")
    kind = "agreement" if score > 0.33 else "conflict" if score < -0.33 else "partial"
    return Cell(f"{score:+.2f}{count}", kind)


_CLAIM_GRID = ("actor", "claim", "topic", "stance", "date", "summary")


def _claims_grid(result: ClaimsResult) -> Grid:
    columns = [*_CLAIM_GRID, *(["quote_status"] if "quote_status" in result.frame else [])]
    rows = []
    for r in result.frame[columns].to_dict("records"):
        row = [Cell(str(r["actor"]), "actor"), Cell(str(r["claim"]), "topic"), Cell(str(r["topic"]), "topic"),
               Cell(r["stance"], r["stance"], POSITIONS[r["stance"]].mark), Cell(clean(r["date"]) or "", "count"),
               Cell(str(r["summary"]), "topic")]  # fmt: skip
        if "quote_status" in r:
            status = clean(r["quote_status"])
            row.append(
                Cell(status, QUOTE_STATUSES[status].style, QUOTE_STATUSES[status].mark) if status else Cell("", "none")
            )
        rows.append(row)
    summary = f"{plural(len(result.frame), 'claim')} from {plural(result.frame['actor'].nunique(), 'actor')}"
    return Grid("Claims", summary, columns, rows, key_columns=2)


def _listing_grid(result: ListingResult) -> Grid:
    rows = [
        [Cell(", ".join(v) if isinstance(v, list) else "" if v is None else str(v), "topic" if i else "actor")
         for i, v in enumerate(r[c] for c in result.columns)]
        for r in result.records
    ]  # fmt: skip
    return Grid("", f"{plural(len(rows), 'item')}", list(result.columns), rows)


def _quotes_grid(result: QuotesResult) -> Grid:
    rows = []
    for r in result.frame.to_dict("records"):
        status = r["status"]
        where = ""
        if status == "verified":
            where = f"{r['text']}:{clean(r['line'])}"
            if clean(r["page"]) is not None:
                where = f"{r['text']}, {quote_place(r['page'], r['line'])}"
        elif status == "not-found":
            where = f"{r['similarity']:.0%} like ({quote_place(r['page'], r['line'])}): {r['closest']}"
        if status != "no-text" and r.get("format") == "html":
            where += " [HTML: CSS hiding not detected]"
        term = QUOTE_STATUSES[status]
        rows.append([
            Cell(str(r["actor"]), "actor"), Cell(str(r["claim"]), "topic"),
            Cell(status, term.style, term.mark), Cell(where, "topic"),
        ])  # fmt: skip
    summary = result.summary
    parts = ", ".join(f"{n} {s}" for s, n in summary.items())
    line = f"{plural(sum(summary.values()), 'quote')}: {parts}"
    if result.statuses is not None and set(result.statuses) != set(summary):
        line += f"; showing {', '.join(result.statuses)}: {len(rows)}"
    return Grid("Quotes", line, ["actor", "claim", "status", "where"], rows, key_columns=2)


def _across_grid(result: AcrossResult) -> Grid:
    rows = []
    for (actor, theme), rec in zip(result.frame.index, result.frame.to_dict("records"), strict=True):
        label = rec["consistency"]
        row = [
            Cell(actor, "actor"),
            Cell(rec["label"], "topic", theme),
            Cell(label, CONSISTENCIES[label].style, CONSISTENCIES[label].mark),
        ]
        row += [_across_cell(result, actor, theme, case, rec[case]) for case in result.cases]
        rows.append(row)
    notes = []
    for name, ident in result.identity.items():
        for c1, a1, c2, a2 in ident.same_as_links:
            notes.append(f"{name}: '{a1}' in {c1} and '{a2}' in {c2} are joined by same_as")
    notes += [p.message for p in result.warnings]
    return Grid(
        title="Across cases: " + ", ".join(result.titles[c] for c in result.cases),
        summary=result.summary_line(),
        headers=["actor", "theme", "consistency", *result.cases],
        rows=rows,
        notes=notes,
        key_columns=2,
    )


def _across_cell(result: AcrossResult, actor: str, theme: str, case: str, position: str | None) -> Cell:
    if position is None:
        return Cell("", "none")
    topics = result.details[(actor, theme, case)].topics
    where = ", ".join(t.topic + (" inverted" if t.negated else "") for t in topics)
    return Cell(f"{position} ({where})", position, POSITIONS[position].mark)


def _changes_grid(result: ChangesResult) -> Grid:
    """A daff-like table: a status mark, then the claim, the field, the old and new values.

    Unchanged claims are counted in the summary and listed in JSON and CSV, not drawn here.
    """
    rows: list[list[Cell]] = []
    for r in result.rows:
        term = CHANGES[r.status]
        mark = Cell(term.mark, term.style, term.mark)
        claim = r.claim if not r.old_claim or r.old_claim == r.claim else f"{r.old_claim} -> {r.claim}"
        head = [mark, Cell(r.actor, "actor"), Cell(claim, "topic"), Cell(r.status, term.style)]
        if r.status == "changed":
            for name, (old, new) in r.changes.items():
                rows.append([*head, Cell(name, "topic"), Cell(_shown(old), "topic"), Cell(_shown(new), "topic")])
        elif r.status == "added" and r.new is not None:
            rows.append([*head, Cell("", "none"), Cell("", "none"), Cell(_brief(r.new), "topic")])
        elif r.status == "removed" and r.old is not None:
            rows.append([*head, Cell("", "none"), Cell(_brief(r.old), "topic"), Cell("", "none")])
    unchanged = result.summary["unchanged"]
    notes = [f"{plural(unchanged, 'unchanged claim')} not shown (JSON and CSV list every claim)"] if unchanged else []
    if not rows:
        notes.insert(0, "no claim was added, removed or changed")
    return Grid(
        f"Changes: {result.old_label} -> {result.new_label}",
        result.summary_line(),
        ["", "actor", "claim", "status", "field", "old", "new"],
        rows,
        notes=notes,
        key_columns=3,
    )


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _brief(claim: Claim) -> str:
    return f"{claim.topic}: {claim.stance}: {claim.summary}"


def _reliability_grids(result: ReliabilityResult) -> list[Grid]:
    """The figures per topic and per actor, then every unit where coders differ."""
    heads = ["units", "pairable", "alpha", "agreement", "differ"]

    def rows(figures: list[Figure]) -> list[list[Cell]]:
        return [
            [Cell(f.label, "topic", f.key), Cell(str(f.units), "count"), Cell(str(f.pairable), "count"),
             Cell(as_number(f.alpha), "count"), Cell(as_percent(f.percent_agreement), "count"),
             Cell(str(f.disagreements), "count")]
            for f in figures
        ]  # fmt: skip

    notes = ["alpha: Krippendorff's alpha (nominal), empty where undefined (one value throughout);"
             " agreement: share of matching pairs of coders"]  # fmt: skip
    differ = []
    for u in result.disagreements:
        row = [Cell(u.actor, "actor"), Cell(result.topic_labels.get(u.topic, u.topic), "topic", u.topic)]
        for v in u.values:
            row.append(Cell(v, POSITIONS[v].style, POSITIONS[v].mark) if v else Cell("(none)", "none"))
        differ.append(row)
    return [
        Grid("Reliability by topic", "by topic:", ["topic", *heads], rows(result.by_topic), notes),
        Grid("Reliability by actor", "by actor:", ["actor", *heads], rows(result.by_actor)),
        Grid(
            "Units where coders differ",
            f"{plural(len(differ), 'unit')} where coders differ",
            ["actor", "topic", *result.coders],
            differ,
            key_columns=2,
        ),
    ]


def _reliability_grid(result: ReliabilityResult) -> Grid:
    return _reliability_grids(result)[0]


_BUILDERS: dict[type[Result], Callable[[Any], Grid]] = {
    TableResult: _table_grid,
    DiffResult: _diff_grid,
    AgreementResult: _agreement_grid,
    ClaimsResult: _claims_grid,
    ListingResult: _listing_grid,
    QuotesResult: _quotes_grid,
    AcrossResult: _across_grid,
    ChangesResult: _changes_grid,
    ReliabilityResult: _reliability_grid,  # its first table; every format draws all of them
}

# Results drawn as several tables, each with its own heading, under the result's summary line.
_SEVERAL: dict[type[Result], Callable[[Any], list[Grid]]] = {
    ReliabilityResult: _reliability_grids,
}


def _builder(registry: dict[type[Result], _T], result: Result) -> _T | None:
    """The entry for ``result``'s class, or for the nearest class it extends."""
    for kind in type(result).__mro__:
        if kind in registry:
            return registry[kind]
    return None


def grid_of(result: Result) -> Grid:
    """The grid of any result (a subclass is drawn like the result it extends)."""
    build = _builder(_BUILDERS, result)
    if build is not None:
        return build(result)
    if type(result).grid is not Result.grid:  # a result of the user's that draws its own grid
        grid: Grid = result.grid()
        return grid
    raise TypeError(f"no grid for {type(result).__name__}: give it a grid() method returning a Grid")


def several_grids(result: Result) -> list[Grid] | None:
    """The tables of a result drawn as several (reliability), or None for a one-table result."""
    build = _builder(_SEVERAL, result)
    return build(result) if build is not None else None


def grids_of(result: Result) -> list[Grid]:
    """Every table of a result: its several tables, or its one grid."""
    several = several_grids(result)
    return several if several is not None else [grid_of(result)]
