"""The package's layers run one way (README, "Architecture"), and every format is tested.

The import graph of ``policycmp`` is read with ``ast`` (every import: at the top, inside a
function, or for type checking only). It must have no cycle, no import from a lower layer to a
higher one, and no import inside a function without a comment on its line saying why (start-up
time is the usual reason).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from policycmp.render import FORMATS
from tests import update_golden as golden

PACKAGE = Path(__file__).resolve().parent.parent / "policycmp"

# Lowest first. A module may import from its own layer (without a cycle) or from a lower one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "about",
            "hooks",
            "catalogue",
            "sanitize",
            "problems",
            "vocabulary",
            "normalize",
            "confusables",
            "yamlio",
            "model",
            "resources",
            "output",
            "watch",
        ),
    ),
    ("loader", ("checks", "themes", "loader", "schema", "scaffold", "gitread", "selection")),
    ("results", ("results",)),
    (
        "compare",
        (
            "compare",
            "quotes",
            "provenance",
            "extract",
            "extracted",
            "pdftext",
            "textcache",
            "crosscase",
            "claimchanges",
            "intercoder",
        ),
    ),
    ("render", ("render", "render.*")),
    ("api", ("api", "versions", "")),  # "": the package itself (policycmp/__init__.py)
    ("cli", ("cli", "__main__")),
]


def _layer_of(module: str) -> int:
    name = module.removeprefix("policycmp").removeprefix(".")
    for rank, (_, members) in enumerate(LAYERS):
        for member in members:
            if name == member or (member.endswith(".*") and name.startswith(member[:-1])):
                return rank
    raise AssertionError(f"module {module} is in no layer: add it to LAYERS in tests/test_layers.py")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


class Import:
    def __init__(self, source: str, target: str, line: int, where: str, text: str) -> None:
        self.source, self.target, self.line, self.where, self.text = source, target, line, where, text

    def __repr__(self) -> str:
        return f"{self.source}:{self.line} -> {self.target} ({self.where})"


def _imports() -> list[Import]:
    modules = _modules()
    found: list[Import] = []
    for module, path in modules.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        is_package = path.name == "__init__.py"

        def targets(
            node: ast.Import | ast.ImportFrom, module: str = module, is_package: bool = is_package
        ) -> list[str]:
            if isinstance(node, ast.Import):
                return [a.name for a in node.names]
            if node.level == 0:
                base = node.module or ""
            else:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            # `from . import render` names a module; `from .results import Result` a name in one
            return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]

        def visit(node: ast.AST, where: str, module: str = module, lines: list[str] = lines) -> None:
            for child in ast.iter_child_nodes(node):
                here = where
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    here = "function"
                elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test) and where == "module":
                    here = "typing"
                if isinstance(child, ast.Import | ast.ImportFrom):
                    text = "\n".join(lines[child.lineno - 1 : (child.end_lineno or child.lineno)])
                    for target in dict.fromkeys(targets(child)):
                        if target == "policycmp" or target.startswith("policycmp."):
                            found.append(Import(module, target, child.lineno, here, text))
                visit(child, here)

        visit(ast.parse(source), "module")
    return found


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def test_the_walk_sees_the_imports_it_should() -> None:
    """The walker is not vacuous: it finds imports of every kind, in modules of every layer."""
    imports = _imports()
    assert {i.where for i in imports} == {"module", "function", "typing"}
    assert any(i.source == "policycmp.compare" and i.target == "policycmp.results" for i in imports)
    assert {_layer_of(i.source) for i in imports} == set(range(len(LAYERS)))


def test_every_module_is_in_a_layer() -> None:
    for module in _modules():
        _layer_of(module)


def test_no_import_cycle() -> None:
    edges: dict[str, set[str]] = {}
    for i in _imports():
        if i.target != i.source:
            edges.setdefault(i.source, set()).add(i.target)
    assert _cycles(edges) == []


def test_no_upward_import() -> None:
    upward = [i for i in _imports() if _layer_of(i.target) > _layer_of(i.source)]
    assert upward == [], "a lower layer imports a higher one; see the README's Architecture section"


def test_every_import_inside_a_function_says_why() -> None:
    silent = [i for i in _imports() if i.where == "function" and "#" not in i.text]
    assert silent == [], "an import inside a function needs a comment on its line (e.g. start-up time)"


def test_help_and_validate_never_import_the_heavy_libraries() -> None:
    import subprocess
    import sys

    for args in (["--help"], ["validate"]):
        code = (
            "import sys; from policycmp.cli import app\n"
            f"try: app({args!r})\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'jinja2', 'tabulate') if m in sys.modules))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip().splitlines()[-1] == "[]", args


# -- the format registry -------------------------------------------------------------------------


def test_the_golden_files_cover_every_registered_format() -> None:
    """``tests/update_golden.py`` reads the registry, so a new format gets golden files (or fails)."""
    assert set(golden.FORMATS) == set(FORMATS)
    for command in golden.COMMANDS:
        for fmt in FORMATS:
            assert golden.golden_path(command, fmt).is_file(), (command, fmt)


def test_the_cli_offers_exactly_the_registered_formats() -> None:
    from policycmp.cli import Fmt

    assert [f.value for f in Fmt] == list(FORMATS)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_registered_format_renders_every_result(fmt: str) -> None:
    import policycmp

    corpus = policycmp.load(golden.REPO / golden.MINI)
    results = [
        corpus.table(),
        corpus.diff("host", "forum"),
        corpus.agreement(),
        corpus.select_claims(),
        corpus.quotes(),
        corpus.topic_list(),
        corpus.actor_list(),
    ]
    for result in results:
        text = result.render(fmt)
        assert text.endswith("\n") and len(text) > 20, (fmt, type(result).__name__)


def test_every_result_is_drawn_in_render_grid() -> None:
    """Each result class has its grid in ``render/grid.py`` (none draws its own), and a result drawn as
    several tables offers them all, its first being its grid."""
    import importlib

    from policycmp.render import grid as grids
    from policycmp.results import Result

    for module in _modules():
        if module != "policycmp.__main__":  # it runs the CLI
            importlib.import_module(module)
    found, todo = [], [Result]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo += kind.__subclasses__()
    results = [k for k in found if k is not Result and k.__module__.startswith("policycmp.")]
    assert len(results) >= 9
    for kind in results:
        assert any(k in grids._BUILDERS for k in kind.__mro__), kind
        assert kind.grid is Result.grid, f"{kind.__name__} draws its own grid"


def test_the_function_across_keeps_its_name(tmp_path: Path) -> None:
    """``policycmp.across`` is the function, whatever was imported or run before: no submodule of
    that name can replace it (the comparison is ``policycmp.crosscase``). Checked in a fresh
    interpreter, after importing every module and running every command."""
    import shutil
    import subprocess
    import sys

    mini = golden.REPO / golden.MINI
    shutil.copytree(mini, tmp_path / "coder")
    code = f"""
