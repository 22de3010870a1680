"""Tier schemes as data, and assignment of creators to tiers.

A scheme is an ordered list of half-open follower ranges ``[min, max)``.
Creators outside a scheme's range get an explicit label such as
``"under 100"`` instead of being dropped.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.format import compact

_SCHEMES_FILE = Path(__file__).with_name("tier_schemes.toml")


@dataclass(frozen=True)
class Tier:
    """One follower range ``[min_followers, max_followers)``; ``None`` means unbounded."""

    name: str
    min_followers: int | None
    max_followers: int | None


@dataclass(frozen=True)
class TierScheme:
    """A named, cited list of contiguous tiers, lowest first."""

    name: str
    title: str
    source: str
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if not self.tiers:
            raise ValueError(f"tier scheme {self.name!r} has no tiers")
        for low, high in zip(self.tiers, self.tiers[1:], strict=False):
            if low.max_followers is None or low.max_followers != high.min_followers:
                raise ValueError(
                    f"tier scheme {self.name!r}: tier {low.name!r} must end where "
                    f"{high.name!r} starts (got {low.max_followers} and {high.min_followers})"
                )

    @property
    def lowest(self) -> int | None:
        return self.tiers[0].min_followers

    @property
    def highest(self) -> int | None:
        return self.tiers[-1].max_followers

    def all_tiers(self) -> tuple[Tier, ...]:
        """The scheme's tiers plus the out-of-range labels, lowest first."""
        below = () if self.lowest is None else (Tier(f"under {compact(self.lowest)}", None, self.lowest),)
        above = () if self.highest is None else (Tier(f"{compact(self.highest)} and over", self.highest, None),)
        return below + self.tiers + above

    def boundaries(self) -> list[int]:
        """Every finite edge between tiers, ascending (for drawing)."""
        edges = {t.min_followers for t in self.tiers} | {t.max_followers for t in self.tiers}
        return sorted(e for e in edges if e is not None)


@cache
def tier_schemes() -> dict[str, TierScheme]:
    """All built-in schemes by name, read from ``tier_schemes.toml``."""
    raw = tomllib.loads(_SCHEMES_FILE.read_text(encoding="utf-8"))
    return {name: _scheme_from_dict(name, body) for name, body in raw.items()}


def _scheme_from_dict(name: str, body: dict[str, object]) -> TierScheme:
    tiers = body.get("tiers")
    if not isinstance(tiers, list):
        raise ValueError(f"tier scheme {name!r} needs a list of tiers")
    return TierScheme(
        name=name,
        title=str(body.get("title", name)),
        source=str(body.get("source", "")),
        tiers=tuple(Tier(str(t["name"]), t.get("min"), t.get("max")) for t in tiers),
    )


def get_scheme(name: str) -> TierScheme:
    """Look a scheme up by name; a clear ``ValueError`` lists the known ones."""
    schemes = tier_schemes()
    if name not in schemes:
        raise ValueError(f"unknown tier scheme {name!r}; choose one of: {', '.join(schemes)}")
    return schemes[name]


def assign_tiers(followers: pd.Series | np.ndarray, scheme: TierScheme) -> pd.Categorical[str]:
    """Label each follower count with its tier (ordered categorical, lowest first).

    Every value gets a label: counts below the scheme's first tier or at/above
    its last finite bound get the out-of-range labels from
    :meth:`TierScheme.all_tiers`.
    """
    values = np.asarray(followers, dtype="float64")
    tiers = scheme.all_tiers()
    # Lower edges of every labelled tier after the first: searchsorted with
    # side="right" puts a value equal to an edge into the tier starting there.
    edges = np.array([t.min_followers for t in tiers[1:]], dtype="float64")
    codes = np.searchsorted(edges, values, side="right")
    codes = np.where(np.isnan(values), -1, codes)
    # Codes are in range by construction; pandas' validation of 10M codes costs more than the search.
    labels: pd.Categorical[str] = pd.Categorical.from_codes(
        codes.astype(np.int16), categories=pd.Index([t.name for t in tiers]), ordered=True, validate=False
    )
    return labels
