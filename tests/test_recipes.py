"""The recipes of docs/ARCHITECTURE.md ("Where to add"), proven: a toy metric declared in core.metrics, a
toy status in core.statuses (with its decision in report.targets.evaluate) and a toy format registered
in write.formats, each seen in every output — nothing else edited.

The declarations are made on a fresh import of kuaidi_cli (what a new line in those files does: the
models, the CLI's choices and the tables are built from them at import), and the modules the other tests
use are put back afterwards. One report, one `report -o` per format and two exports into one history
for the whole module."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
import sys
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import HEADER
from openpyxl import load_workbook
from typer.testing import CliRunner

# Four villages of 祥符区, written for the toy metric: focus (population ≥ 2500) and in-village
#   袁楼村 3000 是 · 黄龙村 2600 否 · 范庄村 100 是 · 独乐岗村 2500 是
# → focus 3 (袁楼, 黄龙, 独乐岗), of them in-village 2 (袁楼, 独乐岗): the toy rate is 2/3.
VILLAGES = "\n".join([
    HEADER,
    "祥符区,城关镇,袁楼村,410212100200,3000,6.6,是,2021-10-04,是,2021-08-21,邮快合作",
    "祥符区,城关镇,黄龙村,410212100201,2600,5.1,否,,是,2021-01-31,快快合作",
    "祥符区,城关镇,范庄村,410212100202,100,1.6,是,2021-07-20,是,2021-12-01,快快合作",
    "祥符区,城关镇,独乐岗村,410212100203,2500,1.5,是,2021-09-24,是,2021-09-24,快快合作",
]) + "\n"
TOY_RATE = 2 / 3
TOY_LABEL = ("推进重点设点率", "Focus in-village rate")
TOY_COLOUR = "#7030A0"
TOY_STATUS = ("waived", "豁免", "waived", "#ABCDEF", "#123456")  # value, zh, en, fill, font


E = TypeVar("E", bound=Enum)


def _add_member(cls: type[E], name: str, *args: object) -> E:
    """A member added to an Enum class after its creation (what a new line in its body makes)."""
    enum: Any = cls  # (EnumType's private tables, which typeshed does not declare)
    member = enum._new_member_(enum, *args)  # (the class body's __new__, kept by EnumType)
    member._name_ = name
    member.__objclass__ = enum
    enum._member_map_[name] = member
    enum._member_names_.append(name)
    enum._value2member_map_[member._value_] = member
    return member


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """Every output of one register with the toy metric, status and format declared."""
    import kuaidi_cli.core.statuses
    import kuaidi_cli.write.formats  # noqa: F401  (the modules the other tests use, to be put back)

    saved = {k: m for k, m in sys.modules.items() if k == "kuaidi_cli" or k.startswith("kuaidi_cli.")}
    for k in saved:
        del sys.modules[k]
    try:
        from kuaidi_cli.core import metrics, statuses

        at = [m.name for m in metrics.METRICS].index("outlets.park")
        metrics.METRICS.insert(at, metrics.Metric(
            "focus_in_village_rate", *TOY_LABEL, "rate", flag="in_village", among="focus",
            parts=("focus_in_village", "focus"), trend=True, colour=TOY_COLOUR, bars=True))
        waived = _add_member(statuses.Status, "WAIVED",
                             *TOY_STATUS, True, "bold blue")

        from kuaidi_cli.write import formats

        def render_toy(report, context, rules, lang):
            return f"TOY {report.as_of} {report.summary.focus_in_village_rate:.4f}\n".encode()

        formats.FORMATS.append(formats.Format("toy", (".toy",), render_toy,
                                              lambda path, heads: path.read_bytes().startswith(b"TOY ")))

        from kuaidi_cli.report import targets

        evaluate = targets.evaluate

        def evaluate_with_waiver(target, s, as_of, **kw):  # the toy status's decision
            result = evaluate(target, s, as_of, **kw)
            return dataclasses.replace(result, status=waived) if target.id == first else result

        from kuaidi_cli.cli import app
        from kuaidi_cli.core.rules import load_rules

        first = load_rules()[0].targets[0].id
        targets.evaluate = evaluate_with_waiver

        tmp = tmp_path_factory.mktemp("recipes")
        register = tmp / "villages.csv"
        register.write_text(VILLAGES, encoding="utf-8")
        runner = CliRunner()
        base = ["--villages", str(register), "--divisions", "none"]

        def run(*args: str, env: dict[str, str] | None = None) -> str:
            result = runner.invoke(app, [*args], env={"COLUMNS": "200", **(env or {})})
            assert result.exit_code in (0, 1), result.output
            return result.stdout

        out: dict[str, object] = {"first": first}
        for fmt in ("json", "csv", "xlsx", "html", "toy"):
            run("report", *base, "--as-of", "2022-12-31", "-o", str(tmp / f"r.{fmt}"))
        run("report", *base, "--as-of", "2022-12-31", "--format", "toy", "-o", str(tmp / "again.toy"))
        out["table"] = run("report", *base, "--as-of", "2022-12-31", "--lang", "en")
        out["coloured"] = run("report", *base, "--as-of", "2022-12-31", env={"FORCE_COLOR": "1", "TERM": "xterm"})
        history = tmp / "history.sqlite"
        for as_of in ("2022-06-30", "2022-12-31"):
            run("export", *base, "--as-of", as_of, "--out", str(tmp / "out"), "--history", str(history),
                "--formats", "json,toy")
        out["trend"] = run("trend", "--history", str(history), "--lang", "en", "--chart", str(tmp / "t.svg"))
        out["tmp"] = tmp
        out["saved"] = saved
        yield out
    finally:
        for k in [k for k in sys.modules if k == "kuaidi_cli" or k.startswith("kuaidi_cli.")]:
            del sys.modules[k]
        sys.modules.update(saved)


def test_the_toy_metric_is_in_the_json_of_every_scope(toy):
    data = json.loads((toy["tmp"] / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["focus_in_village_rate"] == pytest.approx(TOY_RATE)
    assert data["counties"][[c["county"] for c in data["counties"]].index("祥符区")]["focus_in_village_rate"] \
        == pytest.approx(TOY_RATE)
    assert data["townships"][0]["township"] == "城关镇"
    assert data["townships"][0]["focus_in_village_rate"] == pytest.approx(TOY_RATE)
    keys = list(data["summary"])
    assert keys == sorted(keys)


def test_the_toy_metric_is_in_the_terminal_table_the_csv_and_the_workbook(toy):
    assert "Focus in-village rate" in toy["table"]
    assert "66.7%" in toy["table"]
    rows = list(csv.reader(io.StringIO((toy["tmp"] / "r.csv").read_text(encoding="utf-8-sig"))))
    assert TOY_LABEL[0] in rows[0]
    column = rows[0].index(TOY_LABEL[0])
    assert [r[column] for r in rows if r[0] == "祥符区"] == ["66.7%"] or \
        [float(r[column]) for r in rows if r[0] == "祥符区"] == pytest.approx([TOY_RATE])
    book = load_workbook(toy["tmp"] / "r.xlsx")
    cells = [(ws.title, c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(v == TOY_LABEL[0] for _, v in cells)
    assert any(isinstance(v, float) and abs(v - TOY_RATE) < 1e-3 for _, v in cells)
    about = {r[0].value: r[1].value for r in book["说明"].iter_rows(min_row=3) if r[0].value}
    assert about[TOY_LABEL[0]] == "focus_in_village ÷ 推进重点村"  # its definition, from its declared parts


def test_the_toy_metric_is_in_the_html_table_and_charts(toy):
    html = (toy["tmp"] / "r.html").read_text(encoding="utf-8")
    assert html.count(TOY_LABEL[0]) >= 2  # a column of the county table, the title of its bar chart
    assert TOY_COLOUR in html


def test_the_toy_metric_is_in_the_history_and_the_trend(toy):
    with sqlite3.connect(toy["tmp"] / "history.sqlite") as conn:
        values = conn.execute("SELECT value FROM metrics WHERE metric = 'focus_in_village_rate' AND scope = 'city'"
                              ).fetchall()
    assert [v for (v,) in values] == pytest.approx([TOY_RATE, TOY_RATE])
    assert "Focus in-village rate" in toy["trend"]
    svg = (toy["tmp"] / "t.svg").read_text(encoding="utf-8")
    assert TOY_LABEL[1] in svg and f'stroke="{TOY_COLOUR}"' in svg


def test_the_toy_status_has_its_label_and_colour_in_every_output(toy):
    data = json.loads((toy["tmp"] / "r.json").read_text(encoding="utf-8"))
    assert [x["status"] for x in data["targets"] if x["id"] == toy["first"]] == ["waived"]
    assert "waived" in toy["table"]
    assert "\x1b[1;34m豁免" in toy["coloured"]  # bold blue
    html = (toy["tmp"] / "r.html").read_text(encoding="utf-8")
    assert '<td class="waived">豁免</td>' in html
    assert ".waived{background:#abcdef;color:#123456;font-weight:bold}" in html
    book = load_workbook(toy["tmp"] / "r.xlsx")
    cell = next(c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == "豁免")
    assert cell.fill.fgColor.rgb.endswith("ABCDEF")
    assert cell.font.color.rgb.endswith("123456")


def test_the_toy_format_is_written_by_report_and_export(toy):
    tmp: Path = toy["tmp"]
    assert (tmp / "r.toy").read_text() == f"TOY 2022-12-31 {TOY_RATE:.4f}\n"  # -o's suffix
    assert (tmp / "again.toy").read_text() == f"TOY 2022-12-31 {TOY_RATE:.4f}\n"  # --format, over its own file
    assert (tmp / "out" / "kuaidi-report-2022-06-30.toy").read_text().startswith("TOY 2022-06-30 ")
    assert (tmp / "out" / "kuaidi-report-2022-12-31.toy").exists()


def test_the_declarations_stay_in_this_module(toy):
    # the modules the other tests use (put back after this module) never saw them
    metrics = toy["saved"]["kuaidi_cli.core.metrics"]
    statuses = toy["saved"]["kuaidi_cli.core.statuses"]
    formats = toy["saved"]["kuaidi_cli.write.formats"]
    assert sys.modules["kuaidi_cli.core.metrics"] is not metrics
    assert "focus_in_village_rate" not in {m.name for m in metrics.METRICS}
    assert "waived" not in {s.value for s in statuses.Status}
    assert "toy" not in formats.names()
