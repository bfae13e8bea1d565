"""Headless Chromium as the tests and the benchmarks run it: where it is, and its flags.

Standard library only. The flags keep a run offline and self-contained: no first-run setup,
no background networking, component updates or sync, and a fresh profile directory each time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def find_chromium() -> str | None:
    """The Chromium binary (Debian's ``/usr/bin/chromium`` first), or None."""
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def find_chromedriver() -> str | None:
    return shutil.which("chromedriver") or next((p for p in DRIVER_PATHS if Path(p).is_file()), None)


def chromium_flags(profile: Path | str, *extra: str) -> list[str]:
    """Headless, offline, with ``profile`` as a fresh user data directory, then ``extra``."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *extra,
    ]
