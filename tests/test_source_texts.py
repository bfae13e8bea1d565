"""Source texts in HTML and PDF: visible-text extraction, page and line locations, the cache,
hostile documents, and the ``quotes`` filters.

PDF fixtures are typeset by pdflatex inside the tests (skipped without it, unless
POLICYCMP_REQUIRE_CLIENTS is set), so that hyphenation and ligatures are TeX's own.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import policycmp
import policycmp.quotes
from policycmp.extract import Extracted, ExtractionError, extract, extract_html
from policycmp.pdftext import _page_text, extract_pdf
from policycmp.provenance import match_quote, prepare_text
from policycmp.textcache import TextCache

from .conftest import CORPORA
from .test_clients import client

QUOTES = CORPORA / "quotes"

# HTML ---------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Title words</title><meta charset="utf-8">
<style>p { color: red } /* style words */</style>
<script>var s = "script words we cannot provide";</script></head>
<body>
<h1>Statement &amp; reply</h1>
<p>We <b>can</b>&#8217;t <a href="#x">provide</a> ser<i>vices</i> to a customer&nbsp;that
   is unable to remove content.</p>
<p>Second paragraph</p>
<template><p>template words</p></template>
<div hidden><p>hidden attribute words</p></div>
<span style="color: red; display : none !important">inline none words</span>
<span style="visibility:hidden">invisible words</span>
<!-- comment words -->
<ul><li>first item<li>second item</ul>
<p>one<p>two
<input type="hidden" value="input words"><p>after &lt;tags&gt; &eacute;t&eacute;</p>
</body></html>
"""


def test_html_visible_text_inline_tags_join_block_tags_break() -> None:
    lines = extract_html(PAGE.encode()).splitlines()
    assert lines == [
        "Statement & reply",
        "We can\u2019t provide services to a customer that is unable to remove content.",
        "Second paragraph",
        "first item",
        "second item",
        "one",
        "two",
        "after <tags> été",
    ]


@pytest.mark.parametrize(
    "hidden",
    ["Title words", "style words", "script words", "template words", "hidden attribute words", "inline none words",
     "invisible words", "comment words", "input words"],
)  # fmt: skip
def test_html_hidden_content_never_matches(hidden: str) -> None:
    result = match_quote(hidden, extract_html(PAGE.encode()))
    assert result.status == "not-found"


def test_html_sentence_across_inline_tags_and_entities_verifies_on_its_line() -> None:
    result = match_quote("We can't provide services to a customer that is unable", extract_html(PAGE.encode()))
    assert (result.status, result.line) == ("verified", 2)


def test_html_encodings_and_unclosed_head() -> None:
    assert extract_html(b"<meta charset=windows-1252><p>caf\xe9 \x93quoted\x94") == "café \u201cquoted\u201d\n"
    assert extract_html("<p>bom</p>".encode("utf-16")) == "bom\n"
    assert extract_html(b"<html><head><meta charset=utf-8><p>body without a body tag") == "body without a body tag\n"
    assert extract_html(b"<p>not UTF-8: caf\xe9</p>") == "not UTF-8: café\n"  # windows-1252, as browsers do


def test_html_hostile_nesting_and_size_stay_bounded() -> None:
    deep = b"<div>" * 100_000 + b"<span hidden>secret</span>" + b"</div>" * 100_000
    start = time.monotonic()
    with pytest.raises(ExtractionError, match="nests elements more than"):
        extract_html(deep)
    assert time.monotonic() - start < 10
    flat = b"<b>x</b>" * 50_000
    assert extract_html(flat) == "x" * 50_000 + "\n"


# PDF ----------------------------------------------------------------------------------------

ORDER_TEX = r"""\documentclass[11pt]{article}
\pdfgentounicode=0
\begin{document}
\noindent Page one of the order: the background.
\newpage
\begin{minipage}{3.2cm}
\hyphenpenalty=-500
The defendant's financial difficulties were insignificant, and the court finds that the
plaintiff's extraordinarily convoluted interpretation of the agreement is untenable
because its termination clause plainly authorizes immediate suspension.
\end{minipage}
\newpage
\noindent Page three: the conclusion.
\end{document}
"""
NO_TEXT_TEX = r"""\documentclass{article}
\pagestyle{empty}
\begin{document}
\noindent\rule{5cm}{5cm}
\end{document}
"""


