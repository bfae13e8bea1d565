"""A long fuzzing campaign: the checks of tests/test_fuzz.py, for many more inputs.

Usage, from the repository root::

    python benchmarks/fuzz_campaign.py --examples 20000
    python benchmarks/fuzz_campaign.py --minutes 5 --seed 7

Each input is a whole corpus (or a pair of random byte files, or a valid corpus with random
text in every field); every command runs on it in-process with exceptions propagating, exactly
as the tests do. Hypothesis generates in batches; a batch stops at its first failure, which is
shrunk and printed, and the campaign goes on with the next batch. The summary says how many
inputs were tried, how many corpora validated, how each command ended, and every failure.
Exit code: 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.test_fuzz import (  # noqa: E402
    FORMATS,
    NASTY,
    TEXT,
    FuzzCorpus,
    Outcome,
    check_corpus,
    corpora,
    valid_corpus,
)

KINDS = ("structured", "bytes", "valid-text")


class Stats:
    def __init__(self) -> None:
        self.tried = collections.Counter[str]()
        self.valid = 0
        self.exits: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
        self.codes = collections.Counter[str]()
        self.failures: list[str] = []

    def record(self, kind: str, outcome: Outcome) -> None:
        self.tried[kind] += 1
        self.valid += outcome.validate == 0
        self.codes.update(outcome.codes)
        for name, code in outcome.exits.items():
            self.exits[name][code] += 1


def bytes_corpus(case: bytes, actor: bytes) -> FuzzCorpus:
    return FuzzCorpus({"case.yaml": case, "x.yaml": actor}, {"fmt": "text", "pair": "random",
                                                            "names": ["a", "b"], "as_of": None})  # fmt: skip


STRATEGIES = {
    "structured": corpora(),
    "bytes": st.builds(bytes_corpus, st.binary(max_size=400), st.binary(max_size=400)),
    "valid-text": st.builds(
        valid_corpus, st.lists(st.one_of(TEXT, NASTY), min_size=12, max_size=12), st.sampled_from(FORMATS)
    ),
}


def run_batch(kind: str, examples: int, batch_seed: int, stats: Stats, deadline: float) -> None:
    """Up to ``examples`` inputs of one kind; the first failure is shrunk and recorded."""

    @seed(batch_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(STRATEGIES[kind])
    def campaign(spec: FuzzCorpus) -> None:
        if time.monotonic() > deadline:
            return
        with tempfile.TemporaryDirectory(prefix="policycmp-campaign-") as tmp:
            outcome = check_corpus(spec, Path(tmp))
        stats.record(kind, outcome)

    try:
        campaign()
    except Exception:  # a failure, already shrunk by hypothesis: keep it and go on
        stats.failures.append(f"[{kind}, seed {batch_seed}]\n{traceback.format_exc()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=None, help="inputs to try in all (default 2000)")
    parser.add_argument("--minutes", type=float, default=None, help="run for this long instead")
    parser.add_argument("--batch", type=int, default=200, help="inputs per hypothesis run")
    parser.add_argument("--seed", type=int, default=None, help="seed for the batches (default: random)")
    args = parser.parse_args(argv)
    budget = args.examples if args.examples is not None else (None if args.minutes else 2000)
    deadline = time.monotonic() + args.minutes * 60 if args.minutes else float("inf")
    rng = random.Random(args.seed)
    stats = Stats()
    started = time.monotonic()
    batch_no = 0
    while time.monotonic() < deadline and (budget is None or sum(stats.tried.values()) < budget):
        kind = KINDS[batch_no % len(KINDS)] if batch_no % 5 else "structured"
        size = args.batch if budget is None else min(args.batch, budget - sum(stats.tried.values()))
        run_batch(kind, size, rng.randrange(2**32), stats, deadline)
        batch_no += 1
        total = sum(stats.tried.values())
        print(f"\r{total} inputs, {len(stats.failures)} failures, {time.monotonic() - started:.0f} s", end="",
              file=sys.stderr, flush=True)  # fmt: skip
    print(file=sys.stderr)
    total = sum(stats.tried.values())
    print(f"inputs tried: {total} ({', '.join(f'{k} {n}' for k, n in stats.tried.items())})"
          f" in {time.monotonic() - started:.0f} s")  # fmt: skip
    print(f"corpora that validated: {stats.valid}")
    print("exit codes per command: " + "; ".join(
        f"{name} " + " ".join(f"{code}:{n}" for code, n in sorted(c.items())) for name, c in sorted(stats.exits.items())
    ))  # fmt: skip
    print(f"problem codes seen: {len(stats.codes)} ({', '.join(sorted(stats.codes))})")
    print(f"failures: {len(stats.failures)}")
    for failure in stats.failures:
        print(failure)
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
