"""Filtering creators by segment (platform, category, country, sponsored)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import columns as col

SPONSORED_CHOICES = ("all", "organic", "sponsored")
#: Columns whose cells may list several values ("Videojuegos, Humor"): a creator belongs to each.
MULTI_VALUE_COLUMNS = (col.CATEGORY,)
_SEPARATORS = re.compile(r"\s*[,;|]\s*")


def cell_values(cell: str, column: str) -> tuple[str, ...]:
    """The values one cell holds: split on ',', ';' and '|' in a multi-value column, else the cell itself."""
    if column not in MULTI_VALUE_COLUMNS:
        return (cell,)
    parts = tuple(dict.fromkeys(p for p in _SEPARATORS.split(cell.strip()) if p))
    return parts or (cell,)


def segment_values(frame: pd.DataFrame, column: str) -> list[str]:
    """Distinct non-blank values of ``column``, most frequent first (empty if absent).

    In a multi-value column each listed value counts once per creator, so
    "Videojuegos, Humor" adds to both "Videojuegos" and "Humor".
    """
    if column not in frame.columns:
        return []
    counts = frame[column].dropna().astype(str).value_counts()
    if column in MULTI_VALUE_COLUMNS:
        totals: Counter[str] = Counter()
        for cell, count in counts.items():
            totals.update(dict.fromkeys(cell_values(str(cell), column), int(count)))
        return [value for value, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]
    return [str(v) for v in counts.index]


def _matches(values: pd.Series, column: str, chosen: Sequence[str]) -> pd.Series:
    """Creators with any chosen value (each distinct cell is split once, not once per creator)."""
    text = values.astype("string")
    if column not in MULTI_VALUE_COLUMNS:
        return text.isin(list(chosen)).fillna(False).astype(bool)
    wanted = set(chosen)
    hit = {cell: bool(wanted.intersection(cell_values(cell, column))) for cell in text.dropna().unique()}
    return text.map(hit).fillna(False).astype(bool)


def apply_filters(
    frame: pd.DataFrame,
    include: Mapping[str, Sequence[str]] | None = None,
    sponsored: str = "all",
    exclude_flagged: bool = False,
) -> pd.DataFrame:
    """Creators whose ``column`` value is in ``include[column]`` for every given column.

    In a multi-value column (category) a creator matches if any of its values is chosen.
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
            mask &= _matches(frame[column], column, values)
    if sponsored != "all":
        if col.SPONSORED not in frame.columns:
            raise ValueError("cannot filter sponsored/organic: the data has no 'sponsored' column")
        mask &= (frame[col.SPONSORED] == (sponsored == "sponsored")).fillna(False).astype(bool)
    if exclude_flagged and "flags" in frame.columns:
        mask &= (frame["flags"].fillna("") == "").astype(bool)
    return frame[mask]


def split_frame(frame: pd.DataFrame, column: str, limit: int = 8) -> tuple[pd.DataFrame, list[str]]:
    """Creators with a ``segment`` column holding one value of ``column`` each, for per-segment summaries.

    A creator listed under several values (a multi-value category cell) appears
    once per value. Only the ``limit`` largest segments are kept (blank and
    sponsored-unknown count as "(blank)"); the names of those left out are
    returned so a page can say so. A sponsored flag splits into "sponsored",
    "organic" and "(unknown)".
    """
    if column not in frame.columns:
        raise ValueError(f"cannot split by {column!r}: the data has no such column")
    if column == col.SPONSORED:  # a flag reads better as what it means
        flag = frame[column].astype("boolean")
        text = flag.map({True: "sponsored", False: "organic"}).astype("string").fillna("(unknown)")
    else:
        text = frame[column].astype("string").fillna("(blank)")
    if column in MULTI_VALUE_COLUMNS:
        parts = text.map(lambda cell: list(cell_values(str(cell), column)))
        exploded = frame.loc[parts.explode().index].assign(segment=parts.explode().to_numpy())
    else:
        exploded = frame.assign(segment=text.to_numpy())
    exploded["segment"] = exploded["segment"].astype(str)
    sizes = exploded["segment"].value_counts()
    kept = list(sizes.index[:limit])
    return exploded[exploded["segment"].isin(kept)].reset_index(drop=True), [str(v) for v in sizes.index[limit:]]
