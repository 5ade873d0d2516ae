"""kuaidi as a Windows user runs it, simulated on Linux: the main jobs in a Python without what Windows
lacks (tests/windows_sim/sitecustomize.py: no fcntl, resource, os.fchmod, os.getuid …), writing to a GBK
file as a Chinese Windows' redirected output or scheduled task's log is, in folders whose names have
spaces and Chinese."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, HEADER, SAMPLES, write

SIM = Path(__file__).resolve().parent / "windows_sim"


def windows(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`kuaidi ARGS` under the simulation, its output to GBK pipes (what a file redirected on a Chinese
    Windows is)."""
    path = os.pathsep.join(p for p in (str(SIM), os.environ.get("PYTHONPATH", "")) if p)
    environ = {**os.environ, "PYTHONPATH": path, "PYTHONIOENCODING": "gbk", "KUAIDI_LANG": "", **(env or {})}
    return subprocess.run([sys.executable, "-m", "kuaidi_cli", *map(str, args)], capture_output=True, cwd=cwd,
                          env=environ, timeout=120)


@pytest.fixture(autouse=True, scope="module")
def _simulation_on():
    """(The harness, not kuaidi: the simulated Python really lacks what the tests below are about.)"""
    code = ("import os\ntry:\n import fcntl\nexcept ImportError:\n print('no fcntl')\n"
            "try:\n import resource\nexcept ImportError:\n print('no resource')\n"
            "print(hasattr(os, 'fchmod'), hasattr(os, 'getuid'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SIM)}, check=True)
    assert done.stdout.split("\n")[:3] == ["no fcntl", "no resource", "False False"]


def test_check_writes_a_gbk_file_and_exits_by_the_data(tmp_path):
    """`kuaidi check x.csv > out.txt` on a Chinese Windows: the file reads in GBK, ✗ became ×, the tables
    keep their lines, and the exit code is the data's (1: a row without its village)."""
    register = write(tmp_path, f"{HEADER}\n祥符区,陈留镇,,410212100201,1200,3,否,,是,2021-06-01,邮快合作\n")
    done = windows("check", register, cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode("gbk")
    out = done.stdout.decode("gbk")  # (strict: every byte is GBK)
    assert "┏" in out and "┃" in out
    assert [line for line in out.splitlines() if line.startswith("× 发现") and "1 行无效" in line]
    assert "?" not in out.replace("？", "")


def test_an_error_line_degrades_what_gbk_lacks(tmp_path):
    """A failure to run is one line on stderr, readable in GBK: a ✓ in a file name becomes √ (Python's
    own stderr would write \\u2713)."""
    done = windows("check", tmp_path / "台账✓.csv", cwd=tmp_path)
    assert done.returncode == 2
    err = done.stderr.decode("gbk")
    assert err.startswith("kuaidi: ") and "台账√.csv" in err and "找不到文件" in err
    assert len(err.strip().splitlines()) == 1


def test_report_writes_a_workbook(tmp_path):
    """report -o x.xlsx (os.fchmod is not on Windows before Python 3.13), into a folder with a space and
    Chinese in its name; the as-of date given as a month."""
    folder = tmp_path / "月报 输出"
    folder.mkdir()
    done = windows("report", "--samples", "--as-of", "2021年12月", "-o", folder / "开封 报表.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk")
    assert "示例数据" in done.stderr.decode("gbk")
    sheet = openpyxl.load_workbook(folder / "开封 报表.xlsx").worksheets[0]
    assert any("2021年12月31日" in str(cell) for row in sheet.iter_rows(max_row=4, values_only=True) for cell in row)


def test_the_monthly_export_with_its_history(tmp_path):
    """The scheduled export (fcntl is not on Windows): the registers in a folder with a space in its
    name, the history in the platform's data folder, --fail-on missed failing as documented (the samples
    at the end of 2021 miss 重点村驻村设点率100%, README)."""
    registers = tmp_path / "各县 台账"
    registers.mkdir()
    for name in ("villages.csv", "outlets.csv"):
        (registers / name).write_bytes((SAMPLES / name).read_bytes())
    data = tmp_path / "data home"
    done = windows("export", "--out", tmp_path / "月报 输出", "--villages", registers / "villages.csv", "--outlets",
                   registers / "outlets.csv", "--as-of", "2021-12", "--formats", "json,xlsx", "--quiet",
                   "--fail-on", "missed", cwd=tmp_path, env={"XDG_DATA_HOME": str(data), "HOME": str(tmp_path)})
    assert done.returncode == 1, done.stderr.decode("gbk")
    assert done.stdout == b""
    err = done.stderr.decode("gbk")
    assert len(err.strip().splitlines()) == 1 and "重点村驻村设点率100%" in err
    report = json.loads((tmp_path / "月报 输出" / "kuaidi-report-2021-12-31.json").read_text(encoding="utf-8"))
    assert report["as_of"] == "2021-12-31"
    with sqlite3.connect(data / "kuaidi" / "history.sqlite") as conn:
        assert [r[0] for r in conn.execute("SELECT as_of FROM runs")] == ["2021-12-31"]


def test_an_xls_is_read_where_memory_cannot_be_limited(tmp_path):
    """The .xls preflight sets a memory limit with `resource`, which Windows has not: the file is read
    (the fixture checks clean), never blamed for the platform."""
    done = windows("check", FIXTURES / "villages.xls", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk")
    assert "内存" not in done.stderr.decode("gbk")


def test_template_into_a_chinese_path(tmp_path):
    done = windows("template", "-o", tmp_path / "台账 模板.xlsx", "--county", "祥符区", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk")
    assert done.stdout.decode("gbk").strip().endswith("336 个行政村")
    assert openpyxl.load_workbook(tmp_path / "台账 模板.xlsx").sheetnames[0] == "行政村台账"


def test_a_file_excel_holds_open_is_one_clear_line(tmp_path, monkeypatch):
    """Windows refuses to rename over a file Excel has open (PermissionError, winerror 32): kuaidi says so
    and what to do, once, exit 2."""
    from kuaidi_cli.core.errors import KuaidiError
    from kuaidi_cli.write.files import write_atomic

    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"old")

    def held(src, dst):
        e = PermissionError(13, "The process cannot access the file because it is being used by another process")
        e.winerror = 32  # type: ignore[attr-defined]  # (what Windows sets; POSIX has no such attribute)
        raise e

    monkeypatch.setattr("kuaidi_cli.write.files.os.replace", held)
    with pytest.raises(KuaidiError) as raised:
        write_atomic(target, b"new", [])
    assert raised.value.zh == f"文件「{target}」正被其他程序（如 Excel/WPS）打开，请关闭后重试"
    assert "open in another program" in raised.value.en
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]


def test_the_history_lives_in_the_platforms_place_and_the_old_one_is_still_read(tmp_path, monkeypatch):
    """platformdirs' user data dir (here a stand-in for %LOCALAPPDATA% or ~/Library); a history an earlier
    kuaidi kept in ~/.local/share/kuaidi is used while the new place has none."""
    import platformdirs

    from kuaidi_cli.write import history

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda name, appauthor=None: tmp_path / "AppData" / name)
    new = tmp_path / "AppData" / "kuaidi" / "history.sqlite"
    assert history.default_path() == new
    old = tmp_path / "home" / ".local" / "share" / "kuaidi" / "history.sqlite"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"")
    assert history.default_path() == old
    new.parent.mkdir(parents=True)
    new.write_bytes(b"")
    assert history.default_path() == new


