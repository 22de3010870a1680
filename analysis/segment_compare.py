"""Segments (or datasets) side by side: tier tables with differences against a reference, and common bins.

:func:`compare_tiers` gives one row per (tier, segment): the segment's tier
statistics (exactly :func:`analysis.summary.tier_summary` on its own
creators) and, within the tier, the difference of its median ER from the
reference segment's with a percentile-bootstrap interval
(:func:`analysis.sweet_spot.median_difference_ci`) and a two-sided
Mann–Whitney p-value. :func:`compare_bins` gives each segment's binned
medians on the same log bins. :func:`stack_datasets` turns several creator
files into one frame with a ``dataset`` column, so datasets compare like any
other segment.

Segments are the labels of :func:`analysis.segments.split_frame`: a column's
values as text, "sponsored"/"organic" for the sponsored flag. A creator in
several categories is in each of them, so two categories can share creators
(the tests then treat the groups as independent, which they are not quite).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from analysis import columns as col
from analysis.engagement import DEFAULT_DEFINITION, with_engagement
from analysis.group_stats import STAT_COLUMNS
from analysis.mean_intervals import DEFAULT_MEAN_METHOD
from analysis.pooled_intervals import DEFAULT_POOLED_METHOD
from analysis.segments import MULTI_VALUE_COLUMNS, apply_filters, split_frame
from analysis.summary import binned_summary, tier_summary
from analysis.sweet_spot import MIN_N_BAND, N_RESAMPLES, median_difference_ci
from analysis.tiers import TierScheme, assign_tiers, get_scheme

FloatArray = NDArray[np.float64]

DATASET = "dataset"
DIFF_COLUMNS = ["reference", "diff_median", "diff_ci_low", "diff_ci_high", "p_value", "diff_note"]
COMPARE_COLUMNS = ["tier", "segment", "min_followers", "max_followers", *STAT_COLUMNS, *DIFF_COLUMNS]


def stack_datasets(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Creator frames one under another, with a ``dataset`` column naming each row's frame.

    ``dataset`` is categorical in the order of ``frames``; columns are the
    union of all frames' columns (first appearance first), NA where a frame
    lacks one. The index is reset.
    """
    if not frames:
        raise ValueError("stack_datasets needs at least one named frame")
    clash = [name for name, frame in frames.items() if DATASET in frame.columns]
    if clash:
        raise ValueError(f"frame {clash[0]!r} already has a {DATASET!r} column; rename it before stacking")
    names = list(frames)
    columns = list(dict.fromkeys(c for frame in frames.values() for c in frame.columns))
    parts = [frame.reindex(columns=columns) for frame in frames.values()]
    stacked = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    labels = np.repeat(np.array(names, dtype=object), [len(frame) for frame in frames.values()])
    stacked[DATASET] = pd.Categorical(labels, categories=names)
    return stacked


def compare_tiers(
    frame: pd.DataFrame, column: str, segments: Sequence[str], scheme: str = "seed", level: float = 0.95,
    definition: str = DEFAULT_DEFINITION, reference: str | None = None, *,
    mean_method: str = DEFAULT_MEAN_METHOD, pooled_method: str = DEFAULT_POOLED_METHOD,
    min_n: int = MIN_N_BAND, n_resamples: int = N_RESAMPLES, seed: int = 0,
) -> pd.DataFrame:
    """Tier statistics per segment of ``column``, each beside the ``reference`` segment.

    ``reference`` defaults to the first of ``segments``. A segment with no
    creators gets rows with ``n_creators`` 0. Intervals are at ``level``; the
    bootstrap for each (tier, segment) is seeded from ``seed`` and the pair's
    names, so a row's numbers do not depend on which other segments are shown.

    Returns
    -------
    pandas.DataFrame
        One row per (tier, segment), tiers lowest first, segments in the given
        order. ``tier``; ``segment`` (categorical, the given order);
        ``min_followers``, ``max_followers`` (None: unbounded); the columns of
        :func:`analysis.summary.tier_summary` (``n_creators``, ``n``,
        ``median_er`` with ``median_ci_low``/``median_ci_high``, mean and
        pooled ER with intervals, ``note``); ``reference`` (the reference
        segment); ``diff_median`` (segment's median ER − reference's, same
        tier, as a fraction); ``diff_ci_low``, ``diff_ci_high`` (its percentile
        bootstrap interval, creators resampled within each group; NaN when
        either group has fewer than ``min_n`` creators with an ER);
        ``p_value`` (two-sided Mann–Whitney U, segment vs reference);
        ``diff_note`` ("reference", or why a number is missing, else empty).

    Raises
    ------
    ValueError
        Fewer than two segments, a repeated segment, a ``reference`` not among
        them, or a ``column`` the frame lacks.
    """
    segments, reference = _check_segments(segments, reference)
    tier_scheme = get_scheme(scheme)
    chosen = _chosen_rows(frame, column, segments)
    table = tier_summary(chosen, scheme, level, definition, by="segment",
                         mean_method=mean_method, pooled_method=pooled_method)
    table = _complete(table, segments, tier_scheme)
    samples = _tier_samples(chosen, tier_scheme, definition)
    empty = np.array([])
    diffs = [_difference(samples.get((tier, name), empty), samples.get((tier, reference), empty), level,
                         min_n, n_resamples, _pair_seed(seed, tier, name, reference)) if name != reference
             else (math.nan, math.nan, math.nan, math.nan, "reference")
             for tier, name in zip(table["tier"], table["segment"], strict=True)]
    table["reference"] = reference
    table[DIFF_COLUMNS[1:]] = pd.DataFrame(diffs, index=table.index, columns=DIFF_COLUMNS[1:])
    return table[COMPARE_COLUMNS]


