"""The command line: a thin Typer layer that parses options, calls the library, prints.

Library errors become clean messages and exit codes (README: "Problems and exit codes"): 1 for problems in the
input, 2 for usage errors, 3 when ``--fail-on-conflict`` finds a conflict. Heavy modules
(pandas, jinja2, tabulate) are imported inside the commands that need them.
"""

import contextlib
import enum
import errno
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from . import __version__
from .api import Corpus, case_list, check, theme_list
from .loader import display_path
from .model import source_texts
from .output import Inputs, write_output
from .problems import PolicyError, Problem, UsageError, json_dumps, term_safe
from .render import FORMATS
from .render.layout import check_label
from .resources import resolve_corpus
from .results import plural
from .scaffold import ScaffoldError, refresh_schemas, write_schemas
from .schema import dumps
from .schema import schema as make_schema
from .selection import Selection
from .vocabulary import VERDICT_WORDS
from .watch import watch
from .yamlio import Limits

if TYPE_CHECKING:
    from collections.abc import Callable

    from .loader import Loaded
    from .model import Case
    from .results import Result

# Example lines shown at the end of each command's --help.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "validate": (
        "policycmp validate -c my-case",
        "policycmp validate -c my-case --watch",
        "policycmp validate -f json",
    ),
    "table": (
        "policycmp table",
        "policycmp table -c my-case --verdict conflict",
        "policycmp table -c my-case -f latex -o table.tex",
    ),
    "diff": (
        "policycmp diff aws parler",
        "policycmp diff twitter edited/twitter.yaml",
        "policycmp diff old/aws.yaml new/aws.yaml",
    ),
    "agreement": ("policycmp agreement", "policycmp agreement -c my-case -f csv -o agreement.csv"),
    "claims": ("policycmp claims --actors aws,apple", "policycmp claims -c my-case -f csv -o claims.csv"),
    "quotes": ("policycmp quotes", "policycmp quotes -c my-case --strict"),
    "report": ("policycmp report -o parler-2021.html", "policycmp report -c my-case --fragment -o part.html"),
    "changes": (
        "policycmp changes old-copy/ my-case/",
        "policycmp changes old/aws.yaml new/aws.yaml -c my-case",
        "policycmp changes -c my-case --git HEAD~1",
    ),
    "reliability": ("policycmp reliability coder-a/ coder-b/", "policycmp reliability coder-a coder-b coder-c -f json"),
    "across": ("policycmp across parler-2021 epic-2020", "policycmp across parler-2021 epic-2020 --actor apple -f md"),
    "themes": ("policycmp themes", "policycmp themes -c my-case --themes my-themes.yaml"),
    "topics": ("policycmp topics", "policycmp topics -c my-case -f md"),
    "actors": ("policycmp actors", "policycmp actors -c my-case -f csv"),
    "cases": ("policycmp cases", "policycmp table -c parler-2021"),
    "schema": ("policycmp schema actor -c my-case", "policycmp schema --write my-case"),
    "case": ('policycmp new case my-case --title "Example v. Platform (2024)"',),
    "actor": ('policycmp new actor aws -c my-case --name "Amazon Web Services" --role cloud-host',),
}


