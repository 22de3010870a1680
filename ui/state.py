"""Every piece of shareable view state: its URL key, default and validation.

This module does not import Streamlit, so the rules are unit-testable. Each
widget in the sidebar uses its key as both ``key=`` and the URL parameter
name (``bind="query-params"``); a link therefore carries the whole view.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analysis.benchmarks import benchmarks
from analysis.engagement import DEFAULT_DEFINITION, DEFINITIONS
from analysis.intervals import DEFAULT_MEAN_METHOD, DEFAULT_POOLED_METHOD, LEVELS, MEAN_METHODS, POOLED_METHODS
from analysis.segments import SPONSORED_CHOICES
from analysis.tiers import tier_schemes


@dataclass(frozen=True)
class Source:
    """A dataset file and how to read it: its identity for caching and for links.

    ``mtime_ns`` and ``size`` make a replaced file a new source; ``overrides``,
    ``sheet``, ``duplicates`` and ``aggregate`` are how the analyst chose to read it.
    """

    path: str = ""
    mtime_ns: int = 0
    size: int = 0
    name: str = ""
    overrides: tuple[tuple[str, str | None], ...] = ()
    sheet: str | None = None
    duplicates: str = "first"
    aggregate: str = "mean"
    rows: str = "auto"  # "auto", "creators" or "posts"
    posts_path: str = ""  # an accounts + posts pair: the posts file joined to the accounts
    posts_name: str = ""

#: Multi-choice filters in force: (column, selected values) pairs, hashable for caching.
Filters = tuple[tuple[str, tuple[str, ...]], ...]


class StateKeys:
    """Widget keys, which are also the URL query-parameter names."""

    DATASET = "dataset"
    SCHEME = "scheme"
    LEVEL = "level"
    DEFINITION = "er"
    Y_SCALE = "y"
    BAND_LOW = "band_lo"
    BAND_HIGH = "band_hi"
    PLATFORM = "platform"
    CATEGORY = "category"
    COUNTRY = "country"
    SPONSORED = "sponsored"
    EXCLUDE_FLAGGED = "exclude_flagged"
    TREND = "trend"
    TREND_FROM = "trend_from"
    TREND_TO = "trend_to"
    BENCHMARK = "benchmark"
    SPLIT = "split"
    MEAN_CI = "mean_ci"
    POOLED_CI = "pooled_ci"
    # The Sweet spot page's cost model and budget (read by that page only; see PAGE_KEYS).
    COST_RATE = "cost_rate"
    COST_FLOOR = "cost_floor"
    PRICES = "prices"
    BUDGET = "budget"
    #: Session-only: the per-tier price editor's state (its key gets the scheme and a generation appended).
    PRICE_EDITOR = "price_editor"
    # The Compare page: what to compare by, the segments (repeated key), the reference (see PAGE_KEYS).
    COMPARE_BY = "compare_by"
    COMPARE = "compare"
    COMPARE_REF = "compare_ref"
    # The home chart's selection: the creators it opens (see analysis.drilldown; read by the home page).
    SELECTION = "sel"


DEMO_DATASET = "demo"
LEVEL_OPTIONS = tuple(f"{round(level * 100)}" for level in LEVELS)
Y_SCALES = ("log", "linear")
TREND_CHOICES = ("ols", "theil-sen", "off")
NO_BENCHMARK = "none"
#: "Split by" on the Tiers page: no split, or a segment column.
SPLITS = ("none", "sponsored", "platform", "category", "country")
DEFAULT_BAND = (25_000, 50_000)
#: Largest follower count a band edge may take (more than any account has).
MAX_FOLLOWERS = 10**12
#: Multi-choice filters: URL key -> data column.
FILTER_COLUMNS = {StateKeys.PLATFORM: "platform", StateKeys.CATEGORY: "category", StateKeys.COUNTRY: "country"}
#: The form of an upload id (see ``ui.store``); repeated here because this module imports nothing of the UI.
UPLOAD_ID = re.compile(r"u-[0-9a-f]{32}")
#: Keys of number inputs and toggles: checked against what the widget resolved, not against a list.
NUMBER_KEYS = frozenset({StateKeys.BAND_LOW, StateKeys.BAND_HIGH, StateKeys.EXCLUDE_FLAGGED, StateKeys.TREND_FROM,
                         StateKeys.TREND_TO})
#: Keys one page reads and checks itself (the Sweet spot page's cost model and budget, the Compare
#: page's choices); the shared sidebar neither reports nor removes them, so a link keeps them while
#: another page is open.
PAGE_KEYS = frozenset({StateKeys.COST_RATE, StateKeys.COST_FLOOR, StateKeys.PRICES, StateKeys.BUDGET,
                       StateKeys.COMPARE_BY, StateKeys.COMPARE, StateKeys.COMPARE_REF, StateKeys.SELECTION})
DEFAULT_COST_RATE = 100.0
DEFAULT_COST_FLOOR = 0.0
DEFAULT_BUDGET = 10_000
#: Parameters Streamlit itself uses; never reported as unknown.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})


@dataclass(frozen=True)
class Choice:
    """The allowed values of a single-choice key, in display order, and its default."""

    options: tuple[str, ...]
    default: str

    @property
    def index(self) -> int:
        return self.options.index(self.default)


def single_choices(datasets: Sequence[str] = (DEMO_DATASET,)) -> dict[str, Choice]:
    """Every single-choice key's options and default."""
    return {
        StateKeys.DATASET: Choice(tuple(datasets), datasets[0]),
        StateKeys.SCHEME: Choice(tuple(tier_schemes()), "seed"),
        StateKeys.LEVEL: Choice(LEVEL_OPTIONS, "95"),
        StateKeys.DEFINITION: Choice(tuple(DEFINITIONS), DEFAULT_DEFINITION),
        StateKeys.Y_SCALE: Choice(Y_SCALES, "log"),
        StateKeys.SPONSORED: Choice(SPONSORED_CHOICES, "all"),
        StateKeys.TREND: Choice(TREND_CHOICES, "ols"),
        StateKeys.BENCHMARK: Choice((NO_BENCHMARK, *benchmarks()), NO_BENCHMARK),
        StateKeys.SPLIT: Choice(SPLITS, "none"),
        StateKeys.MEAN_CI: Choice(MEAN_METHODS, DEFAULT_MEAN_METHOD),
        StateKeys.POOLED_CI: Choice(POOLED_METHODS, DEFAULT_POOLED_METHOD),
    }


