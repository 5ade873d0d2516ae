"""Large reports check the village register in a second process: the same report, the same errors."""

import csv
import datetime as dt
import pickle

import openpyxl
import pytest
from conftest import SAMPLES, write

from kuaidi_cli.commands import inputs, second_process
from kuaidi_cli.commands import report as reporting
from kuaidi_cli.core import gazetteer
from kuaidi_cli.core.errors import InputError, RulesError
from kuaidi_cli.core.rules import load_rules

RULES, RULES_SHA = load_rules()
GZ = gazetteer.load(RULES)
DAY = dt.date(2021, 12, 31)


def run(registers, monkeypatch, *, elsewhere: bool, **kw):
    # the samples are small: the threshold decides which way they go
    monkeypatch.setattr(reporting, "SECOND_PROCESS_BYTES", 0 if elsewhere else 1 << 60)
    started = []
    real = second_process.SecondProcess.__init__

    def spy(self, *a, **k):
        started.append(a[1])
        real(self, *a, **k)

    monkeypatch.setattr(second_process.SecondProcess, "__init__", spy)
    report, context = reporting.run(registers, RULES, RULES_SHA, DAY, generated_at="t", **kw)
    assert started == (["villages"] if elsewhere else [])
    return report, context


@pytest.fixture(scope="module")
def villages_xlsx(tmp_path_factory):
    """The sample village register as a workbook (a second process is for workbooks only)."""
    path = tmp_path_factory.mktemp("xlsx") / "villages.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("universe", ["register", "gazetteer"])
def test_the_report_is_the_same_whichever_process_checks_the_villages(monkeypatch, universe, villages_xlsx):
    registers = inputs.Registers([villages_xlsx], [SAMPLES / "outlets.csv"], None, "flags")
    here, here_context = run(registers, monkeypatch, elsewhere=False, gazetteer=GZ, universe=universe)
    there, there_context = run(registers, monkeypatch, elsewhere=True, gazetteer=GZ, universe=universe)
    assert there.model_dump_json() == here.model_dump_json()
    assert there_context.findings == here_context.findings and len(here_context.findings) > 0
    assert there_context.reference == here_context.reference


def test_an_unreadable_village_register_is_the_same_one_line_error(tmp_path, monkeypatch):
    phones = tmp_path / "phone.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.active.append(["张三", "123"])
    book.save(phones)
    registers = inputs.Registers([phones], [SAMPLES / "outlets.csv"], None, "flags")
    with pytest.raises(InputError) as here:
        run(registers, monkeypatch, elsewhere=False)
    with pytest.raises(InputError) as there:
        run(registers, monkeypatch, elsewhere=True)
    assert there.value.zh == here.value.zh and "找不到行政村台账" in there.value.zh
    assert there.value.en == here.value.en


def test_a_second_process_that_dies_is_a_clear_error(tmp_path, monkeypatch, villages_xlsx):
    monkeypatch.setattr(second_process, "WORKER", ["-c", "import sys; sys.stdin.buffer.read(); sys.exit(3)"])
    registers = inputs.Registers([villages_xlsx], [SAMPLES / "outlets.csv"], None, "flags")
    with pytest.raises(InputError) as e:
        run(registers, monkeypatch, elsewhere=True)
    assert "退出码 3" in e.value.zh and "exit code 3" in e.value.en


def test_an_error_in_this_process_ends_the_second_one(tmp_path, monkeypatch, villages_xlsx):
    # the outlet register fails here while the villages are still being checked there
    monkeypatch.setattr(second_process, "WORKER", ["-c", "import time; time.sleep(60)"])
    closed = []
    real_close = second_process.SecondProcess.close

    def close(self):
        real_close(self)
        closed.append(self.proc.returncode)

    monkeypatch.setattr(second_process.SecondProcess, "close", close)
    registers = inputs.Registers([villages_xlsx], [write(tmp_path, "", "empty.csv")], None, "flags")
    with pytest.raises(InputError):
        run(registers, monkeypatch, elsewhere=True)
    assert closed and closed[0] != 0  # killed, not waited for a minute


def test_csv_registers_stay_in_one_process(monkeypatch):
    # a CSV pair is read by pyarrow's threads already; a second process only added memory
    registers = inputs.Registers([SAMPLES / "villages.csv"], [SAMPLES / "outlets.csv"], None, "flags")
    monkeypatch.setattr(reporting, "SECOND_PROCESS_BYTES", 0)
    assert not reporting._second_process_pays(*registers.files)


def test_kuaidi_errors_cross_processes_whole():
    for error in (InputError("中文", "English"), RulesError("规则", "rules")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and (back.zh, back.en) == (error.zh, error.en)
