"""Read any reasonable creator file into a raw table of cells, accounting for every row.

:func:`read_table` takes a path or bytes, unwraps gzip and zip, recognises the
format from the content (the extension only breaks ties, and is overruled with
a note when the content disagrees), decodes text, finds the delimiter and the
header, and returns the cells as found. Text formats get no type inference:
every cell is a ``str`` or ``None``. Turning cells into numbers and mapping
columns is the loader's job.

Row accounting: every data row of the file is a row of ``frame`` or of
``rejected``. Lines that are not data are skipped only with a note that counts
them: title lines above the header, a rule line right under it, blank lines
at the end. Blank lines *inside* the data become rows of empty cells, so the
caller rejects them with its own reason and every later row keeps the number
a person sees in an editor.

``details`` records every decision (format, compression, encoding, delimiter,
header line, sheet…); ``notes`` says in words each one that departs from a
plain UTF-8 comma-separated file with its header on line 1, and every repair.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from analysis.archives import Payload, is_zip, refuse_non_tables, unwrap
from analysis.binary_tables import read_excel, read_parquet
from analysis.delimited import read_delimited
from analysis.errors import LoadError
from analysis.json_tables import read_json, read_json_lines
from analysis.table_grid import Grid, settle
from analysis.text_decoding import check_not_binary, decode_text

_CLAIMS = {
    ".xlsx": "excel", ".xlsm": "excel", ".parquet": "parquet", ".pq": "parquet", ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "text", ".tsv": "text", ".tab": "text", ".txt": "text",
    ".psv": "text", ".xls": "xls",
}
# Web apps often send an HTML page or XML named .xls; say so instead of reading its tags as rows.
_MARKUP = ("<!doctype html", "<html", "<?xml", "<table")
_LABELS = {"excel": "an Excel workbook", "parquet": "Parquet", "json": "JSON", "jsonl": "JSON Lines",
           "text": "delimited text"}
_KINDS = {"excel": "excel", "parquet": "parquet", "json": "json", "jsonl": "jsonl", "csv": "text"}


@dataclass(frozen=True)
class RawTable:
    """A file's cells as found, with the number a person would use to find each row.

    Attributes
    ----------
    frame
        One row per data row. Text formats: every cell a ``str`` or ``None`` (missing); Parquet,
        JSON and Excel: numbers, bools, ``str`` or ``None``. Column names are unique.
    source
        The file name for messages (``"archive.zip:creators.csv"`` for a zip member).
    row_numbers
        ``int64``, one per row of ``frame``: the physical line in the decoded text file, the
        sheet row in Excel, the 1-based record in JSON and Parquet (the line in JSON Lines).
    rejected
        Rows that could not be split into cells: columns ``row`` (int) and ``reason`` (str).
    original_names
        Each column name of ``frame`` -> its header text as in the file.
    details
        Decisions: ``format``, ``compression``, ``encoding``, ``delimiter``, ``header_line``,
        ``line_endings``, ``sheet``… (only the keys that apply).
    notes
        Sentences about every non-default decision and every repair.
    """

    frame: pd.DataFrame
    source: str
    row_numbers: np.ndarray
    rejected: pd.DataFrame
    original_names: dict[str, str]
    details: dict[str, str]
    notes: tuple[str, ...]


def read_table(
    data: bytes | str | Path,
    name: str | None = None,
    *,
    sheet: str | int | None = None,
    max_expanded_bytes: int = 2_000_000_000,
) -> RawTable:
    """Read a creator file's bytes into a :class:`RawTable` of raw cells.

    Parameters
    ----------
    data
        The file's bytes, or a path to it (a ``str`` is always a path).
    name
        File name for messages and for the extension hint; defaults to the path's name, or
        ``"data"`` for bytes.
    sheet
        Excel only: a sheet name or 0-based index (default: the first sheet).
    max_expanded_bytes
        Reading stops with :class:`LoadError` once decompressed data passes this many bytes.

    Returns
    -------
    RawTable

    Raises
    ------
    LoadError
        For an empty, unreadable or non-table file, a header without data rows, an unknown
        sheet, an archive with several files, or data that expands past the limit.

    Examples
    --------
    >>> table = read_table(b"handle;followers\\nana;1,5k\\n", name="creators.csv")
    >>> table.frame.to_dict("records"), table.details["delimiter"]
    ([{'handle': 'ana', 'followers': '1,5k'}], 'semicolon')
    """
    if max_expanded_bytes <= 0:
        raise ValueError(f"max_expanded_bytes must be a positive number of bytes, not {max_expanded_bytes!r}.")
    raw, display = _input_bytes(data, name)
    payload = unwrap(raw, display, max_expanded_bytes)
    if not payload.data:
        raise LoadError(f"{payload.source}: is empty (0 bytes). Export the table again.")
    grid = _read_payload(payload, sheet, max_expanded_bytes)
    return _raw_table(grid, payload)


def _input_bytes(data: bytes | str | Path, name: str | None) -> tuple[bytes, str]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data), name or "data"
    path = Path(data)
    try:
        return path.read_bytes(), name or path.name
    except FileNotFoundError as exc:
        raise LoadError(f"{path}: no such file. Check the path.") from exc
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc


def _read_payload(payload: Payload, sheet: str | int | None, limit: int) -> Grid:
    suffix = PurePath(payload.name).suffix.lower()
    claimed = _CLAIMS.get(suffix)
    refuse_non_tables(payload.data, payload.source)
    if is_zip(payload.data):  # unwrap() has already opened any zip that is not a workbook
        grid = read_excel(payload.data, payload.source, sheet, limit)
    elif payload.data.startswith(b"PAR1"):
        grid = read_parquet(payload.data, payload.source, limit)
    elif claimed in ("excel", "parquet"):
        raise LoadError(_not_as_named(payload.source, suffix, claimed))
    else:
        grid = _read_text(payload, suffix, claimed)
    kind = _KINDS[grid.details["format"]]
    if claimed is not None and claimed != kind:
        grid.notes.insert(0, f"the name ends in {suffix} but the content is {_LABELS[kind]}; read as {_LABELS[kind]}")
    if sheet is not None and kind != "excel":
        grid.notes.append(f"sheet={sheet!r} was ignored: the file is {_LABELS[kind]}, not a workbook")
    return grid


def _not_as_named(source: str, suffix: str, claimed: str) -> str:
    if claimed == "excel":
        return (f"{source}: is not an Excel workbook (an {suffix} file is a zip archive and this one is not). If it "
                "is CSV text, rename it to .csv; otherwise open it in Excel and save it again as .xlsx.")
    return f"{source}: is not a Parquet file (it lacks the PAR1 marker). Write it again, or rename it if it is CSV."


def _read_text(payload: Payload, suffix: str, claimed: str | None) -> Grid:
    decoded = decode_text(payload.data, payload.source)
    text, source = decoded.text, payload.source
    if not text.strip():
        raise LoadError(f"{source}: holds only blank lines or spaces; there is no table in it.")
    check_not_binary(text, source)
    start = text.lstrip()[:20].lower()
    if start.startswith(_MARKUP):
        raise LoadError(f"{source}: is an HTML or XML document, not a table file. Open it in Excel or a browser "
                        "and save the table as CSV or .xlsx.")
    first = start[:1]
    if claimed == "jsonl" and first == "{":
        grid = read_json_lines(text, source)
    elif (first in ("[", "{") and claimed != "text") or (claimed == "json" and _is_json(text)):
        grid = read_json(text, source)
    elif first in ("[", "{"):
        try:  # a .csv that holds JSON; if it is not JSON, it is a CSV whose header starts with a bracket
            grid = read_json(text, source)
        except LoadError:
            grid = read_delimited(text, source, suffix)
    else:
        grid = read_delimited(text, source, suffix)
    grid.details["encoding"] = decoded.encoding
    grid.notes[:0] = decoded.notes
    return grid


def _is_json(text: str) -> bool:
    # Only reached for a .json file not starting with [ or {: a bare value, or (failing fast) delimited text.
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _raw_table(grid: Grid, payload: Payload) -> RawTable:
    settled = settle(grid)
    found = sorted(grid.rejected)
    rejected = pd.DataFrame({
        "row": np.array([row for row, _ in found], dtype=np.int64),
        "reason": pd.Series([reason for _, reason in found], dtype="str"),
    })
    details = {"format": grid.details["format"], "compression": payload.compression, **grid.details}
    return RawTable(
        frame=settled.frame.reset_index(drop=True),
        source=payload.source,
        row_numbers=np.asarray(grid.row_numbers, dtype=np.int64),
        rejected=rejected,
        original_names=settled.original_names,
        details=details,
        notes=(*payload.notes, *grid.notes, *settled.notes),
    )
