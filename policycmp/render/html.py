"""HTML from jinja2 templates: autoescaped, StrictUndefined, user templates override ours.

A user's ``--template-dir`` comes first; the bundled templates follow, and stay reachable as
``default:NAME`` so an override can ``{% extends "default:report.html.j2" %}`` and call
``super()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..normalize import url_problem
from ..resources import data_dir

if TYPE_CHECKING:
    import jinja2

    from ..results import Grid


def safe_url(value: str | None) -> str | None:
    """The URL when it is an acceptable http(s) link, else None (never a javascript: link)."""
    if not value or url_problem(value) is not None:
        return None
    return value if urlsplit(value.strip()).scheme.lower() in ("http", "https") else None


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    import jinja2

    bundled = jinja2.FileSystemLoader(str(data_dir("templates")))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders += [bundled, jinja2.PrefixLoader({"default": bundled})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def render_table_fragment(grid: Grid, template_dir: Path | None = None) -> str:
    return environment(template_dir).get_template("_table.html.j2").render(grid=grid)
