"""The bundled samples: the messy variant holds the clean villages, less the four broken on purpose."""

import subprocess
import sys

import pandas as pd
from conftest import SAMPLES, found, run

from kuaidi_cli.core.fields import Kind

CANONICAL = ["county", "township", "village", "code", "population", "distance_km", "in_village",
             "in_village_since", "reached", "reached_since", "mode"]
# scripts/make_samples.py, BROKEN: rows 11, 316, 914 and 1511 of villages_messy.csv
BROKEN = {"410212101203": ("bad-number", 11, "人口数(人)"), "410212210225": ("negative-value", 316, "距乡镇驻地距离(公里)"),
          "410222101200": ("bad-date", 914, "设点时间"), "410223109232": ("bad-yes-no", 1511, "是否通达")}


def test_clean_samples_have_no_findings(rules):
    villages = run(SAMPLES / "villages.csv", rules)
    outlets = run(SAMPLES / "outlets.csv", rules, Kind.OUTLETS)
    assert villages.findings == [] and outlets.findings == []
    assert len(villages.frame) == 2137  # the 村委会 of the five rural units, 2021 edition
    assert villages.frame["code"].is_unique


def test_messy_sample_is_the_clean_one_less_the_broken_rows(rules):
    clean = run(SAMPLES / "villages.csv", rules).frame
    messy = run(SAMPLES / "villages_messy.csv", rules)
    expected = clean[~clean["code"].isin(BROKEN)][CANONICAL].sort_values("code").reset_index(drop=True)
    got = messy.frame[CANONICAL].sort_values("code").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    errors = found(messy, "error")
    assert errors == set(BROKEN.values())
    c = messy.files[0].counts
    # 2137 villages + 1 pasted twice + 5 subtotals + 合计 + 4 blank rows between counties + 1 note = 2149
    # the 4 broken rows are broken only in cells of figures (人口, 距离, 设点时间, 是否通达): uncertain, counted
    assert (c.rows, c.valid, c.uncertain, c.invalid, c.total, c.blank, c.duplicate, c.note) == \
        (2149, 2133, 4, 0, 6, 4, 1, 1)


def test_the_installed_command_runs(tmp_path):
    """One real process, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "kuaidi_cli", "check", str(SAMPLES / "villages_messy.csv")],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1
    assert "行数 2149 = 有效 2133 + 待核实 4 + 无效 0 + 跳过 12" in proc.stdout
    assert proc.stderr == ""
