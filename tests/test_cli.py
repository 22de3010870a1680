"""The command line's JSON contract and its error behaviour, run as a real subprocess."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.summary import tier_summary
from analysis.sweet_spot import sweet_spot_test
from analysis.trend import fit_trend

TIER_KEYS = {"segment", "tier", "min_followers", "max_followers", "n", "median_er", "median_ci",
             "mean_er", "mean_ci", "pooled_er", "pooled_ci"}
EXTRA_KEYS = {"n_creators"}  # beyond the contract: creators counted whether or not they have an ER


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False,
                          timeout=120)


def test_json_contract(creators_csv, creators):
    done = run_cli("report", str(creators_csv), "--scheme", "mediakix", "--level", "0.9", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["rows"]["total"] == report["rows"]["loaded"] == len(creators)
    assert report["rows"]["rejected"] == 0
    assert (report["scheme"], report["level"], report["definition"]) == ("mediakix", 0.9, "by_followers")
    expected = tier_summary(creators, scheme="mediakix", level=0.9)
    assert [t["tier"] for t in report["tiers"]] == list(expected["tier"])
    for row, exp in zip(report["tiers"], expected.itertuples(), strict=True):
        assert set(row) == TIER_KEYS | EXTRA_KEYS
        assert row["segment"] is None and row["n"] == exp.n
        assert row["median_er"] == pytest.approx(exp.median_er)
        assert row["median_ci"] == pytest.approx([exp.median_ci_low, exp.median_ci_high])
        assert row["mean_ci"] == pytest.approx([exp.mean_ci_low, exp.mean_ci_high])
        assert row["pooled_er"] == pytest.approx(exp.pooled_er)
        assert row["pooled_ci"] == pytest.approx([exp.pooled_ci_low, exp.pooled_ci_high])
        assert row["min_followers"] is None or isinstance(row["min_followers"], int)


def test_json_by_segment_and_nulls_for_too_few(creators_csv):
    report = json.loads(run_cli("report", str(creators_csv), "--by", "platform", "--format", "json").stdout)
    assert {t["segment"] for t in report["tiers"]} == {"instagram", "tiktok", "youtube"}
    small = [t for t in report["tiers"] if t["n"] < 6]
    assert all(t["median_ci"] is None for t in small)


def test_csv_and_text_formats(creators_csv, creators):
    csv = run_cli("report", str(creators_csv), "--format", "csv")
    table = pd.read_csv(io.StringIO(csv.stdout))
    assert table["n"].sum() == len(creators)
    text = run_cli("report", str(creators_csv), "--level", "99")
    assert text.returncode == 0 and "99% intervals" in text.stdout and "Median 99% CI" in text.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("report", "does-not-exist.csv"),
        ("report", "{csv}", "--scheme", "nope"),
        ("report", "{csv}", "--level", "1.5"),
        ("report", "{csv}", "--by", "planet"),
        ("report", "{bad}"),
        ("report",),
    ],
)
def test_bad_input_is_one_line_without_traceback(args, creators_csv, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02")
    argv = [a.format(csv=creators_csv, bad=bad) for a in args]
    done = run_cli(*argv)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_map_posts_and_accounting_in_json(tmp_path):
    accounts, posts = tmp_path / "a.csv", tmp_path / "p.jsonl"
    accounts.write_text("who,zzz\n@ana,1000\nbo,2000\nbo,2000\n", encoding="utf-8")
    posts.write_text('{"username": "ana", "likes": 10, "comments": 2}\n'
                     '{"username": "ANA", "likes": 30, "comments": 4}\nnot json\n', encoding="utf-8")
    done = run_cli("report", str(accounts), "--map", "followers=zzz", "--map", "handle=who", "--posts", str(posts),
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["mapping"] == {"followers": "zzz", "handle": "who"}
    assert report["rows"] | {"rejected_reasons": None} == {"total": 3, "loaded": 2, "rejected": 1, "creators": 2,
                                                           "rejected_reasons": None, "flagged": 0}
    assert list(report["rows"]["rejected_reasons"]) == ["duplicate creator (kept row … under the 'first' policy)"]
    assert any("1 posts without an account" in d or "accounts without posts" in d for d in report["decisions"])
    nano = next(t for t in report["tiers"] if t["tier"] == "nano")
    assert nano["n_creators"] == 2 and nano["n"] == 1  # bo has no posts, so no rate
    assert nano["median_er"] == pytest.approx((20 + 3) / 1000)  # ana: mean likes 20 + mean comments 3


def test_bad_map_is_one_line(tmp_path, creators_csv):
    done = run_cli("report", str(creators_csv), "--map", "followers=nope")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no column 'nope'" in done.stderr


REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real datasets not present")
def test_real_file_through_the_command_line():
    done = run_cli("report", str(REAL / "youtube-top1000" / "youtubers_df.csv"), "--format", "json")
    report = json.loads(done.stdout)
    assert report["rows"]["total"] == 1000 and report["rows"]["loaded"] == 994 and report["rows"]["rejected"] == 6
    assert report["mapping"]["followers"] == "Suscribers"
    assert sum(t["n_creators"] for t in report["tiers"]) == 994


def test_json_sweet_spot_trend_bins_and_value(creators_csv, creators):
    done = run_cli("report", str(creators_csv), "--format", "json", "--bins", "6", "--band", "20000", "60000",
                   "--cost-per-10k", "150", "--trend", "theil-sen")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    spot = report["sweet_spot"]
    assert {"band", "neighbours", "diff_median", "diff_ci", "p_value", "verdict"} <= set(spot)
    expected = sweet_spot_test(creators, (20_000, 60_000))
    assert spot["band"] == [20_000, 60_000] and spot["verdict"] == expected.verdict
    assert spot["diff_median"] == pytest.approx(expected.diff_median)
    trend = report["trend"]
    assert trend["method"] == "theil-sen" and trend["slope_ci"][0] <= trend["slope"] <= trend["slope_ci"][1]
    assert trend["change_per_doubling"] == pytest.approx(2 ** trend["slope"] - 1)
    assert len(report["bins"]) == 6 and sum(b["n_creators"] for b in report["bins"]) == len(creators)
    assert set(report["bins"][0]) == {"bin_low", "bin_high", *(TIER_KEYS - {"segment", "tier", "min_followers",
                                                                           "max_followers"}), "n_creators"}
    value = report["value"]
    assert value["cost_model"].startswith("$150 per 10K followers")
    assert value["best"] in {t["tier"] for t in value["tiers"]}


def test_json_trend_on_a_follower_range(creators_csv, creators):
    report = json.loads(run_cli("report", str(creators_csv), "--format", "json", "--trend-range", "1000", "inf").stdout)
    trend, expected = report["trend"], fit_trend(creators, followers_range=(1_000, math.inf))
    assert trend["followers_range"] == [1_000, None] and trend["n_outside"] == expected.n_outside > 0
    assert trend["slope"] == pytest.approx(expected.slope) and "fitted on ≥ 1K followers" in trend["text"]


def test_json_segments_repeat_test_and_trend(creators_csv):
    report = json.loads(run_cli("report", str(creators_csv), "--by", "platform", "--format", "json").stdout)
    assert [s["segment"] for s in report["segments"]] == ["instagram", "tiktok", "youtube"]
    assert all({"sweet_spot", "trend"} <= set(s) for s in report["segments"])


@pytest.mark.parametrize("args", [("--bins", "0"), ("--bins", "x"), ("--band", "50000", "25000"),
                                  ("--cost-per-10k", "-5"), ("--trend-range", "5000", "100")])
def test_bad_statistics_options_are_one_line(creators_csv, args):
    done = run_cli("report", str(creators_csv), *args)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_interval_methods_are_chosen_on_the_command_line(creators_csv, creators):
    done = run_cli("report", str(creators_csv), "--format", "json", "--mean-method", "t", "--pooled-method", "delta")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["interval_methods"] == {"mean": "t", "pooled": "delta"}
    expected = tier_summary(creators, mean_method="t", pooled_method="delta")
    default = tier_summary(creators)
    for row, exp, auto in zip(report["tiers"], expected.itertuples(), default.itertuples(), strict=True):
        if row["mean_ci"] is None:
            continue
        assert row["mean_ci"] == pytest.approx([exp.mean_ci_low, exp.mean_ci_high])
        if row["n"] >= 30:  # the Student-t interval is symmetric about the mean; the default is not
            low, high = row["mean_ci"]
            assert high - row["mean_er"] == pytest.approx(row["mean_er"] - low)
            assert (low, high) != pytest.approx((auto.mean_ci_low, auto.mean_ci_high))
    bad = run_cli("report", str(creators_csv), "--mean-method", "magic")
    assert bad.returncode == 2 and "magic" in bad.stderr
