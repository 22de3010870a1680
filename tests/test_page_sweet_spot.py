"""AppTest for the Sweet spot & cost page: verdict, cost model in the URL, value per band, budget planner.

Numbers are checked against independent computations on the demo file: the sweet-spot test called directly,
and engagements per $1,000 as a plain pandas ratio of sums.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis.format import percent, quantity
from analysis.loading import load_creators
from analysis.sweet_spot import sweet_spot_test
from tests.apptest import page, warnings_text
from ui.data import DEMO_PATH
from ui.value_view import PRICE_COLUMN, amount_notices, parse_prices, price_editor_key, prices_param

PAGE = "pages/3_Sweet_spot.py"
AMOUNT_KEYS = ("cost_rate", "cost_floor", "budget")
SEED_TIERS = ["under 100", "nano", "micro", "macro", "mega"]
SEED_RANGES = {"under 100": (0, 100), "nano": (100, 10_000), "micro": (10_000, 100_000),
               "macro": (100_000, 1_000_000), "mega": (1_000_000, math.inf)}


@pytest.fixture(scope="module")
def demo():
    at = page(PAGE).run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def creators() -> pd.DataFrame:
    """The demo as a plain frame with each creator's engagements per post (likes + comments + shares)."""
    frame = pd.read_parquet(DEMO_PATH)
    return frame.assign(engagements=frame["likes"] + frame["comments"] + frame["shares"])


#: A column only that table has, and its row names (AppTest does not report a read-only table's key).
TABLES = {"spot_table": ("Creators with ER", "Compared"), "value_table": ("Engagements per $1,000", "Band"),
          "plan_table": ("Creators it buys", "Band")}


def table(at, name: str) -> pd.DataFrame:
    column, rows = TABLES[name]
    found: list[pd.DataFrame] = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, name
    return found[0].set_index(rows)


def number(text: str) -> float:
    """'21,809' or '$0.0459' as a number."""
    return float(text.replace("$", "").replace(",", ""))


def band_oracle(creators: pd.DataFrame, tier: str, price) -> tuple[int, float, float]:
    """n, mean price per post and engagements per $1,000 of a band: ``price(followers)`` per post."""
    low, high = SEED_RANGES[tier]
    part = creators[(creators["followers"] >= low) & (creators["followers"] < high)]
    cost = price(part["followers"].astype(float))
    return len(part), float(cost.mean()), 1000 * part["engagements"].sum() / float(cost.sum())


def test_page_runs_on_the_demo_with_every_section(demo):
    assert demo.title[0].value == "Sweet spot & cost" and not demo.warning
    assert len(demo.dataframe) == 4 and len(demo.data_editor) == 1  # three tables and the price editor
    assert [(n.key, n.value) for n in demo.number_input if n.key in AMOUNT_KEYS] == [
        ("cost_rate", 100.0), ("cost_floor", 0.0), ("budget", 10_000)]
    editor = demo.data_editor(key=price_editor_key(0)).value
    assert list(editor["Tier"]) == SEED_TIERS and editor[PRICE_COLUMN].isna().all()
    assert list(table(demo, "value_table").index) == SEED_TIERS
    chart = json.loads(demo.get("plotly_chart")[0].proto.spec)
    assert chart["layout"]["xaxis"]["categoryarray"] == SEED_TIERS
    assert "Best value: under 100," in demo.success[1].value


def test_verdict_matches_the_sweet_spot_test_computed_directly(demo):
    spot = sweet_spot_test(load_creators(DEMO_PATH).frame, (25_000, 50_000), level=0.95)
    assert spot.verdict == "supported"
    assert demo.success[0].value == spot.verdict_text[0].upper() + spot.verdict_text[1:]
    medians = table(demo, "spot_table")
    assert number(medians.loc["band", "Creators with ER"]) == spot.n_band == 1_127
    assert number(medians.loc["neighbours pooled", "Creators with ER"]) == spot.n_neighbours
    assert medians.loc["band", "Median ER"] == percent(spot.median_band)
    assert medians.loc["neighbours pooled", "Median ER"] == percent(spot.median_neighbours)
    assert any("change **Sweet-spot band** in the sidebar" in c.value for c in demo.caption)


