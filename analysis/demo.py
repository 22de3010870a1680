"""Deterministic synthetic *demo community*: one row per creator.

SYNTHETIC data shaped by published figures where they exist (community size,
share above 10K followers, Markerly 2016 Instagram like rates) and by
documented assumptions elsewhere; ``DemoParameters`` and ``data/README.md``
give every parameter with its source.
"""

from __future__ import annotations

import itertools
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.interpolate import PchipInterpolator
from scipy.special import expit, ndtr, ndtri

from analysis import columns as col

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: A label table: ``(label, share)`` pairs whose shares sum to 1.
Shares = tuple[tuple[str, float], ...]


class Platform(NamedTuple):
    """One platform: its share of creators, ER multiplier and reach rate."""

    name: str
    share: float
    er_effect: float
    views_per_follower: float


@dataclass(frozen=True)
class DemoParameters:
    """Every knob of the demo community; ``data/README.md`` cites each one.

    Followers below 10K: ``log10(followers)`` is a normal truncated to
    [1, 4); from 10K up a Pareto tail, ``P(F > x | F >= 10K) = (10K/x)**alpha``.
    ER ``(likes + comments + shares) / followers``: ``median_er_curve`` times
    platform and sponsored effects times log-normal noise. Comments and
    shares are log-normal fractions of likes; views are followers times a
    platform reach rate, never below the engagements.

    Parameters
    ----------
    n_creators, n_above_10k : int
        Published community figures: 205,000 members, 5,645 (2.75%) with
        10,000 followers or more. Both counts are exact in the output.
    seed : int
        Seed for ``numpy.random.default_rng``; same parameters, same frame.
    below_10k_log10_mean, below_10k_log10_sd : float
        Normal for ``log10(followers)`` below 10K, truncated to [1, 4)
        (assumption: ~94% of that group under 5,000, ~7% under 100).
    tail_alpha, max_followers : float, int
        Pareto exponent of the 10K+ tail and its cap (assumption: hundreds
        above 100K, dozens above 1M, a handful above 10M).
    er_anchors : tuple of (log10 followers, ER)
        Markerly 2016 Instagram like rates (8%, 4%, 2.37%, 1.66% for <1K,
        1K-10K, 10K-100K, 1M-10M), each at the median log10 followers of its
        tier under the default follower model. PCHIP in log ER between them,
        continued with the end segments' slopes beyond them.
    er_sigma : float
        Standard deviation of the log-normal ER noise (assumption).
    sweet_spot_lift, sweet_spot_band, sweet_spot_edge : float, (int, int), float
        Planted effect: median ER times ``1 + lift`` inside the band, with
        logistic edges ``edge`` wide in log10 followers. +25%, not +15%: the
        anchor curve alone falls ~10% from the 10-25K band to this one.
    sponsored_share, sponsored_effect : float
        Share of creators whose sampled posts are sponsored, and their ER
        multiplier (assumption: sponsored posts engage slightly less).
    platforms : tuple of Platform
        Instagram is the reference (ER multiplier 1: Markerly's platform).
    comment_ratio, share_ratio, ratio_sigma : float
        Median comments/likes and shares/likes, and their log-normal spread.
    view_sigma : float
        Log-normal spread of views per post around the platform reach.
    posts_range : (int, int)
        Inclusive range of posts the per-post averages were taken over.
    categories, countries : Shares
        Illustrative shares. Neither affects ER, so segment comparisons on
        the demo should find nothing: a built-in null control.
    """

    n_creators: int = 205_000
    n_above_10k: int = 5_645
    seed: int = 20161
    below_10k_log10_mean: float = 2.9
    below_10k_log10_sd: float = 0.6
    tail_alpha: float = 0.9
    max_followers: int = 500_000_000
    er_anchors: tuple[tuple[float, float], ...] = ((2.56, 0.08), (3.34, 0.04), (4.28, 0.0237), (6.28, 0.0166))
    er_sigma: float = 0.8
    sweet_spot_lift: float = 0.25
    sweet_spot_band: tuple[int, int] = (25_000, 50_000)
    sweet_spot_edge: float = 0.03
    sponsored_share: float = 0.12
    sponsored_effect: float = 0.9
    platforms: tuple[Platform, ...] = (
        Platform("instagram", 0.55, 1.0, 0.35),
        Platform("tiktok", 0.30, 1.2, 1.5),
        Platform("youtube", 0.15, 0.8, 0.5),
    )
    comment_ratio: float = 0.03
    share_ratio: float = 0.02
    ratio_sigma: float = 0.5
    view_sigma: float = 0.6
    posts_range: tuple[int, int] = (3, 60)
    categories: Shares = (
        ("fashion", 0.16), ("beauty", 0.14), ("lifestyle", 0.14), ("fitness", 0.11), ("food", 0.11),
        ("travel", 0.10), ("gaming", 0.08), ("tech", 0.06), ("parenting", 0.05), ("music", 0.05),
    )
    countries: Shares = (
        ("US", 0.33), ("IN", 0.10), ("BR", 0.09), ("GB", 0.08), ("ID", 0.07), ("MX", 0.06),
        ("DE", 0.05), ("FR", 0.05), ("CA", 0.05), ("ES", 0.04), ("IT", 0.04), ("AU", 0.04),
    )

    def __post_init__(self) -> None:
        if self.n_creators < 1 or not 0 <= self.n_above_10k <= self.n_creators:
            raise ValueError(f"need n_creators >= 1 and 0 <= n_above_10k <= n_creators, "
                             f"got {self.n_creators} and {self.n_above_10k}")
        if self.tail_alpha <= 0 or self.max_followers < 10_000:
            raise ValueError("tail_alpha must be > 0 and max_followers >= 10,000")
        if not 0 <= self.sponsored_share <= 1:
            raise ValueError(f"sponsored_share must be in [0, 1], got {self.sponsored_share}")
        xs = [x for x, _ in self.er_anchors]
        if (len(xs) < 2 or not 0 < xs[0] < xs[-1] < 10 or any(b <= a for a, b in itertools.pairwise(xs))
                or any(er <= 0 for _, er in self.er_anchors)):
            raise ValueError("er_anchors needs >= 2 points, log10 followers increasing within (0, 10), ER > 0")
        if not 1 <= self.posts_range[0] <= self.posts_range[1]:
            raise ValueError(f"posts_range must be (low, high) with 1 <= low <= high, got {self.posts_range}")
        platform_shares = tuple((p.name, p.share) for p in self.platforms)
        for name, table in (("platforms", platform_shares), ("categories", self.categories),
                            ("countries", self.countries)):
            _check_shares(name, table)


