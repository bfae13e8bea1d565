"""Markdown pipe tables (GitHub and pandoc), every cell escaped, sized for pandoc's PDF and Word output."""

from __future__ import annotations

import functools
import math
import re
import unicodedata

from ..results import Result
from .grid import Cell, Grid, grid_of, several_grids
from .layout import BREAKS, LINEWIDTH, Layout, check_label, shrinks, text_width

# '&', '<' and '>' become entities, which every Markdown reader shows as text (markdown_strict
# and Parsedown pass '\<img ...>' through as HTML). The other ASCII punctuation that means
# something inline is backslash-escaped (CommonMark and pandoc accept a backslash before any).
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~^$@])")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
SEPARATOR = 120  # dashes in the separator line: over pandoc's 72 columns, so pandoc reads widths from it
MAX_SEPARATOR = 400
PAD_LIMIT = 80  # characters a cell is padded to at most when the columns cannot line up
LEGEND = "+ asserts, - denies, ~ qualifies, ± inconsistent"  # after a word: a leading + would start a list
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# A break opportunity inside a word too wide for its column: pandoc writes it as \hspace{0pt} in
# LaTeX, and Word and browsers break lines there; it shows as nothing. Only such words get it.
ZWSP = "\u200b"
PARAGRAPH = (LINEWIDTH - 1, LINEWIDTH - 1)  # the widest word of a line of text (a summary, a caption)
HEADING = (LINEWIDTH / 1.15 - 1, LINEWIDTH / 1.15 - 1)  # in a bold heading


def md_escape(text: str) -> str:
    text = _CONTROL.sub("\ufffd", _NEWLINES.sub(" ", text))
    return _SPECIAL.sub(r"\\\1", text).translate(_ENTITIES).strip()


def render_markdown(grid: Grid, caption: str | None = None, label: str | None = None) -> str:
    """A pipe table; its separator's dashes give pandoc each column's share of the line.

    The shares come from the shared layout (every column at least as wide as its longest word,
    free text wrapping), and the separator is always longer than pandoc's 72 columns, so that
    pandoc sets the widths from it: in its PDF (LaTeX ``p{}`` columns) and Word output alike.
    When words do not fit, positions shrink to their marks and a legend line follows.
    """
    check_label(label, caption)
    ncols = len(grid.headers)
    start = 0
    while True:  # the first layout whose words fit both pandoc's PDF and its Word document
        layout = Layout(grid, smaller=False, pandoc=True, start=start)
        shares, fit = _shares(layout, ncols)
        if fit or layout.last:
            break
        start += 1
    texts = [list(grid.headers), *([_cell_text(c, i, layout) for i, c in enumerate(row)] for row in grid.rows)]
    if not fit:  # the longest words do not all fit the line: some must break inside
        limits = [_holds(s, layout.room) for s in shares]
        least = _least(texts, layout)
        if any(lp > hp or lw > hw for (lp, lw), (hp, hw) in zip(least, limits, strict=True)):
            squeezed = _squeezed(texts, layout, least)  # the widest columns give way
            if squeezed is None:  # too many columns for any to hold two letters: they shrink alike, whole
                limits = [(math.inf, math.inf)] * ncols
            else:
                shares, limits = squeezed
        texts = [[breakable(t, limits[i]) for i, t in enumerate(r)] for r in texts]
    headers = [md_escape(h) or " " for h in texts[0]]
    rows = [[md_escape(t) for t in r] for r in texts[1:]]
    content = [max([_shown(headers[i]), *(_shown(r[i]) for r in rows)]) for i in range(ncols)]
    # as many dashes as keep every column's text within its own (an aligned source), within reason
    total = min(MAX_SEPARATOR, max(SEPARATOR, *(math.ceil((c + 2) / f) for c, f in zip(content, shares, strict=True))))
    dashes = [max(3, round(total * f)) for f in shares]  # each column's share, +2 for the spaces around it
    aligned = all(c <= d for c, d in zip(content, dashes, strict=True))
    # unaligned, a column is padded up to PAD_LIMIT at most: one long cell must not pad every other
    # row of its column (2,000 rows and a 1 MB summary made a 2 GB file)
    pad = [d - 2 for d in dashes] if aligned else [min(c, PAD_LIMIT) for c in content]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c + " " * (w - _shown(c)) for c, w in zip(cells, pad, strict=True)) + " |"

    separator = "|" + "|".join(":" + "-" * (d - 1) for d in dashes) + "|"
    lines = [md_escape(breakable(grid.summary, PARAGRAPH)), "", line(headers), separator]
    lines += [line(r) for r in rows]
    if caption is not None:
        lines += [
            "",
            f": {md_escape(breakable(caption, PARAGRAPH))}" + (f" {{#{label}}}" if label else ""),
        ]
    if layout.compact or layout.verdicts:
        seen = {
            c.mark: c.text for r in grid.rows for i, c in enumerate(r) if layout.verdicts and i in layout.verdict_cols
        }
        legend = [", ".join(f"{mark} {text}" for mark, text in seen.items())] if seen else []
        lines += ["", md_escape("Marks: " + "; ".join([*legend, LEGEND]))]
    return "\n".join(lines) + "\n"


