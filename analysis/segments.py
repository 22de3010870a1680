"""Filtering creators by segment (platform, category, country, sponsored)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import columns as col

SPONSORED_CHOICES = ("all", "organic", "sponsored")


def segment_values(frame: pd.DataFrame, column: str) -> list[str]:
    """Distinct non-blank values of ``column``, most frequent first (empty if absent)."""
    if column not in frame.columns:
        return []
    counts = frame[column].dropna().astype(str).value_counts()
    return [str(v) for v in counts.index]


def apply_filters(
    frame: pd.DataFrame,
    include: Mapping[str, Sequence[str]] | None = None,
    sponsored: str = "all",
    exclude_flagged: bool = False,
) -> pd.DataFrame:
    """Creators whose ``column`` value is in ``include[column]`` for every given column.

    An empty selection for a column means "no filter on it". ``sponsored`` is
    ``"all"``, ``"organic"`` (flag False) or ``"sponsored"`` (flag True);
    creators with an unknown flag are kept only under ``"all"``. With
    ``exclude_flagged``, creators whose ``flags`` column is non-empty are left out.
    """
    if sponsored not in SPONSORED_CHOICES:
        raise ValueError(f"sponsored must be one of {', '.join(SPONSORED_CHOICES)}, got {sponsored!r}")
    mask = pd.Series(True, index=frame.index)
    for column, values in (include or {}).items():
        if values:
            if column not in frame.columns:
                raise ValueError(f"cannot filter on {column!r}: the data has no such column")
            mask &= frame[column].astype("string").isin(list(values)).fillna(False)
    if sponsored != "all":
        if col.SPONSORED not in frame.columns:
            raise ValueError("cannot filter sponsored/organic: the data has no 'sponsored' column")
        mask &= (frame[col.SPONSORED] == (sponsored == "sponsored")).fillna(False).astype(bool)
    if exclude_flagged and "flags" in frame.columns:
        mask &= (frame["flags"].fillna("") == "").astype(bool)
    return frame[mask]
