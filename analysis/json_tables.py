"""JSON and JSON Lines creator files as grids of native cells.

Accepted shapes: an array of objects; an object holding exactly one array of
objects (``{"data": [...]}``, found up to three levels down); an object of
equal-length column arrays; one object per line (JSON Lines). Nested objects
become dotted column names (``stats.followers``) down to three levels; lists
and anything deeper stay as JSON text.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import LoadError
from analysis.table_grid import Grid

_FLATTEN_DEPTH = 3
_SEARCH_DEPTH = 3


def read_json(text: str, source: str) -> Grid:
    """Read a JSON document (or JSON Lines, recognised by a second value after the first).

    Raises
    ------
    LoadError
        For invalid JSON, a document without records, or one with several record arrays.
    """
    try:
        document = json.loads(text)
    except RecursionError as exc:
        raise LoadError(f"{source}: is nested too deeply to read as JSON. Flatten it before loading.") from exc
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return read_json_lines(text, source)
        raise LoadError(f"{source}: is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}).") from exc
    records, notes = _find_records(document, source)
    if isinstance(records, dict):
        return _grid(*_column_table(records), [], {"format": "json", "layout": "columns"}, notes)
    numbers = np.arange(1, len(records) + 1, dtype=np.int64)
    rows = [(int(n), r) for n, r in zip(numbers, records, strict=True) if isinstance(r, dict)]
    rejected = [(int(n), f"record {n} is {_kind(r)}, not an object") for n, r in zip(numbers, records, strict=True)
                if not isinstance(r, dict)]
    if not rows:
        raise LoadError(f"{source}: holds no JSON objects (record 1 is {_kind(records[0])}). "
                        "Expected an array of objects, one per creator.")
    return _records_grid(rows, rejected, {"format": "json", "layout": "records"}, notes)


def read_json_lines(text: str, source: str) -> Grid:
    """Read one JSON object per line; a line that is not one becomes a rejected row.

    Row numbers are physical line numbers; blank lines are skipped and counted in the notes.
    """
    rows: list[tuple[int, dict[str, Any]]] = []
    rejected: list[tuple[int, str]] = []
    blank = 0
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if not line.strip():
            blank += 1
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rejected.append((number, f"line {number} is not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        except RecursionError:
            rejected.append((number, f"line {number} is nested too deeply"))
            continue
        if isinstance(value, dict):
            rows.append((number, value))
        else:
            rejected.append((number, f"line {number} is {_kind(value)}, not an object"))
    if not rows:
        reason = rejected[0][1] if rejected else "it has no lines"
        raise LoadError(f"{source}: holds no JSON object per line ({reason}). Expected JSON Lines of objects.")
    notes = [f"skipped {blank} blank line(s)"] if blank else []
    return _records_grid(rows, rejected, {"format": "jsonl"}, notes)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _find_records(document: object, source: str) -> tuple[list[Any] | dict[str, list[Any]], list[str]]:
    if isinstance(document, list):
        if not document:
            raise LoadError(f"{source}: is an empty JSON array (no records).")
        return document, []
    if not isinstance(document, dict):
        raise LoadError(f"{source}: is a single JSON value ({_kind(document)}), not a table of records.")
    found = _record_arrays(document, "", _SEARCH_DEPTH)
    if len(found) > 1:
        keys = ", ".join(repr(key) for key, _ in found)
        raise LoadError(f"{source}: holds several arrays of records ({keys}). Keep only the one to load.")
    if found:
        key, records = found[0]
        return records, [f"read the {len(records):,} records under {key!r}"]
    lists = [v for v in document.values() if isinstance(v, list)]
    if len(lists) == 1 and not lists[0]:
        raise LoadError(f"{source}: its only array is empty (no records).")
    if lists and len(lists) == len(document) and len({len(v) for v in lists}) == 1 and lists[0]:
        return document, ["read the object's arrays as columns"]
    return [document], ["read the JSON object as a single record"]


def _record_arrays(obj: dict[str, Any], prefix: str, depth: int) -> list[tuple[str, list[Any]]]:
    found: list[tuple[str, list[Any]]] = []
    for key, value in obj.items():
        if isinstance(value, list) and any(isinstance(item, dict) for item in value):
            found.append((prefix + str(key), value))
        elif isinstance(value, dict) and depth > 1:
            found.extend(_record_arrays(value, f"{prefix}{key}.", depth - 1))
    return found


def _flatten(record: dict[str, Any], prefix: str, depth: int, counts: dict[str, int]) -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and depth < _FLATTEN_DEPTH:
            flat.update(_flatten(value, name + ".", depth + 1, counts))
        elif isinstance(value, (dict, list)):
            counts["list" if isinstance(value, list) else "deep"] += 1
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = _plain(value)
    return flat


def _plain(value: object) -> object:
    """A cell value: missing for "", JSON text for a list or object, else the JSON scalar itself."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return None if value == "" else value


def _records_grid(
    rows: list[tuple[int, dict[str, Any]]], rejected: list[tuple[int, str]], details: dict[str, str], notes: list[str]
) -> Grid:
    counts = {"list": 0, "deep": 0}
    flat = [_flatten(record, "", 0, counts) for _, record in rows]
    names = list(dict.fromkeys(name for record in flat for name in record))
    columns = {i: [record.get(name) for record in flat] for i, name in enumerate(names)}
    if counts["list"]:
        notes.append(f"kept {counts['list']:,} list value(s) as JSON text")
    if counts["deep"]:
        notes.append(f"kept {counts['deep']:,} value(s) nested deeper than {_FLATTEN_DEPTH} levels as JSON text")
    numbers = np.array([n for n, _ in rows], dtype=np.int64)
    return _grid(names, columns, numbers, rejected, details, notes)


def _column_table(document: dict[str, list[Any]]) -> tuple[list[str], dict[int, list[Any]], np.ndarray]:
    names = [str(key) for key in document]
    columns = {i: [_plain(v) for v in values] for i, values in enumerate(document.values())}
    return names, columns, np.arange(1, len(next(iter(document.values()))) + 1, dtype=np.int64)


def _grid(
    names: list[str],
    columns: dict[int, list[Any]],
    numbers: np.ndarray,
    rejected: list[tuple[int, str]],
    details: dict[str, str],
    notes: list[str],
) -> Grid:
    cells = pd.DataFrame({i: pd.Series(values, dtype=object) for i, values in columns.items()})
    return Grid(header=names, cells=cells, row_numbers=numbers, rejected=rejected, details=details, notes=notes)
