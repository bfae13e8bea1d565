"""Tests for quote provenance: normalization, ellipses, matching, closest passage."""

from __future__ import annotations

import difflib
import itertools
import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from policycmp.provenance import (
    PreparedText,
    QuoteMatch,
    match_quote,
    normalize_for_match,
    prepare_text,
    split_on_ellipsis,
)

POLICY = (
    "Community Standards\n"
    "Section 4: Hateful conduct\n"
    "We remove content that attacks people on the basis of protected characteristics.\n"
    "Users who repeatedly violate this policy may lose access to their accounts, "
    "although a first offence usually results in a warning.\n"
    "Satire and counter-speech are not covered by this section.\n"
)


def normalized(text: str) -> str:
    """Just the normalized text."""
    return normalize_for_match(text)[0]


# normalize_for_match ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hate SPEECH", "hate speech"),
        ("STRASSE Straße", "strasse strasse"),
        ("a  b\tc\n\nd\r\ne", "a b c d e"),
        ("  padded \n", "padded"),
        ("non\u00a0breaking\u202fspace\u2007here", "non breaking space here"),
        ("\u201cquoted\u201d \u201edown\u201f \u00abguillemets\u00bb", '"quoted" "down" "guillemets"'),
        ("\u2033inches\u2033", '"inches"'),
        ("it\u2019s \u2018single\u2019 \u201alow\u201b \u2032prime", "it's 'single' 'low' 'prime"),
        ("en\u2013dash em\u2014dash minus\u2212sign", "en-dash em-dash minus-sign"),
        ("hy\u2010phen nb\u2011hyphen fig\u2012dash bar\u2015", "hy-phen nb-hyphen fig-dash bar-"),
        ("double--hyphen", "double-hyphen"),
        ("moder\u00adation", "moderation"),
        ("e\u00ad\u0301t\u00e9", "\u00e9t\u00e9"),
        ("\ufb01ne \uff21\uff22", "fine ab"),
        ("e\u0301t\u00e9", "\u00e9t\u00e9"),
    ],
)
def test_normalization_rules(raw: str, expected: str) -> None:
    assert normalized(raw) == expected


def test_normalization_keeps_punctuation() -> None:
    assert normalized("No, really. (Yes!) [x]; a/b") == "no, really. (yes!) [x]; a/b"


def test_index_map_points_into_original() -> None:
    text, index_map = normalize_for_match("  Ab\n\n\u2014cd")
    assert text == "ab -cd"
    assert index_map == [2, 3, 4, 6, 7, 8]


def test_index_map_for_expanding_and_removed_characters() -> None:
    text, index_map = normalize_for_match("\u00dfa\u00adb")
    assert text == "ssab"
    assert index_map == [0, 0, 1, 3]


# split_on_ellipsis --------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "first part...second part",
        "first part ... second part",
        "first part\u2026second part",
        "first part \u2026 second part",
        "first part [...] second part",
        "first part [\u2026] second part",
        "first part [ \u2026 ] second part",
        "first part . . . second part",
    ],
)
def test_split_on_ellipsis_forms(quote: str) -> None:
    assert split_on_ellipsis(quote) == ["first part", "second part"]


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("... trailing words", ["trailing words"]),
        ("leading words \u2026", ["leading words"]),
        ("[...] both ends [\u2026]", ["both ends"]),
        ("a ... b ... c", ["a", "b", "c"]),
        ("no ellipsis here.", ["no ellipsis here."]),
        ("...", []),
        ("", []),
    ],
)
def test_split_on_ellipsis_edges(quote: str, expected: list[str]) -> None:
    assert split_on_ellipsis(quote) == expected


# match_quote: what must verify ------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "we remove content that attacks people",
        "WE REMOVE CONTENT",
        "Section 4:   Hateful\tconduct",
        "Hateful conduct We remove content",
        "Satire and counter\u2013speech are not covered",
        "Satire and counter\u2014speech",
        "Satire and counter--speech",
        "Users\u00a0who repeatedly violate",
    ],
)
def test_verifies_despite_typography(quote: str) -> None:
    assert match_quote(quote, POLICY).status == "verified"


@pytest.mark.parametrize(
    ("quote", "text"),
    [
        ("it\u2019s \u201cfine\u201d", 'He said it\'s "fine" today.'),
        ('it\'s "fine"', "He said it\u2019s \u201cfine\u201d today."),
        ("\u00abfine\u00bb", 'He said "fine".'),
        ("\u2018fine\u2019", "He said 'fine'."),
    ],
)
def test_verifies_typographic_and_straight_quotes(quote: str, text: str) -> None:
    assert match_quote(quote, text).status == "verified"


