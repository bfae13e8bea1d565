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

    from ..results import Result

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """One value made safe for a spreadsheet (see the module docstring)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render_csv(frame: pd.DataFrame, escape_formulas: bool = True) -> str:
    out = frame
    if escape_formulas:
        for col in frame.columns:
            values = frame[col]
            if values.dtype.kind in "biufcmM":
                continue  # numbers, booleans, dates: nothing to neutralize
            # Check each distinct value once: position columns hold a handful of words.
            risky = {v: neutralize(v) for v in values.dropna().unique() if neutralize(v) is not v}
            if risky:
                if out is frame:
                    out = frame.copy()
                out[col] = values.replace(risky)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue()


def render(result: Result, escape_formulas: bool = True) -> str:
    return render_csv(result.csv_frame(), escape_formulas=escape_formulas)
