"""CSV (RFC 4180, UTF-8), with spreadsheet formula injection neutralized by default.

Following the OWASP CSV-injection advice, a cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return gets a leading single quote, so a spreadsheet shows it as text.
``escape_formulas=False`` (``--no-csv-escape``) writes the values untouched.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render_csv(frame: pd.DataFrame, escape_formulas: bool = True) -> str:
    out = frame
    if escape_formulas:
        text_cols = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string")]
        if text_cols:
            out = frame.copy()
            for col in text_cols:
                out[col] = frame[col].map(neutralize, na_action="ignore")
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue()
