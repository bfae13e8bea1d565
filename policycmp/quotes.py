"""Quote provenance: check every quote of a corpus against the text of the source it cites.

A source's text is found, in order, at its ``text:`` path (relative to the corpus directory),
then in a ``--texts`` directory as ``<actor>/<source-id>.txt`` or ``<source-id>.txt`` (``.md``
too). Matching rules live in ``provenance.py``; this module finds texts and builds the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .loader import display_path
from .problems import Location, Problem
from .provenance import PreparedText, QuoteMatch, match_quote, prepare_text
from .yamlio import DEFAULT_LIMITS, read_regular

if TYPE_CHECKING:
    from .corpus import Corpus
    from .results import QuotesResult

TEXT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """One quoted claim's provenance."""

    actor: str
    claim: str
    source: str | None  # the source whose text verified it, or was closest
    status: str  # verified | not-found | no-text
    line: int | None
    similarity: float | None
    closest: str | None
    text: str | None  # path of the text that was checked
    quote: str


class TextFinder:
    """Finds and caches the prepared text of each (actor, source)."""

    def __init__(self, corpus: Corpus, texts_dir: Path | None) -> None:
        self.corpus = corpus
        self.texts_dir = texts_dir
        self.cache: dict[Path, PreparedText | None] = {}
        self.warnings: list[Problem] = []  # texts that exist but cannot be used, once each

    def candidates(self, actor: str, source_id: str) -> list[Path]:
        source = self.corpus.actors[actor].sources.get(source_id)
        paths: list[Path] = []
        if source is not None and source.text:
            paths.append(self.corpus.root / source.text)
        if self.texts_dir is not None:
            for suffix in TEXT_SUFFIXES:
                paths.append(self.texts_dir / actor / f"{source_id}{suffix}")
                paths.append(self.texts_dir / f"{source_id}{suffix}")
        return paths

    def find(self, actor: str, source_id: str) -> tuple[Path, PreparedText] | None:
        for path in self.candidates(actor, source_id):
            if path not in self.cache:
                read = _read(path)
                if isinstance(read, str):  # there, but not usable: say so instead of "no-text"
                    self.warnings.append(Problem.of("unreadable-text", Location(display_path(path)), reason=read))
                    read = None
                self.cache[path] = read
            prepared = self.cache[path]
            if prepared is not None:
                return path, prepared
        return None


def _read(path: Path) -> PreparedText | str | None:
    """A source text: a regular UTF-8 file within the size limit (a pipe or device is never read).

    None when there is no such file; the reason, when a file is there but cannot be used.
    """
    try:
        data, size = read_regular(path, DEFAULT_LIMITS.max_bytes)
        if size > DEFAULT_LIMITS.max_bytes or len(data) > DEFAULT_LIMITS.max_bytes:
            return f"larger than {DEFAULT_LIMITS.max_bytes:,} bytes"
        return prepare_text(data.decode("utf-8-sig"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def check_quotes(
    corpus: Corpus, texts_dir: Path | None = None, warnings: list[Problem] | None = None
) -> list[QuoteCheck]:
    """Check every quoted claim; a claim citing several sources is verified by any of them.

    Texts that exist but cannot be read are added to ``warnings`` when it is given.
    """
    finder = TextFinder(corpus, texts_dir)
    checks: list[QuoteCheck] = []
    for rec in corpus.records:
        if not rec.quote:
            continue
        best: tuple[str, Path, QuoteMatch] | None = None
        for source_id in rec.source.split("; "):
            found = finder.find(rec.actor, source_id)
            if found is None:
                continue
            path, prepared = found
            result = match_quote(rec.quote, prepared)
            if result.status == "verified":
                best = (source_id, path, result)
                break
            if best is None or (result.similarity or 0) > (best[2].similarity or 0):
                best = (source_id, path, result)
        if best is None:
            checks.append(QuoteCheck(rec.actor, rec.claim, None, "no-text", None, None, None, None, rec.quote))
            continue
        source_id, path, result = best
        checks.append(
            QuoteCheck(
                rec.actor,
                rec.claim,
                source_id,
                result.status,
                result.line,
                result.similarity,
                result.closest,
                display_path(path),
                rec.quote,
            )
        )
    if warnings is not None:
        warnings.extend(finder.warnings)
    return checks


def build_quotes(corpus: Corpus, texts_dir: Path | None = None) -> QuotesResult:
    import pandas as pd

    from .results import QuotesResult

    warnings: list[Problem] = []
    checks = check_quotes(corpus, texts_dir, warnings)
    columns = list(QuoteCheck.__dataclass_fields__)
    frame = pd.DataFrame([[getattr(c, k) for k in columns] for c in checks], columns=columns)
    frame["line"] = frame["line"].astype("Int64")
    return QuotesResult(corpus, frame, warnings)
