"""kuaidi as a library (docs/API.md): the walk-through runs; the figures are the CLI's (byte-identical JSON)
and those read off the sample registers by hand; DataFrames are register files named <DataFrame n>, read as
their CSV; failures raise KuaidiError and print nothing; `import kuaidi_cli` stays light; a user's script
passes mypy --strict."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import kuaidi_cli as kuaidi
from kuaidi_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
VILLAGES, OUTLETS = SAMPLES / "villages.csv", SAMPLES / "outlets.csv"
POPULATION = "人口数(人)"

# read off data/samples/villages.csv by hand (awk -F, 'NR>1{c[$1]++}'): the villages of each county
VILLAGES_BY_COUNTY = {"祥符区": 336, "杞县": 569, "通许县": 285, "尉氏县": 516, "兰考县": 431}


@pytest.fixture(scope="module")
def report() -> kuaidi.Report:
    return kuaidi.report(str(VILLAGES), OUTLETS, as_of="2021-12-31")


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (pd.read_csv(VILLAGES, dtype=str, keep_default_na=False),
            pd.read_csv(OUTLETS, dtype=str, keep_default_na=False))


def _without_generated_at(data: bytes) -> bytes:
    return re.sub(rb'"generated_at": "[^"]*"', b'"generated_at": ""', data)


def test_the_walk_through_of_docs_api_runs(tmp_path, monkeypatch, capsys):
    """Every python block of docs/API.md, in order, as a notebook runs them (paths, then DataFrames)."""
    shutil.copytree(SAMPLES, tmp_path / "data" / "samples")
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 6
    exec(compile("\n".join(blocks), "docs/API.md", "exec"), {})
    assert {p.name for p in tmp_path.iterdir() if p.is_file()} == {"报表.xlsx", "report.json", "report.html"}
    out = capsys.readouterr().out
    assert "<DataFrame 1>" in out and "as_of is not a valid date" in out


def test_json_of_write_is_what_the_cli_writes(report, tmp_path):
    ours = kuaidi.write(report, tmp_path / "api.json")
    done = CliRunner().invoke(app, ["report", "--villages", str(VILLAGES), "--outlets", str(OUTLETS),
                                    "--as-of", "2021-12-31", "-o", str(tmp_path / "cli.json")])
    assert done.exit_code == 0, done.output
    cli = (tmp_path / "cli.json").read_bytes()
    assert b'"generated_at": "' in cli
    assert _without_generated_at(ours.read_bytes()) == _without_generated_at(cli)


def test_the_table_and_the_page_of_write_are_what_the_cli_writes(report, tmp_path):
    for suffix in ("txt", "html"):
        ours = kuaidi.write(report, tmp_path / f"api.{suffix}").read_text(encoding="utf-8")
        done = CliRunner().invoke(app, ["report", "--villages", str(VILLAGES), "--outlets", str(OUTLETS),
                                        "--as-of", "2021-12-31", "-o", str(tmp_path / f"cli.{suffix}")])
        assert done.exit_code == 0, done.output
        cli = (tmp_path / f"cli.{suffix}").read_text(encoding="utf-8")
        # the same lines, the one that says when it was generated aside
        stamp = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")
        assert [stamp.sub("", line) for line in ours.splitlines()] == [stamp.sub("", line) for line in cli.splitlines()]


def test_frames_hold_the_figures_of_the_samples(report):
    counties = report.counties_frame()
    assert dict(zip(counties["county"], counties["villages"], strict=True)) == VILLAGES_BY_COUNTY
    assert report.summary.villages == sum(VILLAGES_BY_COUNTY.values()) == 2137
    towns = report.townships_frame()
    xiangfu = towns[towns["county"] == "祥符区"]
    assert len(xiangfu) == 15  # (awk: the distinct 乡镇 of 祥符区)
    assert int(xiangfu.loc[xiangfu["township"] == "城关镇", "villages"].iloc[0]) == 4
    assert int(xiangfu.loc[xiangfu["township"] == "陈留镇", "villages"].iloc[0]) == 28
    assert {"outlets_park", "outlets_township_station", "outlets_village_point", "reach_rate"} <= set(counties.columns)
    targets = report.targets_frame()
    assert list(targets.columns) == TARGET_COLUMNS
    assert targets["county"].isna().sum() == len(report.targets)
    assert len(report.attention_frame()) == len(report.attention)
    subs = report.submissions_frame()
    assert list(subs["county"]) == list(VILLAGES_BY_COUNTY) and subs["submitted"].all()
    assert dict(zip(subs["county"], subs["rows"], strict=True)) == VILLAGES_BY_COUNTY


# The columns of the frames in the order docs/API.md ("The frames") gives them, written out by hand
FIGURES = ["villages", "reached", "reach_rate", "in_village", "in_village_rate", "priority_villages",
           "priority_in_village", "priority_in_village_rate", "priority_unknown"]
OUTLET_COLUMNS = ["outlets_park", "outlets_township_station", "outlets_village_point"]
MODES = ["modes_交快合作", "modes_快商合作", "modes_快快合作", "modes_快销合作", "modes_邮快合作", "modes_驻村设点"]
TARGET_COLUMNS = ["county", "id", "kind", "metric", "due", "target", "value", "gap", "status", "undecided",
                  "unsubmitted", "outlets_missing"]
ATTENTION_COLUMNS = ["county", "township", "village", "code", "file", "row", "reached", "in_village",
                     "priority_reasons", "priority_unknown", "missing", "undecided", "unreadable"]
SUBMISSION_COLUMNS = ["county", "submitted", "files", "rows", "valid", "invalid", "uncertain", "errors", "latest",
                      "outlets_sent", "outlets_files", "outlets_rows", "outlets_valid", "outlets_invalid",
                      "outlets_errors", "outlets_latest"]


def test_the_frames_columns_come_in_the_documented_order_and_an_empty_frame_has_them_too(report):
    """Not alphabetical: the order of docs/API.md; an empty list gives a frame of the same columns (its nested
    objects flattened; no `modes_*`, which the rows name) and dtypes, not a KeyError on `outlets_park`."""
    assert list(report.counties_frame().columns) == ["county", *FIGURES, *MODES, *OUTLET_COLUMNS, "submitted"]
    assert list(report.townships_frame().columns) == ["county", "township", *FIGURES, *MODES, *OUTLET_COLUMNS, "submitted"]
    assert list(report.targets_frame().columns) == TARGET_COLUMNS
    assert list(report.attention_frame().columns) == ATTENTION_COLUMNS
    assert list(report.submissions_frame().columns) == SUBMISSION_COLUMNS
    empty = report.model_copy(update={"counties": [], "townships": [], "targets": [], "attention": [],
                                      "submissions": []})
    counties = empty.counties_frame()
    assert list(counties.columns) == ["county", *FIGURES, *OUTLET_COLUMNS, "submitted"] and len(counties) == 0
    assert str(counties["outlets_park"].dtype) == "Int64" and str(counties["reach_rate"].dtype) == "Float64"
    assert list(empty.townships_frame().columns) == ["county", "township", *FIGURES, *OUTLET_COLUMNS, "submitted"]
    assert list(empty.targets_frame().columns) == TARGET_COLUMNS
    assert list(empty.attention_frame().columns) == ATTENTION_COLUMNS
    assert list(empty.submissions_frame().columns) == SUBMISSION_COLUMNS
    # a column all <NA> (no outlet register: no outlet counts) keeps its field's dtype
    alone = kuaidi.report(VILLAGES, as_of="2021-12-31").counties_frame()
    assert alone["outlets_park"].isna().all() and str(alone["outlets_park"].dtype) == "Int64"


def test_dataframes_give_the_figures_of_the_files(report, frames):
    villages, outlets = frames
    same = kuaidi.report(villages, outlets, as_of=dt.date(2021, 12, 31))
    assert same.counties_frame().equals(report.counties_frame())
    assert same.townships_frame().equals(report.townships_frame())
    assert same.summary == report.summary and same.targets == report.targets
    assert [i.path for i in same.inputs] == ["<DataFrame 1>", "<DataFrame 2>"]
    assert {a.file for a in same.attention} == {"<DataFrame 1>"}


def test_a_county_that_sent_no_village_row_has_no_figures_in_the_frames(frames):
    """As every table shows it (—): 杞县 with outlet rows and no village row has no village figures (<NA>, not
    0), its outlets counted; with village rows and no outlet row, no outlet counts."""
    villages, outlets = frames
    no_villages = kuaidi.report(villages[villages["县区"] != "杞县"], outlets, as_of="2021-12-31").counties_frame()
    qixian = no_villages[no_villages["county"] == "杞县"].iloc[0]
    for column in ("villages", "reached", "reach_rate", "in_village", "in_village_rate", "priority_villages",
                   "priority_in_village", "priority_in_village_rate"):
        assert qixian[column] is pd.NA, column
    assert not qixian["submitted"]
    assert qixian["outlets_park"] == 1  # P410221 杞县电商快递物流园区, opened 2021-06-05
    assert qixian["outlets_village_point"] > 0
    xiangfu = no_villages[no_villages["county"] == "祥符区"].iloc[0]
    assert xiangfu["villages"] == VILLAGES_BY_COUNTY["祥符区"]
    no_outlets = kuaidi.report(villages, outlets[outlets["县区"] != "杞县"], as_of="2021-12-31").counties_frame()
    qixian = no_outlets[no_outlets["county"] == "杞县"].iloc[0]
    assert qixian["villages"] == VILLAGES_BY_COUNTY["杞县"] and qixian["reach_rate"] is not pd.NA
    assert all(qixian[f"outlets_{level}"] is pd.NA for level in ("park", "township_station", "village_point"))


def test_a_frame_reads_as_its_csv_numbers_dates_and_blanks_included(frames, tmp_path):
    """A frame of typed columns (ints, floats, missing values, timestamps) gives the findings and figures of the
    CSV pandas writes of it."""
    villages = frames[0].head(40).copy()
    villages[POPULATION] = pd.to_numeric(villages[POPULATION])  # int64
    villages["距乡镇驻地距离(公里)"] = pd.to_numeric(villages["距乡镇驻地距离(公里)"]).astype(float)
    small = villages.index[villages[POPULATION] < 2500][0]
    villages.loc[small, "距乡镇驻地距离(公里)"] = float("nan")  # a blank: priority undecided
    villages["通达时间"] = pd.to_datetime(villages["通达时间"].replace("", None))
    villages.loc[5, POPULATION] = -7  # an error
    as_csv = tmp_path / "villages.csv"
    villages.to_csv(as_csv, index=False)
    by_frame, by_file = kuaidi.check(villages), kuaidi.check(as_csv)
    assert by_frame.findings_frame().drop(columns="file").equals(by_file.findings_frame().drop(columns="file"))
    assert {"negative-value", "priority-unknown"} <= set(by_frame.findings_frame()["code"])
    a = kuaidi.report(villages, as_of="2021-12-31")
    b = kuaidi.report(as_csv, as_of="2021-12-31")
    assert a.counties_frame().equals(b.counties_frame()) and a.summary == b.summary


def test_a_bad_cell_of_a_frame_is_a_finding_of_dataframe_1(frames):
    bad = frames[0].head(3).copy()
    bad.loc[1, POPULATION] = "不详"
    result = kuaidi.check(bad, frames[1].head(2))
    assert not result.ok and result.errors == 1
    found = result.findings_frame()
    hit = found[found["code"] == "bad-number"]
    assert hit[["file", "row", "column", "value", "severity"]].values.tolist() == [
        ["<DataFrame 1>", 3, POPULATION, "不详", "error"]]  # position 1 → row 3 (the header is row 1)
    assert hit["sheet"].isna().all()  # (a frame has no sheet)
    assert {f.file for f in result.findings} <= {"<DataFrame 1>", "<DataFrame 2>"}
    assert list(found.columns) == ["file", "sheet", "row", "column", "field", "value", "code", "severity", "message"]


def test_a_folder_is_read_as_on_the_command_line_its_other_files_told(tmp_path):
    shutil.copy(VILLAGES, tmp_path / "villages.csv")
    shutil.copy(OUTLETS, tmp_path / "outlets.csv")
    (tmp_path / "说明.docx").write_bytes(b"PK")
    result = kuaidi.check(tmp_path)
    assert [(f.table.path.name, f.table.kind.value) for f in result.files] == [
        ("villages.csv", "villages"), ("outlets.csv", "outlets")]  # (the kinds told by the headers)
    skipped = [f for f in result.findings if f.code == "file-skipped"]
    assert [f.value for f in skipped] == ["说明.docx"] and result.ok
    # and the command line's JSON holds the same findings (its stderr line aside)
    from typer.testing import CliRunner

    from kuaidi_cli.cli import app

    cli = json.loads(CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json"]).stdout)
    assert sorted((f["code"], f.get("value")) for f in cli["findings"]) \
        == sorted((f.code, f.value) for f in result.findings)
    folder = kuaidi.report(tmp_path, as_of="2021-12-31")
    assert dict(zip(folder.counties_frame()["county"], folder.counties_frame()["villages"], strict=True)) \
        == VILLAGES_BY_COUNTY


def test_write_names_the_format_by_the_suffix_and_never_overwrites_an_input(report, tmp_path):
    assert kuaidi.write(report, tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert kuaidi.write(report, tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    copy = tmp_path / "villages.csv"
    shutil.copy(VILLAGES, copy)
    mine = kuaidi.report(copy, as_of="2021-12-31")
    with pytest.raises(kuaidi.KuaidiError):
        kuaidi.write(mine, copy, format="csv")
    assert copy.read_bytes() == VILLAGES.read_bytes()
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    with pytest.raises(kuaidi.KuaidiError):  # a file kuaidi did not write
        kuaidi.write(report, tmp_path / "notes.json")
    read_back = kuaidi.Report.model_validate(report.model_dump())  # (as from JSON: the figures only)
    with pytest.raises(kuaidi.KuaidiError):  # nothing to write a workbook from
        kuaidi.write(read_back, tmp_path / "y.xlsx")


def test_write_speaks_the_librarys_words_and_takes_a_format_in_any_case(report, tmp_path):
    """write's messages name its own arguments (path, format=, force=True), never the command line's -o,
    --format, --force; format="XLSX" is xlsx."""
    assert kuaidi.write(report, tmp_path / "r.xlsx", format="XLSX").read_bytes()[:2] == b"PK"
    assert kuaidi.write(report, tmp_path / "r.json", format="Json").read_bytes().startswith(b"{")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    copy = tmp_path / "villages.csv"
    shutil.copy(VILLAGES, copy)
    mine = kuaidi.report(copy, as_of="2021-12-31")
    for call, says in [(lambda: kuaidi.write(report, tmp_path / "notes.json"), "force=True"),
                       (lambda: kuaidi.write(report, tmp_path / "r.html", format="xlsx"), "format='xlsx'"),
                       (lambda: kuaidi.write(report, tmp_path / "r.svg"), "format="),
                       (lambda: kuaidi.write(report, tmp_path / "r", format="pdf"), "format"),
                       (lambda: kuaidi.write(mine, copy, format="csv"), "another path")]:
        with pytest.raises(kuaidi.KuaidiError) as raised:
            call()
        for text in (raised.value.en, raised.value.zh):
            assert not re.search(r"(?<![\w=])(-o|--force|--format)\b", text), text
        assert says in raised.value.en, raised.value.en


def test_outlets_none_is_no_outlet_register():
    alone = kuaidi.report(VILLAGES, as_of="2021-12-31")
    assert kuaidi.report(VILLAGES, None, as_of="2021-12-31").summary == alone.summary
    assert kuaidi.check(VILLAGES, outlets=None).errors == kuaidi.check(VILLAGES).errors


def test_as_of_may_be_a_numpy_datetime64_or_a_pandas_timestamp(report):
    for when in (np.datetime64("2021-12-31"), np.datetime64("2021-12-31T08:00"), pd.Timestamp("2021-12-31"),
                 dt.datetime(2021, 12, 31, 23, 59)):
        again = kuaidi.report(VILLAGES, OUTLETS, as_of=when)
        assert again.as_of == dt.date(2021, 12, 31) and again.summary == report.summary


def test_a_frame_with_columns_of_two_levels_is_refused_not_misnumbered(frames):
    """A MultiIndex of columns would be a header of two rows in the frame's CSV, every row's number one off
    what docs/API.md promises (position i → row i + 2): an InputError says so."""
    villages, _ = frames
    two = villages.head(3).copy()
    two.columns = pd.MultiIndex.from_arrays([["台账"] * len(two.columns), list(two.columns)])
    with pytest.raises(kuaidi.InputError) as raised:
        kuaidi.check(two)
    assert "MultiIndex" in raised.value.en and "<DataFrame 1>" in raised.value.en


def test_a_report_compares_and_pickles_by_its_figures(report, tmp_path):
    """What a report was made from (kept for write) is no part of its value: a report read back from its
    fields equals it, and a pickled one loads (without it: write then raises)."""
    assert kuaidi.Report.model_validate(report.model_dump()) == report
    again = pickle.loads(pickle.dumps(report))
    assert again == report
    with pytest.raises(kuaidi.KuaidiError):
        kuaidi.write(again, tmp_path / "again.xlsx")


def _wrong(value: object) -> Any:
    """A value of a type the API does not take, given as a user's untyped code would give it."""
    return value


