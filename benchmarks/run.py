"""Benchmark runner for the policycmp command line.

Usage::

    python benchmarks/run.py [--quick] [--runs N] [--out benchmarks/RESULTS.md]

Generates synthetic corpora into ``benchmarks/_work/`` (reused while the generator and
the parameters are unchanged), then times whole ``policycmp`` commands as subprocesses
and compares each median with a floor measured in the same run:

* floor A: ``python -c "import pandas"`` (interpreter start plus the heaviest import);
* floor B: a Python process that only loads every YAML file of a corpus with
  ``yaml.load(f, Loader=yaml.CSafeLoader)``.

Each command runs in a small wrapper process that measures its wall-clock time and its
peak memory (``ru_maxrss`` of ``RUSAGE_CHILDREN``, which in a fresh wrapper covers that one
command). Runs are interleaved round by round, floors included, after one untimed warm-up
round. Prints a table and writes it as Markdown. Exits 0 even when targets are missed;
non-zero only when a command fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import yaml

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK = BENCH_DIR / "_work"

if str(REPO) not in sys.path:  # run as a script: only benchmarks/ is on sys.path
    sys.path.insert(0, str(REPO))
from benchmarks.chromium import chromium_flags, find_chromium  # noqa: E402
from benchmarks.generate import MARKER_NAME, generate_corpus, generator_digest  # noqa: E402

GIB = 1024**3
MIB = 1024**2
MEMORY_LIMIT = int(1.5 * GIB)
SEED = 0

# Runs one command with a timeout; prints its wall-clock seconds, peak RSS and exit code.
WRAPPER = r"""
import json, resource, subprocess, sys, time
timeout = float(sys.argv[1])
argv = sys.argv[2:]
start = time.perf_counter()
try:
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout)
    code, err = proc.returncode, proc.stderr
except subprocess.TimeoutExpired as exc:
    code, err = None, (exc.stderr or b"") + b"\n[timed out]"
except OSError as exc:
    code, err = None, str(exc).encode()
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
rss = rss if sys.platform == "darwin" else rss * 1024
print(json.dumps({"seconds": seconds, "rss": rss, "code": code,
                  "stderr": err[-2000:].decode("utf-8", "replace")}))
"""

# Floor B: load every YAML file of a corpus with the C loader, nothing else.
FLOOR_B = r"""
import sys
from pathlib import Path
import yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for p in sorted(Path(sys.argv[1]).iterdir()):
    if p.suffix in (".yaml", ".yml"):
        with open(p, "rb") as f:
            yaml.load(f, Loader=loader)
"""


@dataclass(frozen=True)
class Corpus:
    name: str
    actors: int
    topics: int
    path: Path
    claims: int
    files: int
    size: int
    status: str


@dataclass
class Bench:
    label: str
    argv: list[str]
    output: Path | None = None
    samples: list[float] = field(default_factory=list)
    peak_rss: int = 0
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples and not self.error else None

    @property
    def min(self) -> float | None:
        return min(self.samples) if self.samples and not self.error else None


@dataclass
class Row:
    """One comparison of a command's median with a floor."""

    bench: Bench
    floor: Bench | None = None
    floor_name: str = ""
    factor: float | None = None  # target: median <= factor x floor

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.bench.median is None or self.floor.median is None:
            return None
        return self.bench.median / self.floor.median

    @property
    def result(self) -> str:
        if self.bench.error:
            return "FAIL"
        if self.factor is None:
            return "floor" if self.floor is None else "info"
        if self.floor is not None and self.floor.error:
            return "FAIL"
        ratio = self.ratio
        return "—" if ratio is None else ("PASS" if ratio <= self.factor else "MISS")


@dataclass
class Check:
    name: str
    measured: str
    target: str
    result: str


@dataclass
class Plan:
    mode: str
    runs: int
    small: tuple[int, int]  # linearity base
    big: tuple[int, int]  # validate / table / agreement
    report: tuple[int, int]


FULL = Plan("full", 5, small=(100, 100), big=(1000, 100), report=(200, 100))
QUICK = Plan("quick", 2, small=(20, 50), big=(200, 50), report=(40, 50))


def rel(path: Path) -> str:
    """A path as given to the commands: relative to the repository (their working dir)."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def policycmp_command() -> tuple[list[str], str]:
    """The console script next to this interpreter if it exists, else ``python -m``."""
    bindir = Path(sys.executable).parent
    for name in ("policycmp", "policycmp.exe"):
        script = bindir / name
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script)], "the console script `policycmp`"
    return [
        sys.executable,
        "-m",
        "policycmp",
    ], "`python -m policycmp` (no console script found)"


def compile_package() -> str:
    """Bring policycmp's bytecode up to date, as ``pip install`` does, and say so.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile
    every changed module in every timed run, which no installed copy does.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("policycmp")
    if spec is None or not spec.submodule_search_locations:
        return "policycmp not importable here: bytecode left as it is"
    package = Path(next(iter(spec.submodule_search_locations)))
    ok = compileall.compile_dir(package, quiet=1)
    return "policycmp's modules compiled before timing (as `pip install` does)" if ok else "compileall failed"


