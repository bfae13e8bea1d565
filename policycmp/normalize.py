"""Normalization rules: pure functions from loosely written values to canonical ones.

Each returns the canonical value, or ``None`` when the input cannot be normalized (the caller
reports the problem with its location). All are deterministic and idempotent:
``f(f(x)) == f(x)``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from functools import lru_cache
from typing import get_args
from urllib.parse import urlsplit

from .vocabulary import Ground, SourceType, Stance

_SLUG_SEPARATORS = re.compile(r"[\s_]+")
_HYPHENS = re.compile(r"-{2,}")
_VALID_SLUG = re.compile(r"^[^\W_](?:[\w.-]*[^\W_])?$")


@lru_cache(maxsize=65536)
def slugify(value: str) -> str:
    """NFC, trimmed, lower-cased, runs of spaces/underscores to one hyphen."""
    # NFC again after lower-casing: some lower-case letters have a precomposed form that their
    # upper-case letter lacks ('T' + U+0308 -> 't' + U+0308 -> U+1E97), so slugs stay idempotent.
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", value).strip().lower())
    text = _SLUG_SEPARATORS.sub("-", text)
    return _HYPHENS.sub("-", text)


def is_valid_slug(slug: str) -> bool:
    """Letters, digits, hyphens and dots; starting and ending with a letter or digit."""
    return _VALID_SLUG.match(slug) is not None


STANCES: tuple[Stance, ...] = get_args(Stance)
STANCE_ALIASES: dict[str, Stance] = {
    **{s: s for s in STANCES},
    **dict.fromkeys(("claims", "alleges", "argues", "affirms", "agrees", "supports", "yes"), "asserts"),
    **dict.fromkeys(("rejects", "disputes", "refutes", "contests", "disagrees", "no"), "denies"),
    **dict.fromkeys(("partly", "partially", "nuanced", "mixed"), "qualifies"),
}
# Words that read as either direction: never aliases; each is refused with the reason it is unsafe.
AMBIGUOUS_STANCES: dict[str, str] = {
    "concedes": "it reads as either admitting the other side's point or giving ground on one's own",
    "acknowledges": "it reads as either accepting a point or only noting that it was made",
    "admits": "it reads as either asserting a fact or conceding the other side's point",
    "accepts": "it reads as either asserting a point or conceding it",
    "neutral": "it states no direction",
}

SOURCE_TYPES: tuple[SourceType, ...] = get_args(SourceType)
SOURCE_TYPE_ALIASES: dict[str, SourceType] = {
    **{t: t for t in SOURCE_TYPES},
    "tos": "terms-of-service",
    "terms": "terms-of-service",
    "aup": "acceptable-use-policy",
    "app-review-guidelines": "review-guidelines",
    "developer-terms": "developer-policy",
    "customer-agreement": "contract",
    "statement": "press-statement",
    "post": "social-post",
    "tweet": "social-post",
    "complaint": "court-filing",
    "motion": "court-filing",
    "brief": "court-filing",
    "declaration": "court-filing",
    "order": "court-order",
    "ruling": "court-order",
    "opinion": "court-order",
    "article": "news-report",
    "news": "news-report",
}

GROUNDS: tuple[Ground, ...] = get_args(Ground)
GROUND_ALIASES: dict[str, Ground] = {g: g for g in GROUNDS}


def stance(value: str) -> Stance | None:
    """The canonical stance for a stance or alias (``yes`` -> ``asserts``), else None."""
    return STANCE_ALIASES.get(slugify(value))


def source_type(value: str) -> SourceType | None:
    return SOURCE_TYPE_ALIASES.get(slugify(value))


def ground(value: str) -> Ground | None:
    return GROUND_ALIASES.get(slugify(value))


def collapse(text: str) -> str:
    """Collapse whitespace runs to one space and trim (for summaries and labels)."""
    return " ".join(text.split())


# -- dates -------------------------------------------------------------------------------------

MONTH_NAMES: dict[str, int] = {}  # month names and abbreviations (English) -> month number
for _i in range(1, 13):
    MONTH_NAMES[calendar.month_name[_i].lower()] = _i
    MONTH_NAMES[calendar.month_abbr[_i].lower()] = _i
MONTH_NAMES["sept"] = 9

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_ISO_TIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[Tt ]([01]?\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{1,2}(?::?\d{2})?)?$"
)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")


class DateError(ValueError):
    """A date that cannot be normalized; the message says why."""


def _iso(year: int, month: int | None, day: int | None) -> str:
    if not 1 <= year <= 9999:
        raise DateError(f"year {year} is out of range")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    if day is None:
        return f"{year:04d}-{month:02d}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"{calendar.month_name[month]} {year} has no day {day}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month(name: str) -> int:
    month = MONTH_NAMES.get(name)
    if month is None:
        raise DateError(f"'{name}' is not a month name")
    return month


@lru_cache(maxsize=65536)
def date(value: str) -> str:
    """Normalize a written date to ISO text keeping its precision (``2021-01``).

    Accepts ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, an ISO date-time (kept to the day),
    ``January 11, 2021``, ``Jan 11 2021``, ``11 Jan 2021``, ``January 2021``. Raises
    :class:`DateError` for anything else or for an impossible date.
    """
    text = collapse(value).lower()
    if m := _ISO.match(text):
        y, mo, d = m.groups()
        return _iso(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := _ISO_TIME.match(text):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_DAY_YEAR.match(text):
        return _iso(int(m[3]), _month(m[1]), int(m[2]))
    if m := _DAY_MONTH_YEAR.match(text):
        return _iso(int(m[3]), _month(m[2]), int(m[1]))
    if m := _MONTH_YEAR.match(text):
        return _iso(int(m[2]), _month(m[1]), None)
    raise DateError("expected YYYY-MM-DD, YYYY-MM, YYYY or a date such as 'January 11, 2021'")


def date_bounds(iso: str) -> tuple[str, str]:
    """First and last day an ISO date of any precision may stand for."""
    parts = iso.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{iso}-01", f"{iso}-{last:02d}"
    return iso, iso


# -- URLs --------------------------------------------------------------------------------------

_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"\\^`{|}]")


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable http(s) URL, or None when it is."""
    text = value.strip()
    if _URL_FORBIDDEN.search(text):
        return "contains spaces, quotes or control characters; percent-encode them"
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme:
            return "has no scheme; write the full address starting with https://"
        return f"uses the '{parts.scheme}:' scheme; only http and https links are allowed"
    if not parts.hostname:
        return "has no host name"
    return None
