"""Engagement-rate definitions: each one a named, documented choice.

An engagement rate (ER) is kept as a fraction (0.034, not 3.4). The
definition in force is part of every result so numbers from different
definitions are never mixed up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import columns as col


@dataclass(frozen=True)
class ERDefinition:
    """Numerator columns over a denominator column, per creator.

    ``required`` numerator columns must be present in the data; ``optional``
    ones are added when the column exists (a blank cell there counts as 0).
    With ``given`` set, the rate is that column as the file states it, and the
    implied engagements (rate × denominator) make pooled rates follower-weighted.
    """

    name: str
    label: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    denominator: str
    given: str | None = None

    def numerator_columns(self, frame: pd.DataFrame) -> list[str]:
        """The numerator columns this definition uses on ``frame``."""
        missing = [c for c in self.required if c not in frame.columns]
        if missing:
            raise ValueError(
                f"engagement rate {self.name!r} needs column(s) {', '.join(missing)}; "
                f"the data has {', '.join(map(str, frame.columns))}"
            )
        return [*self.required, *(c for c in self.optional if c in frame.columns)]


BY_FOLLOWERS = ERDefinition(
    name="by_followers",
    label="Interactions per post ÷ followers",
    description=(
        "(likes + comments, plus shares and saves when the data has them) per post, "
        "divided by followers"
    ),
    # Only likes are required: many exports have no comments column, and a likes-only rate
    # (with a note saying so) is what analysts compute from them.
    required=(col.LIKES,),
    optional=(col.COMMENTS, col.SHARES, col.SAVES),
    denominator=col.FOLLOWERS,
)

AS_GIVEN = ERDefinition(
    name="as_given",
    label="Engagement rate given in the file",
    description="the file's own engagement-rate column (e.g. 60_day_eng_rate), read as a fraction",
    required=(col.ER_GIVEN,),
    optional=(),
    denominator=col.FOLLOWERS,
    given=col.ER_GIVEN,
)

LIKE_RATE = ERDefinition(
    name="like_rate",
    label="Likes per post ÷ followers",
    description="likes per post divided by followers (the like rate some published benchmarks report)",
    required=(col.LIKES,),
    optional=(),
    denominator=col.FOLLOWERS,
)

LIKES_COMMENTS = ERDefinition(
    name="likes_comments",
    label="(Likes + comments) per post ÷ followers",
    description="likes plus comments per post divided by followers, both required (shares and saves ignored)",
    required=(col.LIKES, col.COMMENTS),
    optional=(),
    denominator=col.FOLLOWERS,
)

DEFINITIONS: dict[str, ERDefinition] = {d.name: d for d in (BY_FOLLOWERS, LIKE_RATE, LIKES_COMMENTS, AS_GIVEN)}
DEFAULT_DEFINITION = BY_FOLLOWERS.name


def get_definition(name: str) -> ERDefinition:
    """Look a definition up by name; a clear ``ValueError`` lists the known ones."""
    if name not in DEFINITIONS:
        raise ValueError(f"unknown engagement definition {name!r}; choose one of: {', '.join(DEFINITIONS)}")
    return DEFINITIONS[name]


def engagements(frame: pd.DataFrame, definition: ERDefinition = BY_FOLLOWERS) -> pd.Series:
    """Interactions per post (the numerator), NaN where a required count is missing."""
    cols = definition.numerator_columns(frame)
    if definition.given is not None:
        implied = frame[definition.given].astype("float64") * frame[definition.denominator].astype("float64")
        return implied.rename("engagements")
    required = frame[list(definition.required)].astype("float64")
    total = required.sum(axis=1, min_count=len(definition.required))
    total = total.where(required.notna().all(axis=1))
    for extra in cols[len(definition.required):]:
        total = total + frame[extra].astype("float64").fillna(0.0)
    return total.rename("engagements")


def engagement_rate(frame: pd.DataFrame, definition: ERDefinition = BY_FOLLOWERS) -> pd.Series:
    """ER per creator as a fraction; NaN where it cannot be computed.

    A denominator of zero or less gives NaN rather than infinity.
    """
    return _rate(engagements(frame, definition), frame[definition.denominator])


def with_engagement(frame: pd.DataFrame, definition: str = DEFAULT_DEFINITION) -> pd.DataFrame:
    """A copy of ``frame`` with ``engagements`` (numerator) and ``er`` columns added.

    Unlike :func:`engagement_rate`, a frame lacking a required column is not an
    error here: its rates are all NaN, so summaries still count creators per
    tier (the load report says which column is missing).
    """
    er_def = get_definition(definition)
    out = frame.copy()
    has_required = all(c in frame.columns for c in er_def.required)
    out["engagements"] = engagements(frame, er_def) if has_required else np.nan
    out["er"] = _rate(out["engagements"], frame[er_def.denominator])
    return out


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    den = denominator.astype("float64")
    rate = numerator / den.where(den > 0)
    return rate.replace([np.inf, -np.inf], np.nan).rename("er")
