"""The output formats: one renderer module per format, all reading the same result objects.

``FORMATS`` is the registry the CLI's ``--format`` choice and ``Result.render()`` are built from.
A new format is one module here with a ``render(result, **options)`` function and one entry
below; the format tests cover every entry (``tests/test_formats.py``).
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from .. import hooks


class Format(NamedTuple):
    name: str  # the --format value
    suffix: str  # the file name extension of its output
    module: str  # the module under policycmp.render holding render(result, **options)
    description: str
    options: tuple[str, ...] = ()  # the keyword options its render() takes


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "txt", "text", "aligned columns for a terminal, coloured by verdict", ("color", "width")),
        Format("md", "md", "markdown", "a pipe table for GitHub, pandoc and Quarto", ("caption", "label")),
        Format("latex", "tex", "latex", "a booktabs table sized to \\linewidth", ("env", "caption", "label")),
        Format("typst", "typ", "typst", "a Typst #table", ("caption", "label")),
        Format("html", "html", "html", "an HTML table fragment", ("notebook",)),
        Format("csv", "csv", "csvout", "RFC 4180 CSV, formula cells neutralized", ("escape_formulas",)),
        Format("json", "json", "jsonout", "the JSON shapes in the README", ("indent",)),
    )
}


def render(result: Any, fmt: str, /, **options: Any) -> str:
    """``result`` in format ``fmt`` (a key of ``FORMATS``)."""
    try:
        spec = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}") from None
    # imported on use: the renderers pull in tabulate, jinja2 and pandas, which --help and validate never need
    module = importlib.import_module(f"{__name__}.{spec.module}")
    text: str = module.render(result, **options)
    return text


def grid(result: Any) -> Any:
    """The :class:`~policycmp.render.grid.Grid` of ``result``."""
    from .grid import grid_of  # imported on use: results (and dataclasses) are not needed at start-up

    return grid_of(result)


def grids(result: Any) -> list[Any]:
    """The tables of ``result``: several for a result drawn as several (reliability), else its one grid."""
    from .grid import grids_of  # imported on use, as grid_of above

    return grids_of(result)


hooks.install(render, grid, grids)