def _pdflatex(tmp: Path, name: str, source: str) -> Path:
    pdflatex = client("pdflatex")
    (tmp / f"{name}.tex").write_text(source, encoding="utf-8")
    subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=tmp, capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return tmp / f"{name}.pdf"


@pytest.fixture(scope="module")
def order_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pdflatex(tmp_path_factory.mktemp("order"), "order", ORDER_TEX)


def test_pdf_pages_hyphenation_and_ligatures(order_pdf: Path) -> None:
    extracted = extract_pdf(order_pdf.read_bytes())
    assert len(extracted.page_starts) == 3
    assert "\ufb01" in extracted.text or "\ufb03" in extracted.text  # TeX's ligature glyphs reached the text
    assert extracted.soft_breaks  # the narrow column made TeX hyphenate
    prepared = prepare_text(extracted.text, extracted.page_starts, extracted.soft_breaks)
    quote = "plaintiff's extraordinarily convoluted interpretation of the agreement is untenable"
    result = match_quote(quote, prepared)
    assert result.status == "verified"
    assert result.page == 2
    page_two = extracted.text[extracted.page_starts[1] : extracted.page_starts[2]].splitlines()
    assert "plain" in page_two[result.line - 1]  # the line holds the quote's first word
    for verbatim in ("The defendant's financial difficulties were insignificant", "the court ﬁnds"):
        assert match_quote(verbatim, prepared).status == "verified", verbatim
    assert match_quote("the conclusion", prepared).page == 3
    missed = match_quote("the court finds that the defendant's interpretation is untenable", prepared)
    assert missed.status == "not-found" and missed.page == 2
    assert "\u00ad" not in (missed.closest or "")


def test_line_end_hyphen_at_a_compound_still_matches_the_hyphenated_quote() -> None:
    text, joined = _page_text("the web-\nhosting services of\nin-\nterpreta-\ntion follow\n")
    assert joined
    assert text.splitlines()[0] == "the web\u00adhosting"
    assert text.splitlines()[2] == "in\u00adterpreta\u00adtion"
    prepared = prepare_text(text, (0,), True)
    assert match_quote("web-hosting services", prepared).status == "verified"
    assert match_quote("interpretation follow", prepared).status == "verified"


PLEADING_TEX = r"""\documentclass[12pt]{article}
\usepackage[pagewise]{lineno}
\linespread{2}
\begin{document}
\linenumbers
\noindent This matter comes before the Court on a Motion for Temporary Restraining Order filed by the
plaintiff. The plaintiff is seeking to have the Court order the defendant to reinstate the web-hosting
services that the defendant provided under the parties' Customer Services Agreement. The plaintiff
initially filed the motion as one requesting a restraining order, but after the Court ordered the
plaintiff to serve notice, ordered additional briefing, and held a hearing, the parties agree that the
motion has been converted to one for a preliminary injunction. In its Complaint, the plaintiff asserts
three claims: (1) for conspiracy in restraint of trade; (2) for breach of contract; and (3) for tortious
interference with business expectancy. It is important to note what this case is not about.
\end{document}
"""


def test_pleading_paper_margin_numbers_do_not_break_quotes(tmp_path: Path) -> None:
    pdf = _pdflatex(tmp_path, "pleading", PLEADING_TEX)
    extracted = extract_pdf(pdf.read_bytes())
    prepared = prepare_text(extracted.text, extracted.page_starts, extracted.soft_breaks)
    for quote in (
        "Motion for Temporary Restraining Order filed by the plaintiff",
        "the defendant provided under the parties' Customer Services Agreement",
        "(2) for breach of contract; and (3) for tortious interference",
    ):
        assert match_quote(quote, prepared).status == "verified", quote
    assert not any(line.rstrip()[-1:].isdigit() for line in extracted.text.splitlines()[:8])