# Word (pandoc's reference.docx): 12 pt Cambria, about 5 % wider than Latin Modern, in a table
# a table as wide as the text (6.5 in on a Letter page with 1 in margins), each cell with 0.075 in of
# margin on either side
WORD_EM, WORD_WIDTH, WORD_MARGINS, CAMBRIA = 12.0, 468.0, 10.8, 1.05


def _shares(layout: Layout, ncols: int) -> tuple[list[float], bool]:
    """Each column's share of the line, and whether that leaves room for every longest word
    both in pandoc's PDF and in its Word document."""

    def need(em: float) -> float:
        return _need(em, layout.room)

    wrap = [i for i in layout.wrap if not layout.fits]
    shares = [0.0 if i in wrap else need(layout.natural[i]) for i in range(ncols)]
    left = 1.0 - sum(shares)
    floors = {i: need(layout.floor[i]) for i in wrap}
    total = sum(layout.width[i] for i in wrap) or 1.0
    for i in wrap:
        shares[i] = max(floors[i], left * layout.width[i] / total)
    scale = sum(shares)
    return [f / scale for f in shares], scale <= 1.0 + 1e-9


# A column's width in pandoc's PDF, for a word of ``em``: ``em * GROW + PAD``. Choosing a layout
# leaves a generous margin; a word that does not fit it breaks only where even the bare width
# (pandoc rounds shares to its separator's dashes, ~0.1 em; a letter outside ASCII may be wider
# than the model's 'n') leaves too little room.
GROW, PAD = 1.04, 0.3
GROW_TIGHT, PAD_TIGHT = 1.01, 0.15


def _pdf_need(em: float, room: float, tight: bool = False) -> float:
    grow, pad = (GROW_TIGHT, PAD_TIGHT) if tight else (GROW, PAD)
    return (em * grow + pad) / room


def _word_need(em: float) -> float:
    return (em * WORD_EM * CAMBRIA + WORD_MARGINS + 2) / WORD_WIDTH


def _need(em: float, room: float) -> float:
    """The share of the line a column of ``em`` (10 pt ems) needs in pandoc's PDF and Word alike."""
    return max(_pdf_need(em, room), _word_need(em))


def _holds(share: float, room: float) -> tuple[float, float]:
    """The widest word (10 pt ems) a column of ``share`` holds in pandoc's PDF and in Word."""
    pdf = (share * room - PAD_TIGHT) / GROW_TIGHT
    word = (share * WORD_WIDTH - WORD_MARGINS - 2) / (WORD_EM * CAMBRIA)
    return pdf + 1e-9, word + 1e-9  # + rounding: a column sized for a word holds it


def _least(texts: list[list[str]], layout: Layout) -> list[tuple[float, float]]:
    """Each column's narrowest width in pandoc's PDF and in Word: the widest text of a column
    that does not wrap, the widest word (see :func:`_unbreakable`) of one that does."""
    ncols = len(texts[0])
    least = []
    for i in range(ncols):
        if i in layout.wrap:
            pairs = [_unbreakable(r[i]) for r in texts]
            least.append((max(p for p, _ in pairs), max(w for _, w in pairs)))
        else:
            natural = max(_width(r[i]) for r in texts)
            least.append((natural, natural))
    return least


def _squeezed(
    texts: list[list[str]], layout: Layout, least: list[tuple[float, float]]
) -> tuple[list[float], list[tuple[float, float]]] | None:
    """Shares that fit the line when the longest words do not, and the widest word each column
    holds; None when not even two letters a column fit (some twenty columns or more).

    Every column needs its longest word (a column that does not wrap: its longest text); when
    these do not fit together, the widest give way first, down to a common width that fits
    (water-filling), so that dates, marks and short ids stay whole and only the longest words
    break. What is left goes to the columns whose text is wider than their share. ``least``:
    each column's narrowest widths, from :func:`_least`.
    """
    ncols = len(texts[0])
    room = layout.room
    natural = [max(_width(r[i]) for r in texts) for i in range(ncols)]

    def need(pdf: float, word: float, cap: float = math.inf) -> float:
        return max(_pdf_need(min(pdf, cap), room, tight=True), _word_need(min(word, cap)))

    low, high = 1.0, max(max(pair) for pair in least)  # a column holds two letters at the least
    if room <= 0 or sum(need(*pair, low) for pair in least) > 1.0:
        return None
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if sum(need(*pair, mid) for pair in least) <= 1.0 else (low, mid)
    shares = [need(*pair, low) for pair in least]
    want = [max(0.0, need(n, n) - s) for n, s in zip(natural, shares, strict=True)]
    spare = 1.0 - sum(shares)
    if spare > 0:
        wanted = sum(want)
        for i in range(ncols):
            shares[i] += spare * want[i] / wanted if spare < wanted else want[i]
        if spare > wanted:  # every column wide enough: the wrapping ones take the rest
            take = layout.wrap or list(range(ncols))
            for i in take:
                shares[i] += (spare - wanted) / len(take)
    scale = sum(shares)
    shares = [s / scale for s in shares]
    return shares, [_holds(s, room) for s in shares]