@dataclass(frozen=True)
class View:
    """The resolved view: what every page computes and draws from."""

    dataset: str = DEMO_DATASET
    source: Source = Source()
    scheme: str = "seed"
    level: float = 0.95
    definition: str = DEFAULT_DEFINITION
    y_scale: str = "log"
    band: tuple[int, int] = DEFAULT_BAND
    filters: Filters = ()
    sponsored: str = "all"
    exclude_flagged: bool = False
    trend: str = "ols"
    #: Follower range the trend is fitted on (None: every creator); an open end is 0 or infinity.
    trend_range: tuple[float, float] | None = None
    benchmark: str = NO_BENCHMARK
    mean_method: str = DEFAULT_MEAN_METHOD
    pooled_method: str = DEFAULT_POOLED_METHOD
    notices: tuple[str, ...] = field(default=(), compare=False)


def url_notices(params: Mapping[str, str | list[str]], filter_options: Mapping[str, Sequence[str]],
                datasets: Sequence[str] = (DEMO_DATASET,), unavailable: Sequence[str] = ()) -> list[str]:
    """Short notices for URL parameters that are unknown, do not apply, or hold unusable values.

    Streamlit drops such values itself; these notices tell the reader why the
    view differs from the link. ``unavailable`` lists keys whose control the
    current dataset does not offer (e.g. no ``sponsored`` column). Band edges
    are checked by :func:`band_notices` against what the widgets resolved.
    """
    notices: list[str] = []
    choices = single_choices(datasets)
    for key, raw in params.items():
        values = [raw] if isinstance(raw, str) else list(raw)
        if key in unavailable:
            notices.append(f"URL parameter '{key}' does not apply: this dataset has no {key} column; ignored.")
        elif key in NUMBER_KEYS:
            continue  # checked against what the widget resolved, or a plain true/false toggle
        elif key in PAGE_KEYS:
            continue  # checked by the page that reads it
        elif key == StateKeys.DATASET and UPLOAD_ID.fullmatch(values[-1]) and values[-1] not in datasets:
            notices.append(f"URL parameter 'dataset={values[-1]}': no upload with this id on this server "
                           "(it may have been removed); showing the demo.")
        elif key in choices:
            bad = [v for v in values if v not in choices[key].options]
            if bad:
                choice = choices[key]
                notices.append(_bad_value(key, bad[-1], f"one of {', '.join(choice.options)}", choice.default))
        elif key in filter_options:
            # Streamlit reads one value per repeated key (?platform=a&platform=b); a
            # comma inside a value is part of that value, so say how to write it.
            bad = [v for v in values if v and v not in filter_options[key]]
            if bad:
                shown = ", ".join(map(repr, bad))
                hint = f" (several values: repeat the key, {key}=a&{key}=b)" if any("," in v for v in bad) else ""
                notices.append(f"URL parameter '{key}': no such value {shown} in this dataset; ignored{hint}.")
        elif key not in STREAMLIT_PARAMS:
            notices.append(f"Unknown URL parameter '{key}' removed.")
    return notices


