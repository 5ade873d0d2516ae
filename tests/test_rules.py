import datetime as dt

import pytest
from conftest import ROOT, write

from kuaidi_cli.core.errors import RulesError
from kuaidi_cli.core.rules import default_rules_path, load_rules

DEFAULT = (ROOT / "rules" / "targets.yaml").read_text(encoding="utf-8")


def test_default_rules_encode_the_policy():
    rules, sha = load_rules()
    assert default_rules_path().name == "targets.yaml"
    assert len(sha) == 64
    assert [m.id for m in rules.modes] == ["邮快合作", "交快合作", "快快合作", "快商合作", "快销合作", "驻村设点"]
    assert set(rules.outlet_levels) == {"park", "township_station", "village_point"}
    assert rules.aliases.counties["开封县"] == "祥符区"
    assert rules.scope.counties == ["祥符区", "杞县", "通许县", "尉氏县", "兰考县"]
    assert [(c.field, c.op, c.value) for c in rules.priority.any] == [("population", ">=", 2500), ("distance_km", ">", 5)]
    table = {t.id: (t.kind, t.metric, t.target, t.due) for t in rules.targets}
    assert table == {
        "focus-2500": ("info", "focus_reach_rate", 1.0, dt.date(2021, 9, 30)),
        "coverage-80": ("required", "reach_rate", 0.80, dt.date(2021, 12, 31)),
        "priority-in-village-100": ("required", "priority_in_village_rate", 1.0, dt.date(2021, 12, 31)),
        "reach-85": ("stretch", "reach_rate", 0.85, dt.date(2021, 12, 31)),
        "reach-100": ("required", "reach_rate", 1.0, dt.date(2022, 12, 31)),
        "parks-5": ("required", "outlets.park", 5, dt.date(2022, 12, 31)),
        "township-stations-79": ("required", "outlets.township_station", 79, dt.date(2022, 12, 31)),
        "village-points-2129": ("required", "outlets.village_point", 2129, dt.date(2022, 12, 31)),
    }


def test_lookups_accept_the_written_forms():
    rules, _ = load_rules()
    assert rules.mode_lookup["邮快"] == "邮快合作"
    assert rules.level_lookup["村级服务点"] == "village_point"
    assert rules.level_lookup["乡镇电商快递服务站"] == "township_station"


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(("old", "new", "key"), [
    ("    metric: outlets.park\n", "    metric: outlets.parks\n", "targets.5.metric"),  # unknown metric
    ("    due: 2022-12-31\n    label: 全市行政村通达率100%", "    due: 2022-13-31\n    label: 全市行政村通达率100%", "targets.4.due"),  # bad date
    ("    target: 0.80\n", "    target: eighty\n", "targets.1.target"),  # wrong type
    ("  counties: [祥符区", "  county: [祥符区", "scope.county"),  # unknown key
    ("{field: distance_km, op: \">\"", "{field: distance_km, op: \"≥\"", "priority.any.1.op"),  # unknown operator
    ("    target: 0.85\n", "    target: 85\n", "targets.3.target"),  # a rate written as a percentage
])
def test_a_mistake_names_the_key_and_line(tmp_path, old, new, key):
    assert old in DEFAULT
    text = DEFAULT.replace(old, new, 1)
    with pytest.raises(RulesError) as info:
        load_rules(write(tmp_path, text, "rules.yaml"))
    line = _line(text, new.strip().splitlines()[0])
    assert f"「{key}」" in info.value.zh
    assert f"第{line}行" in info.value.zh, (line, info.value.zh)
    # pydantic's English stays in the English line
    assert not any(w in info.value.zh for w in ("Value error", "Input should", "Field required", "Extra inputs")), \
        info.value.zh


def test_unknown_top_level_key_and_duplicate_target(tmp_path):
    with pytest.raises(RulesError, match="「modez」"):
        load_rules(write(tmp_path, DEFAULT + "modez: []\n", "a.yaml"))
    twice = DEFAULT.replace("  - id: reach-85", "  - id: reach-100")
    with pytest.raises(RulesError, match="目标 id「reach-100」重复"):
        load_rules(write(tmp_path, twice, "b.yaml"))


def test_not_yaml_names_the_line(tmp_path):
    with pytest.raises(RulesError, match="第3行"):
        load_rules(write(tmp_path, "name: x\nmodes: [\n", "rules.yaml"))


def test_missing_rules_file(tmp_path):
    with pytest.raises(RulesError, match="无法读取规则文件"):
        load_rules(tmp_path / "none.yaml")
