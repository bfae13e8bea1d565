"""Quote provenance: check every quote of a corpus against the text of the source it cites.

A source's text is found, in order, at its ``text:`` path (relative to the corpus directory),
then in a ``--texts`` directory as ``<actor>/<source-id>.<ext>`` or ``<source-id>.<ext>``, for the
extensions ``.txt``, ``.md``, ``.html``, ``.htm`` and ``.pdf`` in that order. Files are read here;
text is extracted from their bytes in ``extract.py`` (HTML) and ``pdftext.py`` (PDF), cached in
``textcache.py``; matching rules live in ``provenance.py``; this module builds the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .extract import (
    HTML_EXTRACTOR_VERSION,
    HTML_SUFFIXES,
    PDF_SUFFIXES,
    TEXT_SUFFIXES,
    Extracted,
    ExtractionError,
    Kind,
    extract,
    kind_of,
)
from .loader import display_path
from .pdftext import pdf_extractor_version
from .problems import Location, Problem, UsageError, suggest
from .provenance import PreparedText, QuoteMatch, match_quote, prepare_text
from .results import QuotesResult
from .selection import names, select_actors
from .textcache import TextCache
from .vocabulary import QUOTE_STATUS_WORDS, QuoteStatus
from .yamlio import DEFAULT_LIMITS, read_regular

if TYPE_CHECKING:
    from .loader import CorpusData as Corpus

SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *PDF_SUFFIXES)
STATUSES = QUOTE_STATUS_WORDS
MAX_PDF_BYTES = 64 * 1024 * 1024  # court filings with exhibits run to tens of megabytes
HTML_CAVEAT = "HTML: visible text only; hiding by stylesheet classes, colour or position is not detected"


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """One quoted claim's provenance."""

    actor: str
    claim: str
    source: str | None  # the source whose text verified it, or was closest
    status: QuoteStatus
    page: int | None  # PDF: the page of the match (or of the closest passage); ``line`` counts within it
    line: int | None  # the line of the match, or of the closest passage
    similarity: float | None
    closest: str | None
    text: str | None  # path of the text that was checked
    format: str | None  # text | html | pdf: how the text was read
    quote: str

    @property
    def place(self) -> str:
        """Where the match (or the closest passage) is: ``page 2, line 14``, or ``line 14``."""
        return f"page {self.page}, line {self.line}" if self.page is not None else f"line {self.line}"


class TextFinder:
    """Finds, reads and extracts the text of each (actor, source), each file once per run."""

    def __init__(self, corpus: Corpus, texts_dir: Path | None, cache: TextCache | None = None) -> None:
        self.corpus = corpus
        self.texts_dir = texts_dir
        self.text_cache = cache
        self.cache: dict[Path, tuple[PreparedText, Kind] | None] = {}
        self.warnings: list[Problem] = []  # texts that exist but cannot be used, once each

    def candidates(self, actor: str, source_id: str) -> list[tuple[Path, Path]]:
        """(path, the directory it must stay in): the corpus for ``text:``, else ``--texts``."""
        source = self.corpus.actors[actor].sources.get(source_id)
        paths: list[tuple[Path, Path]] = []
        if source is not None and source.text:
            paths.append((self.corpus.root / source.text, self.corpus.root))
        if self.texts_dir is not None:
            for suffix in SUFFIXES:
                paths.append((self.texts_dir / actor / f"{source_id}{suffix}", self.texts_dir))
            for suffix in SUFFIXES:
                paths.append((self.texts_dir / f"{source_id}{suffix}", self.texts_dir))
        return paths

    def find(self, actor: str, source_id: str) -> tuple[Path, PreparedText, Kind] | None:
        for path, root in self.candidates(actor, source_id):
            if path not in self.cache:
                self.cache[path] = self._load(path, root)
            loaded = self.cache[path]
            if loaded is not None:
                return path, *loaded
        return None

    def _load(self, path: Path, root: Path) -> tuple[PreparedText, Kind] | None:
        """The prepared text at ``path`` (a file in ``root``); None (with a warning when the file
        is there) if unusable."""
        kind = kind_of(path.suffix) or "text"
        read = _read(path, MAX_PDF_BYTES if kind == "pdf" else DEFAULT_LIMITS.max_bytes, root)
        if read is None:
            return None
        if isinstance(read, str):  # there, but not usable: say so instead of "no-text"
            self._warn("unreadable-text", read, path)
            return None
        try:
            extracted = self._extract(read, kind)
        except ExtractionError as exc:
            self._warn("unreadable-text", str(exc), path)
            return None
        if extracted.warning is not None:
            self._warn("no-text-layer", extracted.warning, path)
        if not extracted.text.strip():
            return None
        return prepare_text(extracted.text, extracted.page_starts, extracted.soft_breaks), kind

    def _extract(self, data: bytes, kind: Kind) -> Extracted:
        """Extract, through the cache for the kinds that are worth caching."""
        if kind == "text" or self.text_cache is None:
            return extract(data, kind)
        version = _extractor_version(kind)
        cached = self.text_cache.get(data, version)
        if cached is not None and cached.kind == kind:
            return cached
        extracted = extract(data, kind)
        self.text_cache.put(data, version, extracted)
        return extracted

    def _warn(self, code: str, reason: str, path: Path) -> None:
        self.warnings.append(Problem.of(code, Location(display_path(path)), reason=reason))


