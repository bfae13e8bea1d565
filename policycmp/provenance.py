"""Check mechanically that a quote really occurs in the document it cites.

Quotes and documents are compared after a deliberately narrow normalization
(Unicode NFKC, casefolding, typographic quotes and dashes made straight,
whitespace collapsed, soft hyphens dropped) so that typography never decides
the outcome while every word and punctuation mark still has to match.
An ellipsis in a quote stands for an omitted passage of any length.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "PreparedText",
    "QuoteMatch",
    "match_quote",
    "normalize_for_match",
    "prepare_text",
    "split_on_ellipsis",
]

MatchStatus = Literal["verified", "not-found", "no-text"]

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u02bc"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e\u301f"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_SOFT_HYPHEN = "\u00ad"

_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
        _SOFT_HYPHEN: None,
    }
)
_ASCII_SPACES = str.maketrans(dict.fromkeys((chr(code) for code in range(128) if chr(code).isspace()), " "))

# Characters of combining class 0 that NFC can still merge with the character
# before them (second halves of canonical pairs, Hangul vowel and final jamo).
_BACKWARD_COMPOSERS = frozenset(
    "\u09be\u09d7\u0b3e\u0b56\u0b57\u0bbe\u0bd7\u0cc2\u0cd5\u0cd6\u0d3e\u0d57"
    "\u0dcf\u0ddf\u0fb5\u0fb7\u102e\u1b35\U00011127\U0001133e\U00011357"
    "\U000114b0\U000114ba\U000114bd\U000115af\U00011930"
    + "".join(map(chr, range(0x1161, 0x1176)))
    + "".join(map(chr, range(0x11A8, 0x11C3)))
)

_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_REPEATS = re.compile(r" {2,}|-{2,}")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_DOTS = r"\.(?:[ \u00a0]?\.){2,}"
_ELLIPSIS = re.compile(rf"\s*(?:\[\s*(?:{_DOTS}|\u2026+)\s*\]|{_DOTS}|\u2026+)\s*")

_GRAM_SIZES = (12, 6, 3, 1)
_MAX_SAMPLES = 96
_MAX_OCCURRENCES = 32
_MAX_CANDIDATES = 3
_SNAP_LIMIT = 40
_REFINE_STEPS = 8
_REFINE_MAX_LENGTH = 400


@dataclass(frozen=True)
class QuoteMatch:
    """Outcome of looking for one quote in one document."""

    status: MatchStatus
    line: int | None = None
    closest: str | None = None
    similarity: float | None = None
    page: int | None = None  # for a paged document (PDF): the page, and ``line`` counts within it


@dataclass(frozen=True)
class PreparedText:
    """A document normalized once, so that many quotes can be checked against it."""

    original: str = field(repr=False)
    normalized: str = field(repr=False)
    index_map: tuple[int, ...] = field(repr=False)
    line_starts: tuple[int, ...] = field(repr=False)
    page_starts: tuple[int, ...] = field(default=(), repr=False)  # offsets in `original` (PDF pages)
    soft_breaks: bool = False  # words split at a line end were joined: hyphens may be missing

    def line_of(self, position: int) -> int:
        """1-based line of the original text holding normalized `position`."""
        return bisect.bisect_right(self.line_starts, self.index_map[position])

    def locate(self, position: int) -> tuple[int | None, int]:
        """(page, line within the page) of normalized `position`; page is None for unpaged text."""
        line = self.line_of(position)
        if not self.page_starts:
            return None, line
        page = bisect.bisect_right(self.page_starts, self.index_map[position])
        first_line = bisect.bisect_right(self.line_starts, self.page_starts[page - 1])
        return page, line - first_line + 1

    def original_span(self, start: int, end: int) -> str:
        """Original text behind normalized `[start, end)`, whitespace collapsed."""
        stop = self.index_map[end] if end < len(self.index_map) else len(self.original)
        return " ".join(self.original[self.index_map[start] : stop].replace(_SOFT_HYPHEN, "").split())


def prepare_text(text: str, page_starts: Sequence[int] = (), soft_breaks: bool = False) -> PreparedText:
    """Normalize a document and index its lines (and pages) for repeated matching."""
    normalized, index_map = normalize_for_match(text)
    line_starts = (0, *(found.end() for found in _LINE_BREAK.finditer(text)))
    return PreparedText(text, normalized, tuple(index_map), line_starts, tuple(page_starts), soft_breaks)


def normalize_for_match(text: str) -> tuple[str, list[int]]:
    """Normalize `text` for matching; also return each output char's source index.

    The index map lets a match in the normalized text be traced back to the
    original (for line numbers and for showing the closest passage).
    """
    mapped, index_map = _map_characters(text)
    return _collapse_repeats(mapped, index_map)


def split_on_ellipsis(quote: str) -> list[str]:
    """Split a quote into the pieces an ellipsis separates, dropping empty ones."""
    return [piece.strip() for piece in _ELLIPSIS.split(quote) if piece.strip()]


def match_quote(quote: str, text: str | PreparedText) -> QuoteMatch:
    """Check that `quote` occurs in `text`; if not, report the closest passage."""
    prepared = text if isinstance(text, PreparedText) else prepare_text(text)
    if not prepared.normalized:
        return QuoteMatch("no-text")
    pieces = _normalized_pieces(quote)
    if not pieces:
        return QuoteMatch("not-found", similarity=0.0)
    start = _find_in_order(prepared.normalized, pieces)
    if start is None and prepared.soft_breaks:
        # "web-hosting" broken at its hyphen at a line end was joined as "webhosting"
        start = _find_in_order(prepared.normalized, [_WORD_HYPHEN.sub("", piece) for piece in pieces])
    if start is not None:
        page, line = prepared.locate(start)
        return QuoteMatch("verified", line=line, page=page)
    return _closest_match(prepared, " ".join(pieces))


# Normalization ----------------------------------------------------------------


def _map_characters(text: str) -> tuple[str, list[int]]:
    """Apply the per-character rules; ASCII stretches take a fast path."""
    parts: list[str] = []
    index_map: list[int] = []
    done = 0
    for run in _NON_ASCII_RUN.finditer(text):
        # The ASCII character before a run may carry its combining marks.
        start = max(done, run.start() - 1)
        _emit_ascii(text, done, start, parts, index_map)
        for offset, cluster in _clusters(text, start, run.end()):
            normalized = _normalize_cluster(cluster)
            parts.append(normalized)
            index_map.extend([offset] * len(normalized))
        done = run.end()
    _emit_ascii(text, done, len(text), parts, index_map)
    return "".join(parts), index_map


def _emit_ascii(text: str, start: int, end: int, parts: list[str], index_map: list[int]) -> None:
    """Normalize an ASCII stretch: lower case, whitespace to spaces, 1:1 mapping."""
    parts.append(text[start:end].lower().translate(_ASCII_SPACES))
    index_map.extend(range(start, end))


def _clusters(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """Yield (offset, cluster) units of `text[start:end]` that NFKC treats alone.

    Soft hyphens are skipped here, so marks after one join the preceding
    character exactly as they will once the soft hyphen is gone.
    """
    begin = start
    chars: list[str] = []
    for position in range(start, end):
        char = text[position]
        if char == _SOFT_HYPHEN:
            continue
        if chars and _attaches(char):
            chars.append(char)
            continue
        if chars:
            yield begin, "".join(chars)
        begin, chars = position, [char]
    if chars:
        yield begin, "".join(chars)


@functools.lru_cache(maxsize=4096)
def _attaches(char: str) -> bool:
    """Whether NFKC may merge or reorder `char` with the character before it."""
    if unicodedata.combining(char) or char in _BACKWARD_COMPOSERS:
        return True
    first = unicodedata.normalize("NFKD", char)[:1]
    return bool(unicodedata.combining(first)) or first in _BACKWARD_COMPOSERS


@functools.lru_cache(maxsize=4096)
def _normalize_cluster(cluster: str) -> str:
    """NFKC, casefold and typography rules for one cluster; whitespace to spaces."""
    folded = unicodedata.normalize("NFKC", cluster.translate(_TYPOGRAPHY)).casefold()
    normalized = unicodedata.normalize("NFKC", folded).translate(_TYPOGRAPHY)
    return "".join(" " if char.isspace() else char for char in normalized)


def _collapse_repeats(text: str, index_map: list[int]) -> tuple[str, list[int]]:
    """Collapse runs of spaces or hyphens to one character, then trim spaces."""
    parts: list[str] = []
    kept: list[int] = []
    done = 0
    for run in _REPEATS.finditer(text):
        keep = run.start() + 1
        parts.append(text[done:keep])
        kept.extend(index_map[done:keep])
        done = run.end()
    parts.append(text[done:])
    kept.extend(index_map[done:])
    collapsed = "".join(parts)
    start = 1 if collapsed[:1] == " " else 0
    end = len(collapsed) - 1 if len(collapsed) > start and collapsed[-1] == " " else len(collapsed)
    return collapsed[start:end], kept[start:end]


# Exact matching -----------------------------------------------------------------


def _normalized_pieces(quote: str) -> list[str]:
    """Normalized, non-empty ellipsis-separated pieces of a quote."""
    pieces = (normalize_for_match(piece)[0] for piece in split_on_ellipsis(quote))
    return [piece for piece in pieces if piece]


def _find_in_order(haystack: str, pieces: Sequence[str]) -> int | None:
    """Start of the first piece if all pieces occur in order without overlap.

    A piece must not begin or end inside a word ("allowed" is not found in "disallowed").
    Taking the earliest such occurrence of each piece is optimal: it leaves the most room for
    the pieces that follow.
    """
    first: int | None = None
    position = 0
    for piece in pieces:
        found = _find_whole(haystack, piece, position)
        if found < 0:
            return None
        first = found if first is None else first
        position = found + len(piece)
    return first


def _find_whole(haystack: str, piece: str, start: int) -> int:
    """First occurrence of ``piece`` at or after ``start`` that does not cut a word."""
    check_start = piece[:1].isalnum()
    check_end = piece[-1:].isalnum()
    found = haystack.find(piece, start)
    while found >= 0:
        end = found + len(piece)
        cuts_start = check_start and found > 0 and haystack[found - 1].isalnum()
        cuts_end = check_end and end < len(haystack) and haystack[end].isalnum()
        if not (cuts_start or cuts_end):
            return found
        found = haystack.find(piece, found + 1)
    return -1


# Closest passage ----------------------------------------------------------------


def _closest_match(prepared: PreparedText, needle: str) -> QuoteMatch:
    """Not-found result carrying the most similar passage of the document."""
    start, end, ratio = _closest_span(prepared.normalized, needle)
    page, line = prepared.locate(start) if prepared.normalized else (None, None)
    return QuoteMatch(
        "not-found",
        line=line,
        closest=prepared.original_span(start, end),
        similarity=round(ratio, 3),
        page=page,
    )


def _similarity(needle: str, passage: str) -> float:
    """difflib ratio between the quote and a passage, 0..1."""
    return difflib.SequenceMatcher(None, needle, passage, autojunk=False).ratio()


def _closest_span(haystack: str, needle: str) -> tuple[int, int, float]:
    """Normalized span of `haystack` most similar to `needle`, with its ratio.

    Rather than sliding a window over every offset, exact n-gram hits of the
    quote vote for where the quote would start; only the few best-supported
    windows are scored with difflib, and their edges tuned word by word.
    """
    if len(needle) >= len(haystack):
        return 0, len(haystack), _similarity(needle, haystack)
    hits = _seed_hits(haystack, needle)
    groups = _vote(hits, len(needle)) if hits else []
    spans = [_span_of(group, len(needle), len(haystack)) for group in groups]
    scored = [_refine(haystack, needle, _snap(haystack, *span)) for span in spans or [(0, len(needle))]]
    return max(scored, key=lambda candidate: candidate[2])


def _refine(haystack: str, needle: str, span: tuple[int, int]) -> tuple[int, int, float]:
    """Move a span's edges one word at a time while that raises similarity.

    Skipped for long quotes, where an edge word barely changes the ratio and
    each difflib comparison is comparatively expensive.
    """
    best = span
    best_ratio = _similarity(needle, haystack[span[0] : span[1]])
    for _ in range(_REFINE_STEPS if len(needle) <= _REFINE_MAX_LENGTH else 0):
        neighbours = _neighbours(haystack, *best)
        if not neighbours:  # the span is the whole text, and a single word
            break
        ratio, candidate = max((_similarity(needle, haystack[start:end]), (start, end)) for start, end in neighbours)
        if ratio <= best_ratio:
            break
        best, best_ratio = candidate, ratio
    return best[0], best[1], best_ratio


def _neighbours(haystack: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans differing from `[start, end)` by one word at either edge."""
    spans = []
    if start > 0:
        spans.append((haystack.rfind(" ", 0, start - 1) + 1, end))
    following = haystack.find(" ", start, end)
    if following >= 0 and following + 1 < end:
        spans.append((following + 1, end))
    if end < len(haystack):
        after = haystack.find(" ", end + 1)
        spans.append((start, len(haystack) if after < 0 else after))
    preceding = haystack.rfind(" ", start, end)
    if preceding > start:
        spans.append((start, preceding))
    return spans


