"""Engagement-rate definitions computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.engagement import engagement_rate, get_definition, with_engagement


def test_er_adds_optional_columns_when_present():
    frame = pd.DataFrame({"followers": [1000.0, 200.0], "likes": [40.0, 10.0], "comments": [5.0, 1.0],
                          "shares": [5.0, np.nan]})
    er = engagement_rate(frame)
    # (40 + 5 + 5) / 1000 and (10 + 1 + 0) / 200: a blank optional cell counts as 0.
    np.testing.assert_allclose(er, [0.05, 0.055])


def test_er_is_nan_without_required_counts_or_followers():
    frame = pd.DataFrame({"followers": [1000.0, 0.0, 100.0], "likes": [np.nan, 3.0, 3.0], "comments": [1.0, 1.0, 1.0]})
    er = engagement_rate(frame)
    assert np.isnan(er[0]) and np.isnan(er[1]) and er[2] == pytest.approx(0.04)


def test_missing_required_column_is_named():
    with pytest.raises(ValueError, match="likes"):
        engagement_rate(pd.DataFrame({"followers": [1.0], "comments": [1.0]}))
    # Comments are optional: a likes-only file still has a (likes-only) rate.
    assert engagement_rate(pd.DataFrame({"followers": [10.0], "likes": [1.0]}))[0] == pytest.approx(0.1)


def test_with_engagement_keeps_numerator_and_rate():
    frame = pd.DataFrame({"followers": [50.0], "likes": [4.0], "comments": [1.0]})
    out = with_engagement(frame)
    assert out.loc[0, "engagements"] == 5.0 and out.loc[0, "er"] == pytest.approx(0.1)
    assert "er" not in frame.columns


def test_unknown_definition_is_a_clear_error():
    with pytest.raises(ValueError, match="by_followers"):
        get_definition("by_magic")


def test_given_rate_is_used_as_stated_and_pools_by_followers():
    frame = pd.DataFrame({"followers": [100.0, 300.0], "likes": [1.0, 1.0], "comments": [0.0, 0.0],
                          "er_given": [0.10, 0.02]})
    out = with_engagement(frame, "as_given")
    np.testing.assert_allclose(out["er"], [0.10, 0.02])
    # implied engagements 10 and 6: pooled (10 + 6) / 400, the follower-weighted mean rate
    assert out["engagements"].sum() / out["followers"].sum() == pytest.approx(0.04)
    assert with_engagement(frame.drop(columns="er_given"), "as_given")["er"].isna().all()


def test_benchmark_definitions_use_exactly_their_columns():
    frame = pd.DataFrame({"followers": [1000, 2000], "likes": [30, 40], "comments": [5, None], "shares": [7, 7]})
    like_rate = engagement_rate(frame, get_definition("like_rate"))
    assert like_rate.tolist() == [0.03, 0.02]
    both = engagement_rate(frame, get_definition("likes_comments"))
    assert both.iloc[0] == 0.035 and np.isnan(both.iloc[1])  # comments required: no silent zero
    with pytest.raises(ValueError, match="comments"):
        engagement_rate(frame.drop(columns="comments"), get_definition("likes_comments"))