def display(argv: list[str], pc: list[str]) -> str:
    """A command line as a user would type it (no interpreter or install paths)."""
    if argv[: len(pc)] == pc:
        shown = ["policycmp", *argv[len(pc) :]]
    elif argv[:1] == [sys.executable]:
        shown = ["python", *argv[1:]]
    else:
        shown = list(argv)
    if len(shown) > 2 and shown[:2] == ["python", "-c"] and shown[2] == FLOOR_B:
        shown[2] = "<load every YAML file with yaml.CSafeLoader>"
    return shlex.join(shown)


def ensure_corpus(actors: int, topics: int, log: list[str]) -> Corpus:
    path = WORK / f"corpus-a{actors}-t{topics}-s{SEED}"
    marker = path / MARKER_NAME
    expected = {
        "actors": actors,
        "topics": topics,
        "claims_per_actor": topics,
        "seed": SEED,
        "generator": generator_digest(),
    }
    info: dict[str, object] = {}
    if marker.is_file():
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
    files = sorted(p for p in path.glob("*.yaml")) if path.is_dir() else []
    if all(info.get(k) == v for k, v in expected.items()) and len(files) == actors + 1:
        status = "reused"
    else:
        start = time.perf_counter()
        generate_corpus(path, actors, topics, None, SEED)
        status = f"generated in {time.perf_counter() - start:.1f} s"
        info = json.loads(marker.read_text(encoding="utf-8"))
        files = sorted(path.glob("*.yaml"))
    corpus = Corpus(
        name=f"{actors}×{topics}",
        actors=actors,
        topics=topics,
        path=path,
        claims=int(str(info["claims"])),
        files=len(files),
        size=sum(p.stat().st_size for p in files),
        status=status,
    )
    log.append(f"corpus {corpus.name}: {corpus.claims:,} claims, {status}")
    return corpus


def run_once(argv: list[str], timeout: float) -> dict[str, object]:
    cmd = [sys.executable, "-c", WRAPPER, str(timeout), *argv]
    try:
        proc = subprocess.run(
            cmd,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout + 60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": 0.0, "rss": 0, "code": None, "stderr": "[timed out]"}
    if proc.returncode != 0:
        return {"seconds": 0.0, "rss": 0, "code": None, "stderr": proc.stderr[-2000:]}
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def run_group(title: str, benches: list[Bench], runs: int, timeout: float) -> None:
    """Warm-up round, then ``runs`` timed rounds; each round runs every bench once."""
    print(f"\n{title}", file=sys.stderr)
    for round_no in range(runs + 1):
        tag = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
        for bench in benches:
            if bench.error:
                continue
            if bench.output is not None:
                bench.output.unlink(missing_ok=True)
            res = run_once(bench.argv, timeout)
            code = res["code"]
            if code != 0:
                tail = str(res["stderr"]).strip().splitlines()[-5:]
                bench.error = f"exit {code}: " + " / ".join(tail)
                print(
                    f"  {tag:>10}  {bench.label}: FAILED ({bench.error})",
                    file=sys.stderr,
                )
                continue
            if bench.output is not None and (not bench.output.is_file() or bench.output.stat().st_size == 0):
                bench.error = f"did not write {rel(bench.output)}"
                print(
                    f"  {tag:>10}  {bench.label}: FAILED ({bench.error})",
                    file=sys.stderr,
                )
                continue
            seconds = float(str(res["seconds"]))
            bench.peak_rss = max(bench.peak_rss, int(str(res["rss"])))
            if round_no > 0:
                bench.samples.append(seconds)
            print(f"  {tag:>10}  {bench.label}: {seconds:.3f} s", file=sys.stderr)


def chromium_check(html: Path, label: str) -> Check:
    name = f"report {label} opens in headless Chromium"
    target = "the DOM holds the matrix (`<table`)"
    browser = find_chromium()
    if browser is None:
        return Check(name, "Chromium not found", target, "SKIP")
    if not html.is_file():
        return Check(name, "no report file", target, "SKIP")
    with tempfile.TemporaryDirectory(prefix="policycmp-chromium-") as profile:
        cmd = [browser, *chromium_flags(profile, "--dump-dom"), html.resolve().as_uri()]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            return Check(name, "timed out after 120 s", target, "MISS")
        seconds = time.perf_counter() - start
    dom = proc.stdout.decode("utf-8", "replace")
    ok = "<table" in dom.lower()
    measured = f"DOM {len(dom) / MIB:.1f} MiB in {seconds:.1f} s, exit {proc.returncode}"
    return Check(name, measured, target, "PASS" if ok else "MISS")


def machine_info() -> list[tuple[str, str]]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) * 1024 / GIB:.1f} GiB"
                break
    except (OSError, ValueError, IndexError):
        pass
    cores = str(os.cpu_count())
    if hasattr(os, "sched_getaffinity"):
        cores += f" ({len(os.sched_getaffinity(0))} usable)"
    libyaml = "with libyaml" if getattr(yaml, "__with_libyaml__", False) else "WITHOUT libyaml"
    return [
        ("Platform", platform.platform()),
        ("CPU", cpu),
        ("Cores", cores),
        ("Memory", memory),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("PyYAML", f"{yaml.__version__} {libyaml}"),
        ("pandas", _version("pandas")),
    ]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()

    try:
        rev = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + (" with uncommitted changes" if dirty else "")


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def fmt_rss(bench: Bench) -> str:
    return "—" if bench.error or not bench.peak_rss else f"{bench.peak_rss / MIB:.0f}"