def test_kuaidi_history_names_the_history(tmp_path):
    from typer.testing import CliRunner

    from kuaidi_cli.cli import app

    result = CliRunner().invoke(app, ["trend", "--no-chart"], env={"KUAIDI_HISTORY": str(tmp_path / "h.sqlite")})
    assert result.exit_code == 2 and str(tmp_path / "h.sqlite") in result.stderr


@pytest.mark.parametrize(("text", "day"), [("2021年12月", "2021-12-31"), ("2021-12", "2021-12-31"),
                                           ("2024/2", "2024-02-29"), ("2023年2月底", "2023-02-28"),
                                           ("２０２１年９月", "2021-09-30"), ("2021.06", "2021-06-30")])
def test_as_of_takes_a_month_as_its_last_day(text, day):
    from kuaidi_cli.commands.asof import parse
    from kuaidi_cli.core.errors import KuaidiError

    assert parse(text).isoformat() == day
    for wrong in ("2021-13", "2021-0", "2021年13月", "1999-12"):  # no such month, or outside the years
        with pytest.raises(KuaidiError):
            parse(wrong)


def test_what_an_encoding_lacks_degrades():
    from kuaidi_cli.write.stdout import ERRORS, degrade_unencodable

    degrade_unencodable()
    assert "✓ 祥符区 ✗ ⚠".encode("gbk", ERRORS).decode("gbk") == "√ 祥符区 × !"
    assert "✓ ✗ ⚠ — 开封".encode("ascii", ERRORS) == b"OK x ! - ??"


def test_chinese_help_has_no_stray_spaces():
    """The help once had a space after every full-width mark (定时导出： 按日期命名写出报表 （原子写入）， …),
    put there so that rich could wrap it; it now wraps between characters."""
    import re

    from typer.testing import CliRunner

    from kuaidi_cli.cli import app

    for command in ([], ["check"], ["report"], ["export"], ["template"]):
        result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0
        assert not re.search(r"[，；：、。）] [\u4e00-\u9fff（]|[\u4e00-\u9fff] （", result.stdout), result.stdout
    assert "定时导出：按日期命名写出报表（原子写入），并记入历史库。" in CliRunner().invoke(
        app, ["export", "--help"], env={"COLUMNS": "100"}).stdout
