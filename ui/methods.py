"""What the Methods page says: formulas, interval methods and their measured coverage, sources.

Tables come from the library (definitions, tier schemes, benchmarks, stored
coverage results), so the page cannot drift from what the dashboard computes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.benchmarks import benchmark_table
from analysis.coverage import load_results
from analysis.engagement import DEFINITIONS
from analysis.format import follower_range, percent
from analysis.tiers import tier_schemes

INTERVALS = """
**Median ER.** The interval runs between two order statistics, x₍ₗ₎ and x₍ₙ₋ₗ₊₁₎. The rank l is the
largest rank whose coverage 1 − 2·F(l − 1) reaches the level, where F is the Binomial(n, ½) CDF.
It needs no resampling and is exact and distribution-free. Because ranks are whole numbers it is
conservative (it covers at least the level), and it agrees with SciPy's `quantile_test` to the last digit.

**Mean ER.** Engagement rates are skewed, so a symmetric mean ± t·s/√n interval under-covers on
the low side; the simulation below shows by how much. The default, *auto*, chooses per group:

- **Below 2,000 creators, when the positive log ERs pass a normality check** (Jarque–Bera at 5%),
  it uses the log-normal (Cox) interval, exp(ȳ + s²/2 ± t·√(s²/n + s⁴/(2(n − 1)))), where ȳ and s are
  the mean and SD of log ER. Exact zeros are handled with a delta-log-normal (Aitchison) term. This
  is the only method that stays within 2 points of nominal on log-normal data down to n = 30.
- **Otherwise** it uses the studentized bootstrap (bootstrap-t). It resamples up to 500 creators,
  seeded per group; above that, Hall's skewness-removing transformation of the t statistic gives
  the same quantiles analytically. It needs no model, and from about 2,000 creators it is accurate.

BCa, bootstrap-t, Student t and the log-normal interval can each be chosen on its own. Every method
is seeded per group, so reruns give the same numbers.

**Pooled ER** (Σ engagements ÷ Σ followers). Creators are the sampling unit. The ratio behaves like
the mean of its influence values zᵢ = (Eᵢ − R·Fᵢ) / mean(F), so its standard error is √(Σz² / (n(n − 1))).
*auto* follows the same rule as the mean. For small groups that pass the check it uses a
follower-weighted log-normal interval (effective n = (ΣF)² / ΣF²); otherwise it uses the
bootstrap-t over creators. Delta, log-delta and the analytic skew form are also available.

**Where the defaults rely on a model.** On log-normal data, no model-free interval for the mean or
pooled rate reaches nominal coverage below a few hundred creators when σ is 0.8 or more. The
default therefore leans on the log-normal model in small groups. When that model is wrong, for
example with a heavier upper tail (the *mixture* scenario), coverage at 90% drops to 83–86% for
10–1,000 creators. The shortfall table below lists every such cell.

Below **10 creators** a mean or pooled interval is reported as *too few*, never as a number. The
same applies to a median whose order statistics cannot reach the level.
"""

TESTS = """
**Across tiers:** Kruskal–Wallis. **Between two tiers:** Mann–Whitney U (two-sided), with p-values
Holm-corrected over all pairs. The effect size is the Hodges–Lehmann shift (the median of all pairwise
differences, computed without listing the pairs) with its distribution-free (Moses) interval. Cliff's δ
= P(higher > lower) − P(higher < lower).

**Sweet spot:** the band's median ER minus its neighbours' median ER (default band 25K–50K,
neighbours 10K–25K and 50K–100K; for another band, the neighbours are the adjacent bands of the same
log-width). The interval is a seeded bootstrap of the difference in medians, and the p-value comes
from Mann–Whitney. The verdict is *supported* when the whole interval is above 0, *contradicted* when
it is below 0, and *inconclusive* otherwise or when either side has fewer than 10 creators.

**Trend:** log₁₀ ER = a + b·log₁₀ followers, fitted by ordinary least squares (t interval for b) or by
Theil–Sen (exact up to 1,500 creators, 2M random pairs above that). It is stated as the change per
doubling, 2ᵇ − 1. Creators with zero ER cannot be logged; they are counted and reported.

**Cost:** price per post = rate × followers ÷ 10,000 (default $100), at least the floor, unless a
priced tier applies. Value per band is Σ engagements ÷ Σ cost. Its interval is a bootstrap over
creators up to 5,000 per band and a delta-method interval above that. P(best) is the share of joint
draws in which a band gives the most engagements per dollar.
"""


def definitions_table() -> pd.DataFrame:
    return pd.DataFrame({"Name": list(DEFINITIONS), "Formula": [d.description for d in DEFINITIONS.values()]})


def schemes_table() -> pd.DataFrame:
    rows = [{"Scheme": name, "Tiers": ", ".join(f"{t.name} {follower_range(t.min_followers, t.max_followers)}"
                                                for t in scheme.tiers), "Source": scheme.source}
            for name, scheme in tier_schemes().items()]
    return pd.DataFrame(rows)


def benchmarks_display() -> pd.DataFrame:
    table = benchmark_table()
    return pd.DataFrame({"Source": table["source"] + " " + table["year"].astype(str), "Platform": table["platform"],
                         "Formula": table["formula"], "Statistic": table["statistic"], "Followers": table["band"],
                         "ER": table["er"].map(percent)})


@st.cache_data
def coverage_records() -> tuple[dict[str, object], pd.DataFrame]:
    """The stored simulation settings and records (``python -m analysis.coverage`` writes them), read once."""
    return load_results()
