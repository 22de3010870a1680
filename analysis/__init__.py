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

from analysis.charts import engagement_chart, sample_points
from analysis.demo import DemoParameters, generate_demo, write_demo
from analysis.engagement import DEFINITIONS, ERDefinition, engagement_rate, get_definition, with_engagement
from analysis.errors import LoadError
from analysis.intervals import LEVELS, Interval, bootstrap_mean_ci, median_ci, pooled_rate
from analysis.loading import LoadOptions, LoadReport, LoadResult, clean_creators, load_creators
from analysis.mapping import ColumnMapping, detect_mapping, with_overrides
from analysis.readers import RawTable, read_table
from analysis.report import build_report
from analysis.segments import apply_filters, segment_values
from analysis.summary import STAT_COLUMNS, bin_summary, log_bin_edges, tier_summary
from analysis.tiers import Tier, TierScheme, assign_tiers, get_scheme, tier_schemes

__all__ = [
    "DEFINITIONS",
    "LEVELS",
    "STAT_COLUMNS",
    "ColumnMapping",
    "DemoParameters",
    "ERDefinition",
    "Interval",
    "LoadError",
    "LoadOptions",
    "LoadReport",
    "LoadResult",
    "RawTable",
    "Tier",
    "TierScheme",
    "apply_filters",
    "assign_tiers",
    "bin_summary",
    "bootstrap_mean_ci",
    "build_report",
    "clean_creators",
    "detect_mapping",
    "engagement_chart",
    "engagement_rate",
    "generate_demo",
    "get_definition",
    "get_scheme",
    "load_creators",
    "log_bin_edges",
    "median_ci",
    "pooled_rate",
    "read_table",
    "sample_points",
    "segment_values",
    "tier_schemes",
    "tier_summary",
    "with_engagement",
    "with_overrides",
    "write_demo",
]