class HelpGroup(typer.core.TyperGroup):
    """Command lists show each command's first sentence whole (click cuts it at 45 characters,
    mid-sentence), and each command's --help ends with its example lines."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            text = command.help or ""
            if command.short_help is None and text:
                command.short_help = " ".join(text.split("\n\n")[0].split())
            examples = EXAMPLES.get(cmd_name)
            if examples and "Examples:" not in text:
                command.help = text + "\n\nExamples:\n\n\b\n" + "\n".join(f"  {e}" for e in examples)
        return command


app = typer.Typer(
    cls=HelpGroup,
    name="policycmp",
    help="Compare what each side of a content-moderation dispute said, point by point.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_MAX_BYTES = Limits().max_bytes
MAX_FILE_SIZE = 2**40  # 1 TiB: beyond any file that could be read into memory
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_CONFLICT = 3


# The --format choice: one member per entry of the format registry (policycmp.render.FORMATS).
if TYPE_CHECKING:
    Fmt = enum.StrEnum
else:
    Fmt = enum.StrEnum("Fmt", {name: name for name in FORMATS})
TEXT = Fmt("text")


class LatexEnvChoice(enum.StrEnum):
    auto = "auto"
    tabular = "tabular"
    longtable = "longtable"


class ProblemFmt(enum.StrEnum):
    text = "text"
    json = "json"


CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus", "-c", help="Corpus directory (default: the bundled parler-2021 case).", show_default=False
    ),
]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE (atomically) instead of standard output.", show_default=False),
]
ColorOpt = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help="Colour text output (default: on a terminal, unless NO_COLOR is set).",
        show_default=False,
    ),
]
ActorsOpt = Annotated[list[str] | None, typer.Option("--actors", "-a", help="Actors to include, comma-separated.")]
TopicsOpt = Annotated[
    list[str] | None, typer.Option("--topics", "-t", help="Topics (ids or aliases), comma-separated.")
]
GroupOpt = Annotated[list[str] | None, typer.Option("--group", "-g", help="Only topics of these groups.")]
VerdictOpt = Annotated[
    list[str] | None,
    typer.Option("--verdict", help=f"Only these verdicts: {', '.join(VERDICT_WORDS)}."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Only claims dated on or before DATE: what each side had said by then."),
]
AllOpt = Annotated[bool, typer.Option("--all", help="Also show topics no selected actor addresses (silent).")]
CsvEscapeOpt = Annotated[
    bool,
    typer.Option("--csv-escape/--no-csv-escape", help="Prefix CSV cells starting with = + - @ with a quote (OWASP)."),
]
LatexEnvOpt = Annotated[
    LatexEnvChoice,
    typer.Option(
        "--latex-env", help="LaTeX environment: longtable breaks across pages (auto: when the table is long)."
    ),
]
CaptionOpt = Annotated[
    str | None, typer.Option("--caption", help="Caption of a LaTeX, Typst or Markdown table.", show_default=False)
]
LabelOpt = Annotated[
    str | None,
    typer.Option(
        "--label", help="Label for cross-references (letters, digits and : . _ -; needs --caption).", show_default=False
    ),
]
TextsOpt = Annotated[
    Path | None,
    typer.Option(
        "--texts",
        help="Directory of source texts: <actor>/<source-id>.EXT or <source-id>.EXT (txt, md, html, htm, pdf).",
        exists=True,
        file_okay=False,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Extract PDF and HTML source texts afresh, without the user's cache."),
]
MinSharedOpt = Annotated[
    int,
    typer.Option(
        "--min-shared",
        help="A pair's score needs at least N shared topics; fewer leave it empty (counts still shown).",
        min=1,
    ),
]
ThemesOpt = Annotated[
    Path | None,
    typer.Option(
        "--themes",
        help="A themes file that adds to or overrides the bundled themes (policies/themes.yaml).",
        show_default=False,
    ),
]
MaxSizeOpt = Annotated[
    int,
    typer.Option("--max-file-size", help="Refuse corpus files larger than this many bytes.", min=1, max=MAX_FILE_SIZE),
]


def _stderr(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _stderr(f"error: {term_safe(message)}")
    raise typer.Exit(code)


def print_problems(problems: list[Problem]) -> None:
    for p in problems:
        _stderr(term_safe(str(p)))


def summary_of(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.location.path for p in problems})
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}"


class ProgressBar:
    """A one-line progress bar on standard error, shown once a step (loading, rendering) has taken a second."""

    DELAY = 1.0

    def __init__(self, step: str = "loading", unit: str = "files") -> None:
        self.start = time.monotonic()
        self.shown = False
        self.step, self.unit = step, unit

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.start < self.DELAY and not self.shown:
            return
        filled = 30 * done // max(total, 1)
        sys.stderr.write(f"\r{self.step} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,} {self.unit}")
        if done >= total:
            sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()
        self.shown = True


def progress_bar(step: str = "loading", unit: str = "files") -> ProgressBar | None:
    """A progress bar when standard error is a terminal, else nothing."""
    return ProgressBar(step, unit) if sys.stderr.isatty() else None


def exit_with_problems(problems: list[Problem]) -> NoReturn:
    """Print the problems and their summary line, then exit 1 (the input has errors)."""
    print_problems(problems)
    _stderr(summary_of(problems))
    raise typer.Exit(EXIT_PROBLEMS) from None  # called from except blocks: no chained context


def check_or_exit(path: Path | None, max_file_size: int, themes: Path | None = None) -> "Loaded":
    """Load and check a corpus; a path that is no corpus directory is a usage error (exit 2)."""
    try:
        return check(path, Limits(max_bytes=max_file_size), progress_bar(), themes)
    except PolicyError as exc:
        fail(f"{exc.problems[0].message}: {path}", EXIT_USAGE)


def _checked_inputs(path: Path | None, loaded: "Loaded", themes: Path | None = None) -> Inputs:
    """What ``validate`` read (the corpus, the source texts it names, a themes file): ``-o`` must spare them."""
    root = resolve_corpus(path)
    return Inputs((root,), source_texts(root, loaded.actors) + ((themes,) if themes else ()), ())


def open_corpus(path: Path | None, max_file_size: int = DEFAULT_MAX_BYTES, themes: Path | None = None) -> Corpus:
    """Load a corpus or exit: problems to stderr and exit 1; warnings are printed too."""
    loaded = check_or_exit(path, max_file_size, themes)
    if not loaded.ok:
        exit_with_problems(loaded.problems)
    print_problems(loaded.problems)  # warnings only
    return Corpus(resolve_corpus(path), loaded)


def use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stdout is not None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def emit(
    result: "Result",
    fmt: Fmt,
    output: Path | None,
    color: bool | None,
    csv_escape: bool = True,
    inputs: Inputs | None = None,
    doc: dict[str, Any] | None = None,
) -> None:
    """Render ``result`` and write it to ``output`` (atomically) or standard output.

    ``doc`` holds the document options (``--latex-env``, ``--caption``, ``--label``).
    """
    offered: dict[str, Any] = {"escape_formulas": csv_escape}
    if doc is not None:
        try:
            check_label(doc["label"], doc["caption"])
        except ValueError as exc:
            fail(f"--label: {exc}")
        offered.update(env=doc["env"].value, caption=doc["caption"], label=doc["label"])
    if output is None:  # colour and fitting to the terminal only on a terminal
        offered["color"] = use_color(color)
        if sys.stdout is not None and sys.stdout.isatty():
            offered["width"] = shutil.get_terminal_size().columns
    options = {k: v for k, v in offered.items() if k in FORMATS[fmt.value].options}
    text = result.render(fmt.value, **options)
    write_out(text, output, inputs)


def write_out(text: str, output: Path | None, inputs: Inputs | None = None) -> None:
    """Standard output, or ``output`` written atomically unless it would harm one of ``inputs``."""
    if output is None or str(output) == "-":
        write_stdout(text)
        return
    why = inputs.refusal(output) if inputs is not None else None
    if why is not None:
        fail(f"will not write {output}: {why}; write the output elsewhere")
    try:
        write_output(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}", EXIT_USAGE)


def write_stdout(text: str) -> None:
    """Standard output; a full disk, a closed or broken output is a one-line output error."""
    try:
        if sys.stdout is None:  # started with standard output closed
            raise OSError(errno.EBADF, "standard output is closed")
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # a reader that stopped early (| head): main() exits quietly
    except OSError as exc:
        _discard_stdout()
        fail(f"cannot write to standard output: {exc.strerror or exc}", EXIT_USAGE)


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the final flush at exit cannot fail again."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def usage_errors(func: Any) -> Any:
    """Turn the library's UsageError (unknown actor, topic...) into exit 2."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as exc:
            fail(str(exc))

    return wrapper


