"""Load creator tables, accounting for every input row.

Each data row is either loaded or rejected with a reason; file-level
problems raise :class:`LoadError` with a message naming the file. Rows are
numbered from 1 = the first row after the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.errors import LoadError

#: Cell texts that mean "no value" (compared case-insensitively, stripped).
BLANKS = frozenset({"", "na", "n/a", "nan", "none", "null", "-", "—", "–", "unknown"})
_TRUE = frozenset({"true", "t", "yes", "y", "1", "sponsored", "paid", "ad"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "organic"})
_READERS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: File endings :func:`load_creators` reads.
SUPPORTED_SUFFIXES = tuple(_READERS)
# A plain number, or one with comma thousands groups (12,000 / 1,234,567.5). Anything else
# with a comma ("12,5", "1,2,3") is ambiguous here and rejected rather than guessed.
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?")


@dataclass(frozen=True)
class LoadReport:
    """What happened to every input row.

    ``rejected`` has one row per rejected input row with columns ``row``
    (1-based data row), ``column``, ``value`` and ``reason``.
    """

    source: str
    total: int
    rejected: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    @property
    def loaded(self) -> int:
        return self.total - len(self.rejected)

    def reason_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rejected["reason"].value_counts().items()}


@dataclass(frozen=True)
class LoadResult:
    """The loaded creators (canonical columns, original row number in ``row``) and the report."""

    frame: pd.DataFrame
    report: LoadReport


def load_creators(path: str | Path) -> LoadResult:
    """Read a CSV or Parquet creator file in canonical column names.

    Raises :class:`LoadError` for a missing, empty or unreadable file or one
    without a ``followers`` column; bad rows are rejected, not raised.
    """
    file = Path(path)
    raw = _read_raw(file)
    return clean_creators(raw, source=file.name)


def clean_creators(raw: pd.DataFrame, source: str = "data") -> LoadResult:
    """Validate an in-memory table: parse counts, reject bad rows with reasons."""
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    doubled = sorted({str(c) for c in raw.columns[raw.columns.duplicated()]})
    if doubled:
        raise LoadError(
            f"{source}: column name(s) {', '.join(map(repr, doubled))} appear more than once (names are "
            "compared ignoring case and surrounding spaces). Rename or drop the extra column."
        )
    if col.FOLLOWERS not in raw.columns:
        raise LoadError(
            f"{source}: no '{col.FOLLOWERS}' column. Columns found: {', '.join(map(str, raw.columns)) or 'none'}. "
            f"Rename the follower-count column to '{col.FOLLOWERS}'."
        )
    frame = raw.reset_index(drop=True)
    problems: list[pd.DataFrame] = []
    for name in col.COUNT_COLUMNS:
        if name in frame.columns:
            frame[name], bad = _parse_counts(frame[name], name)
            problems.append(bad)
    if col.SPONSORED in frame.columns:
        frame[col.SPONSORED], bad = _parse_flags(frame[col.SPONSORED])
        problems.append(bad)
    rejected = _first_problem_per_row(problems)
    frame.insert(0, "row", np.arange(1, len(frame) + 1))
    kept = frame[~frame["row"].isin(rejected["row"])].reset_index(drop=True)
    report = LoadReport(source=source, total=len(frame), rejected=rejected, notes=_notes(kept))
    return LoadResult(frame=_tidy_text(kept), report=report)


def _read_raw(file: Path) -> pd.DataFrame:
    kind = _READERS.get(file.suffix.lower())
    if kind is None:
        supported = ", ".join(sorted(_READERS))
        raise LoadError(f"{file.name}: unsupported file type '{file.suffix}'. Use one of: {supported}.")
    if not file.is_file():
        raise LoadError(f"{file}: no such file.")
    if file.stat().st_size == 0:
        raise LoadError(f"{file.name}: the file is empty.")
    try:
        if kind == "parquet":
            raw = pd.read_parquet(file)
        else:
            sep = "\t" if file.suffix.lower() == ".tsv" else ","
            # Blank lines are kept (and rejected as rows without followers) so that row numbers
            # in the report match the file's data lines.
            raw = pd.read_csv(file, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                              skip_blank_lines=False)
    except (UnicodeDecodeError, pd.errors.ParserError, OSError, ValueError) as exc:
        raise LoadError(f"{file.name}: cannot be read as {kind} ({_first_line(exc)}).") from exc
    if raw.empty:
        raise LoadError(f"{file.name}: has a header but no data rows.")
    return raw


def _parse_counts(values: pd.Series, name: str) -> tuple[pd.Series, pd.DataFrame]:
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype("float64")
        blank = numbers.isna()
    else:
        text = values.astype("string").str.strip()
        blank = text.isna() | text.str.lower().isin(BLANKS)
        well_formed = text.str.fullmatch(_NUMBER).fillna(False).astype(bool) | text.str.lower().isin({"inf", "-inf"})
        cleaned = text.str.replace(",", "", regex=False).where(~blank & well_formed)
        numbers = pd.to_numeric(cleaned, errors="coerce")
    reasons = pd.Series(pd.NA, index=values.index, dtype="string")
    reasons[~blank & numbers.isna()] = f"{name} is not a number"
    reasons[np.isinf(numbers.fillna(0))] = f"{name} is not a finite number"
    if name == col.FOLLOWERS:
        reasons[blank] = "followers missing"
        reasons[numbers.notna() & np.isfinite(numbers) & (numbers % 1 != 0)] = "followers is not a whole number"
        reasons[numbers.notna() & (numbers <= 0)] = "followers must be greater than 0"
    else:
        reasons[numbers < 0] = f"{name} is negative"
    return numbers.astype("float64"), _problems(reasons, name, values)


def _parse_flags(values: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        # Parquet booleans, or 0/1 stored as numbers: compare as numbers, not as "1.0" text.
        numbers = values.astype("float64")
        text = numbers.map(lambda v: "" if np.isnan(v) else f"{v:g}").astype("string")
    else:
        text = values.astype("string").str.strip().str.lower()
    blank = text.isna() | text.isin(BLANKS)
    flags = pd.Series(pd.NA, index=values.index, dtype="boolean")
    flags[text.isin(_TRUE).fillna(False)] = True
    flags[text.isin(_FALSE).fillna(False)] = False
    reasons = pd.Series(pd.NA, index=values.index, dtype="string")
    reasons[~blank & flags.isna()] = "sponsored is not a yes/no value"
    return flags, _problems(reasons, col.SPONSORED, values)


def _problems(reasons: pd.Series, name: str, raw: pd.Series) -> pd.DataFrame:
    """One row per flagged cell; ``raw`` is the cell as read (converted only where flagged)."""
    bad = reasons.notna()
    return pd.DataFrame({
        "row": np.flatnonzero(bad.to_numpy()) + 1,
        "column": name,
        "value": raw[bad].astype("string").to_numpy(),
        "reason": reasons[bad].to_numpy(),
    })


def _first_problem_per_row(problems: list[pd.DataFrame]) -> pd.DataFrame:
    columns = ["row", "column", "value", "reason"]
    found = [p for p in problems if not p.empty]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "string") for c in columns})
    merged = pd.concat(found, ignore_index=True).sort_values("row", kind="stable")
    return merged.drop_duplicates("row").reset_index(drop=True)[columns]


def _tidy_text(frame: pd.DataFrame) -> pd.DataFrame:
    for name in (col.HANDLE, col.PLATFORM, col.CATEGORY, col.COUNTRY):
        if name in frame.columns:
            text = frame[name].astype("string").str.strip()
            frame[name] = text.where(~text.str.lower().isin(BLANKS))
    for name in (col.PLATFORM, col.CATEGORY):
        if name in frame.columns:
            frame[name] = frame[name].str.lower()
    return frame


def _notes(frame: pd.DataFrame) -> tuple[str, ...]:
    notes = []
    for name in (col.LIKES, col.COMMENTS):
        if name not in frame.columns:
            notes.append(f"no '{name}' column: engagement rates cannot be computed")
        elif (missing := int(frame[name].isna().sum())) > 0:
            notes.append(f"{missing:,} loaded rows have no {name}: they count as creators but have no engagement rate")
    return tuple(notes)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
