"""Benchmark of ``policycmp across``: linear in claims, and as quick as ``table`` on the bundled pair.

Usage::

    python benchmarks/across.py [--runs N] [--out benchmarks/ACROSS.md] [--quick]

Generates ten synthetic cases of 100 actors x 100 topics (10,000 claims each) with
``benchmarks/generate.py`` (seeds 1..10), then gives each topic a theme (twenty generated
themes, every fifth topic joined negated) and each actor a Wikidata item by its number, so
that actor *n* of every case is one actor. It times whole commands as a user runs them:

* ``across`` on 2, 5 and 10 of those cases (20,000 to 100,000 claims): the time per claim
  at 10 cases over the time per claim at 2 is the linearity figure (target <= 1.3);
* on the bundled pair, ``across parler-2021 epic-2020`` beside ``table`` on one case, both as
  ratios to floor A, ``python -c "import pandas"`` (target: across <= 1.3 x A, as table).

Runs are interleaved round by round after one untimed warm-up round; medians are reported.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

from benchmarks.generate import generate_corpus  # noqa: E402
from benchmarks.run import compile_package, git_revision, md_table, policycmp_command  # noqa: E402

WORK = BENCH_DIR / "_work" / "across"
N_THEMES = 20


def themes_yaml() -> str:
    lines = ["themes:"]
    for k in range(N_THEMES):
        lines += [f"  t-{k:02d}:", f"    label: Theme {k}", f"    statement: Proposition number {k} holds."]
    return "\n".join(lines) + "\n"


def join_case(path: Path, number: int) -> None:
    """Give the generated case a unique id, each topic a theme, each actor a Wikidata item."""
    case = path / "case.yaml"
    out: list[str] = []
    in_topics = False
    index = 0
    for line in case.read_text(encoding="utf-8").splitlines():
        if line.startswith("case:"):
            line = f"case: across-{number}"
        out.append(line)
        if line == "topics:":
            in_topics = True
        elif in_topics and re.fullmatch(r"  [a-z0-9-]+:", line):
            theme = f"t-{index % N_THEMES:02d}"
            out.append(f"    theme: {{id: {theme}, negated: true}}" if index % 5 == 4 else f"    theme: {theme}")
            index += 1
    case.write_text("\n".join(out) + "\n", encoding="utf-8")
    for actor in path.glob("*.yaml"):
        if actor.name == "case.yaml":
            continue
        text = actor.read_text(encoding="utf-8")
        n = int(re.search(r"^actor: .*-(\d{4})$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
        actor.write_text(re.sub(r"^(role: .*)$", rf"\1\nwikidata: Q{n}", text, count=1, flags=re.MULTILINE), "utf-8")


def make_cases(n: int, actors: int, topics: int) -> tuple[list[Path], Path, int]:
    WORK.mkdir(parents=True, exist_ok=True)
    themes = WORK / "themes.yaml"
    themes.write_text(themes_yaml(), encoding="utf-8")
    paths, claims = [], 0
    for number in range(1, n + 1):
        path = WORK / f"case-{number:02d}"
        claims += generate_corpus(path, actors, topics, seed=number)
        join_case(path, number)
        paths.append(path)
    return paths, themes, claims // n


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr.decode()[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "ACROSS.md")
    parser.add_argument("--quick", action="store_true", help="10 cases of 20 actors x 50 topics, 2 runs")
    args = parser.parse_args(argv)
    actors, topics = (20, 50) if args.quick else (100, 100)
    runs = 2 if args.quick else args.runs
    compiled = compile_package()
    pc, how = policycmp_command()
    cases, themes, per_case = make_cases(10, actors, topics)
    out_dir = WORK / "out"
    out_dir.mkdir(exist_ok=True)

    def across(k: int) -> list[str]:
        return [
            *pc,
            "across",
            *map(str, cases[:k]),
            "--themes",
            str(themes),
            "-f",
            "csv",
            "-o",
            str(out_dir / f"a{k}.csv"),
        ]

    benches: dict[str, list[str]] = {
        "floor A: python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        "table (bundled parler-2021)": [*pc, "table", "-o", str(out_dir / "table.txt")],
        "across parler-2021 epic-2020": [*pc, "across", "parler-2021", "epic-2020", "-o", str(out_dir / "pair.txt")],
        **{f"across, {k} cases": across(k) for k in (2, 5, 10)},
    }
    samples: dict[str, list[float]] = {name: [] for name in benches}
    for round_ in range(runs + 1):
        for name, cmd in benches.items():
            seconds = timed(cmd)
            if round_:  # round 0 warms up
                samples[name].append(seconds)
    med = {name: statistics.median(s) for name, s in samples.items()}
    floor = med["floor A: python -c 'import pandas'"]
    per_claim = {k: med[f"across, {k} cases"] / (k * per_case) for k in (2, 5, 10)}
    linearity = per_claim[10] / per_claim[2]
    rows = [[name, f"{med[name]:.3f}", f"{min(samples[name]):.3f}", f"{med[name] / floor:.2f}x A"] for name in benches]
    lines = [
        "# across: benchmark results",
        "",
        f"Generated by `python benchmarks/across.py{' --quick' if args.quick else ''}` at revision"
        f" {git_revision()}; policycmp run as {how}; {compiled}.",
        f"Cases: 10 generated cases of {actors} actors x {topics} topics ({per_case:,} claims each),"
        f" themes on every topic (every fifth negated), actors joined by Wikidata item. {runs} timed runs"
        " after one warm-up round; seconds.",
        "",
        *md_table(["command", "median s", "min s", "ratio"], rows).splitlines(),
        "",
        "| check | value | target | result |",
        "|---|---|---|---|",
        f"| time per claim, 10 cases over 2 cases | {linearity:.2f} | <= 1.3 | {'met' if linearity <= 1.3 else 'MISSED'} |",
        f"| across on the bundled pair | {med['across parler-2021 epic-2020'] / floor:.2f}x A | <= 1.3x A"
        f" | {'met' if med['across parler-2021 epic-2020'] / floor <= 1.3 else 'MISSED'} |",
        f"| table on the bundled case (for comparison) | {med['table (bundled parler-2021)'] / floor:.2f}x A | <= 1.3x A"
        f" | {'met' if med['table (bundled parler-2021)'] / floor <= 1.3 else 'MISSED'} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