def _version(value: bool) -> None:
    if value:
        write_stdout(f"policycmp {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Compare what each side of a content-moderation dispute said, point by point."""


@app.command()
def validate(
    corpus: CorpusOpt = None,
    fmt: Annotated[
        ProblemFmt, typer.Option("--format", "-f", help="text, or json for a list of problems.")
    ] = ProblemFmt.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the problems to FILE (atomically) as well as the summary to standard error."
        ),
    ] = None,
    themes: ThemesOpt = None,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Check again whenever a file of the corpus changes, until Ctrl-C (refreshes the schemas"
            " that 'policycmp schema --write' wrote there).",
        ),
    ] = False,
    interval: Annotated[
        float, typer.Option("--interval", help="With --watch: seconds between looks at the files.", min=0.05)
    ] = 0.5,
) -> None:
    """Check a corpus: print every problem, located; exit 1 on errors."""
    if watch:
        _watch_validation(corpus, fmt, output, max_file_size, interval, themes)
        return
    loaded = _validation(corpus, fmt, output, max_file_size, themes)
    if not loaded.ok:
        raise typer.Exit(EXIT_PROBLEMS)


def _validation(
    corpus: Path | None, fmt: ProblemFmt, output: Path | None, max_file_size: int, themes: Path | None = None
) -> "Loaded":
    """Check a corpus and print (or write) its problems and the summary line."""
    loaded = check_or_exit(corpus, max_file_size, themes)
    inputs = _checked_inputs(corpus, loaded, themes) if output is not None else None
    if fmt is ProblemFmt.json:
        write_out(json_dumps([p.to_dict() for p in loaded.problems]) + "\n", output, inputs)
    else:
        if output is not None:
            write_out("".join(term_safe(str(p)) + "\n" for p in loaded.problems), output, inputs)
        else:
            print_problems(loaded.problems)
        if loaded.ok:
            n_topics = len(loaded.case.topics) if loaded.case else 0
            extra = f" ({summary_of(loaded.problems)})" if loaded.problems else ""
            counts = ", ".join(
                plural(n, w)
                for n, w in ((len(loaded.actors), "actor"), (len(loaded.claims), "claim"), (n_topics, "topic"))
            )
            _stderr(f"ok: {counts}{extra}")
        else:
            _stderr(summary_of(loaded.problems))
    return loaded


