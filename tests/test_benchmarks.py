"""Published benchmarks: the values as published, and the analyst's data beside them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.benchmarks import benchmark_table, benchmarks, beside_benchmark, get_benchmark
from analysis.engagement import engagement_rate, get_definition


def test_published_values_as_cited():
    markerly = {b.label: b.er for b in get_benchmark("markerly-2016").bands}
    assert markerly == {"0–1K": 0.08, "1K–10K": 0.04, "10K–100K": 0.024, "1M–10M": 0.017}
    hype = get_benchmark("hypeauditor-2018")
    assert [b.er for b in hype.bands] == [0.1058, 0.0426, 0.0228, 0.0162, 0.0155, 0.0154]
    assert math.isinf(hype.bands[-1].max_followers) and hype.statistic == "mean"
    assert hype.formula == "(likes + comments) ÷ followers"


def test_every_benchmark_names_a_real_definition_and_ordered_bands():
    table = benchmark_table()
    assert set(table["benchmark"]) == set(benchmarks())
    for _, group in table.groupby("benchmark"):
        assert (group["min_followers"] < group["max_followers"]).all()
        assert (group["max_followers"].to_numpy()[:-1] <= group["min_followers"].to_numpy()[1:]).all()
    for bench in benchmarks().values():
        get_definition(bench.definition)


def test_unknown_benchmark_lists_the_known_ones():
    with pytest.raises(ValueError, match="markerly-2016"):
        get_benchmark("nope")


@pytest.fixture
def creators(rng):
    n = 6_000
    followers = np.round(10 ** rng.uniform(1.5, 7.5, n))
    er = np.exp(rng.normal(np.log(0.03), 0.7, n))
    likes = np.round(er * followers * 0.9)
    return pd.DataFrame({"followers": followers, "likes": likes, "comments": np.round(er * followers * 0.1)})


def test_beside_benchmark_matches_a_groupby_with_the_benchmarks_definition(creators):
    bench = get_benchmark("markerly-2016")
    table = beside_benchmark(creators, "markerly-2016")
    er = engagement_rate(creators, get_definition("like_rate"))
    for row, band in zip(table.itertuples(), bench.bands, strict=True):
        inside = (creators["followers"] >= band.min_followers) & (creators["followers"] < band.max_followers)
        assert row.n == inside.sum() and row.median_er == pytest.approx(er[inside].median())
        assert row.compared_with == "median" and row.difference == pytest.approx(row.median_er - band.er)
    gap = (creators["followers"] >= 100_000) & (creators["followers"] < 1_000_000)
    beyond = creators["followers"] >= 10_000_000
    assert table["n_creators"].sum() == len(creators) - gap.sum() - beyond.sum()  # Markerly has no 100K–1M band


def test_position_says_where_our_interval_sits(creators):
    table = beside_benchmark(creators, "hypeauditor-2018")
    assert (table["compared_with"] == "mean").all()
    for row in table.itertuples():
        expected = ("above" if row.mean_ci_low > row.published_er else
                    "below" if row.mean_ci_high < row.published_er else "within")
        assert row.position == expected
    # The simulated mean (likes + comments) ER is exp(log 0.03 + 0.7²/2) = 3.83% in every band:
    # clearly below the published 4.26% for 1K–5K and clearly above the 1.5–2.3% from 5K up.
    positions = table.set_index("band")["position"]
    assert positions["1K–5K"] == "below"
    assert set(positions[["5K–20K", "20K–100K", "100K–1M", "1M+"]]) == {"above"}
