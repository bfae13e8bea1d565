"""Late binding across the layers: what a lower layer calls and a higher one provides.

Results offer ``render()``, ``to_text()`` and the other ``to_*()`` methods for convenience, but
rendering lives above them in ``policycmp.render``. That package installs its entry points here
when it is imported (``policycmp/__init__.py`` imports it first thing), so that results never
import a renderer and the import graph stays one-way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Render = Callable[..., str]  # (result, format name, **options) -> text
BuildGrid = Callable[[Any], Any]  # result -> policycmp.render.grid.Grid
BuildGrids = Callable[[Any], list[Any]]  # result -> its tables, each a policycmp.render.grid.Grid

_render: Render | None = None
_grid: BuildGrid | None = None
_grids: BuildGrids | None = None


def install(render: Render, grid: BuildGrid, grids: BuildGrids) -> None:
    global _render, _grid, _grids
    _render, _grid, _grids = render, grid, grids


def render(result: object, fmt: str, /, **options: Any) -> str:
    if _render is None:  # pragma: no cover - policycmp/__init__.py installs it
        raise RuntimeError("policycmp.render is not installed; import policycmp first")
    return _render(result, fmt, **options)


def grid(result: object) -> Any:
    if _grid is None:  # pragma: no cover - policycmp/__init__.py installs it
        raise RuntimeError("policycmp.render is not installed; import policycmp first")
    return _grid(result)


def grids(result: object) -> list[Any]:
    if _grids is None:  # pragma: no cover - policycmp/__init__.py installs it
        raise RuntimeError("policycmp.render is not installed; import policycmp first")
    return _grids(result)
