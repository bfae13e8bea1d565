"""Output size stays proportional to the data: one huge cell must not pad every other row."""

from __future__ import annotations

from pathlib import Path

import policycmp

from .corpus_helpers import copy_mini

ROWS = 300
HUGE = 200_000


def corpus_with_one_huge_summary(tmp_path: Path) -> policycmp.Corpus:
    claims = "".join(
        f"  - topic: {'political' if i % 2 else 'warned'}\n    stance: denies\n"
        f"    summary: {'x' * HUGE if i == 0 else f'Claim {i}.'}\n    source: order\n"
        for i in range(ROWS)
    )
    court = (
        "actor: court\nname: The Court\nrole: court\nsources:\n  order:\n    title: Order\n"
        "    type: order\n    date: 2021-01-21\nclaims:\n" + claims
    )
    return policycmp.load(copy_mini(tmp_path, files={"court.yaml": court}))


def test_markdown_and_text_stay_proportional_to_the_data(tmp_path: Path) -> None:
    claims = corpus_with_one_huge_summary(tmp_path).select_claims()
    data = len(claims.render("csv"))
    for fmt in ("md", "text"):
        out = claims.render(fmt)
        assert len(out) < 2 * data + 500 * ROWS, (fmt, len(out), data)


def test_the_huge_cell_is_kept_whole_in_markdown_and_marked_where_text_cuts_it(tmp_path: Path) -> None:
    claims = corpus_with_one_huge_summary(tmp_path).select_claims()
    assert "x" * HUGE in claims.render("md")
    text = claims.render("text")
    assert "x" * HUGE not in text
    assert "x…" in text  # the cut is marked
