"""The typed records: closed sets as Literal types, and claims that hold their sources.

The vocabulary's ``Literal`` types are the single statement of each closed set: the word tuples,
the normalizer's canonical values and the display tables are checked against them here, so a
word added to one and forgotten in another fails a test rather than a ``KeyError`` at render time.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pandas as pd
import pytest

import policycmp
from policycmp import normalize as norm
from policycmp import vocabulary as vocab
from policycmp.model import CLAIM_COLUMNS, Claim
from policycmp.render.notebook import CHIP

from .corpus_helpers import MINI, copy_mini


@pytest.mark.parametrize(
    ("words", "literal", "table"),
    [
        (vocab.POSITION_WORDS, vocab.Position, vocab.POSITIONS),
        (vocab.VERDICT_WORDS, vocab.Verdict, vocab.VERDICTS),
        (vocab.STATUS_WORDS, vocab.Status, vocab.STATUSES),
        (vocab.QUOTE_STATUS_WORDS, vocab.QuoteStatus, vocab.QUOTE_STATUSES),
        (vocab.CHANGE_WORDS, vocab.Change, vocab.CHANGES),
        (vocab.CONSISTENCY_WORDS, vocab.Consistency, vocab.CONSISTENCIES),
    ],
    ids=["positions", "verdicts", "statuses", "quote-statuses", "changes", "consistencies"],
)
def test_each_closed_set_is_its_literal_type_and_its_display_table(words, literal, table) -> None:
    assert words == get_args(literal)
    assert tuple(table) == words  # the same words, in the order summaries count them
    assert all(t.word == w and t.mark and t.style for w, t in table.items())


def test_a_stance_is_a_position_and_inconsistent_is_not_a_stance() -> None:
    assert get_args(vocab.Stance) == norm.STANCES
    assert (*norm.STANCES, "inconsistent") == vocab.POSITION_WORDS


@pytest.mark.parametrize(
    ("canonical", "aliases", "literal"),
    [
        (norm.STANCES, norm.STANCE_ALIASES, vocab.Stance),
        (norm.SOURCE_TYPES, norm.SOURCE_TYPE_ALIASES, vocab.SourceType),
        (norm.GROUNDS, norm.GROUND_ALIASES, vocab.Ground),
    ],
    ids=["stances", "source-types", "grounds"],
)
def test_every_alias_normalizes_into_its_closed_set(canonical, aliases, literal) -> None:
    assert canonical == get_args(literal)
    assert set(aliases.values()) == set(canonical)  # each canonical word is reachable, nothing else is
    assert all(aliases[w] == w for w in canonical)


def test_the_claims_table_columns_are_the_claim_records_fields_and_properties() -> None:
    claim = policycmp.load(MINI).records[0]
    for column in CLAIM_COLUMNS:
        getattr(claim, column)  # a field or a property of Claim
    assert "sources" in Claim._fields and "sources" not in CLAIM_COLUMNS


MULTI = """\
actor: ngo
name: NGO
role: civil-society
sources:
  letter:
    title: "Letter; open"
    type: letter
    date: 2021-01-09
    publisher: NGO press
    url: https://example.org/letter
  post:
    title: A post
    type: tweet
claims:
  - topic: warned
    stance: asserts
    summary: Cites both.
    source: [post, letter]
  - topic: warned
    stance: denies
    summary: Cites one.
    source: letter
"""


def test_a_claim_holds_its_sources_and_the_table_joins_them(tmp_path) -> None:
    root = copy_mini(tmp_path, files={"ngo.yaml": MULTI})
    corpus = policycmp.load(root)
    both, one = (r for r in corpus.records if r.actor == "ngo")
    assert [s.id for s in both.sources] == ["post", "letter"]
    assert both.sources[0].type == "social-post"  # normalized on the source, read through the claim
    assert (both.source, both.source_title) == ("post; letter", "A post; Letter; open")
    assert (both.source_type, both.publisher, both.url) == ("social-post", None, None)  # the first source's
    assert both.date is None and one.date == "2021-01-09"  # a claim's date falls back to its first source's
    rows = corpus.claims[corpus.claims["actor"] == "ngo"]
    assert rows["source"].tolist() == ["post; letter", "letter"]
    assert rows["source_title"].tolist() == ["A post; Letter; open", "Letter; open"]
    assert rows["publisher"].tolist()[1] == "NGO press"


def test_records_of_maps_selected_rows_back_to_their_records(tmp_path) -> None:
    corpus = policycmp.load(copy_mini(tmp_path, files={"ngo.yaml": MULTI}))
    assert corpus.records_of(corpus.claims) == corpus.records
    table = corpus.table(actors=["ngo", *[a for a in corpus.actors if a != "ngo"][:1]])
    picked = corpus.records_of(table.claims)
    assert picked and len(picked) == len(table.claims)
    for rec, row in zip(picked, table.claims.to_dict("records"), strict=True):
        assert {c: getattr(rec, c) for c in CLAIM_COLUMNS} == {c: None if pd.isna(v) else v for c, v in row.items()}


def test_records_of_refuses_rows_whose_index_no_longer_points_at_their_records(tmp_path) -> None:
    corpus = policycmp.load(copy_mini(tmp_path, files={"ngo.yaml": MULTI}))
    ngo = corpus.claims[corpus.claims["actor"] == "ngo"]
    assert [r.claim for r in corpus.records_of(ngo)] == ngo["claim"].tolist()
    for moved in (
        ngo.reset_index(drop=True),
        ngo.set_axis([f"r{i}" for i in range(len(ngo))]),
        ngo[::-1].set_axis(ngo.index),
        ngo.drop(columns=["claim"]),  # no longer the claims table's rows
        ngo.set_index(["actor", "claim"], drop=False),
    ):
        with pytest.raises(ValueError, match="index kept"):
            corpus.records_of(moved)


# -- every word is drawn by every renderer ---------------------------------------------------------

TERMS = (vocab.POSITIONS, vocab.VERDICTS, vocab.STATUSES, vocab.QUOTE_STATUSES, vocab.CHANGES, vocab.CONSISTENCIES)
STYLE_SHEET = (Path(__file__).resolve().parent.parent / "templates" / "_style.html.j2").read_text(encoding="utf-8")


def test_every_style_has_a_notebook_chip_and_a_terminal_colour() -> None:
    styles = {t.style for terms in TERMS for t in terms.values()}
    assert styles - set(CHIP) == set()  # a style without a chip shows without colour in Jupyter
    assert all(t.ansi for terms in TERMS for t in terms.values() if t.word != "silent")
    assert {t.style for t in vocab.VERDICTS.values() if t.ansi} <= set(vocab.ANSI)


@pytest.mark.parametrize("word", vocab.VERDICT_WORDS)
def test_every_verdict_has_its_colours_in_the_report(word: str) -> None:
    assert f".pc-v-{word} {{" in STYLE_SHEET  # the badge
    if word != "silent":  # a silent topic has no evidence section
        assert f".pc-topic.pc-v-{word}-edge {{" in STYLE_SHEET  # the evidence section's edge


@pytest.mark.parametrize("word", vocab.POSITION_WORDS)
def test_every_position_has_its_colours_in_the_report(word: str) -> None:
    assert f".pc-p-{word} {{" in STYLE_SHEET
