"""Text of a PDF, page by page, with pypdf under limits that hold for hostile files.

A PDF is a program-like container: streams that inflate a thousandfold, page trees of a million
entries, reference cycles, encryption. Extraction runs with pypdf's resource limits lowered to
what a source document needs, a page-count and text-size cap, a time budget checked page by
page, and no external program (pypdf would call ``jbig2dec`` for JBIG2 images). Whatever goes
wrong becomes an :class:`~policycmp.extract.ExtractionError` naming the page where it can.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
import warnings
from collections.abc import Iterator
from typing import Any

from .extracted import Extracted, ExtractionError

__all__ = ["MAX_PAGES", "MAX_TEXT_CHARS", "TIME_BUDGET", "extract_pdf", "pdf_extractor_version"]

MAX_PAGES = 5_000  # far beyond any court filing; a page tree that says more is refused
MAX_TEXT_CHARS = 10_000_000  # about 5,000 dense pages; no more than a 10 MiB text file
TIME_BUDGET = 60.0  # CPU seconds for one document (CPU time: a busy machine does not make a document fail)
_STREAM_BYTES = 20_000_000  # one decoded stream: a page's content rarely passes 1 MB
_LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": 50_000_000,
    "array_based_stream_maximum_output_length": _STREAM_BYTES,
    "zlib_maximum_output_length": _STREAM_BYTES,
    "lzw_maximum_output_length": _STREAM_BYTES,
    "run_length_maximum_output_length": _STREAM_BYTES,
    "brotli_maximum_output_length": _STREAM_BYTES,
    "jbig2_maximum_output_length": _STREAM_BYTES,
    "image_maximum_buffer_size": _STREAM_BYTES,
    "stream_decoding_work_maximum_length": 4 * _STREAM_BYTES,
    "page_tree_maximum_entries": 4 * MAX_PAGES,
    "page_tree_maximum_page_entries": 4 * MAX_PAGES,
    "page_tree_maximum_depth": 64,
    "xform_maximum_invocations_per_extraction": 1_000,
    "jbig2dec_binary": None,  # never run an external program on a document's bytes
}

# A line ending in a word broken by a hyphen ("extraordi-"), and the line that finishes it ("narily, ...").
_ENDS_HYPHENATED = re.compile(r"[^\W\d_]-$")
_STARTS_LOWER = re.compile(r"[^\W\d_A-Z\u00c0-\u00de]\S*")
_MARGIN_MIN = 8  # numbered lines that make a page pleading paper
_EXTRACTOR_REVISION = "2"  # bump when the output of extract_pdf changes


def pdf_extractor_version() -> str:
    """Names this extractor and the pypdf it runs on: a cached extraction of another is stale."""
    from importlib.metadata import version

    return f"pdf-{_EXTRACTOR_REVISION}-pypdf-{version('pypdf')}"


def extract_pdf(data: bytes, time_budget: float = TIME_BUDGET) -> Extracted:
    """Each page's text, pages in order; a document without any text gets a warning.

    A word hyphenated across a line break is joined with a soft hyphen (the matcher ignores soft
    hyphens), so "extraordi-nary" reads as "extraordinary"; ``soft_breaks`` says it happened.
    """
    try:
        import pypdf
        from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
    except ImportError:  # pragma: no cover - a runtime dependency
        raise ExtractionError("reading PDF needs the pypdf package: pip install pypdf") from None
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError("not a PDF (no %PDF- header); is the file named .pdf by mistake?")
    deadline = time.process_time() + time_budget
    page_number = 0
    try:
        with _quiet(), pypdf.apply_configuration(None, **_LIMITS):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            _decrypt(reader)
            count = len(reader.pages)
            if count > MAX_PAGES:
                raise ExtractionError(f"PDF has {count:,} pages, over the limit of {MAX_PAGES:,}; split it")
            parts: list[str] = []
            starts: list[int] = []
            size = 0
            joined = False
            for page_number, page in enumerate(reader.pages, 1):
                if time.process_time() > deadline:
                    raise ExtractionError(
                        f"extracting the text took more than {time_budget:.0f} s of CPU time (stopped at page {page_number}"
                        f" of {count}); save a text copy (pdftotext) beside it"
                    )
                text, split = _page_text(page.extract_text())
                joined = joined or split
                starts.append(size)
                parts.append(text)
                size += len(text)
                if size > MAX_TEXT_CHARS:
                    raise ExtractionError(
                        f"PDF holds more than {MAX_TEXT_CHARS:,} characters of text (at page {page_number}); split it"
                    )
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise ExtractionError(_ENCRYPTED) from None
    except DependencyError:
        raise ExtractionError(_ENCRYPTED + " (AES encryption needs the cryptography package)") from None
    except LimitReachedError as exc:
        where = f" at page {page_number}" if page_number else ""
        raise ExtractionError(
            f"PDF passes a safety limit{where} ({_detail(exc)}): a decompression bomb, or far larger than a"
            " source document; save a text copy beside it"
        ) from None
    except Exception as exc:  # a malformed file makes pypdf fail in many ways; none may escape as a traceback
        raise ExtractionError(_broken(exc, page_number)) from None
    text = "".join(parts)
    warning = None
    if not text.strip():
        warning = f"{count} page{'s' * (count != 1)}, none with text: a scan?"
    return Extracted("pdf", text, tuple(starts), joined, warning)


_ENCRYPTED = "PDF is encrypted with a password; save an unencrypted copy (e.g. qpdf --decrypt in.pdf out.pdf)"


def _decrypt(reader: object) -> None:
    """Open a PDF encrypted with an empty user password (common: print or copy restrictions only)."""
    from pypdf import PasswordType, PdfReader

    assert isinstance(reader, PdfReader)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ExtractionError(_ENCRYPTED)


def _page_text(text: str) -> tuple[str, bool]:
    """One page's text ending in a newline, words hyphenated at a line end joined.

    "extraordi-" at the end of a line and "narily," starting the next become "extraordi\u00adnarily,"
    on the first line (the soft hyphen marks the join and the matcher ignores it); the next line
    keeps the rest, so lines keep their numbers.
    """
    lines = _strip_margin_numbers(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    joined = False
    emptied: set[int] = set()  # lines whose only word moved up: "in-" / "terpreta-" / "tion"
    for index in range(len(lines) - 1):
        after = index + 1
        while True:
            while after in emptied:
                after += 1
            line = lines[index].rstrip()
            if after >= len(lines) or not _ENDS_HYPHENATED.search(line):
                break
            following = lines[after].lstrip(" \t")
            word = _STARTS_LOWER.match(following)
            if word is None:
                break
            lines[index] = line[:-1] + "\u00ad" + word.group(0)
            lines[after] = following[word.end() :].lstrip(" \t")
            if not lines[after]:
                emptied.add(after)
            joined = True
    out = "\n".join(lines)
    if out and not out.endswith("\n"):
        out += "\n"
    return out, joined


def _strip_margin_numbers(lines: list[str]) -> list[str]:
    """Drop the line numbers of pleading paper (1, 2, 3... down the margin of every page).

    Text extraction puts each margin number at the start or the end of its line, often glued to
    the last word ("Restraining18"), so a quote spanning two lines would never match. A page counts
    as numbered when at least ``_MARGIN_MIN`` lines carry the numbers 1, 2, 3... in order at the
    same side and they are most of its lines; only those numbers are removed, and lines keep
    their count.
    """
    found = max((_numbered(lines, side) for side in ("start", "end")), key=len)
    filled = sum(1 for line in lines if line.strip())
    if len(found) < _MARGIN_MIN or 2 * len(found) < filled:
        return lines
    out = list(lines)
    for index, rest in found:
        out[index] = rest
    return out


def _numbered(lines: list[str], side: str) -> list[tuple[int, str]]:
    """(index, line without its number) of the lines numbered 1, 2, 3... in order at ``side``."""
    expected = 1
    found: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        number = str(expected)
        if stripped == number:
            found.append((index, ""))
        elif side == "start" and stripped.startswith(number + " "):
            found.append((index, stripped[len(number) :].lstrip()))
        elif side == "end" and stripped.endswith(number) and not stripped[: -len(number)][-1:].isdigit():
            found.append((index, stripped[: -len(number)].rstrip()))
        else:
            continue
        expected += 1
    return found


def _detail(exc: BaseException) -> str:
    """What pypdf said, on one short line."""
    return " ".join(str(exc).split())[:160].rstrip(".") or type(exc).__name__


def _broken(exc: BaseException, page: int) -> str:
    """A malformed-PDF message: where it broke and what pypdf said."""
    where = f" at page {page}" if page else ""
    return (
        f"PDF cannot be read{where} ({_detail(exc)}); it may be damaged: save it again, or save a text copy beside it"
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pypdf reports every repair it makes through logging and warnings; a corpus run stays quiet."""
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate
