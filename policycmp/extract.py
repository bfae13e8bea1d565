"""Plain text out of a source document's bytes: HTML (visible text only) and PDF (per page).

Every function here takes bytes that are already read, never a path: opening files safely is the
caller's job (``quotes.py``), and a document's bytes are hostile input. Extraction either returns
an :class:`Extracted` or raises :class:`ExtractionError` with a sentence saying what is wrong and
how to fix it; no other exception escapes.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

from .extracted import Extracted, ExtractionError, Kind
from .pdftext import extract_pdf

__all__ = [
    "HTML_SUFFIXES",
    "PDF_SUFFIXES",
    "TEXT_SUFFIXES",
    "Extracted",
    "ExtractionError",
    "Kind",
    "extract",
    "extract_html",
    "kind_of",
]

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)


#: Bumped whenever an extractor's output changes, so that cached extractions are rebuilt.
HTML_EXTRACTOR_VERSION = "html-1"


def kind_of(suffix: str) -> Kind | None:
    """The extractor for a file name suffix (case-insensitive), or None for an unknown one."""
    lowered = suffix.lower()
    if lowered in TEXT_SUFFIXES:
        return "text"
    if lowered in HTML_SUFFIXES:
        return "html"
    if lowered in PDF_SUFFIXES:
        return "pdf"
    return None


def extract(data: bytes, kind: Kind) -> Extracted:
    """Text of a document of the given kind (see :func:`kind_of`)."""
    if kind == "html":
        return Extracted("html", extract_html(data))
    if kind == "pdf":
        return extract_pdf(data)
    try:
        return Extracted("text", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ExtractionError(
            f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


# HTML ---------------------------------------------------------------------------------

# Elements whose content is never shown: raw text, inert templates, document metadata.
_INVISIBLE = frozenset({"script", "style", "template", "head", "title", "noembed", "noframes", "iframe", "object"})
# What may stand in <head>; anything else starts the body.
_HEAD_CONTENT = frozenset({"head", "html", "title", "meta", "link", "style", "script", "base", "noscript", "template"})
# Elements with no content and no end tag.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# Elements that start a new line of text; everything else runs on inside the sentence.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# A start tag of these closes an open <p> (HTML's implied end tags), as a browser does.
_CLOSES_P = _BLOCK - {"br", "body", "html", "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "dd", "dt", "li"}
# Elements that close an open element of the same name (or a sibling kind) when they start.
_SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}, "td": {"td", "th"}, "th": {"td", "th"}}
_HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!\s*important\s*)?(?:;|$)", re.I
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CHUNK = 1 << 16
HTML_TIME_BUDGET = 60.0  # CPU seconds for one page; html.parser is linear, this bounds a slow machine too
_MAX_OPEN = 512  # deeper nesting is flattened: a browser limits it too, and a stack must not grow unbounded


def extract_html(data: bytes, time_budget: float = HTML_TIME_BUDGET) -> str:
    """The text a reader sees in an HTML page, one line per block, in document order.

    Dropped: ``script``, ``style``, ``template``, ``head``, comments, elements with the ``hidden``
    attribute or an inline ``display:none`` / ``visibility:hidden`` style, and everything inside
    them. Entities are decoded; inline elements (``b``, ``a``, ``span``...) join their text to the
    sentence around them, block elements (``p``, ``div``, ``li``, ``br``...) start a new line.
    Hiding by stylesheet classes, colour or position cannot be seen without a layout engine.
    """
    parser = _VisibleText()
    text = _decode_html(data)
    deadline = time.process_time() + time_budget
    try:
        for start in range(0, len(text), _CHUNK):  # fed in pieces, so that the time budget is checked
            if time.process_time() > deadline:
                raise ExtractionError(
                    f"reading the page took more than {time_budget:.0f} s of CPU time (stopped at character"
                    f" {start:,} of {len(text):,}); save a text copy beside it"
                )
            parser.feed(text[start : start + _CHUNK])
        parser.close()
    except (AssertionError, ValueError, RecursionError) as exc:  # html.parser is lenient; belt and braces
        raise ExtractionError(f"HTML cannot be parsed ({type(exc).__name__}); save the page again") from None
    return parser.text()


def _decode_html(data: bytes) -> str:
    """Bytes to text: a byte-order mark, else a ``<meta charset>``, else UTF-8, else windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        import codecs

        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            codec = "utf-8"
        if codec not in ("utf-16-le", "utf-16-be", "utf-16", "utf-32"):  # a meta tag read as ASCII is not UTF-16
            return data.decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


class _VisibleText(HTMLParser):
    """Collects visible text; a stack of open elements knows whether the current one is hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, hidden: this element or an ancestor hides)
        self.lines: list[list[str]] = [[]]
        self.pre = 0
        self.in_head = False  # an open <head>, which body content closes

    # The parser's callbacks ------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HEAD_CONTENT:
            self._leave_head()
        self._implied_ends(tag)
        hidden = self._hidden() or tag in _INVISIBLE or _hides(attrs)
        if tag in _BLOCK and not hidden:
            self._break()
        if tag in _VOID:
            return
        if len(self.open) >= _MAX_OPEN:
            if hidden and not self._hidden():  # dropping it would show what it hides
                raise ExtractionError(f"HTML nests elements more than {_MAX_OPEN} deep; save the page again")
            return
        self.open.append((tag, hidden))
        self.in_head = self.in_head or tag == "head"
        if tag == "pre" and not hidden:
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <div/> is a start tag in HTML (the slash is ignored) except for void elements
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                for name, hidden in self.open[depth:]:
                    if name == "pre" and not hidden:
                        self.pre -= 1
                was_hidden = self.open[depth][1]
                del self.open[depth:]
                if tag in _BLOCK and not was_hidden:
                    self._break()
                return
        if tag in ("br", "p") and not self._hidden():  # </br> and a stray </p> act as <br> and <p></p>
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_head and self.open and self.open[-1][0] == "head" and data.strip():
            self._leave_head()
        if self._hidden():
            return
        if self.pre:
            first, *rest = data.split("\n")
            self.lines[-1].append(first)
            for line in rest:
                self.lines.append([line])
        else:
            self.lines[-1].append(data)

    # Comments, declarations and processing instructions show nothing: the defaults ignore them.

    # Helpers ---------------------------------------------------------------------------

    def _leave_head(self) -> None:
        """Body content ends an unclosed ``<head>``, as in a browser."""
        if self.in_head:
            self.in_head = False
            self.handle_endtag("head")

    def _hidden(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def _implied_ends(self, tag: str) -> None:
        """Close what the start of ``tag`` closes in a browser (``<p>a<p>b``, ``<li>a<li>b``)."""
        closes = _SIBLINGS.get(tag, set())
        if tag in _CLOSES_P:
            closes = closes | {"p"}
        if not closes:
            return
        for depth in range(len(self.open) - 1, -1, -1):
            name = self.open[depth][0]
            if name in closes:
                self.handle_endtag(name)
                return
            if name in _BLOCK and name != "p":  # an enclosing block ends the search (li inside ul inside li)
                return

    def _break(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def text(self) -> str:
        """The collected lines: spaces collapsed within each, blank lines dropped."""
        out = []
        for parts in self.lines:
            line = _SPACES.sub(" ", "".join(parts)).strip()
            if line:
                out.append(line)
        return "\n".join(out) + ("\n" if out else "")


def _hides(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element's own attributes hide it: ``hidden`` or an inline style that does."""
    for name, value in attrs:
        if name == "hidden":  # hidden="until-found" too: not shown until a search finds it
            return True
        if name == "style" and value and _HIDING_STYLE.search(value.replace("\n", " ")):
            return True
    return False
