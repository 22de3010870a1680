"""Engagement Atlas analysis library: load creators, compute engagement, summarise by tier.

A plain, typed library (no Streamlit) that the dashboard and the command line
are built on, usable from a notebook::

    >>> import analysis as ea
    >>> creators = ea.generate_demo(ea.DemoParameters(n_creators=20_000, n_above_10k=550))
    >>> table = ea.tier_summary(creators, scheme="heartbeat", level=0.95)
    >>> list(table.columns)[:5]
    ['segment', 'tier', 'min_followers', 'max_followers', 'n']

Engagement rates are fractions (0.034 = 3.4%).
"""

from __future__ import annotations

from analysis.benchmarks import benchmark_table, beside_benchmark
from analysis.charts import engagement_chart, sample_points
from analysis.compare import tier_tests
from analysis.cost import CostModel
from analysis.demo import DemoParameters, generate_demo, write_demo
from analysis.engagement import DEFINITIONS, ERDefinition, engagement_rate, get_definition, with_engagement
from analysis.errors import LoadError
from analysis.intervals import LEVELS, Interval, bootstrap_mean_ci, mean_ci, median_ci, pooled_ci, pooled_rate
from analysis.loading import LoadOptions, LoadReport, LoadResult, clean_creators, load_creators
from analysis.mapping import ColumnMapping, detect_mapping, with_overrides
from analysis.readers import RawTable, read_table
from analysis.report import build_report
from analysis.segments import apply_filters, segment_values
from analysis.summary import STAT_COLUMNS, bin_summary, log_bin_edges, n_bins_summary, tier_summary, tiers_and_bins
from analysis.sweet_spot import SweetSpot, sweet_spot_test
from analysis.tiers import Tier, TierScheme, assign_tiers, get_scheme, tier_schemes
from analysis.trend import Trend, fit_trend, trend_line
from analysis.value import band_value, budget_plan

__all__ = [
    "DEFINITIONS",
    "LEVELS",
    "STAT_COLUMNS",
    "ColumnMapping",
    "CostModel",
    "DemoParameters",
    "ERDefinition",
    "Interval",
    "LoadError",
    "LoadOptions",
    "LoadReport",
    "LoadResult",
    "RawTable",
    "SweetSpot",
    "Tier",
    "TierScheme",
    "Trend",
    "apply_filters",
    "assign_tiers",
    "band_value",
    "benchmark_table",
    "beside_benchmark",
    "bin_summary",
    "bootstrap_mean_ci",
    "budget_plan",
    "build_report",
    "clean_creators",
    "detect_mapping",
    "engagement_chart",
    "engagement_rate",
    "fit_trend",
    "generate_demo",
    "get_definition",
    "get_scheme",
    "load_creators",
    "log_bin_edges",
    "mean_ci",
    "median_ci",
    "n_bins_summary",
    "pooled_ci",
    "pooled_rate",
    "read_table",
    "sample_points",
    "segment_values",
    "sweet_spot_test",
    "tier_schemes",
    "tier_summary",
    "tier_tests",
    "tiers_and_bins",
    "trend_line",
    "with_engagement",
    "with_overrides",
    "write_demo",
]
