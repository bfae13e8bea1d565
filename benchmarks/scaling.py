"""Does ``validate`` cost the same per key at 40,000 keys as at 4,000?

Usage::

    python benchmarks/scaling.py [--small 4000] [--large 40000] [--runs 3]

Writes two corpora into a temporary directory: a case file with N topics (a mapping of N
keys, each topic a mapping with a label) and one actor file with N claims, one per topic.
Times ``policycmp.check`` on each in this process (best of ``--runs``, interleaved) and prints the time
per key and the ratio large/small. A loader that scans a mapping once per key (quadratic)
shows as a ratio near large/small (10); a linear one stays near 1. Exits 1 when the ratio
is over ``--max-ratio`` (default 1.5), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: only benchmarks/ is on sys.path
    sys.path.insert(0, str(REPO))

import policycmp  # noqa: E402


def write_corpus(root: Path, keys: int) -> None:
    root.mkdir(parents=True)
    topics = "".join(f"  topic-{i}:\n    label: Topic {i}\n    statement: Statement {i}.\n" for i in range(keys))
    (root / "case.yaml").write_text(f"case: scaling\ntitle: Scaling\ntopics:\n{topics}", encoding="utf-8")
    claims = "".join(
        f"  - topic: topic-{i}\n    stance: {'asserts' if i % 2 else 'denies'}\n    summary: Claim {i}.\n    source: s\n"
        for i in range(keys)
    )
    (root / "actor.yaml").write_text(
        f"actor: actor\nname: Actor\nrole: host\nsources:\n  s:\n    title: Letter\n    type: letter\nclaims:\n{claims}",
        encoding="utf-8",
    )


def seconds(root: Path) -> float:
    started = time.perf_counter()
    loaded = policycmp.check(root)
    elapsed = time.perf_counter() - started
    if loaded.problems:
        raise SystemExit(f"the generated corpus has problems: {loaded.problems[0]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=4000)
    parser.add_argument("--large", type=int, default=40000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=1.5)
    args = parser.parse_args(argv)
    sizes = (args.small, args.large)
    with tempfile.TemporaryDirectory(prefix="policycmp-scaling-") as tmp:
        for keys in sizes:
            write_corpus(Path(tmp) / str(keys), keys)
        best = dict.fromkeys(sizes, float("inf"))
        for _ in range(args.runs):  # interleaved, so that load on the machine hits both sizes alike
            for keys in sizes:
                best[keys] = min(best[keys], seconds(Path(tmp) / str(keys)))
    per_key = {keys: best[keys] / keys for keys in sizes}
    for keys in sizes:
        print(f"{keys:>7,} keys: {per_key[keys] * 1e6:8.1f} µs per key (best of {args.runs})")
    ratio = per_key[args.large] / per_key[args.small]
    verdict = "flat" if ratio <= args.max_ratio else "NOT flat"
    print(f"ratio {args.large:,} / {args.small:,} keys: {ratio:.2f} ({verdict}; limit {args.max_ratio})")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
