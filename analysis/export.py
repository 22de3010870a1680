"""Tables out to files a spreadsheet can open safely."""

from __future__ import annotations

import pandas as pd

#: A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as formulas, prefixed with ``'`` to keep them text.

    Only text cells are touched: a negative number stays a number.
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            text = column.astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            is_text = column.map(lambda v: isinstance(v, str)).astype(bool)
            out[name] = column.where(~(risky & is_text), "'" + text)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM, so Excel detects the encoding) CSV with formula-like cells escaped."""
    return escape_formulas(frame).to_csv(index=False).encode("utf-8-sig")