def _watch_validation(
    corpus: Path | None,
    fmt: ProblemFmt,
    output: Path | None,
    max_file_size: int,
    interval: float,
    themes: Path | None = None,
) -> None:
    """``validate --watch``: a run now and after each change; Ctrl-C ends it with exit 0."""

    root = resolve_corpus(corpus)
    check_or_exit(corpus, max_file_size, themes)  # no corpus there: a usage error, before watching
    on_terminal = sys.stderr.isatty()
    shown = term_safe(display_path(root))

    def run() -> list[Path]:
        if on_terminal:
            sys.stderr.write("\x1b[H\x1b[2J\x1b[3J")  # clear the screen and its scrollback
        _stderr(f"[{time.strftime('%H:%M:%S')}] policycmp validate --watch {shown} (Ctrl-C to stop)")
        try:
            loaded = _validation(corpus, fmt, output, max_file_size, themes)
        except typer.Exit:  # the directory went away, or -o was refused: said; keep watching
            return []
        if loaded.case is not None:
            for path in refresh_schemas(root, loaded.case):
                _stderr(f"refreshed {term_safe(display_path(path))}")
        sys.stderr.flush()
        return [*source_texts(root, loaded.actors), *([themes] if themes is not None else [])]

    try:
        watch(run, root, interval)
    except KeyboardInterrupt:
        _stderr("stopped watching")


