"""`kuaidi report`: golden JSON for the samples, the contract, an independent recount, the CLI."""

import csv
import json
import os
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SAMPLES, recount
from typer.testing import CliRunner

from kuaidi_cli.cli import app

runner = CliRunner()
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_ARGS = ["--villages", str(SAMPLES / "villages.csv"), "--outlets", str(SAMPLES / "outlets.csv")]


def invoke(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


# the JSON of the samples' report at each as-of date, made once in a process and read by every test that
# asks for it (they only read it: each gets its own parsed copy)
_PRINTED: dict[str, str] = {}


def report_stdout(as_of: str) -> str:
    if as_of not in _PRINTED:
        result = invoke("report", *SAMPLE_ARGS, "--as-of", as_of, "--format", "json")
        assert result.exit_code == 0, result.output
        _PRINTED[as_of] = result.stdout
    return _PRINTED[as_of]


def report_json(as_of: str) -> dict:
    return json.loads(report_stdout(as_of))


def normalised(data: dict) -> dict:
    data = dict(data)
    data["generated_at"] = "<generated_at>"
    assert len(data["rules"]["sha256"]) == 64
    data["rules"] = {**data["rules"], "sha256": "<sha256 of rules/targets.yaml>"}  # changes with every edit
    def here(path: str) -> str:  # (the checkout's own place is no part of the figures)
        return Path(path).relative_to(ROOT).as_posix()

    data["inputs"] = [{**i, "path": here(i["path"])} for i in data["inputs"]]
    data["attention"] = [{**a, "file": here(a["file"]) if a.get("file") else a.get("file")}
                         for a in data["attention"]]
    def files(part: dict) -> dict:
        return {**part, "files": [here(f) for f in part["files"]]}

    for key in ("submissions", "township_submissions"):
        data[key] = [{**files(s), "outlets": s["outlets"] and files(s["outlets"])} for s in data[key]]
    return data


@pytest.mark.parametrize("as_of", ["2021-12-31", "2022-12-31"])
def test_golden_json(as_of):
    got = normalised(report_json(as_of))
    path = GOLDEN / f"report-{as_of}.json"
    if os.environ.get("KUAIDI_REGEN_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


SUMMARY_KEYS = {"villages", "priority_villages", "in_village", "priority_in_village", "reached", "reach_rate",
                "priority_in_village_rate", "in_village_rate", "outlets", "modes", "priority_unknown"}


def test_json_follows_the_contract():
    data = report_json("2021-12-31")
    assert set(data) == {"schema", "as_of", "generated_at", "rules", "inputs", "summary", "targets", "counties",
                         "townships", "attention", "scope", "samples", "submissions",
                         # added (issue 20): what no county or township row holds, and 报送情况 by township
                         "counties_unassigned", "townships_unassigned", "township_submissions"}
    assert data["schema"] == "kuaidi.report/1" and data["as_of"] == "2021-12-31"
    assert data["scope"] == {"level": "city", "name": "开封市", "counties": ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"],
                             "township": None}
    assert data["samples"] is False  # the sample files given by --villages/--outlets: not --samples
    assert [s["county"] for s in data["submissions"]] == ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"]
    assert all(set(s) == {"county", "files", "rows", "valid", "invalid", "errors", "latest", "submitted", "uncertain",
                          "outlets", "township"}  # (the last three added by issue 20)
               for s in data["submissions"])
    assert set(data["rules"]) == {"name", "sha256"}
    assert all(set(i) == {"path", "sha256", "rows", "invalid_rows", "uncertain_rows"} for i in data["inputs"])
    assert set(data["summary"]) == SUMMARY_KEYS
    assert set(data["summary"]["outlets"]) == {"park", "township_station", "village_point"}
    target_keys = {"id", "kind", "metric", "target", "due", "value", "status", "gap", "undecided", "unsubmitted",
                   "outlets_missing"}
    assert all(set(t) == target_keys for t in data["targets"])
    assert all(set(c) == SUMMARY_KEYS | {"county", "targets", "submitted"} for c in data["counties"])
    assert all(set(t) == target_keys for c in data["counties"] for t in c["targets"])
    assert all(set(t) == SUMMARY_KEYS | {"county", "township", "submitted"} for t in data["townships"])
    assert all(set(a) == {"code", "county", "township", "village", "priority_reasons", "in_village", "reached",
                          "priority_unknown", "missing", "file", "row", "undecided", "unreadable"}
               for a in data["attention"])
    for scope in [data["summary"], *data["counties"], *data["townships"]]:
        for key in ("reach_rate", "priority_in_village_rate", "in_village_rate"):
            assert scope[key] is None or 0 <= scope[key] <= 1
    assert {t["status"] for t in data["targets"]} <= {"met", "missed", "pending", "info", "no-data", "unverified",
                                                      "incomplete"}


@pytest.mark.parametrize("as_of", ["2021-12-31", "2022-12-31"])
def test_sample_figures_agree_with_an_independent_recount(as_of):
    s = report_json(as_of)["summary"]
    expected = recount(as_of)
    assert {k: s[k] for k in expected} == expected
    assert s["reach_rate"] == expected["reached"] / expected["villages"]


def test_table_shows_all_eight_targets_in_chinese_and_english():
    wide = {"COLUMNS": "160"}
    zh = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", env=wide)
    assert zh.exit_code == 0
    for target_id in ("focus-2500", "coverage-80", "priority-in-village-100", "reach-85", "reach-100", "parks-5",
                      "township-stations-79", "village-points-2129"):
        assert target_id in zh.stdout
    assert "达标" in zh.stdout and "未达标" in zh.stdout and "进行中" in zh.stdout
    assert "分县区" in zh.stdout and "合计" in zh.stdout and "待整改村" in zh.stdout
    # the official list's figures beside the count targets (2021 edition, five rural units)
    assert "区划中有 79 个乡镇级单位" in zh.stdout and "区划中有 2137 个村委会" in zh.stdout
    assert "范围内 2137 个行政村（村委会），分布在 79 个乡镇级单位；台账缺少其中 0 个" in zh.stdout
    en = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "--lang", "en", env=wide)
    assert "met" in en.stdout and "missed" in en.stdout and "pending" in en.stdout and "By county" in en.stdout


def test_fail_on_missed():
    # at 2021-12-31 the required priority-in-village-100 is missed
    assert invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "--fail-on", "missed").exit_code == 1
    # on 2021-06-30 no required target is due yet
    assert invoke("report", *SAMPLE_ARGS, "--as-of", "2021-06-30", "--fail-on", "missed").exit_code == 0
    # without --fail-on, a missed target is not an error
    assert invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31").exit_code == 0


