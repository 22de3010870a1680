"""Per-group engagement summaries: per tier, per log-spaced follower bin.

Every function takes an account-level creator frame in canonical columns and
returns a tidy frame, one row per group, with these columns:

``n_creators``
    creators in the group
``n``
    of those, creators with a computable engagement rate (the statistics use these)
``median_er``, ``median_ci_low``, ``median_ci_high``
    median ER and its order-statistic interval (NaN bounds: too few)
``mean_er``, ``mean_ci_low``, ``mean_ci_high``
    mean ER and its bootstrap interval (NaN bounds: too few)
``pooled_er``
    Σ engagements ÷ Σ followers
``note``
    empty, or why an interval is missing ("too few for a median interval")
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.engagement import DEFAULT_DEFINITION, with_engagement
from analysis.intervals import MIN_N_MEAN, bootstrap_mean_ci, check_level, median_ci, pooled_rate
from analysis.tiers import assign_tiers, get_scheme

STAT_COLUMNS = [
    "n_creators", "n", "median_er", "median_ci_low", "median_ci_high",
    "mean_er", "mean_ci_low", "mean_ci_high", "pooled_er", "note",
]


def group_stats(
    er: np.ndarray, numerator: np.ndarray, followers: np.ndarray, level: float, seed: list[int]
) -> dict[str, float | int | str]:
    """All statistics of one group (the arrays hold that group's creators)."""
    ok = np.isfinite(er)
    n = int(ok.sum())
    med = median_ci(er[ok], level)
    mean = bootstrap_mean_ci(er[ok], level, seed=seed)
    notes = [] if n or not len(er) else ["no engagement rate"]
    if n and med is None:
        notes.append("too few for a median interval")
    if n and mean is None:
        notes.append(f"too few for a mean interval (needs {MIN_N_MEAN})")
    return {
        "n_creators": len(er),
        "n": n,
        "median_er": float(np.median(er[ok])) if n else np.nan,
        "median_ci_low": med.low if med else np.nan,
        "median_ci_high": med.high if med else np.nan,
        "mean_er": float(er[ok].mean()) if n else np.nan,
        "mean_ci_low": mean.low if mean else np.nan,
        "mean_ci_high": mean.high if mean else np.nan,
        "pooled_er": _none_to_nan(pooled_rate(numerator[ok], followers[ok])),
        "note": "; ".join(notes) if len(er) else "no creators",
    }


def summarize(
    prepared: pd.DataFrame, keys: list[str], level: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Statistics per combination of ``keys`` (categoricals keep empty groups).

    ``prepared`` must hold ``er``, ``engagements`` and ``followers`` (see
    :func:`with_engagement`). Each group's bootstrap is seeded from ``seed``
    and the group's key, so a group's numbers do not depend on other groups.
    """
    check_level(level)
    rows = []
    grouped = prepared.groupby(keys, observed=False, sort=True, dropna=False)
    for key, part in grouped:
        key_tuple = key if isinstance(key, tuple) else (key,)
        stats_ = group_stats(
            part["er"].to_numpy("float64"),
            part["engagements"].to_numpy("float64"),
            part[col.FOLLOWERS].to_numpy("float64"),
            level,
            seed=[seed, _stable_hash(key_tuple)],
        )
        rows.append({**dict(zip(keys, key_tuple, strict=True)), **stats_})
    return pd.DataFrame(rows, columns=[*keys, *STAT_COLUMNS])


def tier_summary(
    frame: pd.DataFrame,
    scheme: str = "seed",
    level: float = 0.95,
    definition: str = DEFAULT_DEFINITION,
    by: str | None = None,
) -> pd.DataFrame:
    """Statistics per tier of ``scheme`` (optionally per value of column ``by``).

    Columns: ``segment`` (value of ``by``, or None), ``tier``,
    ``min_followers``, ``max_followers`` (None: unbounded), then
    :data:`STAT_COLUMNS`. Every scheme tier is listed even when empty; the
    out-of-range labels ("under 100") only when they hold creators.
    """
    tier_scheme = get_scheme(scheme)
    prepared = with_engagement(_require_followers(frame), definition)
    prepared["tier"] = assign_tiers(prepared[col.FOLLOWERS], tier_scheme)
    keys = ["tier"] if by is None else [_segment_column(prepared, by), "tier"]
    table = summarize(prepared, keys, level)
    if by is None:
        table.insert(0, "segment", None)
    table = table.rename(columns={"_segment": "segment"})
    bounds = {t.name: (t.min_followers, t.max_followers) for t in tier_scheme.all_tiers()}
    table.insert(2, "min_followers", table["tier"].map(lambda t: bounds[t][0]).astype("object"))
    table.insert(3, "max_followers", table["tier"].map(lambda t: bounds[t][1]).astype("object"))
    in_scheme = {t.name for t in tier_scheme.tiers}
    keep = table["tier"].isin(in_scheme) | (table["n_creators"] > 0)
    table["tier"] = table["tier"].astype(str)
    return table[keep].reset_index(drop=True)


def log_bin_edges(followers: pd.Series | np.ndarray, per_decade: int = 4) -> np.ndarray:
    """Log-spaced bin edges, ``per_decade`` per factor of ten, covering the data.

    Edges sit on round powers of ten (10^(k/per_decade)), so two datasets get
    comparable bins.
    """
    if per_decade < 1:
        raise ValueError(f"per_decade must be at least 1, got {per_decade}")
    values = np.asarray(followers, dtype="float64")
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return np.array([1.0, 10.0])
    low = np.floor(np.log10(values.min()) * per_decade)
    high = np.floor(np.log10(values.max()) * per_decade) + 1
    return np.asarray(10.0 ** (np.arange(low, high + 1) / per_decade))


def bin_index(followers: pd.Series | np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Position of each count's bin ``[edges[i], edges[i+1])`` (the top edge joins the last bin)."""
    index = np.searchsorted(edges, np.asarray(followers, dtype="float64"), side="right") - 1
    return np.clip(index, 0, len(edges) - 2)


def bin_summary(
    frame: pd.DataFrame, per_decade: int = 4, level: float = 0.95, definition: str = DEFAULT_DEFINITION
) -> pd.DataFrame:
    """Statistics per log-spaced follower bin ``[bin_low, bin_high)``.

    Columns: ``bin_low``, ``bin_high``, ``bin_mid`` (geometric midpoint),
    then :data:`STAT_COLUMNS`. Bins without creators are left out.
    """
    return binned_summary(with_engagement(_require_followers(frame), definition), per_decade, level)


def binned_summary(prepared: pd.DataFrame, per_decade: int = 4, level: float = 0.95) -> pd.DataFrame:
    """:func:`bin_summary` for a frame that already has ``engagements`` and ``er``."""
    edges = log_bin_edges(prepared[col.FOLLOWERS], per_decade)
    first = round(float(np.log10(edges[0])) * per_decade)
    # Key (and seed) each bin by its absolute number 10^(k/per_decade), not its position in this
    # view, so filtering out unrelated creators leaves a bin's bootstrap interval unchanged.
    position = bin_index(prepared[col.FOLLOWERS], edges)
    table = summarize(prepared.assign(bin=first + position), ["bin"], level)
    index = table["bin"].astype(int).to_numpy() - first
    table.insert(0, "bin_low", edges[index])
    table.insert(1, "bin_high", edges[index + 1])
    table.insert(2, "bin_mid", np.sqrt(edges[index] * edges[index + 1]))
    return table.drop(columns="bin").reset_index(drop=True)


def _require_followers(frame: pd.DataFrame) -> pd.DataFrame:
    followers = pd.to_numeric(frame[col.FOLLOWERS], errors="coerce")
    bad = int((followers.isna() | (followers <= 0)).sum())
    if bad:
        raise ValueError(
            f"{bad:,} rows have no positive follower count; load the data with load_creators() or "
            "clean_creators(), which reject such rows with a reason"
        )
    return frame


def _segment_column(prepared: pd.DataFrame, by: str) -> str:
    if by not in prepared.columns:
        raise ValueError(f"cannot split by {by!r}: no such column (have {', '.join(map(str, prepared.columns))})")
    prepared["_segment"] = prepared[by].astype("string").fillna("(blank)")
    return "_segment"


def _stable_hash(key: tuple[Hashable, ...]) -> int:
    return zlib.crc32(repr(tuple(str(k) for k in key)).encode())


def _none_to_nan(value: float | None) -> float:
    return np.nan if value is None else value
