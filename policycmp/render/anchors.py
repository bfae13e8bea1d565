"""Element ids of the report: one per actor, topic, claim or source (see :func:`anchor`)."""

from __future__ import annotations

import re
from functools import lru_cache

_ANCHOR_SAFE = re.compile(r"^[a-z0-9-]+$")
_ANCHOR_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def anchor(kind: str, *parts: str) -> str:
    """An element id (without the render's prefix) for ``parts``: ``KIND-a.b``, injective.

    Each part keeps ``[a-z0-9-]`` and writes every other character as ``_`` and the hex of its
    UTF-8 bytes (``x.y`` -> ``x_2ey``; ``_`` itself -> ``_5f``), percent-encoding style, so
    different ids never share an anchor (``x.y`` and ``x-y`` stay apart) and the id is safe in
    an attribute and a URL fragment. Parts are joined with ``.``, which no encoded part holds.
    """
    return f"{kind}-" + ".".join(map(_anchor_part, parts))


@lru_cache(maxsize=1 << 16)  # a report asks for the same actor and topic ids thousands of times
def _anchor_part(part: str) -> str:
    if _ANCHOR_SAFE.match(part):
        return part
    return "".join(
        c if c in _ANCHOR_KEEP else "".join(f"_{b:02x}" for b in c.encode("utf-8", "surrogatepass")) for c in part
    )
