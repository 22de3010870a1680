"""Excel workbooks (.xlsx via openpyxl) and Parquet files as grids of native cells.

Cells keep their types (numbers, booleans, text); dates become ISO text and
lists or nested values JSON text, so every cell is a number, bool, str or None.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings
import zipfile
from collections.abc import Sequence
from xml.etree.ElementTree import ParseError

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.utils.exceptions import InvalidFileException

from analysis.archives import check_zip_size
from analysis.distinct import mostly_distinct
from analysis.errors import LoadError
from analysis.table_grid import Grid, has_text, looks_like_header

_HEADER_SEARCH = 30


def read_excel(data: bytes, source: str, sheet: str | int | None, limit: int) -> Grid:
    """Read one sheet of an .xlsx workbook: the first unless ``sheet`` names one (or gives a 0-based index).

    Row numbers are the sheet's own row numbers; rows above the header that are
    titles or blank are skipped and noted.

    Raises
    ------
    LoadError
        For a damaged workbook, an unknown sheet (the message lists the sheets) or a sheet without data rows.
    """
    check_zip_size(data, source, limit)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not need
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError) as exc:
        raise LoadError(f"{source}: is not a readable Excel workbook ({exc}). Open it in Excel and save it again.") \
            from exc
    try:
        names = list(book.sheetnames)
        index = _sheet_index(names, sheet, source)
        worksheet = book.worksheets[index]
        worksheet.reset_dimensions()  # stored dimensions are often wrong; read every row that is there
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()
    grid = _sheet_grid(rows, f"{source} (sheet {names[index]!r})")
    grid.details.update(format="excel", sheet=names[index], sheets=json.dumps(names, ensure_ascii=False))
    if len(names) > 1:
        listed = ", ".join(map(repr, names))
        grid.notes.insert(0, f"read sheet {names[index]!r} ({index + 1} of {len(names)}: {listed})")
    return grid


def _sheet_index(names: list[str], sheet: str | int | None, source: str) -> int:
    if sheet is None:
        return 0
    if isinstance(sheet, int) and not isinstance(sheet, bool) and -len(names) <= sheet < len(names):
        return sheet % len(names)
    if isinstance(sheet, str):
        matches = [i for i, name in enumerate(names) if name.strip().casefold() == sheet.strip().casefold()]
        if matches:
            return matches[0]
    listed = ", ".join(map(repr, names))
    raise LoadError(f"{source}: has no sheet {sheet!r}. Its sheets are {listed}; pass one of these names, "
                    "or a 0-based index, as sheet=.")


def _sheet_grid(rows: list[list[object]], source: str) -> Grid:
    width = max((_filled_width(row) for row in rows), default=0)
    if width == 0:
        raise LoadError(f"{source}: is empty. Choose the sheet that holds the table.")
    rows = [row[:width] + [None] * (width - len(row)) for row in rows]
    top = next((i for i, row in enumerate(rows[:_HEADER_SEARCH]) if looks_like_header(row, width)), None)
    top = top if top is not None else next(i for i, row in enumerate(rows) if any(map(has_text, row)))
    notes = [f"skipped {top} row(s) above the header"] if top else []
    end = len(rows)
    while end > top + 1 and not any(map(has_text, rows[end - 1])):
        end -= 1
    if end == top + 1:
        raise LoadError(f"{source}: has a header but no data rows. Check that this is the complete sheet.")
    if end < len(rows):
        notes.append(f"skipped {len(rows) - end} blank row(s) at the end of the sheet")
    blank = sum(1 for row in rows[top + 1 : end] if not any(map(has_text, row)))
    if blank:
        notes.append(f"{blank:,} blank row(s) inside the data read as empty rows")
    body = [[_plain(cell) for cell in row] for row in rows[top + 1 : end]]
    cells = pd.DataFrame({i: pd.Series([row[i] for row in body], dtype=object) for i in range(width)})
    return Grid(header=[_header_text(cell) for cell in rows[top]], cells=cells,
                row_numbers=np.arange(top + 2, end + 1, dtype=np.int64), notes=notes,
                details={"header_line": str(top + 1)})


def _filled_width(row: Sequence[object]) -> int:
    return max((i + 1 for i, cell in enumerate(row) if has_text(cell)), default=0)


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(_plain(cell))


def _plain(value: object) -> object:
    """A cell as number, bool, str or None: dates as ISO text, containers as JSON text, "" as None."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value or None
    return value if isinstance(value, (bool, int, float)) else str(value)


