"""Quote provenance on a corpus with source texts: statuses, lookups, outputs, problems."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import policycmp

from .conftest import CORPORA

QUOTES = CORPORA / "quotes"
TEXTS = CORPORA / "quotes-texts"


def _status(result: policycmp.Corpus, texts: Path | None = None) -> dict[tuple[str, str], str]:
    frame = result.quotes(texts).frame
    return {(r.actor, r.claim): r.status for r in frame.itertuples()}


def test_statuses_from_text_paths_in_the_corpus() -> None:
    status = _status(policycmp.load(QUOTES))
    assert status == {
        ("host", "exact"): "verified",
        ("host", "loose-typography"): "verified",
        ("host", "ellipsis"): "verified",
        ("host", "typo"): "not-found",
        ("host", "untexted"): "no-text",
        ("forum", "never-warned"): "no-text",
    }


def test_texts_directory_is_searched_by_actor_and_source_id() -> None:
    status = _status(policycmp.load(QUOTES), TEXTS)
    assert status[("forum", "never-warned")] == "verified"


def test_verified_quotes_report_the_line_and_near_misses_the_closest_passage() -> None:
    frame = policycmp.load(QUOTES).quotes().frame.set_index("claim")
    assert frame.loc["exact", "line"] == 3
    assert frame.loc["ellipsis", "line"] == 4
    assert frame.loc["typo", "closest"] == "We will suspend your account on Sunday."
    assert frame.loc["typo", "similarity"] > 0.9


def test_cli_formats_and_strict(cli) -> None:
    text = cli("quotes", "-c", QUOTES)
    assert text.exit_code == 0
    assert "3 verified, 1 not-found, 2 no-text" in text.stdout
    data = json.loads(cli("quotes", "-c", QUOTES, "-f", "json").stdout)
    assert data["summary"] == {"verified": 3, "not-found": 1, "no-text": 2}
    frame = pd.read_csv(io.StringIO(cli("quotes", "-c", QUOTES, "-f", "csv").stdout))
    assert len(frame) == 6
    assert cli("quotes", "-c", QUOTES, "--strict").exit_code == 1
    assert cli("quotes", "-c", QUOTES, "--texts", TEXTS, "--strict").exit_code == 1  # the typo remains
    assert cli("quotes", "-c", QUOTES, "--texts", "no/such/dir").exit_code == 2


def test_claims_show_quote_status_when_texts_exist(cli) -> None:
    frame = pd.read_csv(io.StringIO(cli("claims", "-c", QUOTES, "-f", "csv").stdout))
    status = dict(zip(frame["claim"], frame["quote_status"], strict=True))
    assert status["exact"] == "verified"
    assert status["typo"] == "not-found"
    bundled = pd.read_csv(io.StringIO(cli("claims", "-f", "csv").stdout))
    assert "quote_status" not in bundled.columns


def _with_text_path(tmp_path: Path, value: str) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(QUOTES, target)
    host = target / "host.yaml"
    host.write_text(host.read_text(encoding="utf-8").replace("text: texts/host-letter.txt", f"text: {value}"))
    return target


def test_missing_text_file_is_a_located_warning(tmp_path: Path) -> None:
    loaded = policycmp.check(_with_text_path(tmp_path, "texts/nope.txt"))
    assert loaded.ok
    [problem] = loaded.problems
    assert (problem.code, problem.severity) == ("missing-text", "warning")
    assert (problem.location.line, problem.location.column) == (10, 11)
    assert problem.location.path.endswith("host.yaml")


@pytest.mark.parametrize("value", ["../../etc/passwd", "/etc/passwd"])
def test_text_paths_outside_the_corpus_are_refused(tmp_path: Path, value: str) -> None:
    loaded = policycmp.check(_with_text_path(tmp_path, value))
    codes = [(p.code, p.location.line) for p in loaded.problems]
    assert codes == [("bad-text-path", 10)]


def test_report_shows_each_quotes_provenance(cli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert cli("report", "-c", QUOTES, "--texts", TEXTS, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("pc-prov-verified") >= 4  # class used in CSS too, so at least the four claims
    assert "Quote not found in" in html
    assert "We will suspend your account on Sunday." in html  # the closest passage
    assert "No source text to check this quote against" in html
    bundled = tmp_path / "bundled.html"
    assert cli("report", "-o", bundled).exit_code == 0
    assert "Quote verified in" not in bundled.read_text(encoding="utf-8")  # no texts: no badges


def test_a_text_that_is_there_but_unusable_is_a_warning(cli, tmp_path: Path) -> None:
    target = _with_text_path(tmp_path, "texts/host-letter.txt")
    (target / "texts" / "host-letter.txt").write_bytes("Recently, we\u2019ve seen".encode("utf-16"))
    result = cli("quotes", "-c", target)
    assert result.exit_code == 0
    assert "host-letter.txt:1:1: warning: source text cannot be used: not UTF-8" in result.stderr
    assert "[unreadable-text]" in result.stderr
    assert "0 verified" in result.stdout
