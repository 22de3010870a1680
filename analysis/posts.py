"""Post-level files: aggregate per creator, and join an accounts file with a posts file.

A post-level table has one row per post; the dashboard works per creator, so
counts are averaged (mean or median) per handle and ``posts`` becomes the
number of posts the averages cover. Every post row stays accounted for: it
either feeds a creator row or is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import columns as col
from analysis.mapping import normalise
from analysis.quality import handle_key

AGGREGATES = ("mean", "median")
_PER_POST = (col.LIKES, col.COMMENTS, col.SHARES, col.SAVES, col.VIEWS, col.ER_GIVEN)
_TEXT = (col.HANDLE, col.PLATFORM, col.CATEGORY, col.COUNTRY)


#: Header words that only a table of posts has.
_POST_WORDS = ("caption", "hashtag", "permalink", "shortcode", "post id", "media id", "post url", "posted",
               "post date", "timestamp", "post type")


def looks_post_level(frame: pd.DataFrame, headers: list[str] | None = None, key: pd.Series | None = None) -> bool:
    """Whether rows are posts rather than creators, judged from repeated handles.

    With post-like headers (caption, hashtags, post date, ...) any repeated
    handle means posts; without them at least 20% of rows must repeat a handle,
    so an accounts file with a few duplicate creators stays an accounts file.
    ``key`` is ``handle_key(frame["handle"])`` when the caller already has it.
    """
    if col.HANDLE not in frame.columns or len(frame) < 2:
        return False
    key = (handle_key(frame[col.HANDLE]) if key is None else key).dropna()
    repeated = float(key.duplicated().mean()) if len(key) else 0.0
    hinted = any(word in normalise(h) for h in headers or [] for word in _POST_WORDS)
    return repeated > 0 if hinted else repeated >= 0.2


def aggregate_posts(frame: pd.DataFrame, how: str = "mean") -> pd.DataFrame:
    """One row per creator: per-post counts averaged by ``how``, ``posts`` = posts counted.

    Followers take the creator's largest value (the most recent count is
    usually the largest), ``sponsored`` is True if any post is, ``row`` is the
    creator's first row. Posts without a handle cannot be attributed and must
    be removed (and reported) by the caller first.
    """
    if how not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)}, got {how!r}")
    key = handle_key(frame[col.HANDLE])
    if key.isna().any():
        raise ValueError("every post needs a handle to be aggregated per creator")
    grouped = frame.assign(_key=key).groupby("_key", sort=False)
    agg: dict[str, str] = {"row": "min"}
    if col.FOLLOWERS in frame.columns:
        agg[col.FOLLOWERS] = "max"
    agg |= {c: how for c in _PER_POST if c in frame.columns}
    agg |= {c: "first" for c in _TEXT if c in frame.columns}
    if col.SPONSORED in frame.columns:
        agg[col.SPONSORED] = "max"
    creators = grouped.agg(agg)
    creators[col.POSTS] = grouped.size()
    return creators.reset_index(drop=True).sort_values("row", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class JoinReport:
    """What the accounts+posts join could not match (handles as written in the files)."""

    posts_without_account: pd.DataFrame   # row, handle: posts whose creator is not in the accounts file
    accounts_without_posts: pd.DataFrame  # row, handle: accounts with no post in the posts file
    posts_rejected: pd.DataFrame = field(default_factory=pd.DataFrame)  # row, column, value, reason (posts file)


def join_posts(accounts: pd.DataFrame, posts: pd.DataFrame, how: str = "mean") -> tuple[pd.DataFrame, JoinReport]:
    """Accounts with per-post averages from ``posts`` (matched on the normalised handle).

    Columns the posts file measures (likes, comments, ...) replace the accounts
    file's; followers and descriptive columns come from the accounts file.
    Accounts without posts keep their own counts (if any).
    """
    for name, table in (("accounts", accounts), ("posts", posts)):
        if col.HANDLE not in table.columns:
            raise ValueError(f"the {name} file needs a handle column to join accounts and posts")
    account_key, post_key = handle_key(accounts[col.HANDLE]), handle_key(posts[col.HANDLE])
    matched = post_key.isin(set(account_key.dropna()))
    per_creator = aggregate_posts(posts[matched], how).assign(_key=lambda t: handle_key(t[col.HANDLE]))
    measured = [c for c in (*_PER_POST, col.POSTS) if c in per_creator.columns]
    joined = accounts.assign(_key=account_key).drop(columns=[c for c in measured if c in accounts.columns])
    joined = joined.merge(per_creator[["_key", *measured]], on="_key", how="left").drop(columns="_key")
    report = JoinReport(
        posts_without_account=posts.loc[~matched, ["row", col.HANDLE]].reset_index(drop=True),
        accounts_without_posts=accounts.loc[~account_key.isin(set(post_key.dropna())), ["row", col.HANDLE]]
        .reset_index(drop=True),
    )
    return joined, report