@pytest.mark.parametrize("call", [
    lambda: kuaidi.report(VILLAGES, as_of="2021-13-45"),
    lambda: kuaidi.report(VILLAGES, as_of="2021-12-31", county="没有这个县"),
    lambda: kuaidi.report("/no/such/register.csv", as_of="2021-12-31"),
    lambda: kuaidi.check("/no/such/folder/*.xlsx"),
    lambda: kuaidi.check(VILLAGES, rules="/no/such/rules.yaml"),
    lambda: kuaidi.changes("/no/such/history.sqlite"),
    lambda: kuaidi.trend("/no/such/history.sqlite"),
    # what is no register: never a TypeError, nor a Series' or a dict's items read as paths
    lambda: kuaidi.check(_wrong(None)),
    lambda: kuaidi.report(_wrong(None), as_of="2021-12-31"),
    lambda: kuaidi.check(_wrong(pd.Series([str(VILLAGES)]))),
    lambda: kuaidi.check(_wrong({"县区": ["祥符区"], "行政村": ["袁楼村"]})),
    lambda: kuaidi.check(VILLAGES, outlets=_wrong(5)),
    lambda: kuaidi.report(VILLAGES, as_of=_wrong(20211231)),
    lambda: kuaidi.report(VILLAGES, as_of=_wrong(pd.NaT)),
    lambda: kuaidi.report(VILLAGES, as_of=_wrong(pd.NaT.to_numpy())),
])
def test_failures_raise_kuaidi_error_and_print_nothing(call, capsys):
    with pytest.raises(kuaidi.KuaidiError) as raised:
        call()
    assert raised.value.zh and raised.value.en
    assert capsys.readouterr() == ("", "")