def unknown_params(params: Mapping[str, object], filter_keys: Sequence[str]) -> list[str]:
    """URL keys that no widget reads (and that Streamlit does not use itself)."""
    known = (set(single_choices()) | NUMBER_KEYS | PAGE_KEYS
             | set(filter_keys) | STREAMLIT_PARAMS)
    return [key for key in params if key not in known]


def _bad_value(key: str, value: str, expected: str, default: str) -> str:
    shown = value if len(value) <= 40 else value[:37] + "…"
    return f"URL parameter '{key}={shown}' is not valid (expected {expected}); using {default}."


def band_notices(params: Mapping[str, str | list[str]], resolved: Mapping[str, int | None],
                 minimum: int = 1) -> list[str]:
    """A notice for each band edge in the URL that the widget did not take as written.

    Compares the URL text with the value the number input resolved, instead of
    guessing how Streamlit parses, clamps or drops it.
    """
    notices = []
    for key, value in resolved.items():
        raw = params.get(key)
        if raw is None:
            continue
        text = raw if isinstance(raw, str) else raw[-1]
        if value is None or text != str(value):
            using = f"{value:,}" if value is not None else "the default"
            expected = f"a whole number of followers from {minimum} to {MAX_FOLLOWERS:,}"
            notices.append(_bad_value(key, text, expected, using))
    return notices


def resolve_trend_range(low: float | None, high: float | None) -> tuple[tuple[float, float] | None, list[str]]:
    """The follower range to fit the trend on (None: all creators) and any notice about fixing it.

    A blank end is open. Reversed ends are swapped; equal ends fit everyone, with a notice.
    """
    if low is None and high is None:
        return None, []
    lo, hi = float(low or 0), float(high) if high is not None else math.inf
    if lo == hi:
        return None, [f"Trend range {lo:,.0f}–{hi:,.0f} is empty; fitting every creator."]
    if lo > hi:
        return (hi, lo), [f"Trend range ends were reversed; fitting {hi:,.0f}–{lo:,.0f}."]
    return (lo, hi), []


def resolve_band(low: int | float | None, high: int | float | None) -> tuple[tuple[int, int], list[str]]:
    """A usable ``[low, high)`` sweet-spot band and any notice about fixing it."""
    if low is None or high is None:
        return DEFAULT_BAND, ["Sweet-spot band incomplete; using 25K–50K."]
    lo, hi = int(low), int(high)
    if lo == hi:
        return DEFAULT_BAND, [f"Sweet-spot band {lo:,}–{hi:,} is empty; using 25K–50K."]
    if lo > hi:
        return (hi, lo), [f"Sweet-spot band edges were reversed; showing {hi:,}–{lo:,}."]
    return (lo, hi), []
