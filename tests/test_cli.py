"""The command line's JSON contract and its error behaviour, run as a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.summary import tier_summary

TIER_KEYS = {"segment", "tier", "min_followers", "max_followers", "n", "median_er", "median_ci",
             "mean_er", "mean_ci", "pooled_er"}
EXTRA_KEYS = {"n_creators"}  # beyond the contract: creators counted whether or not they have an ER


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=False,
                          timeout=120)


@pytest.fixture
def creators_csv(tmp_path: Path, creators: pd.DataFrame) -> Path:
    path = tmp_path / "creators.csv"
    creators.to_csv(path, index=False)
    return path


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
