"""HTML from jinja2 templates: sandboxed, autoescaped, StrictUndefined, user templates override ours.

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
from ..results import Result
from .grid import Grid, grid_of, several_grids
from .notebook import render as render_notebook

if TYPE_CHECKING:
    import jinja2


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


def _output_escape() -> Any:
    """Escape for template output: markupsafe's own escaping, without building a ``Markup``.

    Compiled templates call ``escape`` only on values they output, and join the pieces at
    once (a macro or ``{% set %}`` block wraps its joined result in ``Markup`` itself), so
    the ``Markup`` object markupsafe builds around every escaped string is never used: at
    a million output expressions (a 200-actor report) it costs about a second. Integers
    become their digits and ``Markup`` passes as it is (what markupsafe returns for
    them too, less the copy); anything else (floats, objects with ``__html__``, ``str``
    subclasses) goes through markupsafe unchanged. Falls back to markupsafe's ``escape``
    where its escaping core is not importable.
    """
    import markupsafe
    from markupsafe import escape

    _escape_inner = getattr(markupsafe, "_escape_inner", None)  # markupsafe 3's core (C, or its Python twin)
    probe = "<a href=\"'&'\">"
    if _escape_inner is None or _escape_inner(probe) != str(escape(probe)):  # pragma: no cover - other versions
        return escape

    def output_escape(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return _escape_inner(value)
        if kind is int:  # counts: digits only, nothing to escape (bool is not int here)
            return str(value)
        if kind is Markup:  # already safe (a rendered citation)
            return value
        return escape(value)

    return output_escape


def _template_class() -> type[jinja2.Template]:
    import jinja2

    output_escape = _output_escape()

    class Template(jinja2.Template):
        """A jinja2 template whose output expressions escape through :func:`_output_escape`."""

        @classmethod
        def from_code(cls, environment: Any, code: Any, globals: Any, uptodate: Any = None) -> Any:  # noqa: A002
            template = super().from_code(environment, code, globals, uptodate)
            template.root_render_func.__globals__["escape"] = output_escape  # the module's namespace
            return template

    return Template


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The templates' environment: jinja2's sandbox, since a ``--template-dir`` template is
    code from outside (no attribute path to ``os`` or to Python's internals; unsafe access is
    an error). Overrides still extend, fill blocks, call macros and ``super()``."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    bundled = jinja2.FileSystemLoader(str(data_dir("templates")))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders += [bundled, jinja2.PrefixLoader({"default": bundled}, delimiter=":")]
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.template_class = _template_class()
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
            html = cited[source.anchor] = Markup(cite.render(source=source, pid=context["pid"]).strip())
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
        return Problem.of("template-error", where, reason=exc.message or "syntax error")
    where = Location("template")
    tb = exc.__traceback__
    while tb is not None:  # jinja2 maps rendering frames to the template file and line
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = Location(name, tb.tb_lineno)
        tb = tb.tb_next
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return Problem.of("template-error", where, reason=f"{type(exc).__name__}: {message}")


def render(result: Result, notebook: bool = False) -> str:
    """The table fragment, or with ``notebook`` the self-styled block Jupyter shows (``_repr_html_``)."""
    if notebook:
        return render_notebook(result)
    grids = several_grids(result)
    if grids is None:
        return render_table_fragment(grid_of(result))
    return "\n".join(render_table_fragment(g) for g in grids)
