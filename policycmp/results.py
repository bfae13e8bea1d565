"""Result objects: what a comparison computed, in one shape that every format renders from.

Each result holds a ``.frame`` DataFrame and turns itself into a :class:`Grid` (headers and
styled cells) that the text, Markdown, LaTeX, HTML and CSV renderers share; ``to_dict()`` gives
the JSON shapes of SPEC section 5. No renderer recomputes the comparison.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .vocabulary import POSITIONS, QUOTE_STATUSES, STATUSES, VERDICT_WORDS, VERDICTS, marks

if TYPE_CHECKING:
    import pandas as pd

    from .corpus import Corpus
    from .problems import Problem

POSITION_MARK = marks(POSITIONS)
VERDICT_MARK = marks(VERDICTS)
QUOTE_MARK = marks(QUOTE_STATUSES)
STATUS_MARK = marks(STATUSES)


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


def _clean(value: Any) -> Any:
    """NaN/NA/None -> None; numpy scalars -> Python (for JSON)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas here
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


class Result:
    """Shared rendering methods; subclasses provide ``grid()`` and ``to_dict()``."""

    frame: pd.DataFrame

    def grid(self) -> Grid:
        raise NotImplementedError

    def to_dict(self) -> Any:
        raise NotImplementedError

    def to_json(self, indent: int | None = 2) -> str:
        from .problems import json_dumps

        return json_dumps(self.to_dict(), indent=indent) + "\n"

    def to_text(self, color: bool = False, width: int | None = None) -> str:
        from .render.text import render_text

        return render_text(self.grid(), color=color, width=width)

    def to_markdown(self) -> str:
        from .render.markdown import render_markdown

        return render_markdown(self.grid())

    def to_latex(self) -> str:
        from .render.latex import render_latex

        return render_latex(self.grid())

    def to_html(self) -> str:
        from .render.html import render_table_fragment

        return render_table_fragment(self.grid())

    def to_csv(self, escape_formulas: bool = True) -> str:
        from .render.csvout import render_csv

        return render_csv(self.csv_frame(), escape_formulas=escape_formulas)

    def csv_frame(self) -> pd.DataFrame:
        return self.frame.reset_index()

    def _repr_html_(self) -> str:
        return self.to_html()

    def render(self, fmt: str, **options: Any) -> str:
        """Render by format name: text, md, latex, html, csv or json."""
        methods = {
            "text": self.to_text,
            "md": self.to_markdown,
            "latex": self.to_latex,
            "html": self.to_html,
            "csv": self.to_csv,
            "json": self.to_json,
        }
        return methods[fmt](**options)

    def save(self, path: str | Path, fmt: str, **options: Any) -> None:
        from .output import write_atomic

        write_atomic(Path(path), self.render(fmt, **options))


