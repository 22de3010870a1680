"""The Sweet spot page's controls and cached computations: cost model, budget, value by band.

The cost model lives in the URL. Rate, floor and budget are number inputs bound
to query parameters; the per-tier price table is a data editor, which cannot be
bound, so its canonical value is one parameter written here in the scheme's tier
order, ``prices=nano:50,micro:400`` (blank tiers use the rate). Values a link
holds that cannot be used are named in a warning under the control they feed.
Cached functions take hashable view parts, as in :mod:`ui.stats`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd
import streamlit as st

from analysis.cost import CostModel
from analysis.format import follower_range, money
from analysis.sweet_spot import SweetSpot, band_medians
from analysis.tiers import Tier, get_scheme
from analysis.value import band_value, budget_plan
from ui.data import filtered_frame
from ui.state import DEFAULT_BUDGET, DEFAULT_COST_FLOOR, DEFAULT_COST_RATE, Filters, Source, StateKeys, View

_BIND: Final = "query-params"
PRICE_COLUMN: Final = "Price per post ($)"
#: Most unusable ``prices`` entries quoted in a notice.
_QUOTED: Final = 3


def parse_prices(text: str, tiers: Sequence[str]) -> tuple[dict[str, float], list[str]]:
    """Prices by tier name from ``"nano:50,micro:400"``, and the entries that could not be used.

    Names match the scheme's ``tiers`` ignoring case; a price is dollars, 0 or more (a leading "$" is
    allowed), kept to the cent. The result is in tier order; a repeated tier keeps its last price.
    """
    by_name = {tier.casefold(): tier for tier in tiers}
    prices: dict[str, float] = {}
    unusable = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, amount = item.rpartition(":")
        tier, price = by_name.get(name.strip().casefold()), _dollars(amount) if sep else None
        if tier is None or price is None:
            unusable.append(item)
        else:
            prices[tier] = price
    return {tier: prices[tier] for tier in tiers if tier in prices}, unusable


def prices_param(prices: Mapping[str, float]) -> str:
    """The canonical ``prices`` value (empty: no tier has its own price)."""
    return ",".join(f"{tier}:{_plain(price)}" for tier, price in prices.items())


def prices_notice(unusable: Sequence[str], scheme: str, tiers: Sequence[str]) -> str:
    """A warning naming the ``prices`` parameter, what in it was ignored and how to write it."""
    quoted = ", ".join(repr(item if len(item) <= 30 else item[:27] + "…") for item in unusable[:_QUOTED])
    more = f" and {len(unusable) - _QUOTED} more" if len(unusable) > _QUOTED else ""
    return (f"URL parameter '{StateKeys.PRICES}': ignored {quoted}{more}. Write tier:price pairs separated by "
            f"commas, prices in dollars (0 or more), tiers of the {scheme} scheme: {', '.join(tiers)}.")


def amount_notices(raw: Mapping[str, list[str]], resolved: Mapping[str, float], expected: str) -> list[str]:
    """A notice for each dollar amount in the link that its number input did not take as written."""
    notices = []
    for key, value in resolved.items():
        if not raw.get(key):
            continue
        text = raw[key][-1]
        if _number(text) != value:
            shown = text if len(text) <= 40 else text[:37] + "…"
            notices.append(f"URL parameter '{key}={shown}' is not valid (expected {expected}); using {money(value)}.")
    return notices


def page_params() -> dict[str, list[str]]:
    """The page's own URL values as written, read before their widgets validate (and drop) them."""
    return {key: st.query_params.get_all(key) for key in (StateKeys.COST_RATE, StateKeys.COST_FLOOR,
                                                            StateKeys.BUDGET, StateKeys.PRICES)}


def cost_inputs(view: View, raw: Mapping[str, list[str]]) -> CostModel:
    """Rate, floor and the per-tier price table (all in the URL); warns about unusable link values."""
    left, right = st.columns(2)
    rate = left.number_input("Rate per 10K followers ($)", min_value=0.0, max_value=1e6, value=DEFAULT_COST_RATE,
                             step=10.0, format="%.2f", key=StateKeys.COST_RATE, bind=_BIND,
                             help="A post costs this much per 10,000 followers (about $100 is the quoted rule).")
    floor = right.number_input("Floor ($ per post)", min_value=0.0, max_value=1e7, value=DEFAULT_COST_FLOOR,
                               step=10.0, format="%.2f", key=StateKeys.COST_FLOOR, bind=_BIND,
                               help="No post costs less than this, whatever the creator's following.")
    tiers = get_scheme(view.scheme).all_tiers()
    names = [tier.name for tier in tiers]
    given, unusable = parse_prices(_link_prices(raw), names)
    with st.expander("Prices per tier (optional)", expanded=bool(given)):
        st.caption("A price here replaces the rate and the floor for every creator in that tier; leave it blank "
                   "to use the rate. The table is kept in the link as one parameter, prices=tier:price,….")
        prices = _price_editor(tiers, given, view.scheme)
    _write_prices(prices, (raw.get(StateKeys.PRICES) or [""])[-1])
    notices = amount_notices(raw, {StateKeys.COST_RATE: rate, StateKeys.COST_FLOOR: floor},
                             "a dollar amount of 0 or more")
    if unusable:
        notices.append(prices_notice(unusable, view.scheme, names))
    if notices:
        st.warning("  \n".join(notices), icon=":material/link:")
    return CostModel(rate_per_10k=float(rate), floor=float(floor), prices=_priced_ranges(tiers, prices))


