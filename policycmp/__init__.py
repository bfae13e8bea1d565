"""policycmp: compare what each side of a content-moderation dispute said, point by point."""

from __future__ import annotations

from .corpus import Corpus, check, load
from .problems import Location, PolicyError, Problem
from .yamlio import Limits

__version__ = "0.1.0"
__all__ = ["Corpus", "Limits", "Location", "PolicyError", "Problem", "__version__", "check", "load"]
