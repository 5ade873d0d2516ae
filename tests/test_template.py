"""`kuaidi template`: the pre-filled register, its drop-downs, and a filled template that checks clean."""

import datetime as dt

import openpyxl
import pytest
from typer.testing import CliRunner

from kuaidi_cli.cli import app
from kuaidi_cli.commands.check import check
from kuaidi_cli.core import gazetteer
from kuaidi_cli.core.rules import load_rules

runner = CliRunner()
RULES, _ = load_rules()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "台账模板.xlsx"
    result = runner.invoke(app, ["template", "-o", str(path), "--county", "开封县", "--with-outlets"])
    assert result.exit_code == 0, result.output
    assert "336 个行政村" in result.stdout  # 祥符区's 村委会, 2021 edition
    return path


def test_prefilled_with_the_official_names_and_codes(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["行政村台账", "服务点台账", "填写说明"]
    ws = wb["行政村台账"]
    assert [c.value for c in ws[1]][:4] == ["县区", "乡镇", "行政村", "区划代码"]
    assert ws.max_row == 1 + 336
    assert [c.value for c in ws[2]][:4] == ["祥符区", "城关镇", "袁楼村", "410212100200"]
    assert ws["D2"].data_type == "s"  # the code is text, never a number Excel would round
    assert ws["E1"].comment is not None and "整数" in ws["E1"].comment.text
    assert ws.freeze_panes == "A2"
    assert "kuaidi check" in "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)


def test_drop_downs_and_validation(template):
    wb = openpyxl.load_workbook(template)
    rules = {str(dv.sqref): dv for dv in wb["行政村台账"].data_validations.dataValidation}
    assert rules["G2:G1001"].type == "list" and rules["G2:G1001"].formula1 == '"是,否"'
    assert rules["I2:I1001"].formula1 == '"是,否"'
    assert rules["K2:K1001"].formula1 == '"邮快合作,交快合作,快快合作,快商合作,快销合作,驻村设点"'
    assert rules["E2:E1001"].type == "whole" and rules["E2:E1001"].formula2 == "100000"
    assert rules["F2:F1001"].type == "decimal"
    assert rules["H2:H1001"].type == "date" and rules["J2:J1001"].type == "date"
    outlets = {str(dv.sqref): dv for dv in wb["服务点台账"].data_validations.dataValidation}
    assert outlets["C2:C5001"].formula1 == '"县级电商快递物流园区,乡镇电商快递服务站,村级电商快递服务点"'
    assert outlets["D2:D5001"].formula1 == '"祥符区"'


def test_a_filled_template_checks_clean(template, tmp_path):
    wb = openpyxl.load_workbook(template)
    ws = wb["行政村台账"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 5, 1000 + r)  # population
        ws.cell(r, 6, round(0.5 + r % 70 / 10, 1))  # distance
        ws.cell(r, 7, "是" if r == 2 else "否")  # only 袁楼村 has a point, as the outlet sheet says
        if r == 2:
            ws.cell(r, 8, dt.datetime(2021, 9, 30))
        ws.cell(r, 9, "是")
        ws.cell(r, 10, dt.datetime(2021, 6, 1))
        ws.cell(r, 11, "邮快合作")
    wo = wb["服务点台账"]
    wo.append(["P410212", "祥符区电商快递物流园区", "县级电商快递物流园区", "祥符区", None, None, None, "快快合作",
               "中通、圆通", dt.datetime(2021, 8, 31)])
    wo.append(["V410212100200", "袁楼村服务点", "村级电商快递服务点", "祥符区", "城关镇", "袁楼村", "410212100200",
               "邮快合作", "中国邮政", dt.datetime(2021, 9, 30), None, "黄龙村"])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = check([filled], RULES, outlets=[filled], as_of=dt.date(2021, 12, 31), gazetteer=gazetteer.load(RULES))
    assert result.findings == []
    assert [f.counts.valid for f in result.files] == [336, 2]
