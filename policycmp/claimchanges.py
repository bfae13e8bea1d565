"""Claim-level changes between two versions of a corpus or of one actor file (README: "What changed between two versions").

Claims are matched by actor and claim id. An id written in the file is the claim's identity. An
id policycmp generated (``<topic>-<n>``, when a claim has no ``id:``) is only a position: one
claim inserted before others shifts the ids of every later claim on that topic. So claims with
a generated id on either side are matched by content instead: first to a claim with the same
content (unchanged, whatever its id became), then to the most similar remaining claim of the
same actor (changed); what stays unmatched was added or removed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .gitread import corpus_at
from .loader import CorpusLoader, display_path
from .model import CLAIM_COLUMNS, Claim
from .problems import Location, PolicyError, Problem
from .results import Result, _plural
from .vocabulary import CHANGE_WORDS, CHANGES, Change
from .yamlio import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    import pandas as pd

    from .loader import CorpusData as Corpus

# The fields compared, as the claims table holds them (normalized); path and line are where a
# claim sits in its file, not what it says.
FIELDS: tuple[str, ...] = tuple(c for c in CLAIM_COLUMNS if c not in ("actor", "claim", "path", "line"))
SIMILAR = 0.6  # summaries at least this alike (difflib ratio) make a generated-id claim the same claim


@dataclass(frozen=True)
class ClaimChange:
    """One claim's status between the versions; ``changes`` maps a field to (old, new)."""

    actor: str
    claim: str  # the id in the new version (the old one for a removed claim)
    status: Change
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    old_claim: str | None = None  # the id in the old version, when it differs
    old: Claim | None = None
    new: Claim | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"actor": self.actor, "claim": self.claim, "status": self.status}
        if self.old_claim is not None and self.old_claim != self.claim:
            out["old_claim"] = self.old_claim
        out["changes"] = {k: [old, new] for k, (old, new) in self.changes.items()}
        return out


def _content(claim: Claim) -> tuple[Any, ...]:
    return tuple(getattr(claim, f) for f in FIELDS)


def _diff(old: Claim, new: Claim) -> dict[str, tuple[Any, Any]]:
    return {f: (getattr(old, f), getattr(new, f)) for f in FIELDS if getattr(old, f) != getattr(new, f)}


def _change(actor: str, old: Claim | None, new: Claim | None) -> ClaimChange:
    if old is None:
        assert new is not None
        return ClaimChange(actor, new.claim, "added", new=new)
    if new is None:
        return ClaimChange(actor, old.claim, "removed", old=old)
    changes = _diff(old, new)
    status: Change = "changed" if changes else "unchanged"
    return ClaimChange(actor, new.claim, status, changes, old_claim=old.claim, old=old, new=new)


def _match_actor(
    actor: str,
    old: Sequence[Claim],
    new: Sequence[Claim],
    old_generated: set[str],
    new_generated: set[str],
) -> list[ClaimChange]:
    """Pair one actor's claims: written ids by id; generated ids by content, then similarity."""
    new_written = {c.claim: c for c in new if c.claim not in new_generated}
    pairs: list[tuple[Claim | None, Claim | None]] = []
    old_left: list[Claim] = []
    for c in old:  # a written id on both sides is the same claim
        twin = new_written.get(c.claim) if c.claim not in old_generated else None
        if twin is not None:
            pairs.append((c, twin))
        else:
            old_left.append(c)
    paired = {id(n) for _, n in pairs}
    new_left = [c for c in new if id(c) not in paired]

    def may_pair(o: Claim, n: Claim) -> bool:  # by content only where an id is generated
        return o.claim in old_generated or n.claim in new_generated

    # 1. the same content: the same claim, whatever its generated id became
    by_content: dict[tuple[Any, ...], list[Claim]] = {}
    for c in new_left:
        by_content.setdefault(_content(c), []).append(c)
    used: set[int] = set()
    unmatched_old: list[Claim] = []
    for o in old_left:
        twin = next((n for n in by_content.get(_content(o), []) if id(n) not in used and may_pair(o, n)), None)
        if twin is None:
            unmatched_old.append(o)
        else:
            used.add(id(twin))
            pairs.append((o, twin))
    open_new = [n for n in new_left if id(n) not in used]
    # 2. the most similar remaining claim: an edited claim whose generated id may have shifted
    candidates = []
    for i, o in enumerate(unmatched_old):
        for j, n in enumerate(open_new):
            if not may_pair(o, n):
                continue
            same_quote = o.quote is not None and o.quote == n.quote
            matcher = difflib.SequenceMatcher(None, o.summary, n.summary, autojunk=False)
            if not same_quote and (matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR):
                continue  # upper bounds of the ratio: the full comparison cannot reach SIMILAR
            ratio = matcher.ratio()
            if ratio >= SIMILAR or same_quote:
                same_fields = sum(getattr(o, f) == getattr(n, f) for f in FIELDS)
                candidates.append((-(ratio + same_quote), -same_fields, i, j))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, _, i, j in sorted(candidates):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((unmatched_old[i], open_new[j]))
    pairs += [(o, None) for i, o in enumerate(unmatched_old) if i not in used_old]
    pairs += [(None, n) for j, n in enumerate(open_new) if j not in used_new]
    return [_change(actor, o, n) for o, n in pairs]


