"""The machine-readable report behind ``python -m analysis report``.

:func:`build_report` returns plain JSON-ready Python (ER values as
fractions, ``None`` where a value or interval is unavailable).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis.engagement import DEFAULT_DEFINITION
from analysis.loading import LoadResult
from analysis.summary import tier_summary


def build_report(
    loaded: LoadResult,
    scheme: str = "seed",
    level: float = 0.95,
    definition: str = DEFAULT_DEFINITION,
    by: str | None = None,
) -> dict[str, Any]:
    """The report object for one loaded dataset (see the README for the contract)."""
    table = tier_summary(loaded.frame, scheme=scheme, level=level, definition=definition, by=by)
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
        "scheme": scheme,
        "level": level,
        "definition": definition,
        "notes": list(report.notes),
        "tiers": [_tier_row({str(k): v for k, v in row.items()}) for row in table.to_dict("records")],
    }


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