import importlib, sys
from pathlib import Path
import policycmp
from policycmp import api

def check(after):
    assert policycmp.across is api.across, after

check("import policycmp")
import policycmp.crosscase
check("import policycmp.crosscase")
import policycmp.render.report
check("import policycmp.render.report")

from typer.testing import CliRunner
from policycmp.cli import app, new_app

mini, tmp = {str(mini)!r}, Path({str(tmp_path)!r})
runs = {{
    "validate": ["validate", "-c", mini],
    "table": ["table", "-c", mini],
    "diff": ["diff", "host", "forum", "-c", mini],
    "agreement": ["agreement", "-c", mini],
    "claims": ["claims", "-c", mini],
    "quotes": ["quotes", "-c", mini],
    "report": ["report", "-c", mini, "-o", str(tmp / "report.html")],
    "changes": ["changes", mini, str(tmp / "coder")],
    "reliability": ["reliability", mini, str(tmp / "coder")],
    "topics": ["topics", "-c", mini],
    "actors": ["actors", "-c", mini],
    "cases": ["cases"],
    "themes": ["themes"],
    "across": ["across", "parler-2021", "epic-2020", "--actor", "apple"],
    "schema": ["schema"],
    "new case": ["new", "case", str(tmp / "case")],
    "new actor": ["new", "actor", "someone", "-c", str(tmp / "case")],
}}
commands = [c.name or c.callback.__name__ for c in app.registered_commands]
commands += ["new " + (c.name or c.callback.__name__) for c in new_app.registered_commands]
assert sorted(runs) == sorted(commands), sorted(commands)
for name, args in runs.items():
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, (name, done.exit_code, done.output[-500:])
    check(name)
for module in {sorted(m for m in _modules() if m != "policycmp.__main__")!r}:
    importlib.import_module(module)
check("every module")
print("ok", len(runs))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ok", "17"]


def test_a_users_own_result_draws_its_own_grid_in_every_format() -> None:
    """policycmp's results are drawn in ``render/grid.py``; a result class of the user's may still
    draw itself by defining ``grid()``, and then renders in every registered format."""
    import pandas as pd

    from policycmp.render.grid import Cell, Grid
    from policycmp.results import Result

    class Tally(Result):
        frame = pd.DataFrame({"word": ["a|b"], "n": [2]})

        def to_dict(self) -> object:
            return {"words": {"a|b": 2}}

        def grid(self) -> Grid:
            return Grid("Tally", "1 word", ["word", "n"], [[Cell("a|b", "topic"), Cell("2", "count")]])

    for fmt in FORMATS:
        out = Tally().render(fmt)
        assert "a" in out and "2" in out, fmt
    assert "a\\|b" in Tally().to_markdown()  # escaped like any other cell

    class Bare(Result):
        frame = pd.DataFrame()

    with pytest.raises(TypeError, match="grid\\(\\) method"):
        Bare().render("text")