def test_margin_numbers_at_line_starts_are_dropped_and_ordinary_numbers_kept() -> None:
    page = "\n".join(["1", "2", "3", "PARLER LLC,", "4 Plaintiff,", "5 v.", "6", "7 I. INTRODUCTION",
                      "8 This matter comes before the Court on a Motion", "9 (\u201cTRO\u201d), filed by Plaintiff.",
                      "10 Dkt. No. 2."])  # fmt: skip
    lines = _page_text(page)[0].splitlines()
    assert lines[3:] == ["PARLER LLC,", "Plaintiff,", "v.", "", "I. INTRODUCTION",
                         "This matter comes before the Court on a Motion", "(\u201cTRO\u201d), filed by Plaintiff.",
                         "Dkt. No. 2."]  # fmt: skip
    ordinary = "1 apple\n2 pears\nand 3 plums\n"  # a short list is not pleading paper
    assert _page_text(ordinary)[0] == ordinary


def _corpus_with_text(tmp_path: Path, name: str, data: bytes) -> Path:
    target = tmp_path / "corpus"
    if not target.exists():
        shutil.copytree(QUOTES, target)
    (target / "texts" / name).write_bytes(data)
    host = target / "host.yaml"
    text = host.read_text(encoding="utf-8")
    text = text.replace("text: texts/host-letter.txt", f"text: texts/{name}")
    text = text.replace(
        'quote: "We will suspend your acount on Sunday."',
        'quote: "plaintiff\'s extraordinarily convoluted interpretation of the agreement is untenable"',
    )
    host.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "policycmp"


def test_quotes_cli_reports_page_and_line(cli, tmp_path: Path, order_pdf: Path, cache_home: Path) -> None:
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    result = cli("quotes", "-c", corpus, "--status", "verified")
    assert result.exit_code == 0, result.stderr
    assert "texts/order.pdf, page 2, line" in result.stdout
    data = json.loads(cli("quotes", "-c", corpus, "-f", "json").stdout)
    row = next(q for q in data["quotes"] if q["claim"] == "typo")
    assert (row["status"], row["page"], row["format"]) == ("verified", 2, "pdf")
    assert isinstance(row["line"], int)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = policycmp.quotes.extract

    def counted(data: bytes, kind: str):  # type: ignore[no-untyped-def]
        calls.append(kind)
        return real(data, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(policycmp.quotes, "extract", counted)
    return calls


def test_second_run_reads_the_cache(
    cli, tmp_path: Path, order_pdf: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    calls = _counting(monkeypatch)
    first = cli("quotes", "-c", corpus, "-f", "json").stdout
    assert calls.count("pdf") == 1
    entries = list(cache_home.iterdir())
    assert len(entries) == 1 and entries[0].suffix == ".json" and len(entries[0].stem) == 64
    assert oct(entries[0].stat().st_mode & 0o777) == "0o600"
    second = cli("quotes", "-c", corpus, "-f", "json").stdout
    assert calls.count("pdf") == 1  # nothing extracted again
    assert first == second
    assert cli("quotes", "-c", corpus, "--no-cache").exit_code == 0
    assert calls.count("pdf") == 2  # --no-cache extracts afresh
    # a damaged entry is ignored, rebuilt, and the result is the same
    entries[0].write_bytes(b'{"format": 1, "text": 12')
    assert cli("quotes", "-c", corpus, "-f", "json").stdout == first
    assert calls.count("pdf") == 3
    assert json.loads(entries[0].read_text(encoding="utf-8"))["kind"] == "pdf"
    # an entry that lies (page offsets past the text) is not believed
    record = json.loads(entries[0].read_text(encoding="utf-8"))
    record["page_starts"] = [0, 10**9]
    entries[0].write_text(json.dumps(record), encoding="utf-8")
    assert cli("quotes", "-c", corpus, "-f", "json").stdout == first
    assert calls.count("pdf") == 4


def test_cache_never_writes_through_a_link(
    cli, tmp_path: Path, order_pdf: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    cli("quotes", "-c", corpus)
    [entry] = list(cache_home.iterdir())
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    entry.unlink()
    entry.symlink_to(outside)
    calls = _counting(monkeypatch)
    assert cli("quotes", "-c", corpus).exit_code == 0
    assert calls == ["pdf"]  # the link was not read as an entry
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not entry.is_symlink()
    assert sorted(p.name for p in cache_home.iterdir()) == [entry.name]  # no temporary file left


def test_no_cache_writes_nothing(cli, tmp_path: Path, order_pdf: Path, cache_home: Path) -> None:
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    assert cli("quotes", "-c", corpus, "--no-cache").exit_code == 0
    assert not cache_home.exists()


def test_pdf_without_text_layer_is_a_warning_not_not_found(cli, tmp_path: Path, cache_home: Path) -> None:
    scan = _pdflatex(tmp_path, "scan", NO_TEXT_TEX)
    corpus = _corpus_with_text(tmp_path, "scan.pdf", scan.read_bytes())
    result = cli("quotes", "-c", corpus)
    assert result.exit_code == 0
    assert "texts/scan.pdf:1:1: warning: PDF has no text layer" in result.stderr
    assert "[no-text-layer]" in result.stderr
    assert "not-found" not in result.stdout.split("\n\n", 1)[1]  # no row is not-found
    assert result.stdout.startswith("6 quotes: 0 verified, 0 not-found, 6 no-text")


# Hostile PDFs -------------------------------------------------------------------------------


def _raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file from numbered object bodies, with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _bomb() -> bytes:
    content = zlib.compress(b"BT /F1 12 Tf (" + b"A" * 60_000_000 + b") Tj ET", 9)
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content, b"/Filter /FlateDecode"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])  # fmt: skip


def _cycle() -> bytes:
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
    ])  # fmt: skip


