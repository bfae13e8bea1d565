"""One actor's stated reasons across several cases, theme by theme (README: "One actor across cases").

Cases are joined by themes (a topic's ``theme:``) and by actor identity: the same ``wikidata:``
item, else equal actor ids or a ``same_as:`` link, never across two different Wikidata items.
For each joined actor and theme, each case's position is the section-4 position on that case's
topic for the theme (inverted where the topic is negated; several topics on one theme combine
as claims do), and the row gets a consistency label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from . import normalize as norm
from .problems import Location, Problem, UsageError, suggest
from .results import Result, _counts, _plural
from .vocabulary import CONSISTENCY_WORDS, Consistency, Position

if TYPE_CHECKING:
    import pandas as pd

    from .loader import CorpusData as Corpus
    from .model import Actor
    from .themes import Themes

_INVERT = {"asserts": "denies", "denies": "asserts", "qualifies": "qualifies", "inconsistent": "inconsistent"}


def combine(values: Sequence[str]) -> Position | None:
    """Positions combined as claims combine (the README's position rule); ``inconsistent`` counts as both."""
    a = any(v in ("asserts", "inconsistent") for v in values)
    d = any(v in ("denies", "inconsistent") for v in values)
    if a and d:
        return "inconsistent"
    if not values:
        return None
    if "qualifies" in values:
        return "qualifies"
    return "asserts" if a else "denies"


def consistency(values: Sequence[str | None]) -> Consistency | None:
    """The label of one row, the first rule that applies (None: no position anywhere)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if len(present) == 1:
        return "one-case"
    if "inconsistent" not in present and len(set(present)) == 1:
        return "same"
    if "inconsistent" in present or ("asserts" in present and "denies" in present):
        return "opposite"
    return "shifted"


# -- actor identity ----------------------------------------------------------------------------


@dataclass
class Identity:
    """One actor as the cases know it: its id in each case, and what joined them."""

    name: str  # the row name: its id in the first case given that has it
    ids: dict[str, str]  # case id -> actor id
    by: str  # "wikidata" | "id" | "same_as"
    same_as_links: list[tuple[str, str, str, str]] = field(default_factory=list)  # (case, id, case, id)


def _same(a: Actor, b: Actor) -> str | None:
    """How two actors of different cases are one actor, or None (README: "One actor across cases")."""
    if a.wikidata and b.wikidata:
        return "wikidata" if a.wikidata == b.wikidata else None
    if a.id == b.id:
        return "id"
    if a.id in b.same_as or b.id in a.same_as:
        return "same_as"
    return None


def identities(corpora: Sequence[Corpus]) -> tuple[list[Identity], list[tuple[str, Problem]]]:
    """Join the actors of the cases; each identity holds at most one actor per case.

    Candidates are found through indexes (wikidata item, id, same_as), so the work grows with
    the number of actors, not its square.
    """
    nodes: list[tuple[int, Actor]] = [(ci, a) for ci, c in enumerate(corpora) for a in c.actors.values()]
    parent = list(range(len(nodes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[tuple[str, str], list[int]] = {}
    for i, (_, actor) in enumerate(nodes):
        if actor.wikidata:
            by_key.setdefault(("q", actor.wikidata), []).append(i)
        by_key.setdefault(("id", actor.id), []).append(i)
    edges: dict[tuple[int, int], str] = {}
    for i, (ci, actor) in enumerate(nodes):
        candidates = list(by_key.get(("id", actor.id), ()))
        if actor.wikidata:
            candidates += by_key.get(("q", actor.wikidata), ())
        for other in actor.same_as:  # a link written on one side only is found from that side
            candidates += by_key.get(("id", other), ())
        for j in candidates:
            cj, other_actor = nodes[j]
            pair = (min(i, j), max(i, j))
            if cj == ci or pair in edges:
                continue
            how = _same(actor, other_actor)
            if how is not None:
                edges[pair] = how
    members_case: dict[int, set[int]] = {i: {nodes[i][0]} for i in range(len(nodes))}
    hows: dict[int, set[str]] = {i: set() for i in range(len(nodes))}
    links: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(nodes))}
    for (i, j), how in sorted(edges.items(), key=lambda e: ("wikidata", "id", "same_as").index(e[1])):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if members_case[ri] & members_case[rj]:
            continue  # one actor per case: the first join wins
        parent[rj] = ri
        members_case[ri] |= members_case.pop(rj)
        hows[ri] |= hows.pop(rj) | {how}
        links[ri] += links.pop(rj)
        if how == "same_as":
            links[ri].append((i, j))
    case_ids = [c.case.id for c in corpora]
    groups: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        groups.setdefault(find(i), []).append(i)
    out: list[Identity] = []
    warnings: list[tuple[str, Problem]] = []  # (identity name, warning)
    for root, members in groups.items():
        members.sort(key=lambda i: nodes[i][0])
        ids = {case_ids[nodes[i][0]]: nodes[i][1].id for i in members}
        items = {nodes[i][1].wikidata for i in members}
        if len(members) > 1 and len(items) == 1 and None not in items:
            by = "wikidata"
        elif "same_as" in hows.get(root, set()):
            by = "same_as"
        else:
            by = "id"
        same_as_links = [
            (case_ids[nodes[i][0]], nodes[i][1].id, case_ids[nodes[j][0]], nodes[j][1].id)
            for i, j in links.get(root, [])
        ]
        identity = Identity(nodes[members[0]][1].id, ids, by, same_as_links)
        out.append(identity)
        names = {norm.collapse(nodes[i][1].name).casefold() for i in members}
        if len(members) > 1 and by != "wikidata" and len(names) > 1:
            first, *rest = (nodes[i] for i in members)
            for ci, actor in rest:
                warnings.append(
                    (
                        identity.name,
                        Problem.of(
                            "identity-unconfirmed",
                            Location(actor.path),
                            actor=actor.id,
                            name=actor.name,
                            case=case_ids[ci],
                            other=first[1].id,
                            other_name=first[1].name,
                            other_case=case_ids[first[0]],
                            by=by,
                        ),  # fmt: skip,
                    )
                )
    return out, warnings


# -- the comparison ----------------------------------------------------------------------------


class ThemedTopic(NamedTuple):
    """A case's topic on a theme: its position counts inverted where the topic is ``negated``."""

    topic: str
    negated: bool


class Behind(NamedTuple):
    """What one case's position of an actor on a theme comes from."""

    topics: tuple[ThemedTopic, ...]  # the case's topics on the theme where the actor has a position
    claims: tuple[str, ...]  # the actor's claim ids on those topics


@dataclass(repr=False)
class AcrossResult(Result):
    """Rows (actor, theme): each case's position, the topics and claims behind it, a label."""

    cases: list[str]
    titles: dict[str, str]
    actors: list[str]
    frame: pd.DataFrame  # index (actor, theme); columns label, consistency and one per case
    details: dict[tuple[str, str, str], Behind]  # (actor, theme, case) -> what the position comes from
    identity: dict[str, Identity]
    warnings: list[Problem]

    def __str__(self) -> str:
        return self.to_text()

    __repr__ = __str__

    @property
    def summary(self) -> dict[str, int]:
        return _counts(list(self.frame["consistency"]), CONSISTENCY_WORDS)

    def summary_line(self) -> str:
        parts = ", ".join(f"{n} {v}" for v, n in self.summary.items() if n)
        head = f"{_plural(len(self.frame), 'row')}, {_plural(len(self.actors), 'actor')}, {len(self.cases)} cases"
        return f"{head}: {parts or 'nothing to compare'}"

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for (actor, theme), rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            cells: dict[str, Any] = {}
            for case in self.cases:
                pos = rec[case]
                if pos is None:
                    cells[case] = None
                else:
                    d = self.details[(actor, theme, case)]
                    topics = [t._asdict() for t in d.topics]
                    cells[case] = {"position": pos, "topics": topics, "claims": list(d.claims)}
            rows.append(
                {
                    "actor": actor,
                    "theme": theme,
                    "label": rec["label"],
                    "consistency": rec["consistency"],
                    "positions": cells,
                }
            )
        return {
            "cases": list(self.cases),
            "actors": list(self.actors),
            "summary": self.summary,
            "identity": {
                name: {"by": ident.by, "ids": dict(ident.ids)}
                for name, ident in self.identity.items()
                if name in self.actors
            },
            "rows": rows,
        }

    def csv_frame(self) -> pd.DataFrame:
        import pandas as pd

        records = []
        for (actor, theme), rec in zip(self.frame.index, self.frame.to_dict("records"), strict=True):
            out: dict[str, Any] = {
                "actor": actor,
                "theme": theme,
                "label": rec["label"],
                "consistency": rec["consistency"],
            }
            for case in self.cases:
                d = self.details.get((actor, theme, case))
                out[case] = rec[case]
                out[f"{case}_topics"] = (
                    "; ".join(t.topic + (" (inverted)" if t.negated else "") for t in d.topics) if d else None
                )
                out[f"{case}_claims"] = "; ".join(d.claims) if d else None
            records.append(out)
        columns = ["actor", "theme", "label", "consistency"]
        for case in self.cases:
            columns += [case, f"{case}_topics", f"{case}_claims"]
        return pd.DataFrame.from_records(records, columns=columns)


def _themed(corpus: Corpus) -> dict[str, list[tuple[str, bool]]]:
    """theme id -> [(topic id, negated)] in the case's topic order."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for topic in corpus.case.topics:
        if topic.theme:
            out.setdefault(topic.theme, []).append((topic.id, topic.theme_negated))
    return out


def build_across(corpora: Sequence[Corpus], actor: str | None = None, themes: Themes | None = None) -> AcrossResult:
    """Compare the joined actors of ``corpora`` theme by theme (see the module docstring)."""
    import pandas as pd

    from .compare import positions  # pandas and numpy: only when comparing

    if len(corpora) < 2:
        raise UsageError("across compares at least two cases; name two or more")
    case_ids = [c.case.id for c in corpora]
    seen: dict[str, int] = {}
    for i, cid in enumerate(case_ids):
        if cid in seen:
            raise UsageError(
                f"case '{cid}' is given twice (arguments {seen[cid] + 1} and {i + 1}); name each case once"
            )
        seen[cid] = i
    themes = themes if themes is not None else corpora[0].themes
    idents, named_warnings = identities(corpora)
    if actor is not None:
        wanted = norm.slugify(actor)
        chosen = [i for i in idents if wanted in i.ids.values()]
        if not chosen:
            known = sorted({a for i in idents for a in i.ids.values()})
            raise UsageError(
                f"unknown actor '{wanted}'{suggest(wanted, known)}; actors in these cases: {', '.join(known)}"
            )
        idents = chosen[:1]
    else:
        idents = [i for i in idents if len(i.ids) >= 2]
    chosen_names = {i.name for i in idents}
    warnings = [w for name, w in named_warnings if name in chosen_names]

    # per case: positions of the joined actors on the themed topics, and the claims behind them
    per_case: dict[str, dict[tuple[str, str], tuple[Position, Behind]]] = {}
    theme_order: dict[str, int] = {t: n for n, t in enumerate(themes.themes)}
    for corpus in corpora:
        cid = corpus.case.id
        themed = _themed(corpus)
        topic_ids = [t for pairs in themed.values() for t, _ in pairs]
        actor_ids = [i.ids[cid] for i in idents if cid in i.ids]
        for extra in themed:
            theme_order.setdefault(extra, len(theme_order))
        claims = corpus.claims
        sel = claims.loc[claims["actor"].isin(actor_ids) & claims["topic"].isin(topic_ids)]
        matrix = positions(sel, actor_ids, topic_ids)
        claim_ids: dict[tuple[str, str], list[str]] = {}
        for a, t, c in zip(sel["actor"].tolist(), sel["topic"].tolist(), sel["claim"].tolist(), strict=True):
            claim_ids.setdefault((a, t), []).append(c)
        cells: dict[tuple[str, str], tuple[Position, Behind]] = {}
        columns = {a: matrix[a].tolist() if a in matrix.columns else [] for a in actor_ids}
        row_of = {t: n for n, t in enumerate(matrix.index)}
        for a in actor_ids:
            col = columns[a]
            for theme, pairs in themed.items():
                values: list[str] = []
                topics: list[ThemedTopic] = []
                ids: list[str] = []
                for t, negated in pairs:
                    pos = col[row_of[t]] if col else None
                    if pos is None:
                        continue
                    values.append(_INVERT[pos] if negated else pos)
                    topics.append(ThemedTopic(t, negated))
                    ids += claim_ids.get((a, t), [])
                combined = combine(values)
                if combined is not None:
                    cells[(a, theme)] = (combined, Behind(tuple(topics), tuple(ids)))
        per_case[cid] = cells

    index: list[tuple[str, str]] = []
    records: list[dict[str, Any]] = []
    details: dict[tuple[str, str, str], Behind] = {}
    row_actors: list[str] = []
    for ident in idents:
        by_theme: dict[str, dict[str, str | None]] = {}
        for cid in case_ids:
            aid = ident.ids.get(cid)
            if aid is None:
                continue
            for (a, theme), (pos, behind) in per_case[cid].items():
                if a != aid:
                    continue
                by_theme.setdefault(theme, {})[cid] = pos
                details[(ident.name, theme, cid)] = behind
        if by_theme:
            row_actors.append(ident.name)
        for theme in sorted(by_theme, key=lambda t: theme_order.get(t, len(theme_order))):
            row = [by_theme[theme].get(cid) for cid in case_ids]
            label = consistency(row)
            index.append((ident.name, theme))
            records.append(
                {"label": themes.label(theme), "consistency": label, **dict(zip(case_ids, row, strict=True))}
            )
    frame = pd.DataFrame.from_records(
        records,
        columns=["label", "consistency", *case_ids],
        index=pd.MultiIndex.from_tuples(index, names=["actor", "theme"]) if index else None,
    ).astype(object)
    if not index:
        frame.index = pd.MultiIndex.from_tuples([], names=["actor", "theme"])
    frame = frame.where(frame.notna(), None)
    return AcrossResult(
        cases=case_ids,
        titles={c.case.id: c.case.title for c in corpora},
        actors=row_actors,
        frame=frame,
        details=details,
        identity={i.name: i for i in idents},
        warnings=warnings,
    )