def _counts(values: Iterator[str] | list[str], order: tuple[str, ...]) -> dict[str, int]:
    counts = dict.fromkeys(order, 0)
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class TableResult(Result):
    """The topic x actor matrix: per topic its label, group, verdict and each actor's position."""

    corpus: Corpus
    frame: pd.DataFrame
    actors: list[str]
    claims: pd.DataFrame
    as_of: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        counts = _counts(list(self.frame["verdict"]), VERDICT_WORDS)
        if not counts["silent"]:
            del counts["silent"]
        return counts

    @property
    def inconsistent(self) -> list[tuple[str, str]]:
        """(actor, topic) pairs where an actor both asserts and denies."""
        rows, cols = (self.frame[self.actors].to_numpy(dtype=object) == "inconsistent").nonzero()  # row-major
        topics = self.frame.index
        return [(self.actors[c], str(topics[r])) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)]

    def summary_line(self) -> str:
        parts = ", ".join(f"{n} {v}" for v, n in self.summary.items() if n)
        head = f"{_plural(len(self.frame), 'topic')}, {_plural(len(self.actors), 'actor')}"
        when = f" as of {self.as_of}" if self.as_of else ""
        return f"{head}{when}: {parts or 'nothing to compare'}"

    def grid(self) -> Grid:
        names = self.corpus.actors
        rows = []
        for topic, rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            verdict = rec["verdict"]
            row = [Cell(rec["label"], "topic", str(topic)), Cell(verdict, verdict, VERDICT_MARK[verdict])]
            for actor in self.actors:
                pos = rec[actor]
                row.append(Cell(pos, pos, POSITION_MARK[pos]) if pos else Cell("", "none"))
            rows.append(row)
        notes = [
            f"{names[a].name} both asserts and denies '{self.corpus.topics[t].label}'" for a, t in self.inconsistent
        ]
        return Grid(
            title=self.corpus.case.title,
            summary=self.summary_line(),
            headers=["topic", "verdict", *self.actors],
            rows=rows,
            notes=notes,
        )

    def to_dict(self) -> dict[str, Any]:
        topics = []
        for topic, rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            topics.append(
                {
                    "topic": topic,
                    "label": rec["label"],
                    "group": rec["group"],
                    "verdict": rec["verdict"],
                    "positions": {a: rec[a] for a in self.actors},
                }
            )
        return {"case": self.corpus.case.id, "actors": list(self.actors), "topics": topics}


_DIFF_CLAIM_FIELDS = ("claim", "stance", "summary", "quote", "source", "date")


@dataclass
class DiffResult(Result):
    """Two actors topic by topic: a leading status column, as daff draws a diff."""

    corpus: Corpus
    frame: pd.DataFrame
    left: str
    right: str
    claims: pd.DataFrame
    as_of: str | None = None
    left_label: str | None = None
    right_label: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        return _counts(list(self.frame["status"]), tuple(STATUSES))

    @property
    def has_conflict(self) -> bool:
        return self.summary["conflict"] > 0

    def summary_line(self) -> str:
        parts = ", ".join(f"{STATUS_MARK[s]} {n} {s}" for s, n in self.summary.items())
        return f"{self.left_label or self.left} vs {self.right_label or self.right}: {parts}"

    def grid(self) -> Grid:
        rows = []
        for topic, rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            status = rec["status"]
            row = [Cell(STATUS_MARK[status], status, STATUS_MARK[status]), Cell(rec["label"], "topic", str(topic)),
                   Cell(status, status, STATUS_MARK[status])]  # fmt: skip
            for side in ("left", "right"):
                pos = rec[side]
                row.append(Cell(pos, pos, POSITION_MARK[pos]) if pos else Cell("", "none"))
            rows.append(row)
        return Grid(
            title=f"{self.left_label or self.left} vs {self.right_label or self.right}",
            summary=self.summary_line(),
            headers=["", "topic", "status", self.left_label or self.left, self.right_label or self.right],
            rows=rows,
            key_columns=2,
        )

    def _side_claims(self, actor: str, topic: str) -> list[dict[str, Any]]:
        c = self.claims
        picked = c.loc[(c["actor"] == actor) & (c["topic"] == topic), list(_DIFF_CLAIM_FIELDS)]
        return [{str(k): _clean(v) for k, v in rec.items()} for rec in picked.to_dict("records")]

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for topic, rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            rows.append(
                {
                    "topic": topic,
                    "label": rec["label"],
                    "status": rec["status"],
                    "left": {"position": rec["left"], "claims": self._side_claims(self.left, str(topic))},
                    "right": {"position": rec["right"], "claims": self._side_claims(self.right, str(topic))},
                }
            )
        left, right = self.left_label or self.left, self.right_label or self.right
        return {"left": left, "right": right, "summary": self.summary, "rows": rows}