def _many_pages() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"
    kids = b" ".join(b"3 0 R" for _ in range(20_000))
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count 20000 >>" % kids, page])


def _encrypted() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HOSTILE = {
    "encrypted": (_encrypted, "encrypted with a password"),
    "truncated": (lambda: _cycle()[:60], "PDF cannot be read"),
    "garbage": (lambda: b"%PDF-1.4\n" + os.urandom(4096), "PDF cannot be read"),
    "not-a-pdf": (lambda: b"<html>renamed</html>", "not a PDF"),
    "page-tree-cycle": (_cycle, "cyclic page references"),
    "many-pages": (_many_pages, "safety limit"),
    "decompression-bomb": (_bomb, "safety limit"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_pdf_is_a_located_warning_in_bounded_time(cli, tmp_path: Path, cache_home: Path, name: str) -> None:
    make, expected = HOSTILE[name]
    corpus = _corpus_with_text(tmp_path, "hostile.pdf", make())
    start = time.monotonic()
    result = cli("quotes", "-c", corpus, "--no-cache")
    elapsed = time.monotonic() - start
    assert result.exit_code == 0
    assert "Traceback" not in result.stderr + result.stdout
    assert elapsed < 30, f"{name}: {elapsed:.1f} s"
    [line] = [ln for ln in result.stderr.splitlines() if "hostile.pdf" in ln]
    assert line.split("hostile.pdf", 1)[1].startswith(":1:1: warning: ")
    assert expected in line
    assert "[unreadable-text]" in line or "[no-text-layer]" in line


def test_extract_rejects_bad_utf8_text() -> None:
    with pytest.raises(ExtractionError, match="not UTF-8"):
        extract(b"\xff\xfe", "text")


# quotes: filters -----------------------------------------------------------------------------


def test_status_and_actor_filters_keep_the_summary_of_the_selection(cli) -> None:
    text = cli("quotes", "-c", QUOTES, "--status", "not-found,no-text", "--actors", "host")
    assert text.exit_code == 0, text.stderr
    first = text.stdout.splitlines()[0]
    assert first == "5 quotes: 3 verified, 1 not-found, 1 no-text; showing not-found, no-text: 2"
    frame = pd.read_csv(io.StringIO(cli("quotes", "-c", QUOTES, "--status", "verified", "-f", "csv").stdout))
    assert set(frame["status"]) == {"verified"} and len(frame) == 3
    data = json.loads(cli("quotes", "-c", QUOTES, "--actors", "forum", "-f", "json").stdout)
    assert data["summary"] == {"verified": 0, "not-found": 0, "no-text": 1}
    assert [q["actor"] for q in data["quotes"]] == ["forum"]
    repeated = json.loads(
        cli("quotes", "-c", QUOTES, "--status", "verified", "--status", "no-text", "-f", "json").stdout
    )
    assert {q["status"] for q in repeated["quotes"]} == {"verified", "no-text"}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--status", "verfied", "unknown status 'verfied' (did you mean 'verified'?)"),
     ("--actors", "hots", "unknown actor 'hots' (did you mean 'host'?)")],
)  # fmt: skip
def test_unknown_filter_values_are_usage_errors(cli, option: str, value: str, message: str) -> None:
    result = cli("quotes", "-c", QUOTES, option, value)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# HTML through the command ----------------------------------------------------------------


