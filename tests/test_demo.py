"""Tests of the synthetic demo community: the shapes the dashboard exists to test."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import columns as col
from analysis.demo import DemoParameters, Platform, generate_demo, median_er_curve, write_demo

DEFAULTS = DemoParameters()
SMALL = DemoParameters(n_creators=3_000, n_above_10k=90, seed=7)


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    """The full default community, generated once for the module."""
    return generate_demo()


def _er(frame: pd.DataFrame) -> pd.Series:
    return (frame[col.LIKES] + frame[col.COMMENTS] + frame[col.SHARES]) / frame[col.FOLLOWERS]


def _band(frame: pd.DataFrame, low: float, high: float) -> pd.DataFrame:
    return frame[(frame[col.FOLLOWERS] >= low) & (frame[col.FOLLOWERS] < high)]


def test_row_count_and_published_share_above_10k(demo: pd.DataFrame) -> None:
    assert len(demo) == 205_000
    above = int((demo[col.FOLLOWERS] >= 10_000).sum())
    assert above == 5_645
    assert round(above / len(demo), 4) == 0.0275


def test_columns_dtypes_and_value_ranges(demo: pd.DataFrame) -> None:
    expected = [col.HANDLE, col.FOLLOWERS, col.LIKES, col.COMMENTS, col.SHARES, col.VIEWS, col.POSTS,
                col.PLATFORM, col.CATEGORY, col.COUNTRY, col.SPONSORED]
    assert list(demo.columns) == expected
    assert demo[col.HANDLE].is_unique
    assert demo[col.HANDLE].iloc[0] == "creator_000001"
    assert demo[col.HANDLE].str.fullmatch(r"creator_\d{6}").all()
    assert demo[col.FOLLOWERS].dtype == np.int64
    assert demo[col.POSTS].dtype == np.int64
    assert demo[col.SPONSORED].dtype == bool
    assert demo[col.FOLLOWERS].min() >= 10
    assert demo[col.POSTS].between(3, 60).all()
    for name in (col.LIKES, col.COMMENTS, col.SHARES, col.VIEWS):
        values = demo[name]
        assert values.dtype == np.float64
        assert (values >= 0).all()
        np.testing.assert_allclose(values * 10, np.round(values * 10), atol=1e-6)


def test_segment_labels(demo: pd.DataFrame) -> None:
    assert set(demo[col.PLATFORM]) == {"instagram", "tiktok", "youtube"}
    assert set(demo[col.CATEGORY]) == {c for c, _ in DEFAULTS.categories}
    assert len(set(demo[col.CATEGORY])) == 10
    assert len(set(demo[col.COUNTRY])) == 12
    assert demo[col.COUNTRY].str.fullmatch(r"[A-Z]{2}").all()
    assert demo[col.COUNTRY].value_counts(normalize=True).iloc[0] == pytest.approx(0.33, abs=0.01)


def test_follower_distribution_shape(demo: pd.DataFrame) -> None:
    followers = demo[col.FOLLOWERS]
    assert (followers < 5_000).mean() > 0.85  # most members are "brand ambassadors"
    assert (followers < 100).mean() > 0.02  # so an "under 100" label occurs
    assert 200 <= (followers >= 100_000).sum() <= 2_000
    assert 20 <= (followers >= 1_000_000).sum() <= 200
    assert 3 <= (followers >= 10_000_000).sum() <= 40
    assert followers.max() <= DEFAULTS.max_followers


@pytest.mark.parametrize(
    ("low", "high", "markerly"),
    [(0, 1_000, 0.08), (1_000, 10_000, 0.04), (10_000, 100_000, 0.0237), (1_000_000, 10_000_000, 0.0166)],
)
def test_instagram_organic_tier_medians_match_markerly(
    demo: pd.DataFrame, low: float, high: float, markerly: float
) -> None:
    organic = demo[(demo[col.PLATFORM] == "instagram") & ~demo[col.SPONSORED]]
    log_er = np.log(_er(_band(organic, low, high)))
    # +-15%, or 3 standard errors of a median where a tier is small (the 1M-10M
    # tier has ~40 creators): sigma from the IQR, SE of a median = 1.2533 sigma / sqrt(n).
    sigma = (log_er.quantile(0.75) - log_er.quantile(0.25)) / 1.349
    tolerance = max(math.log(1.15), 3 * 1.2533 * sigma / math.sqrt(len(log_er)))
    assert abs(log_er.median() - math.log(markerly)) < tolerance


def test_er_falls_with_followers_and_is_heavy_tailed(demo: pd.DataFrame) -> None:
    er = _er(demo)
    tiers = [er[_band(demo, low, low * 10).index].median() for low in (10, 1e3, 1e5, 1e7)]
    assert tiers == sorted(tiers, reverse=True)
    one_k = np.log(er[_band(demo[demo[col.PLATFORM] == "instagram"], 1_000, 10_000).index])
    assert 0.6 < one_k.std() < 1.0  # log-normal-like noise on the log scale
    assert er.quantile(0.99) > 5 * er.median()


def test_sponsored_creators_engage_slightly_less(demo: pd.DataFrame) -> None:
    er = _er(demo)
    sponsored = demo[col.SPONSORED]
    assert 0.10 <= sponsored.mean() <= 0.15
    ratio = er[sponsored].median() / er[~sponsored].median()
    assert 0.82 < ratio < 0.97


def test_25k_50k_band_beats_both_neighbours(demo: pd.DataFrame) -> None:
    er = _er(demo)
    lower, sweet, upper = (er[_band(demo, lo, hi).index].median()
                           for lo, hi in ((10_000, 25_000), (25_000, 50_000), (50_000, 100_000)))
    assert sweet > lower
    assert sweet > upper


def test_platform_shares_and_effects(demo: pd.DataFrame) -> None:
    shares = demo[col.PLATFORM].value_counts(normalize=True)
    medians = _er(demo).groupby(demo[col.PLATFORM]).median()
    for platform in DEFAULTS.platforms:
        assert shares[platform.name] == pytest.approx(platform.share, abs=0.01)
        relative = medians[platform.name] / medians["instagram"]
        assert relative == pytest.approx(platform.er_effect, rel=0.08)


def test_comments_shares_and_views(demo: pd.DataFrame) -> None:
    busy = demo[demo[col.LIKES] >= 100]  # rounding to 0.1 distorts ratios on tiny counts
    assert (busy[col.COMMENTS] / busy[col.LIKES]).median() == pytest.approx(DEFAULTS.comment_ratio, rel=0.1)
    assert (busy[col.SHARES] / busy[col.LIKES]).median() == pytest.approx(DEFAULTS.share_ratio, rel=0.1)
    engaged = demo[col.LIKES] + demo[col.COMMENTS] + demo[col.SHARES]
    assert (demo[col.VIEWS] >= engaged - 0.15).all()  # 0.15: three values rounded to 0.1
    reach = (demo[col.VIEWS] / demo[col.FOLLOWERS]).groupby(demo[col.PLATFORM]).median()
    for platform in DEFAULTS.platforms:
        assert reach[platform.name] == pytest.approx(platform.views_per_follower, rel=0.1)


def test_category_and_country_are_null_controls(demo: pd.DataFrame) -> None:
    er = _er(demo)
    for segment in (col.CATEGORY, col.COUNTRY):
        medians = er.groupby(demo[segment]).median()
        assert medians.max() / medians.min() < 1.12


def test_same_parameters_same_frame_other_seed_other_frame() -> None:
    pd.testing.assert_frame_equal(generate_demo(SMALL), generate_demo(SMALL))
    other = generate_demo(DemoParameters(n_creators=3_000, n_above_10k=90, seed=8))
    assert not other[col.FOLLOWERS].equals(generate_demo(SMALL)[col.FOLLOWERS])
    assert not other[col.LIKES].equals(generate_demo(SMALL)[col.LIKES])


def test_write_demo_round_trips_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "demo.parquet"
    written = write_demo(str(target), SMALL)
    assert written == target
    pd.testing.assert_frame_equal(pd.read_parquet(target), generate_demo(SMALL))
    assert [p.name for p in target.parent.iterdir()] == ["demo.parquet"]


def test_write_demo_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "demo.parquet"
    target.write_bytes(b"previous")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        write_demo(target, SMALL)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["demo.parquet"]


def test_median_er_curve_passes_through_markerly_anchors() -> None:
    xs = np.array([x for x, _ in DEFAULTS.er_anchors])
    ers = [er for _, er in DEFAULTS.er_anchors]
    np.testing.assert_allclose(median_er_curve(10**xs), ers, rtol=0.01)
    outside_band = 10 ** np.r_[np.linspace(1, 4.3, 50), np.linspace(4.8, 8.7, 50)]
    assert (np.diff(median_er_curve(outside_band)) < 0).all()
    lift = median_er_curve([15_000, 35_000, 75_000]) / median_er_curve(
        [15_000, 35_000, 75_000], replace(DEFAULTS, sweet_spot_lift=0.0))
    np.testing.assert_allclose(lift, [1.0, 1 + DEFAULTS.sweet_spot_lift, 1.0], rtol=0.01)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_above_10k": 10, "n_creators": 5}, "n_above_10k"),
        ({"sponsored_share": 1.5}, "sponsored_share"),
        ({"platforms": (Platform("instagram", 0.5, 1.0, 0.3),)}, "platforms shares"),
        ({"countries": (("US", 0.5), ("GB", 0.4))}, "countries shares"),
        ({"er_anchors": ((3.0, 0.04), (2.0, 0.08))}, "er_anchors"),
        ({"posts_range": (0, 10)}, "posts_range"),
    ],
)
def test_bad_parameters_raise_value_error(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DemoParameters(**changes)  # type: ignore[arg-type]


def test_readme_documents_every_parameter():
    """The Data page shows data/README.md: it must cover every generator knob."""
    readme = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(DemoParameters) if f"`{f.name}`" not in readme]
    assert not missing, f"data/README.md does not document: {missing}"
