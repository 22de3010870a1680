"""A column as its distinct cells, so that each distinct cell is converted or parsed once.

Files repeat a few texts (platforms, countries, "yes"/"no") over millions of rows, so the readers and
parsers work on the distinct cells and spread the results back by code. A column whose cells nearly
all differ (handles) gains nothing from that and pays for hashing every cell, so a large text column
of mostly distinct cells may keep every cell apart instead; that is only right for results that
depend on each cell alone.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

_LARGE: Final = 50_000  # smaller columns are always merged: hashing them is cheap either way
_SAMPLE: Final = 5_000


def mostly_distinct(column: pd.Series) -> bool:
    """Whether a large column's cells mostly differ from each other, judged from a spread-out sample."""
    if len(column) < _LARGE:
        return False
    sample = column.iloc[:: len(column) // _SAMPLE].dropna()
    return sample.nunique() > len(sample) // 2


def distinct_cells(column: pd.Series, always_merge: bool = False) -> tuple[np.ndarray, pd.Series]:
    """Per cell a code (-1 for a missing cell) into the returned cells, as :func:`pandas.factorize` gives them.

    Unless ``always_merge``, a large text column of mostly distinct cells gets one code per present cell
    instead, repeats included. Other columns are always merged: equal cells such as ``1``, ``1.0`` and
    ``True`` are then one cell, so only text columns can be kept apart without changing results.
    """
    if not always_merge and mostly_distinct(column) and pd.api.types.infer_dtype(column, skipna=True) == "string":
        present = column.notna().to_numpy(dtype=bool)
        return np.where(present, np.cumsum(present) - 1, -1), pd.Series(column.array[present], dtype=column.dtype)
    codes, uniques = pd.factorize(column)
    return np.asarray(codes), pd.Series(uniques)
