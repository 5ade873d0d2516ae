import pytest
from conftest import write

from kuaidi_cli.errors import RulesError
from kuaidi_cli.rules import default_rules_path, load_rules


def test_default_rules_load_with_the_policy_modes_and_levels():
    rules, sha = load_rules()
    assert default_rules_path().name == "targets.yaml"
    assert [m.id for m in rules.modes] == ["邮快合作", "交快合作", "快快合作", "快商合作", "快销合作", "驻村设点"]
    assert set(rules.outlet_levels) == {"park", "township_station", "village_point"}
    assert rules.divisions.county_aliases["开封县"] == "祥符区"
    assert len(sha) == 64


def test_lookups_accept_the_written_forms():
    rules, _ = load_rules()
    assert rules.mode_lookup["邮快"] == "邮快合作"
    assert rules.level_lookup["村级服务点"] == "village_point"
    assert rules.level_lookup["乡镇电商快递服务站"] == "township_station"


@pytest.mark.parametrize(("text", "words"), [
    ("name: x\nmodez: []\n", "modez"),  # unknown key
    ("name: x\nmodes: 3\n", "modes"),  # wrong type
    ("modes: []\n", "name"),  # missing key
    ("name: x\noutlet_levels:\n  hub: {label: 枢纽}\n", "hub"),  # unknown level
    ("name: x\nmodes: [\n", "第3行"),  # not YAML: the line is named
])
def test_a_bad_rules_file_names_the_key(tmp_path, text, words):
    with pytest.raises(RulesError) as info:
        load_rules(write(tmp_path, text, "rules.yaml"))
    assert words in info.value.zh


def test_missing_rules_file(tmp_path):
    with pytest.raises(RulesError, match="无法读取规则文件"):
        load_rules(tmp_path / "none.yaml")