def _extractor_version(kind: Kind) -> str:
    if kind == "pdf":
        return pdf_extractor_version()
    return HTML_EXTRACTOR_VERSION


def _read(path: Path, limit: int, root: Path) -> bytes | str | None:
    """A source text's bytes: a regular file in ``root`` within ``limit`` (a pipe or device is
    never read, a link out of ``root`` never followed).

    None when there is no such file; the reason, when a file is there but cannot be used.
    """
    try:
        data, size = read_regular(path, limit, within=root)
        if size > limit or len(data) > limit:
            return f"larger than {limit:,} bytes"
        return data
    except (FileNotFoundError, NotADirectoryError):
        return None
    except ValueError as exc:  # a NUL in the name
        return str(exc)
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def check_quotes(
    corpus: Corpus,
    texts_dir: Path | None = None,
    warnings: list[Problem] | None = None,
    actors: list[str] | None = None,
    cache: bool = True,
) -> list[QuoteCheck]:
    """Check every quoted claim (of ``actors``, when given); a claim citing several sources is
    verified by any of them. Texts that exist but cannot be used are added to ``warnings``.

    ``cache=False`` extracts every PDF and HTML text afresh and leaves the user's cache alone.
    """
    finder = TextFinder(corpus, texts_dir, TextCache() if cache else None)
    wanted = set(actors) if actors is not None else None
    checks: list[QuoteCheck] = []
    for rec in corpus.records:
        if not rec.quote or (wanted is not None and rec.actor not in wanted):
            continue
        best: tuple[str, Path, QuoteMatch, Kind] | None = None
        for source in rec.sources:
            source_id = source.id
            found = finder.find(rec.actor, source_id)
            if found is None:
                continue
            path, prepared, kind = found
            result = match_quote(rec.quote, prepared)
            if result.status == "verified":
                best = (source_id, path, result, kind)
                break
            if best is None or (result.similarity or 0) > (best[2].similarity or 0):
                best = (source_id, path, result, kind)
        if best is None:
            checks.append(
                QuoteCheck(rec.actor, rec.claim, None, "no-text", None, None, None, None, None, None, rec.quote)
            )
            continue
        source_id, path, result, kind = best
        checks.append(
            QuoteCheck(
                rec.actor,
                rec.claim,
                source_id,
                result.status,
                result.page,
                result.line,
                result.similarity,
                result.closest,
                display_path(path),
                kind,
                rec.quote,
            )
        )
    if warnings is not None:
        warnings.extend(finder.warnings)
    return checks


def select_statuses(statuses: list[str] | None) -> list[str]:
    """``--status`` values (comma-separated, in any number of options); unknown ones are a usage error."""
    chosen = names(statuses)
    for name in chosen:
        if name not in STATUSES:
            raise UsageError(f"unknown status '{name}'{suggest(name, STATUSES)}; statuses: {', '.join(STATUSES)}")
    return list(dict.fromkeys(chosen)) or list(STATUSES)


def build_quotes(
    corpus: Corpus,
    texts_dir: Path | None = None,
    actors: list[str] | None = None,
    status: list[str] | None = None,
    cache: bool = True,
) -> QuotesResult:
    """The quotes result: every quote of the selected actors checked, then only the rows of the
    selected statuses kept; the summary counts every status of the selected actors."""
    import pandas as pd  # here, not at the top: the report's and claims' quote checks need no DataFrame

    actor_ids = select_actors(corpus, actors) if actors else None
    statuses = select_statuses(status)
    warnings: list[Problem] = []
    checks = check_quotes(corpus, texts_dir, warnings, actor_ids, cache)
    columns = list(QuoteCheck.__dataclass_fields__)
    frame = pd.DataFrame([[getattr(c, k) for k in columns] for c in checks], columns=columns)
    frame["page"] = frame["page"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    counts: dict[str, int] = {name: int((frame["status"] == name).sum()) for name in STATUSES}
    shown = frame[frame["status"].isin(statuses)].reset_index(drop=True)
    return QuotesResult(corpus, shown, warnings, counts, statuses)