def test_county_by_old_name_shows_its_townships():
    result = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "--county", "开封县")
    assert result.exit_code == 0, result.output
    assert "分乡镇" in result.stdout and "陈留镇" in result.stdout and "杞县" not in result.stdout
    assert "parks-5" not in result.stdout  # count targets are city-wide
    data = json.loads(invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "--county", "祥符区",
                             "--format", "json").stdout)
    assert [c["county"] for c in data["counties"]] == ["祥符区"]
    assert data["summary"]["villages"] == 336  # 祥符区's 村委会 in the 2021 edition


def test_township_and_unknown_names():
    result = invoke("report", *SAMPLE_ARGS, "--county", "祥符区", "--township", "陈留镇", "--format", "json")
    data = json.loads(result.stdout)
    assert {t["township"] for t in data["townships"]} == {"陈留镇"}
    bad = invoke("report", *SAMPLE_ARGS, "--county", "朝阳区")
    assert bad.exit_code == 2 and "朝阳区" in bad.stderr and "祥符区" in bad.stderr
    bad_date = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-13-01")
    assert bad_date.exit_code == 2 and "2021-13-01" in bad_date.stderr and "2021年12月31日" in bad_date.stderr


def test_csv_is_the_county_table_with_a_bom(tmp_path):
    out = tmp_path / "counties.csv"
    result = invoke("report", *SAMPLE_ARGS, "--as-of", "2021-12-31", "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["县区", "行政村", "通达", "通达率"]
    assert [r[0] for r in rows[1:]] == ["祥符区", "杞县", "通许县", "尉氏县", "兰考县", "合计"]
    assert rows[-1][1] == "2137"
    assert sum(int(r[1]) for r in rows[1:-1]) == 2137


def test_output_over_an_input_is_refused(tmp_path):
    copy = tmp_path / "villages.csv"
    copy.write_bytes((SAMPLES / "villages.csv").read_bytes())
    before = copy.read_bytes()
    for extra in ([], ["--force"]):  # an input is never written, --force or not
        result = invoke("report", "--villages", copy, "--format", "csv", "-o", copy, *extra)
        assert result.exit_code == 2 and "输入文件" in result.stderr
        assert copy.read_bytes() == before


def test_registers_from_env_toml_and_samples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"KUAIDI_VILLAGES": "", "KUAIDI_OUTLETS": ""}
    nothing = invoke("report", "--format", "json", "--as-of", "2021-12-31", env=env)
    assert nothing.exit_code == 2 and "--villages" in nothing.stderr and "--samples" in nothing.stderr
    assert nothing.stdout == ""
    samples = invoke("report", "--samples", "--format", "json", "--as-of", "2021-12-31", env=env)
    assert samples.exit_code == 0
    assert "内置示例台账" in samples.stderr
    assert json.loads(samples.stdout)["summary"]["villages"] == 2137
    assert json.loads(samples.stdout)["samples"] is True
    (tmp_path / "kuaidi.toml").write_text(f'villages = "{(FIXTURES / "coverage_villages.csv").as_posix()}"\n',
                                          encoding="utf-8")
    toml = invoke("report", "--format", "json", "--as-of", "2021-12-31", env=env)
    assert json.loads(toml.stdout)["summary"]["villages"] == 8  # the fixture, flags only, no outlets
    from_env = invoke("report", "--format", "json", "--as-of", "2021-12-31",
                      env={"KUAIDI_VILLAGES": str(FIXTURES / "villages_clean.csv"), "KUAIDI_OUTLETS": ""})
    assert json.loads(from_env.stdout)["summary"]["villages"] == 10