def read_parquet(data: bytes, source: str, limit: int) -> Grid:
    """Read a Parquet file; numeric and boolean columns keep their dtype, others become str/None cells.

    Raises
    ------
    LoadError
        For a damaged file, one that would expand past ``limit`` bytes, or one without rows.
    """
    try:
        file = pq.ParquetFile(pa.BufferReader(data))
        meta = file.metadata
        if sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)) > limit:
            raise LoadError(f"{source}: expands to more than {limit:,} bytes, so reading stopped. Raise "
                            "max_expanded_bytes if it is really that large.")
        table = file.read()
    except (pa.ArrowException, OSError) as exc:
        raise LoadError(f"{source}: is not a readable Parquet file ({exc}). Write it again.") from exc
    for _ in range(3):  # struct columns become dotted names, as nested JSON objects do
        if not any(pa.types.is_struct(f.type) for f in table.schema):
            break
        table = table.flatten()
    frame = table.to_pandas()
    del table  # numbers were copied out of it: let them go before the cells are made
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()  # a saved index is data too; settle() drops it if it only counts rows
    if frame.empty:
        raise LoadError(f"{source}: has a header but no data rows (the Parquet file holds no rows).")
    return _parquet_grid(frame)


def _parquet_grid(frame: pd.DataFrame) -> Grid:
    columns = [_parquet_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    # The columns are new arrays already; copying them into blocks would only raise the peak memory.
    cells = pd.DataFrame({i: column for i, (column, _) in enumerate(columns)}, copy=False)
    # Double-encoded text is non-ASCII, so only rows with a non-ASCII text cell need checking for it.
    non_ascii = np.logical_or.reduce([mask for _, mask in columns])
    return Grid(header=[str(name) for name in frame.columns], cells=cells,
                row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64), details={"format": "parquet"},
                mojibake_rows=np.flatnonzero(non_ascii))


def _parquet_column(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """One column as :func:`_plain` cells, converted column-wise where the dtype allows it, and where a
    cell is non-ASCII text."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.reset_index(drop=True), np.zeros(len(values), dtype=bool)
    if isinstance(values.dtype, pd.StringDtype) and mostly_distinct(values):
        return _text_cells(values)  # finding the repeats in handles and the like costs more than it saves
    if _few_distinct(values):
        codes, uniques = pd.factorize(values)
        plain = np.array([_plain(v) for v in np.asarray(uniques, dtype=object)] + [None], dtype=object)
        # Code -1 (a missing cell) picks the trailing None; cells of one value share one object.
        return pd.Series(plain[codes], dtype=object), _non_ascii_text(plain)[codes]
    cells = pd.Series([_plain(v) for v in values.to_numpy(dtype=object)], dtype=object)
    return cells, _non_ascii_text(cells.to_numpy())


def _non_ascii_text(cells: np.ndarray) -> np.ndarray:
    """Where a cell is text beyond ASCII."""
    return np.fromiter((isinstance(cell, str) and not cell.isascii() for cell in cells), dtype=bool, count=len(cells))


def _text_cells(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Text cells as :func:`_plain` makes them (str; None for missing and empty cells), and where a cell is
    text beyond ASCII."""
    cells = values.to_numpy(dtype=object)
    cells[values.isna().to_numpy(dtype=bool) | values.eq("").to_numpy(dtype=bool, na_value=False)] = None
    non_ascii = values.notna().to_numpy(dtype=bool) & ~values.str.isascii().to_numpy(dtype=bool, na_value=True)
    return pd.Series(cells, dtype=object), non_ascii


def _few_distinct(values: pd.Series) -> bool:
    """Whether cells can be converted once per distinct value: equal cells must give equal :func:`_plain` text.

    Text, dates, timestamps, durations, booleans and text categories qualify; general objects do not (``1``
    and ``1.0``, or ``Decimal("1.5")`` and ``Decimal("1.50")``, are equal but read differently).
    """
    if isinstance(values.dtype, pd.StringDtype) or values.dtype.kind in "mM":
        return True
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.api.types.infer_dtype(values.cat.categories, skipna=True) == "string"
    return values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("boolean", "date")
