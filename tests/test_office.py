"""kuaidi's CSV files as a spreadsheet opens them: LibreOffice (headless) converts each to a workbook,
read back with openpyxl. Run by `make test-office`, which needs soffice; `make test` leaves them out."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, write
from typer.testing import CliRunner

from kuaidi_cli.cli import app

pytestmark = pytest.mark.office

# 丁村 (never reached) needs attention; its code and the 11-digit code of 黄龙村 (an error) must reach the
# spreadsheet as the text that was written, not as 4.10212E+11.
REGISTER = f"""{HEADER}
祥符区,城关镇,丁村,410212100203,900,2,否,,否,,
祥符区,城关镇,黄龙村,41021210020,900,6.3,否,,是,,
"""


def _as_spreadsheet_opens(path: Path, tmp_path: Path) -> list[list[object]]:
    soffice = shutil.which("soffice")
    assert soffice, "make test-office needs LibreOffice: apt-get install -y libreoffice-calc-nogui"
    # the import LibreOffice offers for a UTF-8 CSV: comma-separated, quoted with ", UTF-8 (76)
    subprocess.run([soffice, "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir",
                    str(tmp_path / "lo"), str(path)], check=True, capture_output=True, timeout=180)
    book = openpyxl.load_workbook(tmp_path / "lo" / (path.stem + ".xlsx"), data_only=True)
    return [[c.value for c in row] for row in book.active.iter_rows()]


def _exported_csv(tmp_path: Path, register: str) -> Path:
    """The folder `kuaidi export --formats csv` writes for a register of 祥符区 as of 2021-12-31."""
    out = tmp_path / "reports"
    result = CliRunner().invoke(app, ["export", "--villages", str(write(tmp_path, register, "祥符区.csv")), "--out",
                                      str(out), "--no-history", "--as-of", "2021-12-31", "--divisions", "none",
                                      "--formats", "csv"])
    assert result.exit_code == 0, result.output
    return out


def test_codes_stay_text_when_a_spreadsheet_opens_the_csv(tmp_path):
    out = _exported_csv(tmp_path, REGISTER)
    attention = _as_spreadsheet_opens(out / "kuaidi-report-2021-12-31-attention.csv", tmp_path)
    assert attention[0][:4] == ["县区", "乡镇", "行政村", "区划代码"]
    assert [r[3] for r in attention[1:] if r[2] == "丁村"] == ["410212100203"]
    findings = _as_spreadsheet_opens(out / "kuaidi-report-2021-12-31-findings.csv", tmp_path)
    assert "41021210020" in [r[4] for r in findings[1:]]
    with (out / "kuaidi-report-2021-12-31-attention.csv").open(encoding="utf-8-sig") as fh:
        assert [r[3] for r in csv.reader(fh)][1:] == ['="410212100203"']


def test_rates_open_as_numbers(tmp_path):
    """The county table's 通达率 `66.7%` (2 of 3 villages reached) opens as the number 0.667 formatted as a
    percentage, not as text."""
    register = f"""{HEADER}
祥符区,城关镇,丁村,410212100203,900,2,否,,否,,
祥符区,城关镇,甲村,410212100204,900,2,否,,是,,
祥符区,城关镇,乙村,410212100205,900,2,否,,是,,
"""
    out = _exported_csv(tmp_path, register)
    table = _as_spreadsheet_opens(out / "kuaidi-report-2021-12-31.csv", tmp_path)
    assert table[0][:4] == ["县区", "行政村", "通达", "通达率"]
    assert table[1][:3] == ["祥符区", 3, 2] and table[1][3] == pytest.approx(0.667)