def test_html_text_verifies_and_is_marked_as_html(cli, tmp_path: Path, cache_home: Path) -> None:
    letter = (QUOTES / "texts" / "host-letter.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line.replace('violent', '<em>vio</em>lent')}</p>\n" for line in letter.splitlines())
    page = f"<html><body><script>We will suspend your acount on Sunday.</script>{body}</body></html>"
    corpus = tmp_path / "corpus"
    shutil.copytree(QUOTES, corpus)
    (corpus / "texts" / "host-letter.html").write_text(page, encoding="utf-8")
    host = corpus / "host.yaml"
    host.write_text(host.read_text(encoding="utf-8").replace("host-letter.txt", "host-letter.html"), encoding="utf-8")
    data = json.loads(cli("quotes", "-c", corpus, "-f", "json").stdout)
    status = {q["claim"]: (q["status"], q["format"]) for q in data["quotes"]}
    assert status["exact"] == ("verified", "html")
    assert status["typo"] == ("not-found", "html")  # the script's exact copy is not visible text
    text = cli("quotes", "-c", corpus).stdout
    assert "[HTML: CSS hiding not detected]" in text
    report = tmp_path / "report.html"
    assert cli("report", "-c", corpus, "-o", report).exit_code == 0
    assert "hiding by CSS cannot be detected" in report.read_text(encoding="utf-8")


def test_texts_directory_finds_pdf_and_html_by_source_id(cli, tmp_path: Path, cache_home: Path) -> None:
    texts = tmp_path / "texts"
    (texts / "forum").mkdir(parents=True)
    complaint = (CORPORA / "quotes-texts" / "forum" / "complaint.txt").read_text(encoding="utf-8")
    (texts / "forum" / "complaint.htm").write_text(f"<div>{complaint}</div>", encoding="utf-8")
    data = json.loads(cli("quotes", "-c", QUOTES, "--texts", texts, "--actors", "forum", "-f", "json").stdout)
    [row] = data["quotes"]
    assert (row["status"], row["format"]) == ("verified", "html")
    assert row["text"].endswith("complaint.htm")


# The report ---------------------------------------------------------------------------------