def compare_bins(
    frame: pd.DataFrame, column: str, segments: Sequence[str], level: float = 0.95,
    definition: str = DEFAULT_DEFINITION, per_decade: int = 4, *,
    mean_method: str = DEFAULT_MEAN_METHOD, pooled_method: str = DEFAULT_POOLED_METHOD,
) -> pd.DataFrame:
    """Binned statistics per segment on common log bins (edges at 10^(k/``per_decade``)).

    Returns
    -------
    pandas.DataFrame
        ``segment`` (categorical, the given order), then the columns of
        :func:`analysis.summary.binned_summary`: ``bin_low``, ``bin_high``,
        ``bin_mid`` and the statistics (``n``, ``median_er``,
        ``median_ci_low``, ``median_ci_high``, …). Bins a segment has no
        creators in are left out; a bin present in two segments has the
        same edges in both.
    """
    segments, _ = _check_segments(segments, None)
    chosen = _chosen_rows(frame, column, segments)
    parts = [binned_summary(with_engagement(chosen[chosen["segment"] == name], definition), per_decade, level,
                            mean_method, pooled_method).assign(segment=name) for name in segments]
    table = pd.concat(parts, ignore_index=True)
    table["segment"] = pd.Categorical(table["segment"], categories=segments)
    return table[["segment", *(c for c in table.columns if c != "segment")]]


def _check_segments(segments: Sequence[str], reference: str | None) -> tuple[list[str], str]:
    names = [str(s) for s in segments]
    if len(names) < 2:
        raise ValueError(f"comparing needs at least two segments, got {len(names)}")
    if len(set(names)) < len(names):
        raise ValueError(f"each segment may be named once, got {', '.join(names)}")
    reference = names[0] if reference is None else str(reference)
    if reference not in names:
        raise ValueError(f"reference must be one of {', '.join(names)}, got {reference!r}")
    return names, reference


def _chosen_rows(frame: pd.DataFrame, column: str, segments: list[str]) -> pd.DataFrame:
    if column in MULTI_VALUE_COLUMNS and column in frame.columns and "(blank)" not in segments:
        # Splitting a multi-value cell costs a Python call per row; first keep the creators in a chosen segment.
        frame = apply_filters(frame, {column: segments})
    split, _ = split_frame(frame, column, limit=len(frame) + 1)
    return split[split["segment"].isin(segments)].reset_index(drop=True)


def _complete(table: pd.DataFrame, segments: list[str], scheme: TierScheme) -> pd.DataFrame:
    """Every (tier, segment) pair for the tiers any segment lists, an absent pair as zero creators."""
    order = [t.name for t in scheme.all_tiers() if t.name in set(table["tier"])]
    bounds = {t.name: (t.min_followers, t.max_followers) for t in scheme.all_tiers()}
    grid = pd.MultiIndex.from_product([order, segments], names=["tier", "segment"])
    full = table.set_index(["tier", "segment"]).drop(columns=["min_followers", "max_followers"]).reindex(grid)
    absent = full["n_creators"].isna()
    full.loc[absent, ["n_creators", "n"]] = 0
    full.loc[absent, "note"] = "no creators"
    full[["n_creators", "n"]] = full[["n_creators", "n"]].astype("int64")
    full = full.reset_index()
    full.insert(2, "min_followers", full["tier"].map(lambda t: bounds[t][0]).astype("object"))
    full.insert(3, "max_followers", full["tier"].map(lambda t: bounds[t][1]).astype("object"))
    full["segment"] = pd.Categorical(full["segment"], categories=segments)
    return full


def _tier_samples(chosen: pd.DataFrame, scheme: TierScheme,
                  definition: str) -> dict[tuple[str, str], FloatArray]:
    """Finite ER values per (tier, segment)."""
    er = with_engagement(chosen, definition)["er"]
    keyed = pd.DataFrame({"tier": np.asarray(assign_tiers(chosen[col.FOLLOWERS], scheme)).astype(str),
                          "segment": chosen["segment"].to_numpy(), "er": er.to_numpy("float64")})
    keyed = keyed[np.isfinite(keyed["er"])]
    return {(str(t), str(s)): part.to_numpy("float64") for (t, s), part in keyed.groupby(["tier", "segment"])["er"]}


def _difference(x: FloatArray, ref: FloatArray, level: float, min_n: int, n_resamples: int,
                seed: int) -> tuple[float, float, float, float, str]:
    """``median(x) − median(ref)``, its interval, the Mann–Whitney p and a note."""
    if x.size == 0 or ref.size == 0:
        where = "in this segment" if x.size == 0 else "in the reference"
        return math.nan, math.nan, math.nan, math.nan, f"no creators with an ER {where}"
    diff = float(np.median(x) - np.median(ref))
    p = float(stats.mannwhitneyu(x, ref, alternative="two-sided").pvalue)
    if min(x.size, ref.size) < min_n:
        note = f"too few for an interval: {x.size:,} vs {ref.size:,} with an ER (needs {min_n} each)"
        return diff, math.nan, math.nan, p, note
    low, high = median_difference_ci(x, ref, level, n_resamples=n_resamples, seed=seed)
    return diff, low, high, p, ""


def _pair_seed(seed: int, tier: str, segment: str, reference: str) -> int:
    key = zlib.crc32(repr((tier, segment, reference)).encode())
    return int(np.random.SeedSequence([seed, key]).generate_state(1)[0])
