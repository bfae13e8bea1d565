"""policycmp: compare what each side of a content-moderation dispute said, point by point."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import render as render  # installs the renderers that results' to_*() methods use (see hooks.py)
from .about import __version__
from .api import Corpus, across, changes_between, check, load
from .problems import Location, PolicyError, Problem
from .yamlio import Limits

if TYPE_CHECKING:
    from .claimchanges import ChangesResult
    from .intercoder import ReliabilityResult

__all__ = [
    "Corpus",
    "Limits",
    "Location",
    "PolicyError",
    "Problem",
    "__version__",
    "across",
    "changes",
    "check",
    "load",
    "reliability",
]


def changes(old: str | Path, new: str | Path, corpus: str | Path | None = None) -> ChangesResult:
    """Claim-level changes between two corpus directories, or two versions of one actor file
    (read against ``corpus``'s case; None: the bundled case)."""
    return changes_between(old, new, corpus)


def reliability(*coders: str | Path, labels: list[str] | None = None) -> ReliabilityResult:
    """Inter-coder reliability of two or more codings (corpus directories) of one case:
    Krippendorff's alpha (nominal) and percent agreement, overall, per topic and per actor."""
    from .intercoder import reliability as compute  # pandas and numpy: only when asked

    return compute(*coders, labels=labels)