_WIDE = frozenset("WF")
# after these a word may break (a path, a URL, a dotted or snake_case name); before an opening bracket
_AFTER = frozenset("./\\_:=?&#,;+~@!)]}")


@functools.cache
def _char_width(ch: str) -> float:
    """The width model's width of one character: East Asian wide characters take a full em."""
    return 1.0 if unicodedata.east_asian_width(ch) in _WIDE else text_width(ch)


def _width(text: str) -> float:
    return text_width(text) if text.isascii() else sum(map(_char_width, text))


def _words(text: str) -> list[str]:
    return [w for w in BREAKS.split(text) if w]


def _longest(text: str) -> float:
    return max((_width(w) for w in _words(text)), default=0.0)


HYPHENATED = 1.6  # a plain word this many times as wide as its column is left to TeX's hyphenation
_OPEN, _CLOSE = "([{\"'", ".,;:!?)]}\"'"


def _may_break(left: str, right: str) -> bool:
    """Whether a line may break between two characters without tearing one apart or leaving a
    bracket or a comma alone at a line's edge."""
    if left in _OPEN or right in _CLOSE or "\u200d" in (left, right):
        return False
    if right >= "\u1100" and _jamo(right) in _JAMO_AFTER.get(_jamo(left), ()):  # within a Hangul syllable
        return False
    return unicodedata.category(right) not in ("Mn", "Mc", "Me", "Cf") and not "\U0001f3fb" <= right <= "\U0001f3ff"


# A Hangul syllable written as its jamo (leading consonant, vowel, trailing consonant) is one
# letter: what may follow each kind of jamo or syllable within it (Unicode's grapheme rules).
_JAMO_AFTER = {"L": ("L", "V", "LV", "LVT"), "V": ("V", "T"), "LV": ("V", "T"), "T": ("T",), "LVT": ("T",)}
_JAMO = {
    **{chr(c): "L" for r in ((0x1100, 0x1160), (0xA960, 0xA97D)) for c in range(*r)},
    **{chr(c): "V" for r in ((0x1160, 0x11A8), (0xD7B0, 0xD7C7)) for c in range(*r)},
    **{chr(c): "T" for r in ((0x11A8, 0x1200), (0xD7CB, 0xD7FC)) for c in range(*r)},
}


def _jamo(ch: str) -> str:
    if "\uac00" <= ch <= "\ud7a3":
        return "LVT" if (ord(ch) - 0xAC00) % 28 else "LV"
    return _JAMO.get(ch, "")


def _regional(ch: str) -> bool:
    """A regional indicator: two of them make one flag."""
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _sensible(left: str, right: str) -> bool:
    """A place where a reader expects a long word to break."""
    return (
        left in _AFTER
        or right in "([{"
        or (left.islower() and right.isupper())
        or (left.isalpha() and right.isdigit())
        or (left.isdigit() and right.isalpha())
        or unicodedata.east_asian_width(left) in _WIDE
        or unicodedata.east_asian_width(right) in _WIDE
    )


_VOWELS = frozenset("aeiouyAEIOUY")


def _syllable(word: str, i: int) -> int:
    """How well a word of letters reads broken before ``word[i]``: 1 between a vowel and a
    consonant that a vowel follows (re|in|sta|te|ment), 2 between two consonants, else 3."""
    left, right = word[i - 1], word[i]
    if not (left.isalpha() and right.isalpha()):
        return 3
    if left in _VOWELS and right not in _VOWELS and i + 1 < len(word) and word[i + 1] in _VOWELS:
        return 1
    return 2 if left not in _VOWELS and right not in _VOWELS else 3