@app.command()
@usage_errors
def table(
    corpus: CorpusOpt = None,
    actors: ActorsOpt = None,
    topics: TopicsOpt = None,
    group: GroupOpt = None,
    verdict: VerdictOpt = None,
    as_of: AsOfOpt = None,
    show_all: AllOpt = False,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    latex_env: LatexEnvOpt = LatexEnvChoice.auto,
    caption: CaptionOpt = None,
    label: LabelOpt = None,
    themes: ThemesOpt = None,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """The topic x actor matrix with each topic's verdict."""
    c = open_corpus(corpus, max_file_size, themes)
    inputs = c.inputs(files=(themes,) if themes else ())
    emit(
        c.table(selection=Selection.of(actors, topics, group, verdict, as_of, show_all)),
        fmt,
        output,
        color,
        csv_escape,
        inputs,
        doc={"env": latex_env, "caption": caption, "label": label},
    )


@app.command()
@usage_errors
def diff(
    left: Annotated[str, typer.Argument(help="An actor id, or an actor file.")],
    right: Annotated[str, typer.Argument(help="An actor id, or an actor file.")],
    corpus: CorpusOpt = None,
    topics: TopicsOpt = None,
    group: GroupOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    latex_env: LatexEnvOpt = LatexEnvChoice.auto,
    caption: CaptionOpt = None,
    label: LabelOpt = None,
    fail_on_conflict: Annotated[
        bool, typer.Option("--fail-on-conflict", help="Exit 3 when any topic is in conflict.")
    ] = False,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Compare two actors topic by topic (or two versions of one actor's file)."""
    base = open_corpus(corpus, max_file_size)
    selection = Selection.of(topics=topics, group=group, as_of=as_of)
    if _is_file_arg(left) or _is_file_arg(right):  # a file, and a file or an actor id of the corpus
        from .versions import actor_file, diff_files  # pandas and numpy: only when comparing

        one, two = (Path(x) if _is_file_arg(x) else actor_file(base, x) for x in (left, right))
        try:
            names = (None if _is_file_arg(left) else left, None if _is_file_arg(right) else right)
            result = diff_files(base, one, two, selection, Limits(max_bytes=max_file_size), names)
        except PolicyError as exc:
            exit_with_problems(exc.problems)
    else:
        result = base.diff(left, right, selection=selection)
    emit(
        result,
        fmt,
        output,
        color,
        csv_escape,
        base.inputs(files=(Path(left), Path(right))),
        doc={"env": latex_env, "caption": caption, "label": label},
    )
    if result.left_label is not None:  # two versions of one actor file
        _stderr(
            "note: diff compares positions topic by topic; 'policycmp changes OLD NEW' lists what changed claim by claim"
        )
    if fail_on_conflict and result.has_conflict:
        raise typer.Exit(EXIT_CONFLICT)


def _is_file_arg(value: str) -> bool:
    return value.endswith((".yaml", ".yml")) or os.sep in value


@app.command()
@usage_errors
def agreement(
    corpus: CorpusOpt = None,
    actors: ActorsOpt = None,
    topics: TopicsOpt = None,
    group: GroupOpt = None,
    as_of: AsOfOpt = None,
    min_shared: MinSharedOpt = 3,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    latex_env: LatexEnvOpt = LatexEnvChoice.auto,
    caption: CaptionOpt = None,
    label: LabelOpt = None,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """The actor x actor agreement matrix: (agree - conflict) / shared topics, with the counts."""
    c = open_corpus(corpus, max_file_size)
    emit(
        c.agreement(min_shared=min_shared, selection=Selection.of(actors, topics, group, as_of=as_of)),
        fmt,
        output,
        color,
        csv_escape,
        c.inputs(),
        doc={"env": latex_env, "caption": caption, "label": label},
    )


@app.command()
@usage_errors
def claims(
    corpus: CorpusOpt = None,
    actors: ActorsOpt = None,
    topics: TopicsOpt = None,
    group: GroupOpt = None,
    as_of: AsOfOpt = None,
    texts: TextsOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    latex_env: LatexEnvOpt = LatexEnvChoice.auto,
    caption: CaptionOpt = None,
    label: LabelOpt = None,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """The normalized claims table (tidy export: one row per claim)."""
    c = open_corpus(corpus, max_file_size)
    selection = Selection.of(actors, topics, group, as_of=as_of)
    claims_table = c.select_claims(texts=texts, cache=not no_cache, selection=selection)
    emit(
        claims_table,
        fmt,
        output,
        color,
        csv_escape,
        c.inputs(texts),
        doc={"env": latex_env, "caption": caption, "label": label},
    )


@app.command()
@usage_errors
def quotes(
    corpus: CorpusOpt = None,
    texts: TextsOpt = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only quotes with these statuses: verified, not-found, no-text."),
    ] = None,
    actors: ActorsOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any quote is not found in its text.")] = False,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Check every quote against the text of the source it cites."""
    c = open_corpus(corpus, max_file_size)
    result = c.quotes(texts, actors, status, cache=not no_cache)
    print_problems(result.warnings)
    emit(result, fmt, output, color, csv_escape, c.inputs(texts))
    if strict and result.summary["not-found"]:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
@usage_errors
def report(
    corpus: CorpusOpt = None,
    actors: ActorsOpt = None,
    topics: TopicsOpt = None,
    group: GroupOpt = None,
    verdict: VerdictOpt = None,
    as_of: AsOfOpt = None,
    show_all: AllOpt = False,
    output: OutputOpt = None,
    fragment: Annotated[
        bool, typer.Option("--fragment", help="Only the report's <section>, with its CSS scoped to it, for embedding.")
    ] = False,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir",
            help="Templates here override the bundled ones by name (extend them as default:NAME).",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Title (default: the case's).", show_default=False)
    ] = None,
    texts: TextsOpt = None,
    no_cache: NoCacheOpt = False,
    min_shared: MinSharedOpt = 3,
    across: Annotated[
        list[str] | None,
        typer.Option(
            "--across",
            help="Another case (bundled name or directory; repeatable) to link by themes, with an 'Across cases' section.",
            show_default=False,
        ),
    ] = None,
    themes: ThemesOpt = None,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
    id_prefix: Annotated[
        str | None,
        typer.Option(
            "--id-prefix",
            help="Prefix of every element id (default: pc- for a page, a random one for each --fragment).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The full HTML report: one self-contained page (matrix, evidence, heatmap, timeline, sources)."""
    if template_dir is not None and not template_dir.is_dir():
        fail(f"--template-dir {template_dir}: no such directory")
    from .render.report import id_prefix_problem  # numpy and pandas come with it: only for a report

    if id_prefix is not None and (problem := id_prefix_problem(id_prefix)):
        fail(f"--id-prefix {id_prefix!r}: {problem}")
    c = open_corpus(corpus, max_file_size, themes)
    others = [open_corpus(Path(o), max_file_size, themes) for o in across or ()]
    if any(o.case.id == c.case.id for o in others):
        fail(f"--across names the report's own case '{c.case.id}'; name other cases")
    selection = Selection.of(actors, topics, group, verdict, as_of, show_all)
    built = c.report(texts=texts, cache=not no_cache, min_shared=min_shared, across=others, selection=selection)
    try:
        html = built.to_html(
            fragment=fragment, template_dir=template_dir, title=title, id_prefix=id_prefix,
            progress=progress_bar("rendering", "topics"),
        )  # fmt: skip
    except PolicyError as exc:  # a problem in a --template-dir template, located
        print_problems(exc.problems)
        raise typer.Exit(EXIT_PROBLEMS) from None
    print_problems(built.text_warnings)  # source texts there but unusable, as quotes says
    extra = tuple(o.root for o in others) + ((themes,) if themes else ())
    write_out(html, output, c.inputs(texts, files=extra, templates=template_dir))


@app.command()
@usage_errors
def changes(
    old: Annotated[
        Path | None, typer.Argument(help="The old version: a corpus directory or an actor file.", show_default=False)
    ] = None,
    new: Annotated[
        Path | None, typer.Argument(help="The new version: a corpus directory or an actor file.", show_default=False)
    ] = None,
    corpus: CorpusOpt = None,
    git: Annotated[
        str | None,
        typer.Option(
            "--git",
            help="Compare the corpus (-c) with its own state at this git revision (read from git, no checkout).",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Claim-level changes between two versions: two corpus directories, two actor files, or --git REV."""
    from .claimchanges import corpus_changes, file_changes, git_changes  # difflib and pandas: only for changes
    from .gitread import GitError  # subprocess and tempfile: only for changes --git

    if git is not None and (old is not None or new is not None):
        fail("--git REV compares the corpus (-c) with its state at REV; give no OLD and NEW with it")
    if git is None and (old is None or new is None):
        fail("give OLD and NEW (two corpus directories or two actor files), or --git REV")
    try:
        if git is not None:
            base = open_corpus(corpus, max_file_size)
            inputs = base.inputs()
            result = git_changes(base, git, max_file_size)
        else:
            assert old is not None
            assert new is not None
            if old.is_dir() and new.is_dir():
                if corpus is not None:
                    fail("-c is for two actor files (the case they are read against); two directories need none")
                previous, current = open_corpus(old, max_file_size), open_corpus(new, max_file_size)
                inputs = Inputs((previous.root, current.root), previous.source_texts + current.source_texts, ())
                result = corpus_changes(previous, current, str(old), str(new))
            elif old.is_dir() or new.is_dir():
                fail("give two corpus directories or two actor files, not one of each")
            else:
                base = open_corpus(corpus, max_file_size)
                inputs = base.inputs(files=(old, new))
                result = file_changes(base, old, new, max_file_size)
    except GitError as exc:
        fail(str(exc))
    except PolicyError as exc:
        exit_with_problems(exc.problems)
    emit(result, fmt, output, color, csv_escape, inputs)


@app.command()
def reliability(
    coders: Annotated[
        list[Path], typer.Argument(help="Two or more corpus directories: each coder's coding of the same case.")
    ],
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Inter-coder reliability: Krippendorff's alpha (nominal) and percent agreement, per topic and actor."""
    from .intercoder import ReliabilityError  # pandas and numpy: only for reliability
    from .intercoder import reliability as compute  # (the same module)

    try:
        result = compute(*coders, max_bytes=max_file_size)
    except ReliabilityError as exc:
        fail(str(exc))
    except PolicyError as exc:
        exit_with_problems(exc.problems)
    emit(result, fmt, output, color, csv_escape, Inputs(tuple(coders), (), ()))  # it reads no source text


@app.command()
def topics(
    corpus: CorpusOpt = None,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    csv_escape: CsvEscapeOpt = True,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """List the topics in dispute, grouped, with their aliases."""
    c = open_corpus(corpus, max_file_size)
    emit(c.topic_list(), fmt, output, color=False, csv_escape=csv_escape, inputs=c.inputs())


@app.command()
def actors(
    corpus: CorpusOpt = None,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    csv_escape: CsvEscapeOpt = True,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """List the actors with their roles and how many claims and sources each has."""
    c = open_corpus(corpus, max_file_size)
    emit(c.actor_list(), fmt, output, color=False, csv_escape=csv_escape, inputs=c.inputs())


@app.command()
def cases(fmt: FormatOpt = TEXT, output: OutputOpt = None, csv_escape: CsvEscapeOpt = True) -> None:
    """List the bundled cases (use one with --corpus NAME)."""
    emit(case_list(), fmt, output, color=False, csv_escape=csv_escape)


@app.command()
def themes(
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus", "-c", help="A case to look in (repeatable; default: the bundled cases).", show_default=False
        ),
    ] = None,
    themes_file: ThemesOpt = None,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    csv_escape: CsvEscapeOpt = True,
) -> None:
    """List the themes, with the cases and topics that use each."""
    try:
        result = theme_list(list(corpus) if corpus else None, themes_file)
    except PolicyError as exc:
        exit_with_problems(exc.problems)
    inputs = Inputs(tuple(corpus or ()), (themes_file,) if themes_file else (), ())
    emit(result, fmt, output, color=False, csv_escape=csv_escape, inputs=inputs)


@app.command()
@usage_errors
def across(
    cases: Annotated[list[str], typer.Argument(help="Two or more cases: bundled case names or directories.")],
    actor: Annotated[
        str | None, typer.Option("--actor", help="Only this actor (any of its ids in the cases).", show_default=False)
    ] = None,
    themes: ThemesOpt = None,
    fmt: FormatOpt = TEXT,
    output: OutputOpt = None,
    color: ColorOpt = None,
    csv_escape: CsvEscapeOpt = True,
    max_file_size: MaxSizeOpt = DEFAULT_MAX_BYTES,
) -> None:
    """One actor's (or every shared actor's) positions across cases, theme by theme."""
    from .crosscase import build_across  # pandas and numpy: only when comparing

    if len(cases) < 2:
        fail("across compares at least two cases; name two or more (e.g. policycmp across parler-2021 epic-2020)")
    corpora = [open_corpus(Path(c), max_file_size, themes) for c in cases]
    result = build_across(corpora, actor, corpora[0].themes)
    print_problems(result.warnings)
    files = (themes,) if themes else ()
    inputs = Inputs(tuple(c.root for c in corpora), sum((c.source_texts for c in corpora), ()) + files, ())
    emit(result, fmt, output, color, csv_escape, inputs)


@app.command()
def schema(
    kind: Annotated[str | None, typer.Argument(help="case or actor (default: one schema for either file).")] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            "-c",
            help="A corpus whose topic ids and aliases the actor schema offers as completions.",
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Write schemas/case.schema.json and schemas/actor.schema.json into this corpus directory,"
            " for editors to use offline (replaces only schema files it wrote).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the corpus file formats.

    With -c, the actor schema completes that case's topic ids and aliases; --write puts both
    schemas into DIR/schemas/, where the files' first lines point editors at them.
    """

    if kind not in (None, "case", "actor"):
        fail(f"unknown schema {kind!r}; use 'case' or 'actor'")
    if write is not None:
        if kind is not None or output is not None or (corpus is not None and corpus != write):
            fail("--write DIR writes both schemas of the corpus DIR; give no schema name, -c or -o with it")
        _write_schemas(write)
        return
    case = _case_of(corpus) if corpus is not None else None
    write_out(dumps(make_schema(kind, case)), output)


def _case_of(path: Path) -> "Case":
    """The case of a corpus, or exit: its problems and 1 when case.yaml cannot be read."""
    loaded = check_or_exit(path, DEFAULT_MAX_BYTES)
    if loaded.case is None:
        print_problems([p for p in loaded.problems if p.severity == "error"])
        _stderr(f"the case of {path} has errors; fix them first")
        raise typer.Exit(EXIT_PROBLEMS)
    return loaded.case


def _write_schemas(root: Path) -> None:

    case = _case_of(root)
    try:
        written = write_schemas(root, case)
    except (ScaffoldError, OSError) as exc:
        fail(str(exc) if isinstance(exc, ScaffoldError) else f"cannot write in {root}: {exc.strerror}")
    for path in written:
        _stderr(f"wrote {term_safe(display_path(path))}")
    if not written:
        _stderr(f"the schemas in {term_safe(display_path(root))} are up to date")


new_app = typer.Typer(
    cls=HelpGroup,
    help="Start a case or an actor file: commented YAML that validates as written.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(new_app, name="new")


def _scaffolded(make: "Callable[[], list[Path]]", next_step: str) -> None:

    try:
        written = make()
    except ScaffoldError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {exc.filename or ''}: {exc.strerror}".replace("write : ", "write: "))
    for path in written:
        _stderr(f"wrote {term_safe(display_path(path))}")
    _stderr(term_safe(next_step))


@new_app.command("case")
def new_case(
    directory: Annotated[Path, typer.Argument(help="The case directory (created when missing).")],
    title: Annotated[
        str | None, typer.Option("--title", help="The case's title (default: from the directory name).")
    ] = None,
) -> None:
    """Create DIR/case.yaml with one example topic, and the schemas editors use beside it.

    Never replaces a file (exit 2).
    """
    from .scaffold import new_case as make  # the name make is local to each command

    shown = _shell_word(directory)
    _scaffolded(lambda: make(directory, title), f"next: policycmp new actor ID -c {shown} --name NAME --role ROLE")


@new_app.command("actor")
def new_actor(
    actor_id: Annotated[str, typer.Argument(help="The actor id: letters, digits and hyphens, e.g. aws.")],
    corpus: Annotated[
        Path, typer.Option("--corpus", "-c", help="The case directory (made with 'policycmp new case').")
    ],
    name: Annotated[str | None, typer.Option("--name", help="The actor's name (default: the id).")] = None,
    role: Annotated[
        str, typer.Option("--role", help="The actor's role, e.g. cloud-host, app-store, platform, court.")
    ] = "platform",
) -> None:
    """Create DIR/ID.yaml with one example source and one claim on the case's first topic.

    Never replaces a file (exit 2).
    """
    from .scaffold import new_actor as make  # the name make is local to each command

    loaded = check_or_exit(corpus, DEFAULT_MAX_BYTES)
    case = _case_of(corpus)
    ids = [a.id for a in loaded.actors]
    shown = _shell_word(corpus)
    _scaffolded(
        lambda: make(corpus, case, ids, actor_id, name, role),
        f"next: edit the file, then policycmp validate -c {shown} (or validate --watch while you edit)",
    )


def _shell_word(path: Path) -> str:
    """A path as one word a shell reads back (quoted when needed)."""
    import shlex

    return shlex.quote(str(path))


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Console entry point: no traceback for anything the user can cause."""
    import signal

    # SIGTERM unwinds like Ctrl-C, so that an output being written leaves no temporary file
    with contextlib.suppress(AttributeError, ValueError):  # no SIGTERM here, or not the main thread
        signal.signal(signal.SIGTERM, _terminate)
    for stream in (sys.stdout, sys.stderr):  # an output that cannot hold a character shows it escaped
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        app()
    except KeyboardInterrupt:
        _stderr("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # a bug, not bad input: one line, and the traceback on request
        if os.environ.get("POLICYCMP_DEBUG"):
            raise
        _stderr(
            f"internal error: {type(exc).__name__}: {term_safe(str(exc))}"
            " (set POLICYCMP_DEBUG=1 for details; please report)"
        )
        sys.exit(70)
