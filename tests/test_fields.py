import pytest

from kuaidi_cli.core.fields import FIELDS, AliasTable, Kind, header_key


@pytest.mark.parametrize(("header", "field"), [
    ("县区", "county"), ("县(区)", "county"), ("县（区）", "county"), (" 所属县区 ", "county"),
    ("乡镇(街道)", "township"), ("乡（镇）", "township"), ("行政村名称", "village"), ("村委会", "village"),
    ("统计用区划代码", "code"), ("人口数(人)", "population"), ("人口数（人）", "population"), ("户籍人口", "population"),
    ("距乡镇驻地距离（公里）", "distance_km"), ("距离(km)", "distance_km"), ("是否驻村设点", "in_village"),
    ("*是否\n通达", "reached"), ("设点日期", "in_village_since"), ("合作模式", "mode"),
    # bracketed units that the table does not list are dropped before the second try
    ("户籍人口（人）", "population"), ("Population", "population"),
])
def test_village_headers(header, field):
    assert AliasTable.build(Kind.VILLAGES).match(header) == field


@pytest.mark.parametrize(("header", "field"), [
    ("服务点编号", "outlet_id"), ("层级", "level"), ("合作企业", "operators"), ("快递品牌", "operators"),
    ("启用日期", "opened"), ("撤点日期", "closed"), ("辐射村", "serves"), ("所在村区划代码", "village_code"),
])
def test_outlet_headers(header, field):
    assert AliasTable.build(Kind.OUTLETS).match(header) == field


def test_unknown_headers_map_to_nothing():
    table = AliasTable.build(Kind.VILLAGES)
    assert table.match("序号") is None
    assert table.match("备注") is None
    assert table.match("") is None


def test_rules_can_extend_the_alias_table():
    table = AliasTable.build(Kind.VILLAGES, {"population": ["村人口总数"], "no_such_field": ["x"]})
    assert table.match("村人口总数") == "population"
    assert table.match("x") is None


def test_every_alias_maps_to_its_own_field():
    for kind, fields in FIELDS.items():
        table = AliasTable.build(kind)
        for f in fields:
            for alias in f.aliases:
                assert table.match(alias) == f.name, (kind, alias)


def test_header_key_ignores_spaces_brackets_and_width():
    assert header_key(" 人口数（人） ") == header_key("人口数(人)") == "人口数人"
