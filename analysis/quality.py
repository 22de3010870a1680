"""Suspicious rows (flagged, never dropped) and duplicate creators (resolved by a chosen policy).

Flags go in a ``flags`` text column ("" when clean), so a single toggle can
exclude flagged creators while the load report still shows each reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.engagement import with_engagement

#: How to treat several rows for one creator handle.
DUPLICATE_POLICIES = ("first", "last", "largest", "keep")
FLAG_ER_OVER_100 = "engagement rate above 100%"
FLAG_LIKES_OVER_FOLLOWERS = "more likes per post than followers"
FLAG_IDENTICAL = "identical to an earlier row"


def handle_key(handles: pd.Series) -> pd.Series:
    """Handles compared case- and space-insensitively, a leading '@' ignored ('@Ana ' == 'ana')."""
    text = handles.astype("string").str.strip().str.casefold().str.lstrip("@").str.strip()
    return text.where(text != "")


def flag_suspicious(frame: pd.DataFrame) -> pd.Series:
    """A ``flags`` column: '; '-joined reasons per row, '' for rows that look fine."""
    reasons: list[pd.Series] = []
    er = with_engagement(frame)["er"]
    reasons.append(pd.Series(np.where(er > 1, FLAG_ER_OVER_100, ""), index=frame.index))
    if col.LIKES in frame.columns:
        over = frame[col.LIKES].astype("float64") > frame[col.FOLLOWERS].astype("float64")
        reasons.append(pd.Series(np.where(over, FLAG_LIKES_OVER_FOLLOWERS, ""), index=frame.index))
    content = [c for c in frame.columns if c not in ("row", "flags")]
    identical = frame.duplicated(subset=content, keep="first")
    reasons.append(pd.Series(np.where(identical, FLAG_IDENTICAL, ""), index=frame.index))
    joined = reasons[0]
    for more in reasons[1:]:
        joined = joined.str.cat(more, sep="; ").str.strip("; ").str.replace("; ; ", "; ", regex=False)
    return joined.astype("string").rename("flags")


def resolve_duplicates(frame: pd.DataFrame, policy: str = "first") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep one row per creator handle under ``policy``; the others are returned as rejections.

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
    key = handle_key(frame[col.HANDLE])
    by_size = frame.sort_values(col.FOLLOWERS, ascending=False, kind="stable").index
    order = by_size if policy == "largest" else frame.index
    ranked = key.loc[order]
    keep_index = ranked[ranked.isna() | ~ranked.duplicated(keep="last" if policy == "last" else "first")].index
    kept = frame.loc[frame.index.isin(keep_index)]
    dropped = frame.loc[~frame.index.isin(keep_index)]
    if dropped.empty:
        return kept, empty
    kept_row = kept.assign(_key=key.loc[kept.index]).dropna(subset=["_key"]).set_index("_key")["row"]
    reasons = [f"duplicate creator (kept row {kept_row[k]} under the '{policy}' policy)"
               for k in key.loc[dropped.index]]
    rejected = pd.DataFrame({"row": dropped["row"].to_numpy(), "column": col.HANDLE,
                             "value": dropped[col.HANDLE].astype("string").to_numpy(), "reason": reasons})
    return kept, rejected.astype({"column": "string", "value": "string", "reason": "string"})