def _split_word(word: str, limit: float) -> list[str]:
    """``word`` in pieces no wider than ``limit`` ems and about as wide as each other, cut at a
    sensible place (after a dot or a slash, between letters and digits; else between syllables,
    else between consonants) where there is one near the even width."""
    target = _width(word) / math.ceil(_width(word) / limit)
    pieces: list[str] = []
    start, width, last = 0, 0.0, 0
    places: dict[int, tuple[int, float]] = {}  # position -> (how good, see _syllable; width before)
    flags = 0  # regional indicators just before ``ch``
    for i, ch in enumerate(word):
        w = _char_width(ch)
        allowed = i > start and _may_break(word[i - 1], ch) and not (flags % 2 and _regional(ch))
        flags = flags + 1 if _regional(ch) else 0
        sensible = allowed and width >= target / 2 and _sensible(word[i - 1], ch)
        cut = 0
        if sensible and width >= target:
            cut = i
        elif width + w > limit:  # the nearest to the even width of the best kind, else here (or before)
            fallback = i if allowed else last
            cut = min(places, key=lambda p: (places[p][0], abs(places[p][1] - target)), default=fallback)
        elif allowed and width >= target / 2:
            kind = 0 if sensible else _syllable(word, i)
            if kind < 3:
                places[i] = (kind, width)
        if allowed:
            last = i
        if cut > start:
            pieces.append(word[start:cut])
            start, width, places = cut, _width(word[cut:i]), {}
        width += w
    pieces.append(word[start:])
    return pieces


def _unbreakable(text: str) -> tuple[float, float]:
    """The width a column needs for ``text`` to break only as :func:`breakable` lets it, in
    pandoc's PDF and in Word: its widest word between spaces and hyphens; in the PDF, a plain
    word of several counted at its share of ``HYPHENATED`` (a text of one word is an id or a
    name: it is never hyphenated; Word does not hyphenate)."""
    prose = len(text.split()) > 1
    pdf = word = 0.0
    for w in _words(text):
        width = _width(w)
        word = max(word, width)
        pdf = max(pdf, width / HYPHENATED if prose and _plain(w) else width)
    return pdf, word


def _plain(word: str) -> bool:
    """A word of ASCII letters (with punctuation around it): pdflatex hyphenates it where its
    patterns allow, once glue comes before it."""
    core = word.lstrip(_OPEN).rstrip(_CLOSE)
    return core.isascii() and core.isalpha()


def breakable(text: str, limits: tuple[float, float]) -> str:
    """``text`` with zero-width spaces where a word too wide for its column may break, so that
    pandoc's LaTeX and Word can break it there; ``limits``: the widest word the column holds in
    pandoc's PDF and in Word, in ems (10 pt Latin Modern, the layout's width model).

    Lines break at spaces and after hyphens as TeX breaks them; the pieces between those that
    are still too wide break inside, except plain words of prose (a text of several words, not
    an id) that Word holds and that are not much wider than the PDF's column: pdflatex
    hyphenates those (a zero-width space before one that begins the text gives it the glue TeX
    needs before a word it hyphenates). Text whose words fit is returned as is.
    """
    pdf, word = limits
    limit = min(pdf, word)
    if _longest(text) <= limit:
        return text
    parts = re.split(r"(\s+)", text)
    first = next(k for k, part in enumerate(parts) if part and not part.isspace())
    prose = len(text.split()) > 1
    out = []
    for k, part in enumerate(parts):
        width = _width(part) if part and not part.isspace() else 0.0
        if width <= limit:
            out.append(part)
        elif prose and _plain(part) and width <= min(word, HYPHENATED * pdf):
            out.append(ZWSP + part if k == first and width > pdf else part)
        else:
            out.append("".join(ZWSP.join(_split_word(w, limit)) if _width(w) > limit else w for w in _words(part)))
    return "".join(out)


def _shown(cell: str) -> int:
    """Characters a cell shows in the Markdown source (a zero-width space shows as none)."""
    return len(cell) - cell.count(ZWSP)


def _cell_text(cell: Cell, column: int, layout: Layout) -> str:
    if layout.compact and shrinks(cell):
        return cell.mark
    if layout.verdicts and column in layout.verdict_cols:
        return cell.mark
    return cell.text


def render(result: Result, caption: str | None = None, label: str | None = None) -> str:
    """The result's table (or tables under headings; a caption and label go to the first)."""
    grids = several_grids(result)
    if grids is None:
        return render_markdown(grid_of(result), caption, label)
    sections = "\n".join(
        f"### {md_escape(breakable(g.title, HEADING))}\n\n"
        f"{render_markdown(g, *((caption, label) if i == 0 else (None, None))).rstrip()}\n"
        for i, g in enumerate(grids)
    )
    return f"{md_escape(breakable(result.summary_line(), PARAGRAPH))}\n\n{sections}"
