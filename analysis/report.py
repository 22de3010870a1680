"""The machine-readable report behind ``python -m analysis report``.

:func:`build_report` returns plain JSON-ready Python (ER values as
fractions, ``None`` where a value or interval is unavailable).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis.cost import CostModel
from analysis.engagement import DEFAULT_DEFINITION
from analysis.loading import LoadResult
from analysis.segments import split_frame
from analysis.summary import n_bins_summary, tier_summary
from analysis.sweet_spot import DEFAULT_BAND, sweet_spot_test
from analysis.trend import Trend, fit_trend
from analysis.value import band_value, best_band


def build_report(
    loaded: LoadResult,
    scheme: str = "seed",
    level: float = 0.95,
    definition: str = DEFAULT_DEFINITION,
    by: str | None = None,
    *,
    bins: int | None = None,
    band: tuple[float, float] = DEFAULT_BAND,
    trend_method: str = "ols",
    trend_range: tuple[float, float] | None = None,
    cost_per_10k: float | None = None,
    methods: tuple[str, str] = ("auto", "auto"),
) -> dict[str, Any]:
    """The report object for one loaded dataset (see the README for the contract).

    ``tiers`` (and ``bins`` with ``bins=N``) hold the summaries; ``sweet_spot``
    the band-versus-neighbours test; ``trend`` the power-law slope (fitted on
    ``trend_range`` followers if given); ``value``
    (with ``cost_per_10k``) cost per engagement by tier. With ``by``, the
    tier rows carry their segment and ``segments`` repeats the test and trend per segment.
    """
    frame = loaded.frame
    table = tier_summary(frame, scheme=scheme, level=level, definition=definition, by=by,
                         mean_method=methods[0], pooled_method=methods[1])
    out = _rows_part(loaded) | {
        "scheme": scheme, "level": level, "definition": definition, "notes": list(loaded.report.notes),
        "interval_methods": {"mean": methods[0], "pooled": methods[1]},
        "tiers": [_tier_row({str(k): v for k, v in row.items()}) for row in table.to_dict("records")],
        "sweet_spot": _sweet_spot(frame, band, definition, level),
        "trend": _trend(fit_trend(frame, definition=definition, method=trend_method, level=level,
                                  followers_range=trend_range)),
    }
    if bins is not None:
        binned = n_bins_summary(frame, bins, level=level, definition=definition)
        out["bins"] = [_bin_row({str(k): v for k, v in row.items()}) for row in binned.to_dict("records")]
    if cost_per_10k is not None:
        out["value"] = _value(frame, CostModel(rate_per_10k=cost_per_10k), scheme, definition, level)
    if by is not None:
        parts, _ = split_frame(frame, by, limit=10**6)
        out["segments"] = [{"segment": name, "sweet_spot": _sweet_spot(part, band, definition, level),
                            "trend": _trend(fit_trend(part, definition=definition, method=trend_method,
                                                      level=level, followers_range=trend_range))}
                           for name, part in parts.groupby("segment", sort=True)]
    return out


def _rows_part(loaded: LoadResult) -> dict[str, Any]:
    report = loaded.report
    return {
        "rows": {
            "total": report.total,
            "loaded": report.loaded,
            "rejected": len(report.rejected),
            "rejected_reasons": report.reason_counts(),
            "creators": report.creators,
            "flagged": int((loaded.frame["flags"] != "").sum()) if "flags" in loaded.frame else 0,
        },
        "source": report.source,
        "mapping": report.mapping.as_dict(),
        "decisions": list(report.decisions),
    }


def _sweet_spot(frame: pd.DataFrame, band: tuple[float, float], definition: str, level: float) -> dict[str, Any]:
    result = sweet_spot_test(frame, band, None, definition, level)
    return {str(k): _clean_nested(v) for k, v in result.to_dict().items()} | {"text": result.verdict_text}


def _trend(trend: Trend) -> dict[str, Any]:
    return {
        "method": trend.method, "slope": _clean(trend.slope), "slope_ci": _pair(*trend.slope_ci),
        "change_per_doubling": _clean(trend.change_per_doubling),
        "change_per_doubling_ci": _pair(*trend.change_per_doubling_ci),
        "n": trend.n, "n_excluded": trend.n_excluded, "text": trend.describe(),
        "followers_range": None if trend.followers_range is None  # an open end is null, not Infinity
        else [float(v) if math.isfinite(v) else None for v in trend.followers_range],
        "n_outside": trend.n_outside,
    }


def _value(frame: pd.DataFrame, model: CostModel, scheme: str, definition: str, level: float) -> dict[str, Any]:
    table = band_value(frame, model, scheme=scheme, definition=definition, level=level)
    try:
        best: str | None = best_band(table)
    except ValueError:
        best = None
    rows = [{"tier": str(r["band"]), "n": int(r["n"]), "cost_per_engagement": _clean(r["cost_per_engagement"]),
             "cost_per_engagement_ci": _pair(r["cpe_ci_low"], r["cpe_ci_high"]),
             "engagements_per_1000": _clean(r["engagements_per_1000"]),
             "engagements_per_1000_ci": _pair(r["epk_ci_low"], r["epk_ci_high"]), "p_best": _clean(r["p_best"])}
            for r in table.to_dict("records")]
    return {"cost_model": model.describe(), "best": best, "tiers": rows}


def _bin_row(row: dict[str, Any]) -> dict[str, Any]:
    out = _tier_row(row | {"segment": None, "tier": "", "min_followers": None, "max_followers": None})
    del out["segment"], out["tier"], out["min_followers"], out["max_followers"]
    return {"bin_low": float(row["bin_low"]), "bin_high": float(row["bin_high"])} | out


def _clean_nested(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_clean_nested(v) for v in value]
    return _clean(value)


def _tier_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "segment": _clean(row["segment"]),
        "tier": str(row["tier"]),
        "min_followers": _int_or_none(row["min_followers"]),
        "max_followers": _int_or_none(row["max_followers"]),
        "n": int(row["n"]),
        "n_creators": int(row["n_creators"]),
        "median_er": _clean(row["median_er"]),
        "median_ci": _pair(row["median_ci_low"], row["median_ci_high"]),
        "mean_er": _clean(row["mean_er"]),
        "mean_ci": _pair(row["mean_ci_low"], row["mean_ci_high"]),
        "pooled_er": _clean(row["pooled_er"]),
        "pooled_ci": _pair(row["pooled_ci_low"], row["pooled_ci_high"]),
    }


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _int_or_none(value: Any) -> int | None:
    cleaned = _clean(value)
    return None if cleaned is None else int(cleaned)


def _pair(low: Any, high: Any) -> list[float] | None:
    lo, hi = _clean(low), _clean(high)
    return None if lo is None or hi is None else [float(lo), float(hi)]
