"""From a raw table of cells to canonical columns, with a reason for every cell that fails.

Used by :mod:`analysis.loading`; kept apart so each step stays small.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.distinct import distinct_cells
from analysis.errors import LoadError
from analysis.mapping import ColumnMapping
from analysis.numbers import no_text
from analysis.readers import RawTable
from analysis.values import ParsedColumn, blank_mask, parse_counts, parse_flags, parse_rates

REJECTED_COLUMNS = ("row", "column", "value", "reason")
_TEXT = (col.HANDLE, col.PLATFORM, col.CATEGORY, col.COUNTRY)


def raw_from_frame(frame: pd.DataFrame, source: str) -> RawTable:
    """Wrap an in-memory table (cells as text or numbers) like a file read by ``read_table``."""
    names = [str(c).strip() for c in frame.columns]
    folded = [n.casefold() for n in names]
    doubled = sorted({n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1})
    if doubled:
        raise LoadError(f"{source}: column name(s) {', '.join(map(repr, doubled))} appear more than once (names are "
                        "compared ignoring case and surrounding spaces). Rename or drop the extra column.")
    if frame.empty:
        raise LoadError(f"{source}: has no data rows.")
    return RawTable(frame=frame.set_axis(names, axis=1).reset_index(drop=True), source=source,
                    row_numbers=np.arange(1, len(frame) + 1, dtype="int64"),
                    rejected=pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": pd.Series(dtype="string")}),
                    original_names={n: n for n in names}, details={"format": "in-memory table"}, notes=())


def raw_rejections(raw: RawTable) -> pd.DataFrame:
    """Rows the reader could not split into cells, as rejections."""
    return _rejections(raw.rejected["row"].to_numpy("int64"), "", np.full(len(raw.rejected), "", dtype=object),
                       raw.rejected["reason"].astype(str).to_numpy())


def total_rows(raw: RawTable) -> int:
    """Data rows in the file: those split into cells plus those that could not be."""
    return len(raw.frame) + len(raw.rejected)


def no_rows(frame: pd.DataFrame, column: str, reason: str) -> pd.DataFrame:
    """Rejections for every row of ``frame`` (its ``row`` numbers), all for one reason."""
    values = frame[column].astype("string") if column in frame.columns else pd.Series(pd.NA, index=frame.index)
    return _rejections(frame["row"].to_numpy(), column, values.to_numpy(), np.full(len(frame), reason, dtype=object))


def empty_rejections() -> pd.DataFrame:
    return _rejections(np.array([], dtype="int64"), "", np.array([]), np.array([]))


def _rejections(rows: np.ndarray, column: str, values: np.ndarray, reasons: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "row": pd.Series(rows, dtype="int64"),
        "column": pd.Series([column] * len(rows), dtype="string"),
        "value": pd.Series(values, dtype="string"),
        "reason": pd.Series(reasons, dtype="string"),
    })


def first_problem_per_row(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All rejections, one per row (the first problem found), ordered by row."""
    found = [p for p in parts if len(p)]
    if not found:
        return empty_rejections()
    merged = pd.concat(found, ignore_index=True).sort_values("row", kind="stable")
    return merged.drop_duplicates("row").reset_index(drop=True)


def build_canonical(raw: RawTable, mapping: ColumnMapping) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Canonical columns (plus ``row``), the cell problems, and each column's reading in words."""
    rows = np.asarray(raw.row_numbers, dtype="int64")
    out = pd.DataFrame({"row": rows})
    problems: list[pd.DataFrame] = []
    decisions: list[str] = []
    for choice in mapping.choices:
        if choice.source is None:
            continue
        cells = raw.frame[choice.source].reset_index(drop=True)
        parsed = _parse(cells, choice.canonical)
        out[choice.canonical] = _stored(parsed.values)
        reasons = _checks(parsed, choice.canonical)
        bad = reasons.notna().to_numpy()
        problems.append(_rejections(rows[bad], choice.canonical, cells[bad].astype("string").to_numpy(),
                                    reasons[bad].to_numpy()))
        decisions.append(f"{choice.canonical} ← '{choice.source}' ({choice.reason}): {parsed.style}")
    return out, first_problem_per_row(problems), decisions


def _stored(values: pd.Series) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """The values to put in a canonical column, which infers its dtype from them.

    Text with at least one value would be inferred as "str" (<NA> becoming NaN), so it is converted to
    that directly rather than through one Python object per cell.
    """
    if isinstance(values.dtype, pd.StringDtype) and values.notna().any():
        return values.astype("str").array
    return values.to_numpy()


def _parse(cells: pd.Series, canonical: str) -> ParsedColumn:
    if canonical in col.COUNT_COLUMNS:
        return parse_counts(cells, canonical)
    if canonical == col.ER_GIVEN:
        return parse_rates(cells, canonical)
    if canonical == col.SPONSORED:
        return parse_flags(cells, canonical)
    if canonical == col.POST_DATE:
        return _parse_dates(cells)
    return _parse_text(cells, canonical)


def _checks(parsed: ParsedColumn, canonical: str) -> pd.Series:
    """The parser's problems plus the rules of the canonical column (followers > 0, whole, ...)."""
    reasons = parsed.problems.copy()
    values = parsed.values
    if canonical == col.FOLLOWERS:
        ok = reasons.isna()
        reasons[ok & parsed.blank] = "followers missing"
        whole = np.isclose(values, np.round(values)) | ~np.isfinite(values)
        reasons[ok & values.notna() & ~whole] = "followers is not a whole number"
        reasons[ok & (values <= 0)] = "followers must be greater than 0"
    elif canonical in col.COUNT_COLUMNS:
        reasons[reasons.isna() & (values < 0)] = f"{canonical} is negative"
    return reasons


def _parse_text(cells: pd.Series, canonical: str) -> ParsedColumn:
    if pd.api.types.infer_dtype(cells, skipna=True) == "string":
        codes, distinct = distinct_cells(cells)  # each distinct text is read once, then spread to its cells
        text = distinct.astype("string")
        blank = blank_mask(text)  # text alone has the same blanks once converted; converting once saves time
    else:  # numbers and other objects are read as given, cell by cell (1, 1.0 and True are equal but read apart)
        codes, distinct = np.arange(len(cells)), cells.reset_index(drop=True)
        text, blank = distinct.astype("string"), blank_mask(distinct)
    blanks = np.append(blank.to_numpy(dtype=bool), True)  # the extra True is for missing cells (code -1)
    text = text.str.strip().where(~blanks[:-1])
    if canonical == col.PLATFORM:
        text = text.str.lower()
    values = pd.Series(text.array.take(codes, allow_fill=True, fill_value=pd.NA), index=cells.index)
    problems = no_text(cells.index)
    return ParsedColumn(values=values, problems=problems, blank=pd.Series(blanks[codes], index=cells.index),
                        style="text")


def _parse_dates(cells: pd.Series) -> ParsedColumn:
    blank = blank_mask(cells)
    dates = pd.to_datetime(cells.where(~blank), errors="coerce", format="mixed")
    problems = no_text(cells.index)
    problems[~blank & dates.isna()] = "post_date is not a date"
    return ParsedColumn(values=dates, problems=problems, blank=blank, style="dates")
