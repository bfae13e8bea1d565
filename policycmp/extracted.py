"""What text extraction gives: a document's text (per page for a PDF), or why it cannot.

Shared by the HTML extractor (``extract.py``), the PDF extractor (``pdftext.py``) and the cache of
extractions (``textcache.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "html", "pdf"]


class ExtractionError(Exception):
    """A document that cannot be turned into text; the message says why and what to do."""


@dataclass(frozen=True)
class Extracted:
    """A document's text; for a PDF, where each page starts in it (0-based offsets)."""

    kind: Kind
    text: str
    page_starts: tuple[int, ...] = ()
    soft_breaks: bool = False  # words split by a line-end hyphen were joined (PDF)
    warning: str | None = None  # a PDF without a text layer: what was found instead
