"""Shared helpers: the default rules, and small registers written inline so a reader sees the rows."""

from __future__ import annotations

import csv
import functools
import os
from collections import Counter
from pathlib import Path

import pytest
import typer.main
import typer.testing

from kuaidi_cli.check import Register, validate
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.rules import Rules, load_rules
from kuaidi_cli.read import load

ROOT = Path(__file__).resolve().parents[1]
# `make test-long` (KUAIDI_LONG=1) multiplies the property tests' example budgets: `make test` stays quick
LONG = 20 if os.environ.get("KUAIDI_LONG") else 1


def examples(n: int, quick: int | None = None) -> int:
    """A property test's number of examples: 20 × n in `make test-long`; in `make test`, `quick` (fewer,
    for the slowest ones, so that the suite stays under CI's two minutes) or n."""
    return n * LONG if LONG > 1 or quick is None else quick
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "data" / "samples"

# CliRunner.invoke builds the click command from the typer app again on every call (a fifth of a small
# run's time); built once per app, as `kuaidi` builds it once per process. The app never changes in a test.
typer.testing._get_command = functools.cache(typer.main.get_command)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()[0]


def write(tmp_path: Path, text: str, name: str = "register.csv", encoding: str = "utf-8") -> Path:
    """Write a register; the text's lines are the file's rows (row 1 is the first line)."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(paths: list[Path] | Path, rules: Rules, kind: Kind = Kind.VILLAGES, **kw) -> Register:
    paths = paths if isinstance(paths, list) else [paths]
    return validate([load(p, kind, **kw) for p in paths], rules)


# file-level warnings of columns left blank in a whole file: most small registers of these tests leave
# out the columns their test is not about, so those warnings are asserted where they are the point
BLANK_COLUMNS = ("column-empty",)


def found(register: Register, severity: str | None = None, ignore: tuple[str, ...] = BLANK_COLUMNS) -> set[tuple]:
    """(code, row, column) of each finding, as frictionless-style tests assert them."""
    return {(f.code, f.row, f.column) for f in register.findings
            if (severity is None or f.severity == severity) and f.code not in ignore}


HEADER = "县区,乡镇,行政村,区划代码,人口数(人),距乡镇驻地距离(公里),是否驻村设点,设点时间,是否通达,通达时间,合作模式"


def recount(as_of: str, county: str | None = None) -> dict:
    """The figures of the samples (the city, or one county) counted again with the csv module, without
    kuaidi's code: an oracle for tests on the sample registers."""
    with (SAMPLES / "villages.csv").open(encoding="utf-8-sig") as fh:
        villages = list(csv.DictReader(fh))
    with (SAMPLES / "outlets.csv").open(encoding="utf-8-sig") as fh:
        outlets = list(csv.DictReader(fh))
    active = [o for o in outlets if o["启用日期"] <= as_of and not (o["停用日期"] and o["停用日期"] <= as_of)]
    points = {o["所在村区划代码"] for o in active if o["层级"] == "村级电商快递服务点"}
    served = {(o["县区"], o["乡镇"], name) for o in active if o["辐射村"] for name in o["辐射村"].split("、")}
    n = reached = in_village = priority = priority_in = 0
    for v in villages:
        if county and v["县区"] != county:
            continue
        inside = v["区划代码"] in points
        flag = v["是否通达"] == "是" and (not v["通达时间"] or v["通达时间"] <= as_of)
        hit = inside or (v["县区"], v["乡镇"], v["行政村"]) in served or flag
        prio = int(v["人口数(人)"]) >= 2500 or float(v["距乡镇驻地距离(公里)"]) > 5
        n, reached, in_village = n + 1, reached + hit, in_village + inside
        priority, priority_in = priority + prio, priority_in + (prio and inside)
    levels = Counter(o["层级"] for o in active if not county or o["县区"] == county)
    return {"villages": n, "reached": reached, "in_village": in_village, "priority_villages": priority,
            "priority_in_village": priority_in,
            "outlets": {"park": levels["县级电商快递物流园区"], "township_station": levels["乡镇电商快递服务站"],
                        "village_point": levels["村级电商快递服务点"]}}


@pytest.fixture(autouse=True)
def _report_invariants(request, monkeypatch):
    """Every JSON report a test produces (`report --format json` on stdout, `export`'s JSON files) keeps
    the invariants of tests/invariants.py: rows add up, the city is the sum of its counties, a status
    agrees with its value (issue 20). test_reference.py lists them itself, with the reference's."""
    if request.node.module.__name__ == "test_reference":
        return
    import json

    from invariants import assert_report_invariants
    from typer.testing import CliRunner

    original = CliRunner.invoke

    def invoke(self, app, args=None, *rest, **kw):
        result = original(self, app, args, *rest, **kw)
        words = [str(a) for a in (args or [])]
        if result.exit_code in (0, 1) and words[:1] == ["report"] and "json" in words:
            try:
                data = json.loads(result.stdout)
            except ValueError:
                data = None
            if isinstance(data, dict) and data.get("schema") == "kuaidi.report/1":
                assert_report_invariants(data)
        if result.exit_code in (0, 1) and words[:1] == ["export"] and "--out" in words:
            out = Path(words[words.index("--out") + 1])
            for path in out.glob("kuaidi-report-*.json") if out.is_dir() else []:
                assert_report_invariants(json.loads(path.read_text(encoding="utf-8")))
        return result

    monkeypatch.setattr(CliRunner, "invoke", invoke)
