"""Ids that would deceive a reader: invisible characters, mixed scripts, look-alike skeletons.

Two ids that render the same (``aws`` and ``аws`` with a Cyrillic ``а``) would load as two
actors and show as two identical columns in conflict. Following Unicode Technical Standard #39
(Security Mechanisms): an id may not mix scripts (its "single script" restriction level, with
the Han + Hiragana + Katakana, Han + Hangul and Han + Bopomofo combinations that Japanese,
Korean and Chinese writing need), and two ids whose *skeletons* are equal are confusable. The
skeleton here is NFKC with case folding, decomposed, with the Cyrillic, Greek and Armenian
letters that confusables.txt maps to a single Latin letter mapped to it: a subset of TS #39's
table (no digit-letter or multi-letter pairs such as 'rn'/'m', which would refuse ordinary ids)
that covers the look-alikes of the letters ids are written in.

Python's ``unicodedata`` has no Script property; a letter's script is the first word of its
Unicode name (``CYRILLIC SMALL LETTER A``), which is how the names are built for every script
an id is likely to use.
"""

from __future__ import annotations

import unicodedata

# Format characters (category Cf) are invisible by definition; the Hangul fillers are letters
# that show as nothing. (The joiners ZWJ and ZWNJ are Cf too, and never belong in an id.)
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")

# Cyrillic, Greek and Armenian letters that look like a Latin letter (from confusables.txt).
_LATIN_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t",
        "ц": "u", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "з": "3", "ч": "4", "б": "6", "ь": "b",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j",
        # Armenian
        "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "ք": "p", "զ": "q",
        # dotless Latin letters
        "ı": "i", "ȷ": "j",
    }
)  # fmt: skip

_COMBINED_SCRIPTS = (
    frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"CJK", "HANGUL"}),
    frozenset({"CJK", "BOPOMOFO"}),
)
_NAME_PREFIXES = frozenset({"FULLWIDTH", "HALFWIDTH", "SMALL", "CAPITAL", "MODIFIER"})


def invisible(text: str) -> str | None:
    """The first invisible character of ``text`` (a format character or a Hangul filler), or None."""
    for ch in text:
        if ch in _HANGUL_FILLERS or unicodedata.category(ch) == "Cf":
            return ch
    return None


def script(ch: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``, ``CJK``...); None for digits and punctuation."""
    if not ch.isalpha():
        return None
    if ch.isascii():
        return "LATIN"
    words = unicodedata.name(ch, "").split()
    while words and words[0] in _NAME_PREFIXES:
        words = words[1:]
    return words[0] if words else None


def mixed_scripts(text: str) -> list[str]:
    """The scripts ``text`` mixes, in order of appearance; empty when it keeps to one (or to a
    combination a language writes in)."""
    seen: dict[str, None] = {}
    for ch in unicodedata.normalize("NFKC", text):
        name = script(ch)
        if name is not None:
            seen[name] = None
    scripts = frozenset(seen)
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in _COMBINED_SCRIPTS):
        return []
    return list(seen)


def skeleton(text: str) -> str:
    """What ``text`` looks like: equal skeletons mean two ids a reader cannot tell apart."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFD", folded.translate(_LATIN_LOOKALIKES))


class Lookalikes:
    """The ids of one kind seen so far, by how they look (their skeleton; an ASCII id is its own)."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}  # skeleton -> the first id that looks so

    def earlier(self, ident: str) -> str | None:
        """The id seen before that looks the same as ``ident`` but is another, else None (and ``ident`` is now seen)."""
        first = self._first.setdefault(ident if ident.isascii() else skeleton(ident), ident)
        return first if first != ident else None