def test_value_per_band_matches_a_plain_ratio_of_sums(demo, creators):
    shown = table(demo, "value_table")
    for tier in SEED_TIERS:
        n, _, per_1000 = band_oracle(creators, tier, lambda f: 100 * f / 10_000)
        assert number(shown.loc[tier, "Creators"]) == n
        assert shown.loc[tier, "Engagements per $1,000"] == quantity(per_1000)
    assert number(shown.loc["micro", "Engagements per $1,000"]) == 3_349


def test_doubling_the_rate_halves_engagements_per_1000():
    at = page(PAGE).run()
    before = table(at, "value_table")
    at.number_input(key="cost_rate").set_value(200.0).run()
    assert not at.exception and any("Pricing $200 per 10K followers" in c.value for c in at.caption)
    after = table(at, "value_table")
    for tier in SEED_TIERS:  # shown rounded to whole engagements: half of a rounded number is within 1
        assert abs(number(after.loc[tier, "Engagements per $1,000"]) * 2
                   - number(before.loc[tier, "Engagements per $1,000"])) <= 1.5
        assert number(after.loc[tier, "Cost per engagement"]) == pytest.approx(
            2 * number(before.loc[tier, "Cost per engagement"]), rel=0.01)  # three significant digits


def test_a_tier_price_from_the_link_is_applied(demo, creators):
    at = page(PAGE, prices="micro:400").run()
    assert not at.exception and not at.warning
    editor = at.data_editor(key=price_editor_key(0)).value.set_index("Tier")
    assert editor.loc["micro", PRICE_COLUMN] == 400 and editor[PRICE_COLUMN].isna().sum() == 4
    shown, default = table(at, "value_table"), table(demo, "value_table")
    _, _, per_1000 = band_oracle(creators, "micro", lambda f: 0 * f + 400.0)
    assert shown.loc["micro", "Cost per post"] == "$400"
    assert shown.loc["micro", "Engagements per $1,000"] == quantity(per_1000)
    others = [c for c in shown.columns if c != "P(best buy)"]  # the other bands' own numbers do not move
    pd.testing.assert_frame_equal(shown.drop(index="micro")[others], default.drop(index="micro")[others])


@pytest.mark.parametrize(
    ("prices", "quoted", "kept"),
    [("nano=50,giga:5,micro:400", ["'nano=50'", "'giga:5'"], "micro:400"),
     ("<script>alert(1)</script>", ["'<script>alert(1)</script>'"], None),
     ("nano:-3,nano:abc,nano:", ["'nano:-3'", "'nano:abc'", "'nano:'"], None)],
)
def test_a_malformed_prices_value_is_named_in_a_warning(prices, quoted, kept):
    at = page(PAGE, prices=prices).run()
    assert not at.exception
    text = warnings_text(at)
    assert "URL parameter 'prices'" in text and all(q in text for q in quoted)
    assert "tiers of the seed scheme: under 100, nano, micro, macro, mega" in text
    assert at.query_params.get("prices") == kept  # the link now holds what is shown


