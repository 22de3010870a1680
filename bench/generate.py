"""Generated creator files for the benchmarks: a CSV as a typical export tool writes it, and Parquet.

Both start from the demo community (:func:`analysis.demo.generate_demo`), so the numbers are
realistic; the CSV adds what real exports have: mapped header names, abbreviated counts, yes/no
words and a few bad cells.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from analysis.demo import DemoParameters, generate_demo

_SHARE_ABOVE_10K = 5_645 / 205_000  # the demo community's share of creators with 10K+ followers
_BAD_EVERY = 20_000  # one spoiled cell of each kind per this many CSV rows
_BAD_CELLS = (("Followers", "n/a"), ("Followers", "about 5k"), ("Followers", "12K+"), ("Followers", "0"),
              ("Avg Likes", "-3"), ("Sponsored", "maybe"))


def _params(rows: int, seed: int) -> DemoParameters:
    return DemoParameters(n_creators=rows, n_above_10k=round(rows * _SHARE_ABOVE_10K), seed=seed)


def _mixed_counts(counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """About half the counts from 1,000 up written short ("12.3K", "1.2M"), the rest as plain integers."""
    text = counts.astype(str).astype(object)
    short = np.flatnonzero((counts >= 1_000) & (rng.random(len(counts)) < 0.5))
    text[short] = [f"{c / 1e6:.1f}M" if c >= 1_000_000 else f"{c / 1e3:.1f}K" for c in counts[short].tolist()]
    return text


def _spoil(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Cells a real export has: a placeholder, words, a lower bound, zero, a negative, creators listed twice."""
    per_kind = max(1, len(frame) // _BAD_EVERY)
    rows = rng.choice(np.arange(1, len(frame)), size=(len(_BAD_CELLS) + 1, per_kind), replace=False)
    for (column, text), where in zip(_BAD_CELLS, rows, strict=False):
        frame.loc[where, column] = text
    twice = rows[-1]  # the same handle as an earlier row, written "@UPPER" as another tool would
    frame.loc[twice, "Username"] = ["@" + str(h).upper() for h in frame["Username"].to_numpy()[twice // 2]]


def write_csv(path: str, rows: int, seed: int = 1) -> int:
    """Write a creator CSV as a typical export tool would; returns its size in bytes."""
    demo = generate_demo(_params(rows, seed))
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "Username": demo["handle"],
        "Followers": _mixed_counts(demo["followers"].to_numpy(), rng),
        "Avg Likes": demo["likes"],
        "Avg Comments": demo["comments"].round().astype("int64"),
        "Shares": demo["shares"],
        "Platform": demo["platform"].str.title(),
        "Category": demo["category"],
        "Country": demo["country"],
        "Sponsored": np.where(demo["sponsored"], "yes", "no"),
    }, dtype=object)
    _spoil(frame, rng)
    frame.to_csv(path, index=False)
    return os.path.getsize(path)


def write_parquet(path: str, rows: int, seed: int = 2) -> int:
    """Write the demo community (numbers, text, a bool column) as Parquet; returns its size in bytes."""
    generate_demo(_params(rows, seed)).to_parquet(path, index=False)
    return os.path.getsize(path)
