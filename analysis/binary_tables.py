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
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()  # a saved index is data too; settle() drops it if it only counts rows
    if frame.empty:
        raise LoadError(f"{source}: has a header but no data rows (the Parquet file holds no rows).")
    cells = pd.DataFrame({i: _parquet_column(frame.iloc[:, i]) for i in range(frame.shape[1])})
    return Grid(header=[str(name) for name in frame.columns], cells=cells,
                row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64), details={"format": "parquet"})


def _parquet_column(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.reset_index(drop=True)
    return pd.Series([_plain(v) for v in values.to_numpy(dtype=object)], dtype=object)
