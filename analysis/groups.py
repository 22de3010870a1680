"""Shared pieces of the group comparisons: the ER sample and the per-segment split.

:func:`rates` gives the engagement rates (and follower counts) of the creators
that have one; :func:`split_segments` cuts a frame by a segment column so an
analysis can be repeated per value. :mod:`analysis.compare`,
:mod:`analysis.sweet_spot` and :mod:`analysis.trend` build on both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis import columns as col
from analysis.engagement import DEFAULT_DEFINITION, with_engagement

FloatArray = NDArray[np.float64]


def rates(frame: pd.DataFrame, definition: str = DEFAULT_DEFINITION) -> tuple[FloatArray, FloatArray]:
    """ER and followers of the creators that have an ER (``definition`` as in :func:`with_engagement`).

    Rows without a positive follower count are an error, as in :mod:`analysis.summary`.
    """
    followers = pd.to_numeric(frame[col.FOLLOWERS], errors="coerce").to_numpy("float64")
    bad = int(np.count_nonzero(~(followers > 0)))
    if bad:
        raise ValueError(f"{bad:,} rows have no positive follower count; load the data with load_creators() or "
                         "clean_creators(), which reject such rows with a reason")
    er = with_engagement(frame, definition)["er"].to_numpy("float64")
    ok = np.isfinite(er)
    return er[ok], followers[ok]


def split_segments(frame: pd.DataFrame, by: str) -> dict[str, pd.DataFrame]:
    """Creators per value of column ``by`` (as text, blanks as "(blank)"), in sorted order."""
    if by not in frame.columns:
        raise ValueError(f"cannot split by {by!r}: no such column (have {', '.join(map(str, frame.columns))})")
    keys = frame[by].astype("string").fillna("(blank)")
    return {str(key): part for key, part in frame.groupby(keys, sort=True)}