@dataclass
class AgreementResult(Result):
    """Agreement scores of every pair of actors; ``frame`` is the pairs, ``matrix`` the square."""

    corpus: Corpus
    frame: pd.DataFrame
    matrix: pd.DataFrame
    actors: list[str]
    as_of: str | None = None
    max_matrix: int = 15  # more actors than this are drawn as the list of pairs
    shared: pd.DataFrame | None = None  # actor x actor: topics both address (0 on the diagonal)
    min_shared: int = 3  # fewer shared topics than this: no score

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def summary_line(self) -> str:
        scored = self.frame["score"].dropna()
        thin = int((self.frame["shared"] < self.min_shared).sum())
        head = f"{_plural(len(self.actors), 'actor')}, {_plural(len(self.frame), 'pair')}"
        thin_note = f"; {thin} share fewer than {_plural(self.min_shared, 'topic')} (no score)" if thin else ""
        if scored.empty:
            return f"{head}: none scored{thin_note}"
        return f"{head}: {len(scored)} scored, mean score {scored.mean():+.2f}{thin_note}"

    def grid(self) -> Grid:
        summary = self.summary_line()
        notes = [f"each cell: score (topics both address); n<{self.min_shared}: too few shared topics for a score"]
        if len(self.actors) > self.max_matrix:
            rows = [
                [Cell(r["left"], "actor"), Cell(r["right"], "actor"), self.score_cell(r["score"], None),
                 *(Cell(str(int(r[k])), "count") for k in ("agree", "conflict", "partial", "shared"))]
                for r in self.frame.to_dict("records")
            ]  # fmt: skip
            headers = ["left", "right", "score", "agree", "conflict", "partial", "shared"]
            return Grid("Agreement between actors", summary, headers, rows, key_columns=2)
        values = self.matrix.to_numpy()
        shared = self.shared_square().to_numpy()
        rows = []
        for i, actor in enumerate(self.actors):
            row = [Cell(actor, "actor")]
            for j in range(len(self.actors)):
                row.append(Cell("", "none") if i == j else self.score_cell(values[i, j], int(shared[i, j])))
            rows.append(row)
        return Grid("Agreement between actors", summary, ["actor", *self.actors], rows, notes=notes)

    def shared_square(self) -> pd.DataFrame:
        """Actor x actor: how many topics both address (0 on the diagonal)."""
        if self.shared is not None:
            return self.shared
        import pandas as pd

        square = pd.DataFrame(0, index=self.matrix.index, columns=self.matrix.columns)
        for r in self.frame.to_dict("records"):
            square.loc[r["left"], r["right"]] = square.loc[r["right"], r["left"]] = int(r["shared"])
        return square

    def score_cell(self, score: float | None, shared: int | None) -> Cell:
        """``+0.83 (6)``; below the minimum ``n<3 (2)``; without a count, the score alone."""
        count = f" ({shared})" if shared is not None else ""
        if score is None or (isinstance(score, float) and math.isnan(score)):
            return Cell(f"n<{self.min_shared}{count}" if shared is not None else "", "none")
        kind = "agreement" if score > 0.33 else "conflict" if score < -0.33 else "partial"
        return Cell(f"{score:+.2f}{count}", kind)

    def to_dict(self) -> dict[str, Any]:
        pairs = [{str(k): _clean(v) for k, v in rec.items()} for rec in self.frame.to_dict("records")]
        return {"actors": list(self.actors), "min_shared": self.min_shared, "pairs": pairs}


_CLAIM_GRID = ("actor", "claim", "topic", "stance", "date", "summary")