@pytest.mark.parametrize(
    "quote",
    [
        "We remove content ... protected characteristics.",
        "We remove content\u2026protected characteristics.",
        "We remove content \u2026 protected characteristics.",
        "We remove content [\u2026] protected characteristics.",
        "We remove content [...] lose access [...] a warning.",
        "... lose access to their accounts",
        "lose access to their accounts ...",
    ],
)
def test_verifies_with_ellipsis(quote: str) -> None:
    assert match_quote(quote, POLICY).status == "verified"


# match_quote: what must not verify --------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "We remove posts that attacks people",  # changed word
        "We remove content attacks people",  # missing word
        "We remvoe content that attacks people",  # typo
        "accounts although a first offence",  # missing comma
        "accounts, although a first offence.",  # extra full stop
        "counter speech",  # hyphen is not a space
        "a warning ... We remove content",  # pieces out of order
        "people on the basis ... the basis of protected",  # pieces overlap in the text
    ],
)
def test_near_misses_do_not_verify(quote: str) -> None:
    assert match_quote(quote, POLICY).status == "not-found"


def test_repeated_piece_needs_two_occurrences() -> None:
    assert match_quote("the cat ... the cat", "the cat sat").status == "not-found"
    assert match_quote("the cat ... the cat", "the cat saw the cat").status == "verified"


# match_quote: line numbers ---------------------------------------------------------


def test_reports_line_of_match() -> None:
    text = "first line\nsecond line\nthird line has the quote\nfourth line\n"
    assert match_quote("has the quote", text) == QuoteMatch("verified", line=3)


def test_quote_across_line_break_reports_first_line() -> None:
    text = "one\ntwo three\nfour five\nsix"
    assert match_quote("three four", text).line == 2


def test_line_numbers_with_crlf_and_leading_blank_lines() -> None:
    text = "\r\n\r\n\r\n    alpha\r\n\r\n\tbeta gamma\r\n"
    assert match_quote("alpha", text).line == 4
    assert match_quote("gamma", text).line == 6


def test_ellipsis_quote_reports_line_of_first_piece() -> None:
    assert match_quote("Satire ... section.", POLICY).line == 5
    assert match_quote("Hateful conduct ... Satire", POLICY).line == 2


# match_quote: closest passage --------------------------------------------------------


def test_closest_passage_for_typo() -> None:
    result = match_quote("repeatedly violaet this policy may lose access", POLICY)
    assert result.status == "not-found"
    assert result.line == 4  # where the closest passage starts
    assert result.closest is not None
    assert "repeatedly violate this policy may lose access" in result.closest
    assert len(result.closest) < 2 * len("repeatedly violaet this policy may lose access")
    assert result.similarity is not None
    assert 0.8 < result.similarity < 1.0


def test_closest_passage_is_from_original_text_with_whitespace_collapsed() -> None:
    text = "Intro.\nThe \u201cRules\u201d\n   apply\u00a0to ALL users.\nEnd."
    result = match_quote('the "rules" apply to al users', text)
    assert result.status == "not-found"
    assert result.closest == "The \u201cRules\u201d apply to ALL users."


SMALL_TEXT = (
    "the board may review a decision to remove content and the board may uphold it "
    "users may appeal a decision on content within the period set by the rules "
    "a decision of the board is final and the content is restored or removed"
)


def best_window_similarity(quote: str, text: str) -> float:
    """Brute force: best difflib ratio over all word-aligned windows of the text."""
    words = text.split()
    return max(
        difflib.SequenceMatcher(None, quote, " ".join(words[i:j]), autojunk=False).ratio()
        for i in range(len(words))
        for j in range(i + 1, len(words) + 1)
    )


@pytest.mark.parametrize(
    "quote",
    [
        "the board may revue a decision",
        "users may appeal decision on content",
        "zebra a decision of the board is final",
        "content within the period set by zebra",
        "the content is restored and removed",
        "may uphold it users can appeal",
    ],
)
def test_closest_passage_is_as_good_as_brute_force(quote: str) -> None:
    result = match_quote(quote, SMALL_TEXT)
    assert result.status == "not-found"
    assert result.similarity is not None
    assert result.similarity >= round(best_window_similarity(quote, SMALL_TEXT), 3) - 0.02


