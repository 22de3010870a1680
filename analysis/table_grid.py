"""A table as read, before its column names are settled, and the tidy-up every format shares.

Each format reader produces a :class:`Grid`: the header texts as found, the
cells in file order under positional labels, and the row numbers. :func:`settle`
then cleans header text, drops empty unnamed columns and stray index columns,
makes names unique and repairs double-encoded text, noting each step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.text_decoding import MOJIBAKE_HINT, repair_mojibake

_SEPARATOR_CELL = re.compile(r"\s*[-=_~:+*#]{3,}\s*")
_WHITESPACE = re.compile(r"\s+")
_INDEX_NAME = re.compile(r"|index|level_0|unnamed:?\s*\d+(\.\d+)?", re.IGNORECASE)


@dataclass
class Grid:
    """Cells as a reader found them.

    ``cells`` has positional column labels ``0..k-1`` matching ``header``;
    ``rejected`` holds ``(row number, reason)`` for rows that could not be split.
    """

    header: list[str]
    cells: pd.DataFrame
    row_numbers: np.ndarray
    rejected: list[tuple[int, str]] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Rows (positions) that may hold double-encoded text; None means every row. Readers narrow this down
    # (from the raw text, or to rows with non-ASCII text cells) so a big file is not scanned cell by cell.
    mojibake_rows: np.ndarray | None = None


@dataclass(frozen=True)
class Settled:
    """The cells under unique column names, each name's header text as in the file, and what was done."""

    frame: pd.DataFrame
    original_names: dict[str, str]
    notes: tuple[str, ...]


def has_text(cell: object) -> bool:
    """Whether a cell holds something (not None, not an empty or blank string)."""
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def is_separator(cells: Sequence[object]) -> bool:
    """A rule line such as ``----,----`` or ``=====`` drawn under a header."""
    filled = [cell for cell in cells if has_text(cell)]
    return bool(filled) and all(isinstance(c, str) and _SEPARATOR_CELL.fullmatch(c) for c in filled)


def looks_like_header(cells: Sequence[object], width: int) -> bool:
    """Whether a row could be the header of a table ``width`` columns wide (not a title or rule line).

    A title line has text only in its first cell; a header fills at least half the columns.
    """
    filled = [i for i, cell in enumerate(cells) if has_text(cell)]
    if not filled or is_separator(cells) or (width >= 2 and filled == [0]):
        return False
    return 2 * len(filled) >= width


def settle(grid: Grid) -> Settled:
    """Clean and de-duplicate column names, drop empty unnamed and index columns, repair mojibake.

    Parameters
    ----------
    grid
        The table as read.

    Returns
    -------
    Settled
        ``frame`` keeps the rows of ``grid.cells`` in order under unique names.
    """
    notes: list[str] = []
    cleaned = [_clean_name(text) for text in grid.header]
    _note_cleaned(grid.header, cleaned, notes)
    keep = [i for i, name in enumerate(cleaned) if not _droppable(name, grid.cells[i], i, notes)]
    names = _unique_names([cleaned[i] or f"column {i + 1}" for i in keep], notes)
    frame = grid.cells[keep].set_axis(names, axis=1)
    rows = np.arange(len(frame)) if grid.mojibake_rows is None else grid.mojibake_rows
    if len(rows):
        frame = _repair_frame(frame, rows, notes)
    original = {name: grid.header[i] for name, i in zip(names, keep, strict=True)}
    return Settled(frame=frame, original_names=original, notes=tuple(notes))


def _clean_name(text: str) -> str:
    # Line breaks inside header cells ("\nFollowers") and padding are layout, not part of the name.
    name = _WHITESPACE.sub(" ", text.replace("\ufeff", "")).strip()
    return repair_mojibake(name) or name


def _note_cleaned(header: list[str], cleaned: list[str], notes: list[str]) -> None:
    changed = [(old, new) for old, new in zip(header, cleaned, strict=True) if old != new and new]
    if changed:
        old, new = changed[0]
        notes.append(f"cleaned {len(changed)} header name(s) (line breaks, spaces, encoding): {old!r} → {new!r}")


def _droppable(name: str, values: pd.Series, position: int, notes: list[str]) -> bool:
    if not _INDEX_NAME.fullmatch(name):
        return False
    if not values.map(has_text).any():
        notes.append(f"dropped empty column {position + 1} (header {name!r}, no values)")
        return True
    start = _counter_start(values)
    if start is None:
        return False
    label = f"'{name}'" if name else "unnamed"
    notes.append(f"dropped {label} index column {position + 1} (values {start}..{start + len(values) - 1})")
    return True


def _counter_start(values: pd.Series) -> int | None:
    """0 or 1 when the column counts rows (0..n-1 or 1..n), as an index saved by pandas does; else None."""
    if len(values) < 2:
        return None
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    for start in (0, 1):
        if np.array_equal(numbers, np.arange(start, start + len(values), dtype="float64")):
            return start
    return None


def _unique_names(names: list[str], notes: list[str]) -> list[str]:
    """Second and later uses of a name (compared ignoring case) get " (2)", " (3)"… appended."""
    taken = {name.casefold() for name in names}
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        candidate, copy = name, 1
        while candidate.casefold() in seen or (candidate != name and candidate.casefold() in taken):
            copy += 1
            candidate = f"{name} ({copy})"
        seen.add(candidate.casefold())
        unique.append(candidate)
    renamed = [(old, new) for old, new in zip(names, unique, strict=True) if old != new]
    if renamed:
        old, new = renamed[0]
        notes.append(f"renamed {len(renamed)} repeated column name(s) to keep them apart: {old!r} → {new!r}")
    return unique


def _repair_frame(frame: pd.DataFrame, rows: np.ndarray, notes: list[str]) -> pd.DataFrame:
    count, example = 0, ""
    for position in range(frame.shape[1]):
        if frame.iloc[:, position].dtype != object:
            continue
        values = frame.iloc[:, position].to_numpy()
        fixed = [(i, repair_mojibake(values[i])) for i in _mojibake_candidates(values, rows).tolist()]
        fixed = [(i, text) for i, text in fixed if text is not None]
        if not fixed:
            continue
        example = example or f"{values[fixed[0][0]]} → {fixed[0][1]}"
        values = values.copy()
        for i, text in fixed:
            values[i] = text
        # An object Series, not the bare array: pandas would infer its str dtype and turn None into NaN.
        frame[frame.columns[position]] = pd.Series(values, index=frame.index, dtype=object)
        count += len(fixed)
    if count:
        notes.append(f"repaired {count:,} double-encoded text cell(s) ({example})")
    return frame


def _mojibake_candidates(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Those of ``rows`` whose cell is text holding a mojibake-like character pair, in the order of ``rows``.

    :func:`repair_mojibake` changes no other cell, so only these need it. The texts are searched joined
    into one string (the pair is non-ASCII, so a match never spans the ASCII separator): one pass in C
    instead of one regex call per cell, and none at all when the column is plain ASCII.
    """
    cells = values[rows]
    if pd.api.types.infer_dtype(cells, skipna=True) == "string":
        is_text = ~pd.isna(cells)
    else:
        is_text = np.fromiter((isinstance(cell, str) for cell in cells), dtype=bool, count=len(cells))
    texts: list[str] = cells[is_text].tolist()
    joined = "\n".join(texts)
    if joined.isascii():
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    starts = np.fromiter((match.start() for match in MOJIBAKE_HINT.finditer(joined)), dtype=np.int64)
    hits = np.unique(np.searchsorted(ends, starts, side="right"))
    return rows[np.flatnonzero(is_text)[hits]]