@dataclass
class ClaimsResult(Result):
    """The normalized claims table (or a filtered part of it): a tidy export."""

    corpus: Corpus
    frame: pd.DataFrame

    def grid(self) -> Grid:
        columns = [*_CLAIM_GRID, *(["quote_status"] if "quote_status" in self.frame else [])]
        rows = []
        for r in self.frame[columns].to_dict("records"):
            row = [Cell(str(r["actor"]), "actor"), Cell(str(r["claim"]), "topic"), Cell(str(r["topic"]), "topic"),
                   Cell(r["stance"], r["stance"], POSITION_MARK[r["stance"]]), Cell(_clean(r["date"]) or "", "count"),
                   Cell(str(r["summary"]), "topic")]  # fmt: skip
            if "quote_status" in r:
                status = _clean(r["quote_status"])
                row.append(
                    Cell(status, QUOTE_STATUSES[status].style, QUOTE_MARK[status]) if status else Cell("", "none")
                )
            rows.append(row)
        summary = f"{_plural(len(self.frame), 'claim')} from {_plural(self.frame['actor'].nunique(), 'actor')}"
        return Grid("Claims", summary, columns, rows, key_columns=2)

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> list[dict[str, Any]]:
        return [{str(k): _clean(v) for k, v in rec.items()} for rec in self.frame.to_dict("records")]


@dataclass
class ListingResult(Result):
    """A small listing (topics, actors, cases) rendered like any other result."""

    records: list[dict[str, Any]]
    columns: list[str]

    @property
    def frame(self) -> pd.DataFrame:  # type: ignore[override]
        import pandas as pd

        flat = [{k: "; ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in self.records]
        return pd.DataFrame(flat, columns=list(self.records[0]) if self.records else self.columns)

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def grid(self) -> Grid:
        rows = [
            [Cell(", ".join(v) if isinstance(v, list) else "" if v is None else str(v), "topic" if i else "actor")
             for i, v in enumerate(r[c] for c in self.columns)]
            for r in self.records
        ]  # fmt: skip
        return Grid("", f"{_plural(len(rows), 'item')}", list(self.columns), rows)

    def to_dict(self) -> list[dict[str, Any]]:
        return self.records


@dataclass
class QuotesResult(Result):
    """Each quoted claim's provenance: verified (with the page and line), not-found (with the
    closest passage and where it is), no-text. ``counts`` covers every status of the selected
    actors; ``frame`` holds the rows of the selected ``statuses``."""

    corpus: Corpus
    frame: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)  # source texts there but unusable
    counts: dict[str, int] | None = None
    statuses: list[str] | None = None

    @property
    def summary(self) -> dict[str, int]:
        if self.counts is not None:
            return dict(self.counts)
        return _counts(list(self.frame["status"]), ("verified", "not-found", "no-text"))

    def grid(self) -> Grid:
        rows = []
        for r in self.frame.to_dict("records"):
            status = r["status"]
            where = ""
            if status == "verified":
                where = f"{r['text']}:{_clean(r['line'])}"
                if _clean(r["page"]) is not None:
                    where = f"{r['text']}, {quote_place(r['page'], r['line'])}"
            elif status == "not-found":
                where = f"{r['similarity']:.0%} like ({quote_place(r['page'], r['line'])}): {r['closest']}"
            if status != "no-text" and r.get("format") == "html":
                where += " [HTML: CSS hiding not detected]"
            kind = QUOTE_STATUSES[status].style
            rows.append([
                Cell(str(r["actor"]), "actor"), Cell(str(r["claim"]), "topic"),
                Cell(status, kind, QUOTE_MARK[status]), Cell(where, "topic"),
            ])  # fmt: skip
        summary = self.summary
        parts = ", ".join(f"{n} {s}" for s, n in summary.items())
        line = f"{_plural(sum(summary.values()), 'quote')}: {parts}"
        if self.statuses is not None and set(self.statuses) != set(summary):
            line += f"; showing {', '.join(self.statuses)}: {len(rows)}"
        return Grid("Quotes", line, ["actor", "claim", "status", "where"], rows, key_columns=2)

    def csv_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> dict[str, Any]:
        records = [{str(k): _clean(v) for k, v in rec.items()} for rec in self.frame.to_dict("records")]
        return {"summary": self.summary, "quotes": records}


def quote_place(page: object, line: object) -> str:
    """Where a match is: ``page 2, line 14`` in a PDF, ``line 14`` elsewhere."""
    line_text = f"line {_clean(line)}"
    return f"page {_clean(page)}, {line_text}" if _clean(page) is not None else line_text