def test_report_evidence_shows_page_and_line_and_warns_about_unusable_texts(
    cli, tmp_path: Path, order_pdf: Path, cache_home: Path
) -> None:
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    (corpus / "texts" / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\0" * 64)
    aup = corpus / "host.yaml"
    aup.write_text(
        aup.read_text(encoding="utf-8").replace("    date: 2020\n", "    date: 2020\n    text: texts/broken.pdf\n"),
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    result = cli("report", "-c", corpus, "-o", out)
    assert result.exit_code == 0
    assert "texts/broken.pdf:1:1: warning: source text cannot be used: PDF cannot be read" in result.stderr
    html = out.read_text(encoding="utf-8")
    quotes = json.loads(cli("quotes", "-c", corpus, "-f", "json").stdout)["quotes"]
    typo = next(q for q in quotes if q["claim"] == "typo")
    assert typo["text"].endswith("texts/order.pdf")
    assert f"Quote verified in {typo['text']}, page 2, line {typo['line']}</p>" in html
    assert "Quote not found in" in html and "% alike)" in html  # the other quotes, against the PDF


@pytest.mark.browser
def test_report_provenance_reads_in_a_browser(tmp_path: Path, order_pdf: Path, cache_home: Path) -> None:
    from .browser_helpers import chromium_or_skip, selenium_driver

    chromium = chromium_or_skip()
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    page = tmp_path / "report.html"
    policycmp.load(corpus).report().save(page)
    with selenium_driver(chromium, tmp_path / "profile", "--window-size=1000,900") as driver:
        driver.get(page.as_uri())
        lines = [e.text for e in driver.find_elements("css selector", ".pc-prov")]
        claim = driver.find_element("css selector", "[data-claim='typo']")
        driver.execute_script("arguments[0].scrollIntoView()", claim)
        keep = os.environ.get("POLICYCMP_SCREENSHOT_DIR")
        claim.screenshot(str(Path(keep) / "provenance-pdf.png") if keep else str(tmp_path / "claim.png"))
    assert any(line.startswith("✓ Quote verified in") and ", page 2, line " in line for line in lines)
    assert any(line.startswith("✗ Quote not found in") and "alike" in line for line in lines)
    assert any(line == "? No source text to check this quote against" for line in lines)


def test_a_cache_directory_that_is_a_link_is_not_written(
    cli, tmp_path: Path, order_pdf: Path, cache_home: Path
) -> None:
    corpus = _corpus_with_text(tmp_path, "order.pdf", order_pdf.read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache_home.parent.mkdir(parents=True)
    cache_home.symlink_to(elsewhere, target_is_directory=True)
    assert cli("quotes", "-c", corpus).exit_code == 0
    assert list(elsewhere.iterdir()) == []
    assert cli("claims", "-c", corpus, "--no-cache", "-f", "csv").exit_code == 0


def test_html_implied_end_tags_do_not_spread_hiding() -> None:
    page = b"<p hidden>secret words<p>shown words<ul><li hidden>gone<li>kept</ul><dl><dt hidden>x<dd>term</dl>"
    assert extract_html(page) == "shown words\nkept\nterm\n"
    assert extract_html(b"<div style='display:none'><p>a<p>b</div><p>after") == "after\n"


@pytest.mark.browser
def test_html_visible_text_agrees_with_chromium(tmp_path: Path) -> None:
    """The bundled report read by extract_html and by Chromium (innerText): the same words.

    The only differences allowed are words glued where the page's stylesheet makes an inline
    element a block (``<span>6</span><span>actors</span>``), which no extractor without a layout
    engine can see; nothing may be extra (hidden, script, style) on our side.
    """
    import re
    from collections import Counter

    from .browser_helpers import chromium_or_skip, selenium_driver

    chromium = chromium_or_skip()
    page = tmp_path / "report.html"
    policycmp.load().report().save(page)
    ours = Counter(re.findall(r"\w+", extract_html(page.read_bytes()).casefold()))
    with selenium_driver(chromium, tmp_path / "profile", "--window-size=1200,900") as driver:
        driver.get(page.as_uri())
        theirs = Counter(re.findall(r"\w+", driver.execute_script("return document.body.innerText").casefold()))
    extra = ours - theirs
    assert sum(extra.values()) <= 0.002 * sum(theirs.values()), extra.most_common(20)
    for word in extra:  # each extra word is two of Chromium's glued together
        assert any(word.startswith(a) and word[len(a) :] in theirs for a in theirs if a != word), word


def test_pdf_time_budget_stops_between_pages(order_pdf: Path) -> None:
    with pytest.raises(ExtractionError, match=r"more than 0 s of CPU time \(stopped at page 1 of 3\)"):
        extract_pdf(order_pdf.read_bytes(), time_budget=0.0)


def test_html_time_budget() -> None:
    with pytest.raises(ExtractionError, match=r"more than 0 s of CPU time \(stopped at character [0-9,]+ of 200,003\)"):
        extract_html(b"<p>" + b"x" * 200_000, time_budget=0.0)


def test_report_counts_the_quotes_it_shows(cli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert cli("report", "-c", QUOTES, "--texts", CORPORA / "quotes-texts", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Quotes checked against their source texts: 4 verified, 1 not found, 1 without a text to check." in html
    assert cli("report", "-c", QUOTES, "--actors", "forum", "-o", out).exit_code == 0
    assert "0 verified, 0 not found, 1 without a text to check." in out.read_text(encoding="utf-8")
    assert cli("report", "-o", out).exit_code == 0  # the bundled case ships no texts: no line
    assert "Quotes checked against" not in out.read_text(encoding="utf-8")


# -- the cache stays bounded ---------------------------------------------------------------------


def _extracted(n: int) -> Extracted:
    return Extracted("text", f"document {n} " + "x" * 1000, (0,), False, None)


def test_the_cache_keeps_the_recently_used_entries_within_its_size(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    cache = TextCache(home, max_bytes=3_500)  # room for three entries of about 1.1 kB
    for n in range(3):
        cache.put(b"doc %d" % n, "v1", _extracted(n))
    for n, entry in enumerate(sorted(home.iterdir(), key=lambda p: p.stat().st_mtime)):
        os.utime(entry, (1_000_000 + n, 1_000_000 + n))  # written in order 0, 1, 2
    assert cache.get(b"doc 0", "v1") == _extracted(0)  # a hit: doc 0 is now the most recently used
    cache.put(b"doc 3", "v1", _extracted(3))  # over the size: the least recently used (doc 1) goes
    assert [n for n in range(4) if cache.get(b"doc %d" % n, "v1") is not None] == [0, 2, 3]
    assert sum(p.stat().st_size for p in home.iterdir()) <= 3_500


def test_pruning_removes_only_the_caches_own_files(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    home.mkdir()
    keep = {"notes.txt": b"mine", "ABCDEF.json": b"{}", ("a" * 64) + ".json.bak": b"{}"}
    for name, data in keep.items():
        (home / name).write_bytes(data * 5_000)
    outside = tmp_path / "outside.json"
    outside.write_bytes(b"{}" * 5_000)
    (home / ("b" * 64 + ".json")).symlink_to(outside)  # named like an entry, but a link: not followed, not removed
    young_tmp = home / f".{'c' * 64}.{'d' * 12}.tmp"
    old_tmp = home / f".{'e' * 64}.{'f' * 12}.tmp"
    for tmp in (young_tmp, old_tmp):
        tmp.write_bytes(b"partial")
    os.utime(old_tmp, (1_000_000, 1_000_000))
    cache = TextCache(home, max_bytes=0)
    cache.put(b"doc", "v1", _extracted(1))  # the entry just written stays, even past the size
    names = {p.name for p in home.iterdir()}
    entry = cache._entry(b"doc", "v1")
    assert entry is not None
    assert names == {*keep, "b" * 64 + ".json", young_tmp.name, entry.name}
    assert outside.exists() and cache.get(b"doc", "v1") == _extracted(1)


def test_an_entry_that_goes_while_pruning_does_not_stop_the_pruning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run may remove an entry between the listing and its stat: the rest are still pruned."""
    home = tmp_path / "cache"
    cache = TextCache(home)
    for n in range(12):
        cache.put(b"doc %d" % n, "v1", _extracted(n))
    gone = cache._entry(b"doc 5", "v1")
    assert gone is not None and gone.exists()
    listing = os.scandir

    @contextlib.contextmanager
    def racing(path: Path) -> Iterator[Iterator[os.DirEntry[str]]]:
        with listing(path) as it:
            entries = list(it)
        gone.unlink()  # listed, then removed by another run before its size is read
        yield iter(entries)

    monkeypatch.setattr(os, "scandir", racing)
    cache.max_bytes = 1_200
    assert cache.prune() >= 10
    monkeypatch.undo()
    assert sum(p.stat().st_size for p in home.iterdir()) <= 1_200


def test_writes_list_the_cache_directory_only_when_they_may_fill_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pruning reads every entry's size: done after every write, a full cache of small entries
    would make each new document cost a listing of all of them."""
    listings = []
    listing = os.scandir

    def counted(path: Path) -> contextlib.AbstractContextManager[Iterator[os.DirEntry[str]]]:
        listings.append(path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", counted)
    cache = TextCache(tmp_path / "cache", max_bytes=6_000)  # room for five entries of about 1.1 kB
    for n in range(5):
        cache.put(b"doc %d" % n, "v1", _extracted(n))
    assert len(listings) == 1
    for n in range(5, 8):
        cache.put(b"doc %d" % n, "v1", _extracted(n))
    assert len(listings) == 4  # full: each write now prunes
    monkeypatch.undo()
    assert sum(p.stat().st_size for p in (tmp_path / "cache").iterdir()) <= 6_000
    assert [n for n in range(8) if cache.get(b"doc %d" % n, "v1") is not None] == [3, 4, 5, 6, 7]