def compare_claims(
    old: Iterable[Claim],
    new: Iterable[Claim],
    old_generated: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
    new_generated: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
    old_label: str = "old",
    new_label: str = "new",
) -> ChangesResult:
    """Every claim of either version with its status, in the new version's order (removed
    claims after the claims of their actor)."""
    old_by_actor: dict[str, list[Claim]] = {}
    new_by_actor: dict[str, list[Claim]] = {}
    for c in old:
        old_by_actor.setdefault(c.actor, []).append(c)
    for c in new:
        new_by_actor.setdefault(c.actor, []).append(c)
    rows: list[ClaimChange] = []
    for actor in dict.fromkeys([*new_by_actor, *old_by_actor]):
        olds, news = old_by_actor.get(actor, []), new_by_actor.get(actor, [])
        og = {cid for a, cid in old_generated if a == actor}
        ng = {cid for a, cid in new_generated if a == actor}
        found = _match_actor(actor, olds, news, og, ng)
        order = {c.claim: i for i, c in enumerate(news)}
        old_order = {c.claim: i for i, c in enumerate(olds)}
        found.sort(key=lambda r: (r.new is None, order.get(r.claim, 0) if r.new else old_order.get(r.claim, 0)))
        rows.extend(found)
    return ChangesResult(rows, old_label, new_label)


@dataclass(repr=False)
class ChangesResult(Result):
    """Claims of two versions, each added, removed, changed (with its fields) or unchanged."""

    rows: list[ClaimChange]
    old_label: str = "old"
    new_label: str = "new"

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(CHANGE_WORDS, 0)
        for r in self.rows:
            counts[r.status] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return any(r.status != "unchanged" for r in self.rows)

    @property
    def frame(self) -> pd.DataFrame:  # type: ignore[override]
        """One row per claim: actor, claim, status, old_claim and the changed fields' names."""
        import pandas as pd

        records = [
            {"actor": r.actor, "claim": r.claim, "status": r.status, "old_claim": r.old.claim if r.old else None,
             "fields": "; ".join(r.changes)}
            for r in self.rows
        ]  # fmt: skip
        return pd.DataFrame(records, columns=["actor", "claim", "status", "old_claim", "fields"])

    def csv_frame(self) -> pd.DataFrame:
        """One row per changed field (one row with empty field for other claims): tidy data."""
        import pandas as pd

        records: list[dict[str, Any]] = []
        for r in self.rows:
            base = {"actor": r.actor, "claim": r.claim, "status": r.status, "old_claim": r.old.claim if r.old else None}
            if r.changes:
                for name, (old, new) in r.changes.items():
                    records.append({**base, "field": name, "old": old, "new": new})
            else:
                records.append({**base, "field": None, "old": None, "new": None})
        return pd.DataFrame(records, columns=["actor", "claim", "status", "old_claim", "field", "old", "new"])

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def summary_line(self) -> str:
        parts = ", ".join(f"{CHANGES[s].mark} {n} {s}" for s, n in self.summary.items())
        return f"{self.old_label} -> {self.new_label}: {_plural(len(self.rows), 'claim')}: {parts}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "old": self.old_label,
            "new": self.new_label,
            "claims": [r.to_dict() for r in self.rows],
        }


# -- the versions ----------------------------------------------------------------------------


def corpus_changes(
    old: Corpus, new: Corpus, old_label: str | None = None, new_label: str | None = None
) -> ChangesResult:
    """Claim-level changes from corpus ``old`` to corpus ``new``."""
    return compare_claims(
        old.records, new.records, old.generated_ids, new.generated_ids,
        old_label or str(old.root), new_label or str(new.root),
    )  # fmt: skip


def file_changes(base: Corpus, old: Path, new: Path, max_bytes: int | None = None) -> ChangesResult:
    """Changes between two versions of one actor file, both read against ``base``'s case.

    Both versions count as the same actor (the new file's id), so renaming the actor does not
    make every claim added and removed.
    """

    limits = Limits(max_bytes=max_bytes) if max_bytes else DEFAULT_LIMITS
    loader = CorpusLoader(base.root, limits)
    loader.use_case(base.case)
    versions: list[list[Claim]] = []
    generated: list[set[tuple[str, str]]] = []
    for path in (old, new):
        label = display_path(path)
        if not path.is_file():
            raise PolicyError([Problem.of("missing-file", Location(label))])
        before = set(loader.generated_ids)
        loaded = loader.load_actor(path, label)
        if loaded is not None:
            versions.append(loaded[1])
            generated.append(set(loader.generated_ids) - before)
    if loader.problems.has_errors or len(versions) != 2:
        raise PolicyError(loader.problems.sorted())
    actor = versions[1][0].actor if versions[1] else versions[0][0].actor if versions[0] else "?"
    old_claims = [c._replace(actor=actor) for c in versions[0]]
    new_claims = [c._replace(actor=actor) for c in versions[1]]
    old_gen = {(actor, cid) for _, cid in generated[0]}
    new_gen = {(actor, cid) for _, cid in generated[1]}
    return compare_claims(old_claims, new_claims, old_gen, new_gen, display_path(old), display_path(new))


def git_changes(corpus: Corpus, rev: str, max_bytes: int | None = None) -> ChangesResult:
    """Changes from the corpus as it was at git revision ``rev`` to the corpus as it is now."""

    limits = Limits(max_bytes=max_bytes) if max_bytes else DEFAULT_LIMITS
    with corpus_at(corpus.root, rev, limits.max_bytes) as (tmp, _commit, shown_root):
        loader = CorpusLoader(tmp, limits)
        loader.shown_root = shown_root
        loaded = loader.load()
    if not loaded.ok:
        raise PolicyError([p for p in loaded.problems if p.severity == "error"] or loaded.problems)
    return compare_claims(
        loaded.claims, corpus.records, loaded.generated_ids, corpus.generated_ids, rev, "working tree"
    )
