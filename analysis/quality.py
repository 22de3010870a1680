"""Suspicious rows (flagged, never dropped) and duplicate creators (resolved by a chosen policy).

Flags go in a ``flags`` text column ("" when clean), so a single toggle can
exclude flagged creators while the load report still shows each reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.engagement import DEFAULT_DEFINITION, engagement_rate, get_definition, with_engagement

#: How to treat several rows for one creator handle.
DUPLICATE_POLICIES = ("first", "last", "largest", "keep")
FLAG_ER_OVER_100 = "engagement rate above 100%"
FLAG_LIKES_OVER_FOLLOWERS = "more likes per post than followers"
FLAG_IDENTICAL = "identical to an earlier row"


def handle_key(handles: pd.Series) -> pd.Series:
    """Handles compared case- and space-insensitively, a leading '@' ignored ('@Ana ' == 'ana')."""
    text = handles.astype("string").str.strip()
    # casefold runs in Python per cell; on ASCII text it equals the vectorised lower(), so only the rest need it.
    other = ~text.str.isascii().fillna(True)
    folded = text.str.lower()
    if other.any():
        folded = folded.mask(other, text[other].str.casefold())
    # Steps that would change nothing are skipped: each makes a new array, and handles are millions of cells.
    if folded.str.startswith("@").any():
        folded = folded.str.lstrip("@").str.strip()
    empty = folded == ""
    return folded.where(~empty) if empty.any() else folded


def flag_suspicious(frame: pd.DataFrame) -> pd.Series:
    """A ``flags`` column: '; '-joined reasons per row, '' for rows that look fine."""
    found: list[tuple[str, np.ndarray]] = [(FLAG_ER_OVER_100, (_rates(frame) > 1).to_numpy())]
    if col.LIKES in frame.columns:
        over = frame[col.LIKES].astype("float64") > frame[col.FOLLOWERS].astype("float64")
        found.append((FLAG_LIKES_OVER_FOLLOWERS, over.to_numpy()))
    found.append((FLAG_IDENTICAL, _identical(frame, [c for c in frame.columns if c not in ("row", "flags")])))
    # Each row holds one of few combinations of reasons: word each combination once, then pick per row.
    combination = np.zeros(len(frame), dtype=np.int64)
    for bit, (_, hit) in enumerate(found):
        combination |= hit.astype(np.int64) << bit
    labels = [_joined([reason if code >> bit & 1 else "" for bit, (reason, _) in enumerate(found)])
              for code in range(1 << len(found))]
    flags = pd.array(labels, dtype="string").take(combination)
    return pd.Series(flags, index=frame.index, name="flags")


def _rates(frame: pd.DataFrame) -> pd.Series:
    """Each row's engagement rate as :func:`with_engagement` gives it, without its copy of the whole frame
    where the rate can be computed."""
    definition = get_definition(DEFAULT_DEFINITION)
    if all(name in frame.columns for name in definition.required):
        return engagement_rate(frame, definition)
    return with_engagement(frame)["er"]


def _joined(reasons: list[str]) -> str:
    """The reasons of one row, joined as the flags column writes them ('' for none)."""
    joined = reasons[0]
    for more in reasons[1:]:
        joined = f"{joined}; {more}".strip("; ").replace("; ; ", "; ")
    return joined


def _identical(frame: pd.DataFrame, content: list[str]) -> np.ndarray:
    """``frame.duplicated(subset=content, keep="first")``, compared in full only where it can be true.

    A row identical to an earlier one has the same numbers and shares every other value with it, so rows
    whose numbers no other row has, or holding a value no other row has, are set aside first.
    """
    numbers = [name for name in content if isinstance(frame[name].dtype, np.dtype) and frame[name].dtype.kind in "biuf"]
    candidates = np.arange(len(frame))
    if numbers:
        candidates = candidates[_repeated(_number_key(frame, numbers))]
    for name in (name for name in content if name not in numbers):
        if len(candidates) < 2:
            break
        codes, _ = pd.factorize(frame[name].take(candidates))  # missing values get -1: equal to each other
        candidates = candidates[_repeated(codes)]
    identical = np.zeros(len(frame), dtype=bool)
    if len(candidates) > 1:
        identical[candidates] = frame.iloc[candidates].duplicated(subset=content, keep="first").to_numpy()
    return identical


def _number_key(frame: pd.DataFrame, numbers: list[str]) -> np.ndarray:
    """One 64-bit value per row, equal for rows whose numbers duplicated() finds equal (others may collide)."""
    key = np.zeros(len(frame), dtype=np.uint64)
    for name in numbers:
        values = frame[name].to_numpy()
        if values.dtype.kind == "f":  # one bit pattern per value: a single NaN, and -0.0 as 0.0
            values = np.where(np.isnan(values), np.nan, values.astype(np.float64) + 0.0)
        bits = values.view(np.uint64) if values.dtype.itemsize == 8 else values.astype(np.uint64)
        key = (key ^ bits) * np.uint64(0x9E3779B97F4A7C15)
        key ^= key >> np.uint64(29)
    return key


def _repeated(values: np.ndarray) -> np.ndarray:
    """Where an integer occurs more than once; sorting finds them far faster than hashing millions of them."""
    ordered = np.sort(values)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(twice):
        return np.zeros(len(values), dtype=bool)
    found: np.ndarray = twice[np.searchsorted(twice, values).clip(max=len(twice) - 1)] == values
    return found


def resolve_duplicates(frame: pd.DataFrame, policy: str = "first",
                       key: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep one row per creator handle under ``policy``; the others are returned as rejections.

    ``key`` is ``handle_key(frame["handle"])`` when the caller already has it.
    ``first``/``last`` keep that occurrence, ``largest`` the row with most
    followers, ``keep`` keeps every row (and rejects none). Rows without a
    handle are never treated as duplicates of each other. Rejections have
    columns ``row``, ``column``, ``value``, ``reason``.
    """
    if policy not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicate policy must be one of {', '.join(DUPLICATE_POLICIES)}, got {policy!r}")
    empty = pd.DataFrame({"row": pd.Series(dtype="int64"), "column": pd.Series(dtype="string"),
                          "value": pd.Series(dtype="string"), "reason": pd.Series(dtype="string")})
    if policy == "keep" or col.HANDLE not in frame.columns:
        return frame, empty
    # One code per creator, -1 for rows without a handle.
    codes, _ = pd.factorize(handle_key(frame[col.HANDLE]) if key is None else key)
    order = np.arange(len(frame))
    if policy == "largest":
        by_size = frame[col.FOLLOWERS].reset_index(drop=True).sort_values(ascending=False, kind="stable")
        order = by_size.index.to_numpy()
    ranked = codes[order]
    # Rows without a handle and creators with one row are kept; only the others need ranking among themselves.
    chosen = (ranked == -1) | (np.bincount(ranked + 1)[ranked + 1] == 1)
    several = np.flatnonzero(~chosen)
    chosen[several] = ~pd.Series(ranked[several]).duplicated(keep="last" if policy == "last" else "first").to_numpy()
    keep = np.zeros(len(frame), dtype=bool)
    keep[order[chosen]] = True
    if keep.all():
        return frame, empty  # as for the "keep" policy: no copy of a frame that loses no row
    return frame[keep], _rejections(frame, codes, keep, policy)


def _rejections(frame: pd.DataFrame, codes: np.ndarray, keep: np.ndarray, policy: str) -> pd.DataFrame:
    """The rows not kept, each naming the row kept for its creator (rows share a creator code)."""
    rows, dropped = frame["row"].to_numpy(), frame[~keep]
    kept_row = np.zeros(codes.max() + 1, dtype=rows.dtype)
    kept_row[codes[keep & (codes >= 0)]] = rows[keep & (codes >= 0)]
    reasons = [f"duplicate creator (kept row {row} under the '{policy}' policy)" for row in kept_row[codes[~keep]]]
    rejected = pd.DataFrame({"row": dropped["row"].to_numpy(), "column": col.HANDLE,
                             "value": dropped[col.HANDLE].astype("string").to_numpy(), "reason": reasons})
    return rejected.astype({"column": "string", "value": "string", "reason": "string"})
