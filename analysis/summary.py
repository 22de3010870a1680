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
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.engagement import DEFAULT_DEFINITION, get_definition, with_engagement
from analysis.group_stats import STAT_COLUMNS, group_statistics
from analysis.intervals import check_level
from analysis.mean_intervals import DEFAULT_MEAN_METHOD
from analysis.pooled_intervals import DEFAULT_POOLED_METHOD
from analysis.tiers import TierScheme, assign_tiers, get_scheme

#: Below this many creators the two tables of :func:`tiers_and_bins` are computed one after the other.
_PARALLEL_ROWS = 100_000

__all__ = ["STAT_COLUMNS", "bin_summary", "binned_summary", "equal_log_bins", "log_bin_edges", "n_bins_summary",
           "summarize", "tier_summary", "tiers_and_bins"]


def summarize(
    prepared: pd.DataFrame, keys: list[str], level: float = 0.95, seed: int = 0,
    mean_method: str = DEFAULT_MEAN_METHOD, pooled_method: str = DEFAULT_POOLED_METHOD,
) -> pd.DataFrame:
    """Statistics per combination of ``keys`` (categoricals keep empty groups).

    ``prepared`` must hold ``er``, ``engagements`` and ``followers`` (see
    :func:`with_engagement`). Each group's resampling is seeded from ``seed``
    and the group's key, so a group's numbers do not depend on other groups.
    """
    check_level(level)
    codes, groups = _group_codes(prepared, keys)
    return _statistics(prepared, codes, groups, level, seed, mean_method, pooled_method)


def _statistics(prepared: pd.DataFrame, codes: np.ndarray, groups: pd.DataFrame, level: float, seed: int = 0,
                mean_method: str = DEFAULT_MEAN_METHOD, pooled_method: str = DEFAULT_POOLED_METHOD) -> pd.DataFrame:
    """The groups' key columns, then :data:`STAT_COLUMNS`; ``codes`` number each row's group (-1: none)."""
    seeds = [[seed, _stable_hash(tuple(row))] for row in groups.itertuples(index=False)]
    table = group_statistics(
        prepared["er"].to_numpy("float64"), prepared["engagements"].to_numpy("float64"),
        prepared[col.FOLLOWERS].to_numpy("float64"), codes, len(groups), level, seeds, mean_method, pooled_method,
    )
    return pd.concat([groups, table], axis=1)


