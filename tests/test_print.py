"""The report printed by Chromium (``--print-to-pdf``): A4, at most 30 pages for the bundled case,
the matrix on one page, and source tables whose words are never split (read back with pdftotext).

Skipped when Chromium or pdftotext is missing, unless POLICYCMP_REQUIRE_BROWSER /
POLICYCMP_REQUIRE_CLIENTS is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import policycmp
from benchmarks.chromium import chromium_flags

from .browser_helpers import chromium_or_skip

pytestmark = pytest.mark.browser

MAX_PAGES = 30
A4 = (595.0, 842.0)  # points


def pdftotext_or_skip() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        if os.environ.get("POLICYCMP_REQUIRE_CLIENTS"):
            pytest.fail("pdftotext is not installed and POLICYCMP_REQUIRE_CLIENTS is set")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return found


def print_to_pdf(chromium: str, page: Path, out: Path) -> Path:
    subprocess.run(
        [chromium, *chromium_flags(out.parent / "profile-print"), "--no-pdf-header-footer",
         f"--print-to-pdf={out}", page.as_uri()],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    assert out.is_file() and out.stat().st_size > 0
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    chromium = chromium_or_skip()
    pdftotext = pdftotext_or_skip()
    root = tmp_path_factory.mktemp("print")
    page = root / "report.html"
    policycmp.load().report().save(page)
    pdf = print_to_pdf(chromium, page, root / "report.pdf")
    keep = os.environ.get("POLICYCMP_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, Path(keep) / "report.pdf")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, check=True, timeout=60).stdout
    return pdf, unicodedata.normalize("NFKC", text.decode("utf-8"))


def test_bundled_case_prints_on_at_most_30_a4_pages(printed: tuple[Path, str]) -> None:
    from pypdf import PdfReader

    pages = PdfReader(printed[0]).pages
    assert 1 < len(pages) <= MAX_PAGES
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2, (width, height)


def present(word: str, tokens: set[str]) -> bool:
    """``word`` printed whole. A hyphenated word may break after a hyphen: pdftotext then joins
    the two lines and drops that hyphen (``user-content`` -> ``usercontent``).
    """
    if word in tokens:
        return True
    hyphens = [i for i, c in enumerate(word) if c == "-"]
    return any(word[:i] + word[i + 1 :] in tokens for i in hyphens)


def test_the_matrix_prints_on_one_page(printed: tuple[Path, str]) -> None:
    text = printed[1]
    start = text.index("Comparison matrix")
    end = text.index("Evidence by topic", start)
    assert "\f" not in text[start:end]  # no page break inside the matrix section
    tokens = set(text[start:end].split())
    table = policycmp.load().table()
    for label in table.frame["label"]:
        assert all(present(w, tokens) for w in unicodedata.normalize("NFKC", label).split()), label


def test_source_titles_print_whole(printed: tuple[Path, str]) -> None:
    """Every word of every source title is printed whole in the sources list ("Repeatedl y" fails).

    pdftotext reads a wrapped table cell line by line, interleaved with the other cells of each
    line, so the test compares words, not whole titles.
    """
    text = printed[1]
    tokens = set(text[text.index("The documents each actor") :].split())
    corpus = policycmp.load()
    titles = [s.title for a in corpus.actors.values() for s in a.sources.values()]
    assert len(titles) > 20
    broken = sorted(
        {(t, w) for t in titles for w in unicodedata.normalize("NFKC", t).split() if not present(w, tokens)}
    )
    assert broken == []
