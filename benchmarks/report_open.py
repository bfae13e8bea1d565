"""The HTML report at scale: size of the 200-actor x 100-topic report, and how long headless
Chromium takes to open it compared with the bundled case's report, both in one run.

Usage (from the repository root, with policycmp and the test extras installed)::

    python benchmarks/report_open.py                  # 200 x 100, 5 rounds, writes benchmarks/REPORT-OPEN.md
    python benchmarks/report_open.py --rounds 3 --out /tmp/open.md

Targets (README: "The HTML report"): the large report under 20 MiB, opening within 8x the bundled
report's time. "Opening" is what a reader waits for: from navigation to the second animation
frame after the load event (parsed, styled, laid out and painted), measured by Selenium in one
Chromium session that opens the two pages alternately, ``--rounds`` times each after a
warm-up; the medians are compared. The exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.chromium import chromium_flags, find_chromedriver, find_chromium
from benchmarks.generate import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
MIB = 1024 * 1024
SIZE_TARGET = 20 * MIB
RATIO_TARGET = 8.0
OPENED = (
    "var done = arguments[arguments.length - 1];"
    "requestAnimationFrame(function () { requestAnimationFrame(function () { done(document.body.scrollHeight); }); });"
)


def render(corpus: Path | None, out: Path) -> float:
    """Write the report with the policycmp command; its wall time in seconds."""
    cmd = [sys.executable, "-m", "policycmp", "report", "-o", str(out)]
    if corpus is not None:
        cmd += ["-c", str(corpus)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - start


def open_times(pages: list[Path], rounds: int) -> dict[Path, list[float]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = find_chromium(), find_chromedriver()
    if chromium is None or driver_path is None:
        raise SystemExit("Chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
    times: dict[Path, list[float]] = {p: [] for p in pages}
    with tempfile.TemporaryDirectory(prefix="policycmp-open-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in chromium_flags(profile, "--window-size=1280,900"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            driver.set_page_load_timeout(600)
            driver.set_script_timeout(600)
            for round_no in range(rounds + 1):  # round 0 warms up
                for page in pages:
                    driver.get("about:blank")
                    start = time.perf_counter()
                    driver.get(page.as_uri())
                    driver.execute_async_script(OPENED)
                    seconds = time.perf_counter() - start
                    if round_no:
                        times[page].append(seconds)
                    print(f"  round {round_no}: {page.name} {seconds:.2f} s", file=sys.stderr)
        finally:
            driver.quit()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "REPORT-OPEN.md")
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    corpus = WORK / f"report-corpus-a{args.actors}-t{args.topics}"
    claims = generate_corpus(corpus, args.actors, args.topics, None, 0)
    bundled, large = WORK / "report-bundled.html", WORK / f"report-a{args.actors}-t{args.topics}.html"
    render_bundled = render(None, bundled)
    render_large = render(corpus, large)
    times = open_times([bundled, large], args.rounds)
    median_bundled, median_large = statistics.median(times[bundled]), statistics.median(times[large])
    ratio = median_large / median_bundled
    size = large.stat().st_size
    size_ok, ratio_ok = size < SIZE_TARGET, ratio <= RATIO_TARGET

    def secs(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    lines = [
        "# Report size and open time",
        "",
        f"`python benchmarks/report_open.py --rounds {args.rounds}`: {args.actors} actors x {args.topics} topics "
        f"({claims:,} claims, generated with seed 0) against the bundled case, one Chromium session, pages opened "
        "alternately; open = navigation to the second animation frame after load.",
        "",
        "| report | size | render (policycmp report) | open, median | open, every round (s) |",
        "|---|---|---|---|---|",
        f"| bundled case | {bundled.stat().st_size / MIB:.2f} MiB | {render_bundled:.2f} s | "
        f"{median_bundled:.2f} s | {secs(times[bundled])} |",
        f"| {args.actors} x {args.topics} | {size / MIB:.2f} MiB | {render_large:.2f} s | "
        f"{median_large:.2f} s | {secs(times[large])} |",
        "",
        "| check | measured | target | result |",
        "|---|---|---|---|",
        f"| size of the {args.actors}-actor report | {size / MIB:.2f} MiB | < 20 MiB | {'PASS' if size_ok else 'MISS'} |",
        f"| open time, {args.actors}-actor / bundled | {ratio:.1f}x | <= {RATIO_TARGET:.0f}x | "
        f"{'PASS' if ratio_ok else 'MISS'} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0 if size_ok and ratio_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