def test_rules_are_a_path_or_loaded_and_kinds_of_errors_are_exported(report):
    rules = kuaidi.load_rules(ROOT / "rules" / "targets.yaml")
    again = kuaidi.report(VILLAGES, OUTLETS, as_of="2021-12-31", rules=rules, county=["祥符区"])
    assert again.rules == report.rules  # the file's sha256, as the CLI names it
    assert again.scope.level == "county" and list(again.counties_frame()["county"]) == ["祥符区"]
    assert issubclass(kuaidi.InputError, kuaidi.KuaidiError) and issubclass(kuaidi.RulesError, kuaidi.KuaidiError)


def test_history_changes_and_trend_of_two_exports(tmp_path):
    history = tmp_path / "h.sqlite"
    for when in ("2021-06-30", "2021-12-31"):
        done = CliRunner().invoke(app, ["export", "--villages", str(VILLAGES), "--outlets", str(OUTLETS), "--as-of",
                                        when, "--out", str(tmp_path / "out"), "--formats", "json", "--history",
                                        str(history), "--quiet"])
        assert done.exit_code == 0, done.output
    points = kuaidi.history(history)
    assert [d.isoformat() for d in points["as_of"]] == ["2021-06-30", "2021-12-31"]
    series = kuaidi.trend(history, county="开封县")  # (an old name of 祥符区)
    assert series.county == "祥符区" and len(series.points) == 2
    found = kuaidi.changes(history, county="祥符区")
    assert (found.since, found.to) == (dt.date(2021, 6, 30), dt.date(2021, 12, 31))
    assert set(found.villages["county"]) <= {"祥符区"} and found.counts()["newly_reached"] > 0


