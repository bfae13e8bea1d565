"""Diff two versions of one actor's file, read against the corpus's case.yaml."""

from __future__ import annotations

from pathlib import Path

from .api import Corpus
from .compare import build_diff
from .loader import CorpusLoader, Loaded, display_path
from .model import Actor, Claim
from .problems import Location, PolicyError, Problem
from .results import DiffResult
from .selection import Selection, one_actor
from .yamlio import Limits


def actor_file(base: Corpus, name: str) -> Path:
    """The file of the corpus's actor ``name`` (an id), to diff against another version of it."""
    actor = base.actors[one_actor(base, name)]
    return base.root / Path(actor.path).name


def diff_files(
    base: Corpus,
    left: Path,
    right: Path,
    selection: Selection,
    limits: Limits,
    names: tuple[str | None, str | None] = (None, None),
) -> DiffResult:
    """Each file becomes an actor labelled by its path (or by ``names``, such as the actor id a
    file was found by); both are checked against base's topics."""
    loader = CorpusLoader(base.root, limits)
    loader.use_case(base.case)
    actors: list[Actor] = []
    records: list[Claim] = []
    labels: list[str] = []
    for path, name in zip((left, right), names, strict=True):
        label = name or display_path(path)
        if not path.is_file():
            raise PolicyError([Problem.of("missing-file", Location(label))])
        loaded = loader.load_actor(path, label)
        if loaded is None:
            continue
        actor, claims, _ = loaded
        key = f"{'left' if not actors else 'right'}:{actor.id}"  # distinct even for one file twice
        actors.append(actor._replace(id=key))
        records.extend(c._replace(actor=key) for c in claims)
        labels.append(label)
    problems = loader.problems.sorted()
    if loader.problems.has_errors or len(actors) != 2:
        raise PolicyError(problems)
    corpus = Corpus(base.root, Loaded(base.case, tuple(actors), records, problems, themes=base.themes))
    result = build_diff(corpus, actors[0].id, actors[1].id, selection)
    result.left_label, result.right_label = labels
    return result