def test_similarity_is_rounded() -> None:
    result = match_quote("the lazy cat", "the quick brown fox jumps over the lazy dog")
    assert result.similarity is not None
    assert result.similarity == round(result.similarity, 3)
    assert result.closest is not None
    assert "lazy" in result.closest


def test_quote_longer_than_text() -> None:
    result = match_quote("a much longer quote than the text itself", "short text")
    assert result.status == "not-found"
    assert result.closest == "short text"


# match_quote: degenerate input ----------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u00ad"])
def test_empty_text(text: str) -> None:
    assert match_quote("anything", text) == QuoteMatch("no-text")


@pytest.mark.parametrize("quote", ["", "  ", "[...]"])
def test_empty_quote_is_not_found(quote: str) -> None:
    assert match_quote(quote, POLICY) == QuoteMatch("not-found", similarity=0.0)


def test_prepared_text_gives_same_results() -> None:
    prepared = prepare_text(POLICY)
    assert isinstance(prepared, PreparedText)
    for quote in ("We remove content", "We remvoe content", "a warning ... Satire"):
        assert match_quote(quote, prepared) == match_quote(quote, POLICY)


# Properties ---------------------------------------------------------------------

WORD_CHARS = "abcXYZ\u00e9\u00df\u2019\u201c\u201d'\"-\u2013\u2014,;:!?()0\u00ad\u0301\ufb01"
SPACES = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "\u00a0", " \n "])


@st.composite
def text_and_substring(draw: st.DrawFn) -> tuple[str, str]:
    """A text of words and whitespace, and a substring cut at word boundaries."""
    words = draw(st.lists(st.text(WORD_CHARS, min_size=1, max_size=8), min_size=1, max_size=30))
    gaps = [draw(SPACES) for _ in words]
    text = "".join(word + gap for word, gap in zip(words, gaps, strict=True))
    start = draw(st.integers(0, len(words) - 1))
    stop = draw(st.integers(start + 1, len(words)))
    quote = "".join(word + gap for word, gap in zip(words[start:stop], gaps[start:stop], strict=True))
    return text, quote


@given(text_and_substring())
def test_any_word_aligned_substring_verifies(case: tuple[str, str]) -> None:
    text, quote = case
    assume(normalized(quote))
    assert match_quote(quote, text).status == "verified"


@given(st.text())
def test_normalization_is_idempotent(text: str) -> None:
    once = normalized(text)
    assert normalized(once) == once


@given(st.text(WORD_CHARS + " \n\u00a0\u2028"))
def test_normalization_is_idempotent_on_typographic_text(text: str) -> None:
    once = normalized(text)
    assert normalized(once) == once


@given(st.text())
def test_index_map_is_aligned_and_non_decreasing(text: str) -> None:
    result, index_map = normalize_for_match(text)
    assert len(index_map) == len(result)
    assert all(a <= b for a, b in itertools.pairwise(index_map))
    assert all(0 <= index < len(text) for index in index_map)


# Scale ----------------------------------------------------------------------------


def test_long_quote_with_typo_in_large_text() -> None:
    rng = random.Random(20240521)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(1500)
    ]
    words = [rng.choice(vocabulary) for _ in range(34_000)]
    lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    text = "\n".join(lines)
    assert len(text) > 200_000
    quote_words = words[20_000:20_300]
    passage = " ".join(quote_words)
    quote_words[150] = quote_words[150] + "x"
    result = match_quote(" ".join(quote_words), text)
    assert result.status == "not-found"
    assert result.closest is not None
    assert passage in result.closest
    assert result.similarity is not None
    assert result.similarity > 0.99


def test_a_quote_must_not_start_or_end_inside_a_word() -> None:
    assert match_quote("allowed to post", "users disallowed to post here").status == "not-found"
    assert match_quote("users disallow", "users disallowed to post here").status == "not-found"
    assert match_quote("allowed to post", "disallowed to post, allowed to post").status == "verified"


@pytest.mark.parametrize(
    ("quote", "text"),
    [("allowed", "disallowed"), ("内容审核不够", "平台的内容审核不足以及时删除暴力内容。"), ("x", "y")],
)
def test_a_miss_against_a_text_without_spaces_reports_the_closest_passage(quote: str, text: str) -> None:
    result = match_quote(quote, text)
    assert result.status == "not-found"
    assert result.closest is not None
    assert 0.0 <= (result.similarity or 0.0) <= 1.0