@pytest.mark.parametrize("name", ["check", "report", "write"])
def test_help_on_a_callable_subpackage_shows_the_functions_docstring(name):
    """kuaidi.report is the subpackage made callable: help() and __doc__ give the function's signature and
    docstring first, not the subpackage's docstring."""
    import inspect
    import pydoc

    from kuaidi_cli import api

    function = getattr(api, name)
    called = getattr(kuaidi, name)
    doc = inspect.getdoc(called)
    assert doc is not None and doc.startswith(f"{name}(") and (inspect.getdoc(function) or "?") in doc
    assert str(inspect.signature(function)) in doc.splitlines()[0]
    shown = pydoc.render_doc(called, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    first = (inspect.getdoc(function) or "").split()[:6]  # (pydoc indents and rewraps nothing: its words, in order)
    assert " ".join(first) in " ".join(shown.split())
    assert getattr(kuaidi, name).__name__ == f"kuaidi_cli.{name}"  # (still the subpackage)


def test_import_kuaidi_cli_loads_nothing_heavy():
    code = ("import sys, kuaidi_cli; assert not {'pandas', 'pydantic', 'kuaidi_cli.api'} & set(sys.modules); "
            "from kuaidi_cli.report.model import Report; import kuaidi_cli.check.register; "
            "assert callable(kuaidi_cli.report) and callable(kuaidi_cli.check) and kuaidi_cli.Report is Report; "
            # the subpackages of the functions' names are still reached by attribute (imports, monkeypatch targets)
            "import kuaidi_cli.write.files as f; assert kuaidi_cli.write.files is f and callable(kuaidi_cli.write); "
            "import inspect; assert 'as_of' in inspect.signature(kuaidi_cli.report).parameters")
    subprocess.run([sys.executable, "-c", code], check=True)


SCRIPT = '''
import datetime as dt
from pathlib import Path

import pandas as pd

import kuaidi_cli as kuaidi


def main(folder: Path) -> float:
    result: kuaidi.CheckResult = kuaidi.check([folder / "villages.csv"], folder / "outlets.csv", as_of="2021-12")
    errors: int = result.errors
    frame: pd.DataFrame = result.findings_frame("en")
    report: kuaidi.Report = kuaidi.report(str(folder / "villages.csv"), as_of=dt.date(2021, 12, 31),
                                          county="祥符区", rules=kuaidi.load_rules())
    counties: pd.DataFrame = report.counties_frame()
    written: Path = kuaidi.write(report, "r.json", lang="en")
    try:
        kuaidi.changes(since="2021-06-30")
    except kuaidi.KuaidiError as e:
        print(e.message("en"), errors, len(frame), len(counties), written)
    rate = report.summary.reach_rate
    return rate if rate is not None else 0.0
'''


def test_a_users_script_passes_mypy_strict(tmp_path):
    """The public functions are typed: a script calling them passes `mypy --strict` (an untyped one fails it:
    'Call to untyped function'), and a wrong use of a result is found (so the types are seen, not Any)."""
    (tmp_path / "notebook.py").write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    (tmp_path / "wrong.py").write_text("import kuaidi_cli as kuaidi\n\n"
                                       "x: int = kuaidi.report('v.csv', as_of='2021-12-31')\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--config-file=", "--python-version", "3.11",
                           "--cache-dir", str(ROOT / ".mypy_cache" / "api-script"), "notebook.py", "wrong.py"],
                          capture_output=True, text=True, cwd=tmp_path)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and errors[0].startswith("wrong.py:3:") and '"Report"' in errors[0], done.stdout


def test_a_notebook_shows_the_files_of_a_check_in_a_few_lines_and_findings_as_text():
    result = kuaidi.check(VILLAGES, OUTLETS)
    assert len(repr(result.files)) < 5_000  # (not every cell and row number of 4 343 rows)
    assert "villages.csv" in repr(result.files[0])
    frame = kuaidi.check(SAMPLES / "villages_messy.csv").findings_frame()
    assert str(frame["file"].dtype) == "string" and str(frame["row"].dtype) == "Int64"
    assert frame["sheet"].isna().all()  # (a CSV has no sheet: <NA>, as docs/API.md says of every frame)
    assert not {"sys", "ModuleType", "TYPE_CHECKING"} & set(dir(kuaidi))
