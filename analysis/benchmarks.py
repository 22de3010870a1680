"""Published engagement-rate benchmarks, and the analyst's data set beside them.

Each benchmark is data (``benchmarks.toml``): its source, year, platform, the
formula it used (mapped to a dashboard ER definition so comparisons are like
for like) and its follower bands. :func:`beside_benchmark` summarises the
analyst's creators on the benchmark's own bands with the matching definition.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import columns as col
from analysis.engagement import get_definition, with_engagement
from analysis.format import compact
from analysis.summary import summarize

_FILE = Path(__file__).with_name("benchmarks.toml")


@dataclass(frozen=True)
class Band:
    """One published value: ER ``er`` (a fraction) for creators with ``min_followers <= followers < max_followers``."""

    min_followers: float
    max_followers: float  # math.inf: no upper bound
    er: float

    @property
    def label(self) -> str:
        if math.isinf(self.max_followers):
            return f"{compact(self.min_followers)}+"
        return f"{compact(self.min_followers)}–{compact(self.max_followers)}"


@dataclass(frozen=True)
class Benchmark:
    """A cited table of engagement rates by follower band."""

    id: str
    source: str
    year: int
    platform: str
    definition: str
    formula: str
    statistic: str
    note: str
    bands: tuple[Band, ...]

    @property
    def title(self) -> str:
        return f"{self.source} {self.year} ({self.platform}, {self.formula})"


@cache
def benchmarks() -> dict[str, Benchmark]:
    """Every published benchmark, by id."""
    with _FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    out = {}
    for key, entry in raw.items():
        bands = tuple(Band(float(b["min"]), float(b.get("max", math.inf)), float(b["er"])) for b in entry["bands"])
        get_definition(entry["definition"])  # a typo in the file fails loudly, at once
        out[key] = Benchmark(key, entry["source"], int(entry["year"]), entry["platform"], entry["definition"],
                             entry["formula"], entry["statistic"], entry["note"], bands)
    return out


def get_benchmark(benchmark_id: str) -> Benchmark:
    """Look a benchmark up by id; a clear ``ValueError`` lists the known ones."""
    known = benchmarks()
    if benchmark_id not in known:
        raise ValueError(f"unknown benchmark {benchmark_id!r}; choose one of: {', '.join(known)}")
    return known[benchmark_id]


def benchmark_table() -> pd.DataFrame:
    """Every published value as a tidy table.

    Returns
    -------
    DataFrame
        ``benchmark``, ``source``, ``year``, ``platform``, ``formula``,
        ``definition``, ``statistic``, ``band``, ``min_followers``,
        ``max_followers`` (inf: unbounded), ``er`` (fraction).
    """
    rows = [{"benchmark": b.id, "source": b.source, "year": b.year, "platform": b.platform, "formula": b.formula,
             "definition": b.definition, "statistic": b.statistic, "band": band.label,
             "min_followers": band.min_followers, "max_followers": band.max_followers, "er": band.er}
            for b in benchmarks().values() for band in b.bands]
    return pd.DataFrame(rows)


def beside_benchmark(frame: pd.DataFrame, benchmark_id: str, level: float = 0.95) -> pd.DataFrame:
    """The analyst's creators on the benchmark's bands, with the benchmark's definition.

    The published value is compared with the statistic it reports (the mean
    for an average; the median when the publication does not say).

    Returns
    -------
    DataFrame
        ``band``, ``min_followers``, ``max_followers``, ``published_er``, then
        the summary columns (``n_creators``, ``n``, ``median_er`` … ``pooled_er``,
        ``note``), then ``compared_with`` ("mean" or "median"), ``difference``
        (ours − published, NaN when the definition cannot be computed) and
        ``position``: "above", "below" or "within" the interval of our value.
    """
    bench = get_benchmark(benchmark_id)
    edges = [b.min_followers for b in bench.bands]
    prepared = with_engagement(frame, bench.definition)
    band_of = _band_positions(prepared[col.FOLLOWERS].to_numpy("float64"), bench.bands)
    prepared = prepared.assign(band=pd.Categorical(band_of, categories=range(len(edges)))).dropna(subset=["band"])
    table = summarize(prepared, ["band"], level).drop(columns="band")
    stat = "mean" if bench.statistic == "mean" else "median"
    published = np.array([b.er for b in bench.bands])
    ours, low, high = (table[f"{stat}_{part}"].to_numpy("float64") for part in ("er", "ci_low", "ci_high"))
    position = np.where(published < low, "below", np.where(published > high, "above", "within"))
    table.insert(0, "band", [b.label for b in bench.bands])
    table.insert(1, "min_followers", edges)
    table.insert(2, "max_followers", [b.max_followers for b in bench.bands])
    table.insert(3, "published_er", published)
    return table.assign(compared_with=stat, difference=ours - published,
                        position=np.where(np.isnan(low), "", _ours_vs(position)))


def _ours_vs(published_position: np.ndarray) -> np.ndarray:
    """Where our interval sits relative to the published value ("below" published → ours is above)."""
    return np.select([published_position == "below", published_position == "above"], ["above", "below"], "within")


def _band_positions(followers: np.ndarray, bands: tuple[Band, ...]) -> np.ndarray:
    """Index of each creator's band, NaN outside every band (bands may leave gaps)."""
    out = np.full(followers.shape, np.nan)
    for i, band in enumerate(bands):
        out[(followers >= band.min_followers) & (followers < band.max_followers)] = i
    return out