def test_rules_command():
    result = invoke("rules", env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "village-points-2129" in result.stdout and "人口>=2500 或 距离>5km" in result.stdout


def test_json_is_the_standard_encoding_with_sorted_keys():
    # docs/EXPORTS.md, "The JSON report": stable and sorted. The text is what
    # json.dumps(sort_keys=True, indent=2) would write
    printed = report_stdout("2021-12-31")
    data = json.loads(printed)
    assert printed == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert list(data) == sorted(data) and data["schema"] == "kuaidi.report/1"


def test_every_report_model_declares_its_fields_in_json_key_order():
    # to_json writes the models as they are (no sorting pass): a field out of order would break the
    # sorted keys of the contract for every report, including those whose lists the sample leaves empty
    from pydantic import BaseModel

    from kuaidi_cli.report import model as report

    models = [m for m in vars(report).values()
              if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == report.__name__
              and not m.__name__.startswith("_")]
    assert {m.__name__ for m in models} >= {"Report", "Summary", "County", "Township", "AttentionVillage",
                                            "TargetOut", "InputRef", "RulesRef", "Outlets"}
    for m in models:
        keys = [f.serialization_alias or name for name, f in m.model_fields.items()]
        assert keys == sorted(keys), m.__name__


def test_mode_counts_keep_sorted_keys_with_a_mode_the_rules_do_not_name(tmp_path):
    # a village reached by a mode outside the rules' list is counted under its own key, in sorted place
    import datetime as dt

    import pandas as pd

    from kuaidi_cli.core.rules import load_rules
    from kuaidi_cli.measure import coverage, metrics

    rules, _ = load_rules(ROOT / "rules" / "targets.yaml")
    villages = pd.DataFrame({"county_key": ["A", "A"], "township_key": ["A/a", "A/a"], "reached": [True, True],
                             "priority": [False, False], "in_village": [False, False], "focus": [False, False],
                             "priority_unknown": [False, False], "focus_unknown": [False, False],
                             "_file": ["v.csv", "v.csv"], "mode": ["zz-other", rules.modes[0].id]})
    c = coverage.Coverage(as_of=dt.date(2022, 12, 31), villages=villages, outlets=pd.DataFrame(),
                          counties=pd.DataFrame({"county_key": ["A"], "county": ["A"]}),
                          townships=pd.DataFrame({"township_key": ["A/a"], "county": ["A"], "township": ["a"]}),
                          out_of_scope=0, findings=[])
    (_, township), = metrics.by_township(c, rules)
    assert list(township.modes) == sorted([m.id for m in rules.modes] + ["zz-other"])
    assert township.modes["zz-other"] == 1 and township.modes[rules.modes[0].id] == 1
    assert list(metrics.summary(villages, pd.DataFrame(), rules).modes) == list(township.modes)