def _group_codes(prepared: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Each row's group number, and the groups' key values in sorted order.

    Like ``groupby(observed=False)``: every category of a categorical key is a
    group, other keys contribute the values present; NaN keys form no group.
    """
    levels, per_key = [], []
    for key in keys:
        column = prepared[key]
        if isinstance(column.dtype, pd.CategoricalDtype):
            levels.append(pd.Index(column.cat.categories))
            per_key.append(column.cat.codes.to_numpy("int64"))
        else:
            key_codes, uniques = pd.factorize(column, sort=True)
            levels.append(pd.Index(list(uniques)))  # plain values: the default dtype for their kind
            per_key.append(key_codes.astype("int64"))
    shape = tuple(len(level) for level in levels)
    missing = np.any([c < 0 for c in per_key], axis=0) if per_key else np.zeros(len(prepared), bool)
    flat = np.ravel_multi_index([np.where(missing, 0, c) for c in per_key], shape) if shape else np.zeros(0)
    codes = np.where(missing, -1, flat).astype(np.intp)
    product = pd.MultiIndex.from_product(levels, names=keys).to_frame(index=False)
    for key, level in zip(keys, levels, strict=True):
        if isinstance(prepared[key].dtype, pd.CategoricalDtype):
            product[key] = pd.Categorical(product[key], categories=level)
    return codes, product


def tier_summary(
    frame: pd.DataFrame,
    scheme: str = "seed",
    level: float = 0.95,
    definition: str = DEFAULT_DEFINITION,
    by: str | None = None,
    *,
    mean_method: str = DEFAULT_MEAN_METHOD,
    pooled_method: str = DEFAULT_POOLED_METHOD,
) -> pd.DataFrame:
    """Statistics per tier of ``scheme`` (optionally per value of column ``by``).

    Columns: ``segment`` (value of ``by``, or None), ``tier``,
    ``min_followers``, ``max_followers`` (None: unbounded), then
    :data:`STAT_COLUMNS`. Every scheme tier is listed even when empty; the
    out-of-range labels ("under 100") only when they hold creators.
    ``mean_method``/``pooled_method`` pick the interval methods
    (``analysis.intervals.MEAN_METHODS`` / ``POOLED_METHODS``).
    """
    methods = (mean_method, pooled_method)
    return _tier_table(_prepare(frame, definition, by), get_scheme(scheme), level, by, methods)


def _tier_table(prepared: pd.DataFrame, tier_scheme: TierScheme, level: float, by: str | None,
                methods: tuple[str, str] = (DEFAULT_MEAN_METHOD, DEFAULT_POOLED_METHOD)) -> pd.DataFrame:
    tiers = assign_tiers(prepared[col.FOLLOWERS], tier_scheme)
    if by is None:  # one key: its codes are the groups, no frame copy needed
        groups = pd.DataFrame({"tier": tiers.categories})
        table = _statistics(prepared, tiers.codes.astype(np.intp), groups, level, 0, *methods)
        table.insert(0, "segment", None)
    else:
        keyed = prepared.assign(tier=tiers)
        table = summarize(keyed, [_segment_column(keyed, by), "tier"], level, 0, *methods)
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
    return binned_summary(_prepare(frame, definition), per_decade, level)


def n_bins_summary(frame: pd.DataFrame, n_bins: int, level: float = 0.95,
                   definition: str = DEFAULT_DEFINITION) -> pd.DataFrame:
    """Statistics in ``n_bins`` equal-width bins of log followers from the smallest to the largest count.

    Same columns as :func:`bin_summary`; every bin is listed, empty ones with
    ``n_creators`` 0. The last bin includes the largest count.
    """
    return _n_bins_table(_prepare(frame, definition), n_bins, level)


def tiers_and_bins(frame: pd.DataFrame, scheme: str = "seed", n_bins: int = 40, level: float = 0.95,
                   definition: str = DEFAULT_DEFINITION) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`tier_summary` and :func:`n_bins_summary` together, preparing the creators once."""
    prepared = _prepare(frame, definition)
    tier_scheme = get_scheme(scheme)
    if len(prepared) < _PARALLEL_ROWS:
        return _tier_table(prepared, tier_scheme, level, None), _n_bins_table(prepared, n_bins, level)
    # The two tables share nothing but the read-only prepared columns, and NumPy releases the GIL
    # in the sorts and sums that dominate them, so on a large frame they run side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        tiers = pool.submit(_tier_table, prepared, tier_scheme, level, None)
        bins = pool.submit(_n_bins_table, prepared, n_bins, level)
        return tiers.result(), bins.result()


def equal_log_bins(followers: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Edges of ``n_bins`` equal log-width bins over the data, and each count's bin ``[edge_i, edge_i+1)``."""
    if n_bins < 1:
        raise ValueError(f"the number of bins must be at least 1, got {n_bins}")
    low, high = (float(followers.min()), float(followers.max())) if len(followers) else (1.0, 10.0)
    edges = np.geomspace(low, high if high > low else low * 10, n_bins + 1)
    # Arithmetic on log10 instead of a search per value, then a ±1 fix where rounding put a count
    # on the wrong side of its edge, so the result equals searchsorted(edges, x, "right") - 1.
    step = np.log10(edges[-1] / edges[0]) / n_bins
    index = np.clip(np.floor(np.log10(followers / edges[0]) / step).astype(np.intp), 0, n_bins - 1)
    index -= followers < edges[index]
    index += (index < n_bins - 1) & (followers >= edges[np.minimum(index + 1, n_bins)])
    return edges, np.clip(index, 0, n_bins - 1)


def _n_bins_table(prepared: pd.DataFrame, n_bins: int, level: float) -> pd.DataFrame:
    edges, index = equal_log_bins(prepared[col.FOLLOWERS].to_numpy("float64"), n_bins)
    table = _statistics(prepared, index, pd.DataFrame({"bin": range(n_bins)}), level)
    table.insert(0, "bin_low", edges[:-1])
    table.insert(1, "bin_high", edges[1:])
    table.insert(2, "bin_mid", np.sqrt(edges[:-1] * edges[1:]))
    return table.drop(columns="bin")


def _prepare(frame: pd.DataFrame, definition: str, by: str | None = None) -> pd.DataFrame:
    return with_engagement(_require_followers(_needed(frame, definition, by)), definition)


def binned_summary(prepared: pd.DataFrame, per_decade: int = 4, level: float = 0.95,
                   mean_method: str = DEFAULT_MEAN_METHOD, pooled_method: str = DEFAULT_POOLED_METHOD) -> pd.DataFrame:
    """:func:`bin_summary` for a frame that already has ``engagements`` and ``er``."""
    edges = log_bin_edges(prepared[col.FOLLOWERS], per_decade)
    first = round(float(np.log10(edges[0])) * per_decade)
    # Key (and seed) each bin by its absolute number 10^(k/per_decade), not its position in this
    # view, so filtering out unrelated creators leaves a bin's bootstrap interval unchanged.
    position = bin_index(prepared[col.FOLLOWERS], edges)
    table = summarize(prepared.assign(bin=first + position), ["bin"], level, 0, mean_method, pooled_method)
    index = table["bin"].astype(int).to_numpy() - first
    table.insert(0, "bin_low", edges[index])
    table.insert(1, "bin_high", edges[index + 1])
    table.insert(2, "bin_mid", np.sqrt(edges[index] * edges[index + 1]))
    return table.drop(columns="bin").reset_index(drop=True)


def _needed(frame: pd.DataFrame, definition: str, by: str | None = None) -> pd.DataFrame:
    """Only the columns a summary reads, so preparing it does not copy every other column of a large frame."""
    er_def = get_definition(definition)
    wanted = [col.FOLLOWERS, *er_def.required, *er_def.optional, er_def.given, by]
    return frame[[c for c in dict.fromkeys(wanted) if c is not None and c in frame.columns]]


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