def _priced_ranges(tiers: Sequence[Tier], prices: Mapping[str, float]) -> tuple[tuple[float, float, float], ...]:
    """(min, max, price) follower ranges for :class:`CostModel`; an open end is 0 or infinity."""
    return tuple((float(t.min_followers or 0), float(t.max_followers or math.inf), prices[t.name])
                 for t in tiers if t.name in prices)


def _link_prices(raw: Mapping[str, list[str]]) -> str:
    # Streamlit's page navigation clears the query string; bound inputs come back from the session when the
    # analyst returns, and so does this unbound table (a new session has no record: the link decides).
    if raw.get(StateKeys.PRICES):
        return raw[StateKeys.PRICES][-1]
    record = st.session_state.get(StateKeys.PRICE_EDITOR)
    return prices_param(record["shown"]) if record else ""


def price_editor_key(generation: int) -> str:
    """The editor's widget key: a new generation whenever the link's prices change from outside the editor."""
    return f"{StateKeys.PRICE_EDITOR}-{generation}"


def _price_editor(tiers: Sequence[Tier], given: dict[str, float], scheme: str) -> dict[str, float]:
    # Edits accumulate in the editor against the table it was first drawn with (its "base"). The editor is
    # drawn afresh from the link when the link changed elsewhere (another scheme, history navigation) or
    # when its edits are gone (Streamlit drops them while another page is open).
    record = st.session_state.get(StateKeys.PRICE_EDITOR)
    if (record is None or record["scheme"] != scheme or record["shown"] != given
            or price_editor_key(record["generation"]) not in st.session_state):
        generation = 0 if record is None else record["generation"] + 1
        record = {"scheme": scheme, "base": given, "shown": given, "generation": generation}
        st.session_state[StateKeys.PRICE_EDITOR] = record
    rows = pd.DataFrame({"Tier": [t.name for t in tiers],
                         "Followers": [follower_range(t.min_followers, t.max_followers) for t in tiers],
                         PRICE_COLUMN: [record["base"].get(t.name, np.nan) for t in tiers]})
    edited = st.data_editor(
        rows, key=price_editor_key(record["generation"]), hide_index=True, num_rows="fixed", width="stretch",
        disabled=["Tier", "Followers"],
        column_config={PRICE_COLUMN: st.column_config.NumberColumn(min_value=0.0, step=1.0, format="dollar",
                                                                    help="Blank: use the rate.")})
    prices = {str(tier): round(float(p), 2) for tier, p in zip(edited["Tier"], edited[PRICE_COLUMN], strict=True)
              if p is not None and math.isfinite(float(p)) and float(p) >= 0}
    record["shown"] = prices
    return prices


def _write_prices(prices: Mapping[str, float], current: str) -> None:
    text = prices_param(prices)
    if text and text != current:
        st.query_params[StateKeys.PRICES] = text
    elif not text and StateKeys.PRICES in st.query_params:
        del st.query_params[StateKeys.PRICES]


def budget_input(raw: Mapping[str, list[str]]) -> int:
    """The campaign budget in whole dollars (in the URL); warns about an unusable link value."""
    budget = st.number_input("Budget ($)", min_value=1, max_value=10**10, value=DEFAULT_BUDGET, step=1_000,
                             key=StateKeys.BUDGET, bind=_BIND)
    notices = amount_notices(raw, {StateKeys.BUDGET: budget}, "a whole number of dollars, 1 or more")
    if notices:
        st.warning("  \n".join(notices), icon=":material/link:")
    return int(budget)


def _parts(view: View) -> tuple[Source, Filters, str, bool]:
    return view.source, view.filters, view.sponsored, view.exclude_flagged


def value_for(view: View, model: CostModel) -> pd.DataFrame:
    """Cost per engagement and engagements per $1,000 for each tier of the view's scheme."""
    return _value(*_parts(view), model, view.scheme, view.definition, view.level)


@st.cache_data(show_spinner="Pricing each band…", max_entries=32)
def _value(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, model: CostModel, scheme: str,
           definition: str, level: float) -> pd.DataFrame:
    frame = filtered_frame(source, filters, sponsored, exclude_flagged)
    return band_value(frame, model, scheme=scheme, definition=definition, level=level)


def plan_for(view: View, model: CostModel, budget: int) -> pd.DataFrame:
    """What ``budget`` buys in each tier of the view's scheme."""
    return _plan(*_parts(view), model, budget, view.scheme, view.definition, view.level)


@st.cache_data(show_spinner="Planning the budget…", max_entries=32)
def _plan(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, model: CostModel, budget: int,
          scheme: str, definition: str, level: float) -> pd.DataFrame:
    frame = filtered_frame(source, filters, sponsored, exclude_flagged)
    return budget_plan(frame, model, budget, scheme=scheme, definition=definition, level=level)


def spot_medians_for(view: View, spot: SweetSpot) -> pd.DataFrame:
    """Median ER with its interval and n: the band, each neighbour, and the neighbours pooled (as tested)."""
    return _spot_medians(*_parts(view), spot.band, spot.neighbours, view.definition, view.level)


@st.cache_data(show_spinner="Summarising the band…", max_entries=32)
def _spot_medians(source: Source, filters: Filters, sponsored: str, exclude_flagged: bool, band: tuple[float, float],
                  neighbours: tuple[tuple[float, float], ...], definition: str, level: float) -> pd.DataFrame:
    return band_medians(filtered_frame(source, filters, sponsored, exclude_flagged), band, neighbours, definition,
                        level)


def _dollars(text: str) -> float | None:
    value = _number(text.strip().removeprefix("$"))
    return round(value, 2) if math.isfinite(value) and value >= 0 else None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _plain(price: float) -> str:
    return f"{price:.0f}" if float(price).is_integer() else f"{price:.2f}".rstrip("0")
