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


def test_rendering_a_report_moves_the_same_bar_topic_by_topic(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", err)
    monkeypatch.setattr(cli.ProgressBar, "DELAY", 0.0)
    report = policycmp.load(CORPORA / "mini").report()
    calls: list[tuple[int, int]] = []
    bar = cli.ProgressBar("rendering", "topics")
    html = report.to_html(progress=lambda done, total: (calls.append((done, total)), bar(done, total)))
    total = len(report.topics)
    assert calls == [(n, total) for n in range(1, total + 1)]
    assert "rendering [" in err.getvalue() and f"{total}/{total} topics" in err.getvalue()
    assert html == report.to_html()  # the bar changes nothing in the page