def timing_table(rows: list[Row]) -> tuple[list[str], list[list[str]]]:
    header = [
        "benchmark",
        "median s",
        "min s",
        "peak RSS MiB",
        "floor",
        "ratio",
        "target",
        "result",
    ]
    body = []
    for row in rows:
        b = row.bench
        floor = (
            f"{row.floor_name} = {fmt_s(row.floor.median)} s"
            if row.floor is not None and row.floor.median is not None
            else "—"
        )
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
        target = "—" if row.factor is None else f"≤ {row.factor:g} × {row.floor_name}"
        body.append(
            [
                b.label,
                fmt_s(b.median),
                fmt_s(b.min),
                fmt_rss(b),
                floor,
                ratio,
                target,
                row.result,
            ]
        )
    return header, body


def text_table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


def md_table(header: list[str], body: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for r in body:
        lines.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time policycmp commands against floors.")
    parser.add_argument("--quick", action="store_true", help="small corpora, 2 runs: a smoke run")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command (5)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="Markdown results (default benchmarks/RESULTS.md; with --quick benchmarks/_work/RESULTS-quick.md)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help="seconds allowed per command run (900)",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    runs = args.runs if args.runs is not None else plan.runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    out = args.out or (WORK / "RESULTS-quick.md" if args.quick else BENCH_DIR / "RESULTS.md")
    command = shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]])
    started = datetime.now(UTC)

    WORK.mkdir(parents=True, exist_ok=True)
    outdir = WORK / "out"
    outdir.mkdir(exist_ok=True)
    log: list[str] = []
    small = ensure_corpus(*plan.small, log)
    big = ensure_corpus(*plan.big, log)
    rep = ensure_corpus(*plan.report, log)
    corpora = list({c.path: c for c in (small, big, rep)}.values())
    for line in log:
        print(line, file=sys.stderr)

    pc, how = policycmp_command()
    bytecode = compile_package()
    py = sys.executable

    def bench(label: str, args_: list[str], output: Path | None = None) -> Bench:
        return Bench(label, [*pc, *args_], output)

    def floor_b(c: Corpus) -> Bench:
        return Bench(f"floor B: load YAML ({c.name})", [py, "-c", FLOOR_B, rel(c.path)])

    floor_a = Bench('floor A: python -c "import pandas"', [py, "-c", "import pandas"])
    startup = [
        floor_a,
        bench("--help", ["--help"]),
        bench("validate (bundled case)", ["validate"]),
        bench("table (bundled case)", ["table"]),
        bench("diff aws parler (bundled case)", ["diff", "aws", "parler"]),
    ]
    b_small = floor_b(small)
    v_small = bench(f"validate -c ({small.name})", ["validate", "-c", rel(small.path)])
    b_big = floor_b(big)
    table_out, agree_out, report_out = (
        outdir / "table.csv",
        outdir / "agreement.csv",
        outdir / "report.html",
    )
    v_big = bench(f"validate -c ({big.name})", ["validate", "-c", rel(big.path)])
    t_big = bench(
        f"table -f csv ({big.name})",
        ["table", "-c", rel(big.path), "-f", "csv", "-o", rel(table_out)],
        table_out,
    )
    a_big = bench(
        f"agreement -f csv ({big.name})",
        ["agreement", "-c", rel(big.path), "-f", "csv", "-o", rel(agree_out)],
        agree_out,
    )
    b_rep = floor_b(rep)
    r_rep = bench(
        f"report -o html ({rep.name})",
        ["report", "-c", rel(rep.path), "-o", rel(report_out)],
        report_out,
    )

    run_group("startup (bundled case)", startup, runs, args.timeout)
    run_group(f"linearity base ({small.name})", [b_small, v_small], runs, args.timeout)
    run_group(f"large corpus ({big.name})", [b_big, v_big, t_big, a_big], runs, args.timeout)
    run_group(f"report ({rep.name})", [b_rep, r_rep], runs, args.timeout)

    rows = [
        Row(floor_a),
        Row(startup[1], floor_a, "A", 0.5),
        Row(startup[2], floor_a, "A", 0.5),
        Row(startup[3], floor_a, "A", 1.3),
        Row(startup[4], floor_a, "A", 1.3),
        Row(b_small),
        Row(v_small, b_small, "B", None),
        Row(b_big),
        Row(v_big, b_big, "B", 2.0),
        Row(t_big, b_big, "B", 2.0),
        Row(a_big, b_big, "B", 2.0),
        Row(b_rep),
        Row(r_rep, b_rep, "B", 3.0),
    ]

    checks: list[Check] = []
    for b in (v_big, t_big, a_big):
        if b.error:
            checks.append(Check(f"peak RSS: {b.label}", "—", "≤ 1536 MiB", "FAIL"))
        else:
            ok = b.peak_rss <= MEMORY_LIMIT
            checks.append(
                Check(
                    f"peak RSS: {b.label}",
                    f"{b.peak_rss / MIB:.0f} MiB",
                    "≤ 1536 MiB",
                    "PASS" if ok else "MISS",
                )
            )
    lin_name = f"linearity: validate time per claim, {big.claims:,} vs {small.claims:,} claims"
    if v_small.median is None or v_big.median is None:
        checks.append(Check(lin_name, "—", "≤ 1.3", "FAIL"))
    else:
        per_small = v_small.median / small.claims
        per_big = v_big.median / big.claims
        ratio = per_big / per_small
        measured = f"{ratio:.2f} ({per_big * 1e6:.1f} vs {per_small * 1e6:.1f} µs/claim)"
        help_median = startup[1].median
        if help_median is not None and v_small.median > help_median:
            marginal = ((v_big.median - help_median) / big.claims) / ((v_small.median - help_median) / small.claims)
            measured += f"; {marginal:.2f} without start-up (`--help` time)"
        checks.append(Check(lin_name, measured, "≤ 1.3", "PASS" if ratio <= 1.3 else "MISS"))
    if r_rep.error:
        checks.append(Check(f"report {rep.name} opens in headless Chromium", "—", "—", "SKIP"))
    else:
        checks.append(chromium_check(report_out, rep.name))

    all_benches = [r.bench for r in rows]
    failed = [b for b in all_benches if b.error]

    header, body = timing_table(rows)
    check_header = ["check", "measured", "target", "result"]
    check_body = [[c.name, c.measured, c.target, c.result] for c in checks]
    print()
    print(text_table(header, body))
    print()
    print(text_table(check_header, check_body))
    for b in failed:
        print(f"\nFAILED: {b.label}: {b.error}")

    machine = machine_info()
    corpus_body = [
        [
            c.name,
            str(c.actors),
            str(c.topics),
            f"{c.claims:,}",
            str(c.files),
            f"{c.size / MIB:.1f}",
            c.status,
        ]
        for c in corpora
    ]
    md = [
        "# policycmp benchmarks",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Mode: {plan.mode}"
        + (" (smoke run: small corpora, few runs; ratios are not meaningful)" if args.quick else ""),
        f"- policycmp {_version('policycmp')}, run as {how}; revision {git_revision()}",
        f"- Bytecode: {bytecode}",
        f"- Timing: wall clock of each whole command, {runs} timed run{'s' if runs != 1 else ''} after one warm-up "
        + "run, rounds interleaved with the floors; median and minimum",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in machine),
        "",
        "## Corpora (synthetic, `benchmarks/generate.py`, seed 0)",
        "",
        md_table(
            ["corpus", "actors", "topics", "claims", "files", "MiB", "status"],
            corpus_body,
        ),
        "",
        "## Timings",
        "",
        md_table(header, body),
        "",
        "## Other checks",
        "",
        md_table(check_header, check_body),
        "",
    ]
    if failed:
        md += ["## Failures", ""]
        md += [f"- {b.label}: `{b.error}`" for b in failed]
        md.append("")
    md += [
        "## Commands",
        "",
        "Run from the repository root.",
        "",
        "```",
        *(f"# {b.label}\n{display(b.argv, pc)}" for b in all_benches),
        "```",
        "",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(md), encoding="utf-8")
    print(f"\nwrote {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
