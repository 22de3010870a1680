"""Tables out to files a spreadsheet can open safely: CSV and Excel (.xlsx)."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


#: Excel's limits: a sheet name's length, and a sheet's rows and columns.
SHEET_NAME_MAX = 31
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Column widths in characters: no narrower than a short number, no wider than a sentence.
_MIN_WIDTH, _MAX_WIDTH, _NUMBER_WIDTH = 6, 60, 12
_WIDTH_SAMPLE_ROWS = 2_000


def excel_sheet_names(names: Iterable[str]) -> list[str]:
    """Names Excel accepts, in order: ≤ 31 characters, none of ``[]:*?/\\``, unique ignoring case.

    A clash gets a `` (2)``, `` (3)``… suffix; a name that is empty once cleaned becomes ``Sheet``.
    """
    used: set[str] = set()
    out = []
    for name in names:
        base = _clean_sheet_name(name)
        candidate, number = base, 2
        while candidate.casefold() in used:
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
            number += 1
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def _clean_sheet_name(name: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", _SHEET_NAME_FORBIDDEN.sub("_", str(name)))
    # Excel refuses a leading or trailing apostrophe, and reserves "History".
    text = text.strip().strip("'")[:SHEET_NAME_MAX].strip().strip("'")
    if text.casefold() == "history":
        text += "_"
    return text or "Sheet"


def to_excel_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per entry: bold frozen header, fitted column widths.

    Every text cell is stored as text, so a value like ``=HYPERLINK(...)`` is shown, never run
    (nothing is prefixed: the cell holds exactly the original text). Missing values (NaN, None,
    NA, NaT) are empty cells; numbers stay numbers; infinities, which Excel cannot hold, become the
    text ``inf``/``-inf``. The frame's index is not written (as in :func:`to_csv_bytes`).

    Raises ``ValueError`` for no sheets, or a frame larger than an Excel sheet.
    """
    if not sheets:
        raise ValueError("an Excel workbook needs at least one sheet: pass one table or more")
    workbook = Workbook(write_only=True)
    for title, frame in zip(excel_sheet_names(sheets), sheets.values(), strict=True):
        _write_sheet(workbook.create_sheet(title), frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Any, frame: pd.DataFrame) -> None:
    rows, columns = frame.shape
    if rows + 1 > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
        raise ValueError(f"a table of {rows:,} rows × {columns:,} columns does not fit in an Excel sheet "
                         f"({EXCEL_MAX_ROWS - 1:,} rows × {EXCEL_MAX_COLUMNS:,} columns): filter it first, "
                         "or download it as CSV")
    for index, name in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(str(name), frame.iloc[:, index - 1])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        cell = _cell(sheet, str(name))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    values = [_column_values(frame.iloc[:, i]) for i in range(columns)]
    for row in zip(*values, strict=True):
        sheet.append([_cell(sheet, value) if isinstance(value, str) else value for value in row])


def _cell(sheet: Any, text: str) -> Any:
    """A cell that holds ``text`` as text (openpyxl would read a leading ``=`` as a formula)."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"  # also keeps "#N/A"-like text from becoming an error value
    return cell


def _column_values(column: pd.Series) -> list[object]:
    """The column as Python values openpyxl can write; ``None`` for every missing value."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_localize(None)
    missing = column.isna().to_numpy()
    return [None if gone else _excel_value(value) for value, gone in zip(column.tolist(), missing, strict=True)]


def _excel_value(value: object) -> object:
    if isinstance(value, np.datetime64 | np.timedelta64):
        value = pd.Timestamp(value) if isinstance(value, np.datetime64) else pd.Timedelta(value)
    elif isinstance(value, np.generic):
        value = value.item()  # numpy scalars in an object column
    if isinstance(value, pd.Timestamp | pd.Timedelta):
        value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value.to_pytimedelta()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: keep the wall time
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, bool | int | str | decimal.Decimal | dt.date | dt.time | dt.timedelta):
        return value
    return str(value)


def _column_width(header: str, column: pd.Series) -> float:
    """Characters for the header or the widest of the first values, whichever is wider."""
    sample = column.head(_WIDTH_SAMPLE_ROWS).dropna()
    widest = int(sample.astype(str).str.len().max()) if len(sample) else 0
    if pd.api.types.is_float_dtype(column):
        widest = min(widest, _NUMBER_WIDTH)  # Excel's General format rounds long decimals
    return float(min(max(len(header), widest, _MIN_WIDTH) + 2, _MAX_WIDTH))