def _check_shares(name: str, table: Shares) -> None:
    shares = np.array([share for _, share in table], dtype=float)
    if len(shares) == 0 or (shares < 0).any() or not np.isclose(shares.sum(), 1.0):
        raise ValueError(f"{name} shares must be non-negative and sum to 1, got {shares.tolist()}")


def median_er_curve(followers: npt.ArrayLike, params: DemoParameters = DemoParameters()) -> FloatArray:
    """Median ER of an organic Instagram creator: anchor curve times sweet-spot lift.

    The centre the log-normal noise scatters around, so an oracle for what
    generated medians should be.

    Parameters
    ----------
    followers : array_like
        Follower counts (> 0).
    params : DemoParameters
        Supplies ``er_anchors`` and the sweet-spot fields.

    Returns
    -------
    numpy.ndarray
        ER as a fraction, same shape as ``followers``.
    """
    log_f = np.log10(np.asarray(followers, dtype=float))
    anchor = np.exp(_log_anchor_curve(log_f, params.er_anchors))
    low, high = np.log10(params.sweet_spot_band)
    inside = expit((log_f - low) / params.sweet_spot_edge) * expit((high - log_f) / params.sweet_spot_edge)
    return np.asarray(anchor * (1.0 + params.sweet_spot_lift * inside), dtype=np.float64)


