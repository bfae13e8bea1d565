"""HTML from jinja2 templates: autoescaped, StrictUndefined, user templates override ours.

A user's ``--template-dir`` comes first; the bundled templates follow, and stay reachable as
``default:NAME`` so an override can ``{% extends "default:report.html.j2" %}`` and call
``super()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ..normalize import url_problem
from ..problems import Location, PolicyError, Problem
from ..resources import data_dir

if TYPE_CHECKING:
    import jinja2

    from ..results import Grid


def safe_url(value: str | None) -> str | None:
    """The URL when it is an acceptable http(s) link, else None (never a javascript: link)."""
    if not value or url_problem(value) is not None:
        return None
    text = value.strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else None


def link_host(value: str | None) -> str:
    """The host name of a URL, as a short link text (``aws.amazon.com``)."""
    if not value:
        return ""
    host = urlsplit(value.strip()).hostname or value
    return host.removeprefix("www.")


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    import jinja2

    bundled = jinja2.FileSystemLoader(str(data_dir("templates")))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders += [bundled, jinja2.PrefixLoader({"default": bundled}, delimiter=":")]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["link_host"] = link_host
    return env


def render_table_fragment(grid: Grid, template_dir: Path | None = None) -> str:
    return environment(template_dir).get_template("_table.html.j2").render(grid=grid)


def render_report(context: dict[str, Any], template_dir: Path | None = None) -> str:
    """``report.html.j2`` (a user's, when ``template_dir`` has one) with the report's context."""
    if template_dir is not None and not template_dir.is_dir():
        raise NotADirectoryError(f"template directory not found: {template_dir}")
    env = environment(template_dir)
    cite = env.get_template("_cite.html.j2")
    cited: dict[str, Markup] = {}

    def cite_filter(source: Any) -> Markup:
        """A source's citation line, rendered once however many claims cite it."""
        html = cited.get(source.anchor)
        if html is None:
            html = cited[source.anchor] = Markup(cite.render(source=source).strip())
        return html

    env.filters["cite"] = cite_filter
    if template_dir is None:  # our own templates: an error here is a bug, not bad input
        return env.get_template("report.html.j2").render(context)
    try:
        return env.get_template("report.html.j2").render(context)
    except Exception as exc:  # a user's template failed: say where, as for a corpus problem
        raise PolicyError([_template_problem(exc)]) from None


def _template_problem(exc: Exception) -> Problem:
    """Locate an error raised while loading or rendering a template (file and line)."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = Location(exc.filename or exc.name or "template", exc.lineno or 1)
        return Problem("template-error", exc.message or "syntax error", where)
    where = Location("template")
    tb = exc.__traceback__
    while tb is not None:  # jinja2 maps rendering frames to the template file and line
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = Location(name, tb.tb_lineno)
        tb = tb.tb_next
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return Problem("template-error", f"{type(exc).__name__}: {message}", where)
