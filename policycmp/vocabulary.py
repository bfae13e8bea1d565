"""The words of a comparison: positions, verdicts, diff statuses and quote statuses, once each.

Every term has its word (the value in results, JSON and CSV), a mark that reads without colour,
a one-line description (the report's legend), a style class (``pc-<style>`` in HTML, the colour
in a terminal) and a terminal colour. ``compare.py`` decides which term applies; every renderer,
the report and the templates read how it looks from here. A new verdict rule is a rule in
``compare.py``, a term here, and its colour in ``templates/_style.html.j2``.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

# The closed sets, as types: a record field typed with one of these holds one of its words
# (``normalize.py`` maps what analysts write onto them; the tables below say how each looks).
Stance = Literal["asserts", "denies", "qualifies"]  # what a claim says of its topic's statement
Position = Literal[Stance, "inconsistent"]  # an actor's claims on a topic, combined
Verdict = Literal["conflict", "agreement", "partial", "single", "silent"]
Status = Literal["agree", "conflict", "partial", "left-only", "right-only"]
QuoteStatus = Literal["verified", "not-found", "no-text"]
Change = Literal["added", "removed", "changed", "unchanged"]
Consistency = Literal["same", "opposite", "shifted", "one-case"]  # one actor on one theme across cases
SourceType = Literal[
    "terms-of-service", "acceptable-use-policy", "community-guidelines", "review-guidelines",
    "developer-policy", "contract", "letter", "press-statement", "social-post", "interview",
    "court-filing", "court-order", "news-report", "other",
]  # fmt: skip
Ground = Literal["contract", "policy", "law", "fact", "principle"]  # what a claim rests on


class Term(NamedTuple):
    word: str
    mark: str  # one character that carries the meaning without colour
    description: str
    style: str  # the style class: verdict-like kinds share the verdicts' colours
    ansi: str = ""  # terminal colour (SGR), empty for none

    @property
    def html_mark(self) -> str:
        """The mark in HTML: a true minus sign reads better than a hyphen in a badge."""
        return "\u2212" if self.mark == "-" else self.mark


_RED, _GREEN, _YELLOW, _CYAN = "\x1b[1;31m", "\x1b[32m", "\x1b[33m", "\x1b[36m"
_MAGENTA, _BLUE = "\x1b[35m", "\x1b[34m"

POSITIONS: dict[str, Term] = {
    t.word: t
    for t in (
        Term("asserts", "+", "says the statement is true", "asserts", _GREEN),
        Term("denies", "-", "says the statement is false", "denies", _MAGENTA),
        Term("qualifies", "~", "agrees in part, or with conditions", "qualifies", _YELLOW),
        Term("inconsistent", "±", "both asserts and denies it", "inconsistent", _RED),
    )
}

# In the order summaries count them; "silent" (no actor) only when the table shows such topics.
VERDICTS: dict[str, Term] = {
    t.word: t
    for t in (
        Term("conflict", "!", "at least one actor asserts the statement and at least one denies it", "conflict", _RED),
        Term("agreement", "=", "two or more actors, all asserting or all denying", "agreement", _GREEN),
        Term("partial", "~", "two or more actors, at least one of them qualifying", "partial", _YELLOW),
        Term("single", "·", "only one actor takes a position", "single", _CYAN),
        Term("silent", " ", "no selected actor addresses the topic", "silent"),
    )
}

STATUSES: dict[str, Term] = {
    t.word: t
    for t in (
        Term("agree", "=", "both take the same position (both assert or both deny)", "agree", _GREEN),
        Term("conflict", "!", "one asserts and the other denies, or either is inconsistent", "conflict", _RED),
        Term("partial", "~", "both speak to it and at least one qualifies", "partial", _YELLOW),
        Term("left-only", "-", "only the left actor speaks to it", "left-only", _MAGENTA),
        Term("right-only", "+", "only the right actor speaks to it", "right-only", _BLUE),
    )
}

# Quote statuses are drawn in the verdicts' colours: verified like agreement, not-found like conflict.
QUOTE_STATUSES: dict[str, Term] = {
    t.word: t
    for t in (
        Term("verified", "✓", "found in the source's text, with the line where it starts", "agreement", _GREEN),
        Term("not-found", "✗", "not in the source's text; the closest passage is shown", "conflict", _RED),
        Term("no-text", "?", "no text for any of the claim's sources", "single", _CYAN),
    )
}

# A claim between two versions (``policycmp changes``), drawn in the diff statuses' colours.
CHANGES: dict[str, Term] = {
    t.word: t
    for t in (
        Term("added", "+", "in the new version only", "right-only", _BLUE),
        Term("removed", "-", "in the old version only", "left-only", _MAGENTA),
        Term("changed", "~", "in both, with at least one field changed", "partial", _YELLOW),
        Term("unchanged", "=", "in both, every field the same", "agree", _GREEN),
    )
}

# One actor's positions on a theme across cases (``policycmp across``), drawn like the verdicts they resemble.
CONSISTENCIES: dict[str, Term] = {
    t.word: t
    for t in (
        Term("same", "=", "the same position in every case that has one", "agreement", _GREEN),
        Term("opposite", "!", "asserts in one case and denies in another (or contradicts itself)", "conflict", _RED),
        Term("shifted", "~", "positions differ otherwise (e.g. qualifies beside asserts)", "partial", _YELLOW),
        Term("one-case", "·", "a position in one case only", "single", _CYAN),
    )
}

POSITION_WORDS: tuple[Position, ...] = get_args(Position)
VERDICT_WORDS: tuple[Verdict, ...] = get_args(Verdict)
STATUS_WORDS: tuple[Status, ...] = get_args(Status)
QUOTE_STATUS_WORDS: tuple[QuoteStatus, ...] = get_args(QuoteStatus)
CHANGE_WORDS: tuple[Change, ...] = get_args(Change)
CONSISTENCY_WORDS: tuple[Consistency, ...] = get_args(Consistency)

# The terminal colour of each style class (cells of other kinds, such as topic labels, are plain).
ANSI: dict[str, str] = {t.style: t.ansi for terms in (POSITIONS, VERDICTS, STATUSES) for t in terms.values() if t.ansi}


def marks(terms: dict[str, Term]) -> dict[str, str]:
    """word -> mark, for templates and legends."""
    return {w: t.mark for w, t in terms.items()}