def test_editing_the_price_table_writes_the_link():
    at = page(PAGE).run()
    key = price_editor_key(0)
    at.session_state[key] = {"edited_rows": {1: {PRICE_COLUMN: 50.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and at.query_params["prices"] == "nano:50"
    assert table(at, "value_table").loc["nano", "Cost per post"] == "$50.00"
    at.session_state[key] = {"edited_rows": {1: {PRICE_COLUMN: 50.0}, 2: {PRICE_COLUMN: 412.5}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert at.query_params["prices"] == "nano:50,micro:412.5"  # edits accumulate in one parameter


def test_budget_changes_the_plan(demo, creators):
    _, mean_cost, _ = band_oracle(creators, "micro", lambda f: 100 * f / 10_000)
    assert number(table(demo, "plan_table").loc["micro", "Creators it buys"]) == math.floor(10_000 / mean_cost) == 37
    at = page(PAGE).run()
    at.number_input(key="budget").set_value(50_000).run()
    plan = table(at, "plan_table")
    assert number(plan.loc["micro", "Creators it buys"]) == math.floor(50_000 / mean_cost) == 186
    assert number(plan.loc["micro", "Spend"]) == pytest.approx(186 * mean_cost, abs=0.5)
    assert plan.loc["mega", "Note"] == "budget buys no post at this price"


def test_a_link_with_every_key_reproduces_the_numbers():
    at = page(PAGE).run()
    at.number_input(key="cost_rate").set_value(150.0)
    at.number_input(key="cost_floor").set_value(20.0)
    at.number_input(key="budget").set_value(25_000)
    at.session_state[price_editor_key(0)] = {"edited_rows": {2: {PRICE_COLUMN: 300.0}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    link = {"cost_rate": "150", "cost_floor": "20", "budget": "25000", "prices": at.query_params["prices"]}
    fresh = page(PAGE, **link).run()
    assert not fresh.exception and not fresh.warning and link["prices"] == "micro:300"
    for key in ("spot_table", "value_table", "plan_table"):
        pd.testing.assert_frame_equal(table(fresh, key), table(at, key))
    assert fresh.success[1].value == at.success[1].value


def test_bad_amounts_in_the_link_are_named_and_the_defaults_used():
    at = page(PAGE, cost_rate="abc", cost_floor="-5", budget="0").run()
    assert not at.exception
    text = warnings_text(at)
    assert "cost_rate=abc" in text and "cost_floor=-5" in text and "budget=0" in text
    assert [n.value for n in at.number_input if n.key in AMOUNT_KEYS] == [100.0, 0.0, 10_000]


def test_other_pages_keep_the_page_keys_without_a_warning():
    link = {"cost_rate": "200", "cost_floor": "5", "prices": "nano:50", "budget": "5000"}
    at = page("pages/2_Tiers.py", **link).run()
    assert not at.exception and not at.warning
    assert {key: at.query_params[key] for key in link} == link


def test_too_few_creators_in_the_band_says_what_to_do():
    at = page(PAGE, band_lo="5000000", band_hi="8000000").run()
    assert not at.exception
    assert at.warning[0].value.startswith("Inconclusive at 95%: too few creators")
    assert any("Widen the band in the sidebar" in i.value for i in at.info)


def test_free_posts_leave_no_best_buy_and_say_why():
    at = page(PAGE, cost_rate="0").run()
    assert not at.exception and not at.get("plotly_chart")
    assert any("none can be called the best buy" in i.value for i in at.info)


# --- the URL rules behind the page -------------------------------------------------------------------------

def test_prices_parse_in_tier_order_and_round_trip():
    prices, bad = parse_prices(" Micro:400 , nano:5,nano:$12.5,,mega:1e3", SEED_TIERS)
    assert prices == {"nano": 12.5, "micro": 400.0, "mega": 1000.0} and bad == []
    assert list(prices) == ["nano", "micro", "mega"]  # tier order; a repeated tier keeps its last price
    assert prices_param(prices) == "nano:12.5,micro:400,mega:1000"
    assert parse_prices("nano:0.125", SEED_TIERS)[0] == {"nano": 0.12}  # kept to the cent
    assert parse_prices(prices_param({"nano": 12.5}), SEED_TIERS) == ({"nano": 12.5}, [])


@pytest.mark.parametrize("item", ["nano", "nano=5", "giga:5", "nano:-1", "nano:nan", "nano:inf", ":5"])
def test_unusable_price_entries_are_returned(item):
    assert parse_prices(f"micro:400,{item}", SEED_TIERS) == ({"micro": 400.0}, [item])


def test_amount_notices_compare_the_link_with_the_resolved_value():
    raw = {"cost_rate": ["150"], "cost_floor": ["1e1"], "budget": ["x" * 60]}
    assert amount_notices(raw, {"cost_rate": 150.0, "cost_floor": 10.0}, "dollars") == []
    notes = amount_notices(raw, {"budget": 10_000}, "dollars")
    assert len(notes) == 1 and "using $10,000" in notes[0] and len(notes[0]) < 150


def test_prices_survive_a_visit_to_another_page():
    at = page("app.py").switch_page(PAGE).run()
    at.session_state[price_editor_key(0)] = {"edited_rows": {1: {PRICE_COLUMN: 50.0}}, "added_rows": [],
                                             "deleted_rows": []}
    at.run()
    assert at.query_params["prices"] == "nano:50"
    at.switch_page("pages/2_Tiers.py").run()
    assert not at.exception and not at.warning and at.query_params["prices"] == "nano:50"
    del at.query_params["prices"]  # as a browser's page navigation does (bound inputs return from the session)
    at.switch_page(PAGE).run()
    assert not at.exception and not at.warning and at.query_params["prices"] == "nano:50"
    assert table(at, "value_table").loc["nano", "Cost per post"] == "$50.00"
    editor = at.data_editor[0].value.set_index("Tier")
    assert editor.loc["nano", PRICE_COLUMN] == 50