def _seed_hits(haystack: str, needle: str) -> list[tuple[int, int]]:
    """(offset in needle, offset in haystack) of exact n-gram hits.

    Long n-grams are tried first; shorter ones only when the longer find
    nothing. N-grams that occur very often are ignored while rarer ones hit.
    """
    for size in sorted({min(gram, len(needle)) for gram in _GRAM_SIZES}, reverse=True):
        rare: list[tuple[int, int]] = []
        common: list[tuple[int, int]] = []
        for offset in _sample_offsets(len(needle) - size + 1):
            found = _occurrences(haystack, needle[offset : offset + size])
            target = rare if len(found) <= _MAX_OCCURRENCES else common
            target.extend((offset, position) for position in found[:_MAX_OCCURRENCES])
        if rare or common:
            return rare or common
    return []


def _sample_offsets(count: int) -> range:
    """At most _MAX_SAMPLES offsets spread evenly over `range(count)`."""
    return range(0, count, max(1, -(-count // _MAX_SAMPLES)))


def _occurrences(haystack: str, gram: str) -> list[int]:
    """Positions of `gram` in `haystack`, stopping just past the useful cap."""
    positions: list[int] = []
    found = haystack.find(gram)
    while found >= 0 and len(positions) <= _MAX_OCCURRENCES:
        positions.append(found)
        found = haystack.find(gram, found + 1)
    return positions


def _vote(hits: list[tuple[int, int]], length: int) -> list[list[tuple[int, int]]]:
    """Group hits implying nearby quote starts; return the best-supported groups.

    A group spans at most `_tolerance(length)` implied starts (no chaining),
    so unrelated hits spread over a repetitive document cannot pile up.
    """
    ordered = sorted(hits, key=_implied_start)
    groups: list[list[tuple[int, int]]] = [[ordered[0]]]
    for hit in ordered[1:]:
        if _implied_start(hit) - _implied_start(groups[-1][0]) <= _tolerance(length):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    ranked = sorted(groups, key=_support, reverse=True)[:_MAX_CANDIDATES]
    return [group for group in ranked if 2 * _support(group) >= _support(ranked[0])]


def _tolerance(length: int) -> int:
    """How far apart implied starts of one candidate passage may drift."""
    return max(4, length // 8)


def _implied_start(hit: tuple[int, int]) -> int:
    """Where the quote would start in the text if this hit is genuine."""
    return hit[1] - hit[0]


def _support(group: list[tuple[int, int]]) -> int:
    """How many distinct n-grams of the quote back a group of hits."""
    return len({offset for offset, _ in group})


def _span_of(group: list[tuple[int, int]], length: int, limit: int) -> tuple[int, int]:
    """Window implied by a group's first and last hit (by quote offset), within `[0, limit]`."""
    first = min(group)
    last = max(group)
    start = max(0, _implied_start(first))
    end = min(limit, _implied_start(last) + length)
    return start, max(end, min(limit, start + 1))


def _snap(haystack: str, start: int, end: int) -> tuple[int, int]:
    """Adjust a span so that it neither starts nor ends inside a word or a space."""
    floor = max(0, start - _SNAP_LIMIT)
    while start > floor and haystack[start - 1] != " ":
        start -= 1
    ceiling = min(len(haystack), end + _SNAP_LIMIT)
    while end < ceiling and haystack[end] != " ":
        end += 1
    if end - start > 1 and haystack[start] == " ":
        start += 1
    if end - start > 1 and haystack[end - 1] == " ":
        end -= 1
    return start, end