def _log_anchor_curve(log_f: FloatArray, anchors: tuple[tuple[float, float], ...]) -> FloatArray:
    xs = np.array([x for x, _ in anchors])
    ys = np.log([er for _, er in anchors])
    # No data says how the curve goes on past the outer anchors, so it keeps the end
    # segments' slopes; knots at log10 = 0 and 10 keep the PCHIP smooth out there too.
    left, right = (ys[1] - ys[0]) / (xs[1] - xs[0]), (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    knots_x = np.r_[0.0, xs, 10.0]
    knots_y = np.r_[ys[0] - left * xs[0], ys, ys[-1] + right * (10.0 - xs[-1])]
    return np.asarray(PchipInterpolator(knots_x, knots_y)(np.clip(log_f, 0.0, 10.0)), dtype=np.float64)


def _sample_followers(rng: np.random.Generator, params: DemoParameters) -> IntArray:
    mean, sd = params.below_10k_log10_mean, params.below_10k_log10_sd
    # Inverse-CDF sampling of the truncated normal: exact and vectorised, no rejection loop.
    u = rng.uniform(ndtr((1.0 - mean) / sd), ndtr((4.0 - mean) / sd), params.n_creators - params.n_above_10k)
    below = np.clip(np.floor(10.0 ** (mean + sd * ndtri(u))), 10, 9_999)  # clip: float round-off at 1 and 4
    # 1 - U lies in (0, 1], so every tail draw is >= 10,000 and the 10K count is exact.
    tail = 10_000.0 * (1.0 - rng.random(params.n_above_10k)) ** (-1.0 / params.tail_alpha)
    above = np.minimum(np.floor(tail), params.max_followers)
    return rng.permutation(np.concatenate([below, above])).astype(np.int64)


def _draw(rng: np.random.Generator, table: Shares, n: int) -> npt.NDArray[np.intp]:
    shares = np.array([share for _, share in table], dtype=float)
    return rng.choice(len(table), size=n, p=shares / shares.sum())


def _lognormal(rng: np.random.Generator, median: FloatArray | float, sigma: float, n: int) -> FloatArray:
    return np.asarray(median * np.exp(sigma * rng.standard_normal(n)), dtype=np.float64)


def _engagement(rng: np.random.Generator, followers: FloatArray, effect: FloatArray,
                params: DemoParameters) -> dict[str, FloatArray]:
    n = len(followers)
    total = followers * _lognormal(rng, median_er_curve(followers, params) * effect, params.er_sigma, n)
    comment_ratio = _lognormal(rng, params.comment_ratio, params.ratio_sigma, n)
    share_ratio = _lognormal(rng, params.share_ratio, params.ratio_sigma, n)
    likes = total / (1.0 + comment_ratio + share_ratio)
    return {col.LIKES: likes, col.COMMENTS: likes * comment_ratio, col.SHARES: likes * share_ratio}


def generate_demo(params: DemoParameters = DemoParameters()) -> pd.DataFrame:
    """Generate the synthetic demo community (deterministic in ``params``).

    Parameters
    ----------
    params : DemoParameters
        All knobs; the default is the documented demo community (frozen, so
        sharing the default instance between calls is safe).

    Returns
    -------
    pandas.DataFrame
        One row per creator: ``handle`` (str, unique), ``followers`` (int64,
        >= 10), ``likes``, ``comments``, ``shares``, ``views`` (float64
        averages per post, >= 0, rounded to 0.1), ``posts`` (int64),
        ``platform``, ``category``, ``country`` (str) and ``sponsored`` (bool).

    Examples
    --------
    >>> frame = generate_demo(DemoParameters(n_creators=1_000, n_above_10k=30))
    >>> len(frame), int((frame["followers"] >= 10_000).sum())
    (1000, 30)
    """
    rng = np.random.default_rng(params.seed)
    n, table = params.n_creators, params.platforms
    followers = _sample_followers(rng, params)
    platform = _draw(rng, tuple((p.name, p.share) for p in table), n)
    sponsored = rng.random(n) < params.sponsored_share
    effect = np.array([p.er_effect for p in table])[platform] * np.where(sponsored, params.sponsored_effect, 1.0)
    counts = _engagement(rng, followers.astype(np.float64), effect, params)
    reach = np.array([p.views_per_follower for p in table])[platform] * followers.astype(np.float64)
    # Liking, commenting or sharing needs a view, so views never fall below engagements.
    views = np.maximum(_lognormal(rng, reach, params.view_sigma, n), sum(counts.values()))
    posts = rng.integers(params.posts_range[0], params.posts_range[1] + 1, n, dtype=np.int64)
    category = np.array([c for c, _ in params.categories])[_draw(rng, params.categories, n)]
    country = np.array([c for c, _ in params.countries])[_draw(rng, params.countries, n)]
    return pd.DataFrame({
        col.HANDLE: [f"creator_{i:06d}" for i in range(1, n + 1)],
        col.FOLLOWERS: followers,
        **{name: np.round(values, 1) for name, values in counts.items()},
        col.VIEWS: np.round(views, 1), col.POSTS: posts,
        col.PLATFORM: np.array([p.name for p in table])[platform],
        col.CATEGORY: category, col.COUNTRY: country, col.SPONSORED: sponsored,
    })


def write_demo(path: str | Path, params: DemoParameters = DemoParameters()) -> Path:
    """Generate the demo community and write it to ``path`` as Parquet.

    Written to a temporary file in the same folder, then moved into place
    with ``os.replace``, so a reader never sees half a file. Missing parent
    folders are created. Returns the path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame = generate_demo(params)
    # A unique name rather than mkstemp: mkstemp's 0600 mode would survive the rename
    # and hide the file from a dashboard running as another user.
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
