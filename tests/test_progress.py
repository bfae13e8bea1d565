"""The loading progress bar: on a terminal only, and only once a load has taken a while."""

from __future__ import annotations

import io

import pytest

import policycmp
from policycmp import cli

from .conftest import CORPORA


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.sys, "stderr", io.StringIO())
    assert cli.progress_bar() is None


def test_bar_appears_after_the_delay_and_clears_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", err)
    bar = cli.ProgressBar()
    bar(1, 4)
    assert err.getvalue() == ""  # a fast load shows nothing
    monkeypatch.setattr(cli.ProgressBar, "DELAY", 0.0)
    seen: list[str] = []
    bar = cli.ProgressBar()
    loaded = policycmp.check(
        CORPORA / "mini", progress=lambda done, total: (bar(done, total), seen.append(err.getvalue()))
    )
    assert loaded.ok
    assert "1/3 files" in seen[0]
    assert "3/3 files" in err.getvalue()
    assert err.getvalue().endswith("\r")  # the line is cleared for what follows
