"""JSON: each result's ``to_dict()`` shape, UTF-8, with terminal-unsafe characters escaped."""

from __future__ import annotations

from ..results import Result
from ..sanitize import json_dumps


def render(result: Result, indent: int | None = 2) -> str:
    return json_dumps(result.to_dict(), indent=indent) + "\n"
