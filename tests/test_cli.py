"""The command line: exit codes, one-line errors on stderr, tables and JSON."""

import json
import re
from pathlib import Path

import pytest
import typer
from conftest import FIXTURES, HEADER, SAMPLES, write
from typer.testing import CliRunner

from kuaidi_cli.cli import app

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_clean_register_exits_0():
    result = invoke("check", FIXTURES / "villages_clean.csv", "--outlets", FIXTURES / "outlets_clean.csv")
    assert result.exit_code == 0, result.output
    assert "行数 10 = 有效 10 + 无效 0 + 跳过 0" in result.stdout
    assert "行数 6 = 有效 6 + 无效 0 + 跳过 0" in result.stdout
    assert "检查通过" in result.stdout


def test_warnings_alone_still_exit_0():
    result = invoke("check", FIXTURES / "villages_gbk_title_total.csv")
    assert result.exit_code == 0
    assert "old-division-name" in result.stdout
    assert "行数 12 = 有效 10 + 无效 0 + 跳过 2" in result.stdout


def test_errors_exit_1_and_are_listed(tmp_path):
    path = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,abc,,,,,,\n")
    result = invoke("check", path, "--divisions", "none")
    assert result.exit_code == 1
    assert "bad-number" in result.stdout and "第2行" in result.stdout
    assert "「abc」不是有效的数值" in result.stdout


def test_english(tmp_path):
    path = write(tmp_path, f"{HEADER}\n祥符区,城关镇,袁楼村,410212100200,abc,,,,,,\n")
    result = runner.invoke(app, ["check", str(path), "--lang", "en", "--divisions", "none"], env={"COLUMNS": "200"})
    assert "'abc' is not a valid number" in result.stdout
    # (a population that is no number: the village is counted, its priority undecided)
    assert "rows 1 = valid 0 + uncertain 1 + invalid 0 + skipped 0" in result.stdout


def test_max_findings_caps_the_table_and_says_how_many_more(tmp_path):
    body = "".join(f"祥符区,城关镇,村{i},4102121002{i:02d},bad{i},,,,,,\n" for i in range(30))
    result = invoke("check", write(tmp_path, HEADER + "\n" + body), "--max-findings", "5", "--divisions", "none")
    assert result.exit_code == 1
    # 30 bad numbers, 30 villages whose priority is then undecided, and the four columns blank in every
    # row (距离, 驻村设点, 通达, 合作模式): 64
    assert "还有 59 条未显示" in result.stdout


def test_json_lists_every_finding(tmp_path):
    body = "".join(f"祥符区,城关镇,村{i},4102121002{i:02d},bad{i},,,,,,\n" for i in range(30))
    result = invoke("check", write(tmp_path, HEADER + "\n" + body), "--format", "json", "--max-findings", "5",
                    "--divisions", "none")
    data = json.loads(result.stdout)
    assert data["schema"] == "kuaidi.check/1"
    assert data["ok"] is False
    assert len(data["findings"]) == 64  # 30 bad numbers, 30 priority-unknown, 4 column-empty
    assert [f["code"] for f in data["findings"]].count("priority-unknown") == 30
    assert [f["code"] for f in data["findings"]].count("column-empty") == 4
    f = next(f for f in data["findings"] if f["code"] == "bad-number")
    assert (f["code"], f["row"], f["column"], f["value"], f["severity"]) == ("bad-number", 2, "人口数(人)", "bad0", "error")
    # (errors only in 人口: each village is counted, its priority undecided — uncertain, not invalid)
    assert (data["files"][0]["rows"], data["files"][0]["uncertain"], data["files"][0]["invalid"]) == (30, 30, 0)


def test_json_text_is_the_standard_encoding(tmp_path):
    # docs/EXPORTS.md, "The JSON report": the text json.dumps(ensure_ascii=False, indent=2) writes, with
    # quotes, backslashes, a tab and Chinese in the quoted values, and null sheets
    body = '祥符区,城关镇,"村""甲""",410212100201,"a""b\tc",,,,,,\n祥符区,城关镇,村乙,410212100202,\\x,,,,,,\n'
    result = invoke("check", write(tmp_path, HEADER + "\n" + body), "--format", "json", "--divisions", "none")
    data = json.loads(result.stdout)
    assert [f["value"] for f in data["findings"] if f["code"] == "bad-number"] == ['a"b\tc', "\\x"]
    assert result.stdout == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_a_finding_as_json_has_every_field_of_the_finding():
    import dataclasses

    from kuaidi_cli.core.findings import Severity, make

    f = make("bad-number", file="a.csv", sheet="S", row=3, column="人口数(人)", field="population", value="x")
    d = f.to_dict()
    assert list(d) == [x.name for x in dataclasses.fields(f)]
    assert d["severity"] == "error" and d["row"] == 3 and d["value"] == "x" and Severity.ERROR is f.severity


@pytest.mark.parametrize(("make", "words"), [
    (lambda d: d / "nope.xlsx", "找不到文件"),
    (lambda d: d, "文件夹"),
    (lambda d: write(d, "", "empty.csv"), "空文件"),
    (lambda d: FIXTURES / "encrypted.xlsx", "密码"),
    (lambda d: write(d, "姓名,电话\n张三,123\n", "phone.csv"), "找不到行政村台账"),
])
def test_cannot_run_is_one_line_on_stderr_and_exit_2(tmp_path, make, words):
    result = invoke("check", make(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_and_keeps_exit_2(tmp_path):
    result = invoke("check", tmp_path / "nope.csv", "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "InputError" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("kuaidi: ")


def test_language_from_the_main_option_and_the_environment(tmp_path):
    english = runner.invoke(app, ["--lang", "en", "check", str(tmp_path / "nope.csv")])
    assert english.exit_code == 2 and "not found" in english.stderr.lower(), english.stderr
    by_env = runner.invoke(app, ["check", str(tmp_path / "nope.csv")], env={"KUAIDI_LANG": "en"})
    assert by_env.stderr == english.stderr
    chinese = invoke("check", tmp_path / "nope.csv")
    assert chinese.stderr != english.stderr


def test_version_alone():
    result = invoke("--version")
    from importlib.metadata import version

    assert result.exit_code == 0 and result.stdout.strip() == version("kuaidi-cli")


def test_unknown_sheet_is_exit_2():
    result = invoke("check", FIXTURES / "villages_two_row_header.xlsx", "--sheet", "汇总")
    assert result.exit_code == 2 and "台账" in result.stderr


def test_bad_rules_file_is_exit_2(tmp_path):
    rules = write(tmp_path, "name: x\nmodes: 3\n", "rules.yaml")
    result = invoke("check", FIXTURES / "villages_clean.csv", "--rules", rules)
    assert result.exit_code == 2 and "priority" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_samples_demo_figures():
    clean = invoke("check", SAMPLES / "villages.csv", "--outlets", SAMPLES / "outlets.csv")
    assert clean.exit_code == 0
    assert "行数 2137 = 有效 2137 + 无效 0 + 跳过 0" in clean.stdout


def test_every_command_has_help():
    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
    result = invoke("check", "--help")
    assert result.exit_code == 0 and "--max-findings" in result.stdout


def test_the_garbage_collector_is_paused_while_a_command_runs_and_restored_after(monkeypatch, tmp_path):
    import gc

    from kuaidi_cli.commands import check as checking

    seen = []
    real = checking.validate

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(checking, "validate", spy)
    assert gc.isenabled()
    result = invoke("check", FIXTURES / "villages_clean.csv", "--outlets", FIXTURES / "outlets_clean.csv")
    assert result.exit_code == 0, result.output
    assert seen == [False, False]  # villages, outlets
    assert gc.isenabled()
    # and after a command that could not run
    result = invoke("check", tmp_path / "missing.csv")
    assert result.exit_code == 2
    assert gc.isenabled()


def test_the_collector_stays_off_when_the_process_ends_with_the_command():
    import gc

    from kuaidi_cli import cli

    try:  # as main() runs it: the process ends with the command
        result = runner.invoke(app, ["check", str(FIXTURES / "villages_clean.csv")],
                               obj=cli.Session(ends_with_command=True))
        assert result.exit_code == 0, result.output
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_english_counts_of_one_are_singular():
    from kuaidi_cli.write.labels import LABELS, SINGULAR_EN, t

    assert t("gap.villages", "en", n=1) == "1 more village" and t("gap.villages", "en", n=2) == "2 more villages"
    assert t("gap.unsubmitted", "en", n=1) == "1 county or township sent nothing"
    assert t("gap.villages", "zh", n=1) == "还差 1 个村"
    for key, singular in SINGULAR_EN.items():  # the same placeholders as the plural
        names = re.findall(r"{(\w+)}", singular)
        assert key in LABELS and sorted(names) == sorted(re.findall(r"{(\w+)}", LABELS[key][1])), key


def test_township_as_a_clerk_writes_it():
    """data/samples/villages.csv holds 祥符区's 陈留镇 and 杞县's 小陈乡."""
    short = invoke("report", "--samples", "--township", "陈留", "--as-of", "2021-12-31", "--format", "json")
    full = invoke("report", "--samples", "--township", "陈留镇", "--as-of", "2021-12-31", "--format", "json")
    assert short.exit_code == 0 and json.loads(short.stdout)["scope"] == json.loads(full.stdout)["scope"]
    vague = invoke("report", "--samples", "--township", "陈")
    assert vague.exit_code == 2 and "陈留镇" in vague.stderr and len(vague.stderr) < 200
    unknown = invoke("report", "--samples", "--township", "火星")
    assert unknown.exit_code == 2 and "--county" in unknown.stderr and len(unknown.stderr) < 200


def test_the_report_footer_names_the_check_of_these_very_files(tmp_path):
    folder = tmp_path / "县 台账"
    folder.mkdir()
    path = write(folder, f"{HEADER}\n祥符区,城关镇,黄龙村,41021210020,900,6.3,否,,是,,\n", "祥符区.csv")
    result = runner.invoke(app, ["report", "--villages", str(path), "--divisions", "none", "--as-of", "2021-12-31"],
                           env={"COLUMNS": "300"})
    assert f"用 kuaidi check '{path}' --as-of 2021-12-31 查看" in result.stdout
    samples = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31"], env={"COLUMNS": "300"})
    assert "kuaidi check data/samples/villages.csv --outlets data/samples/outlets.csv --as-of 2021-12-31" in samples.stdout


def test_a_csv_without_a_register_is_not_told_to_choose_a_sheet(tmp_path):
    result = invoke("check", write(tmp_path, "姓名,电话\n张三,123\n", "联系人.csv"))
    assert result.exit_code == 2 and "找不到行政村台账的表头" in result.stderr and "--sheet" not in result.stderr


def _kuaidi(*args: str, **kw):
    """kuaidi as a separate program (python -m kuaidi_cli), as a shell runs it."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "KUAIDI_LANG", "KUAIDI_DEBUG")}
    return subprocess.run([sys.executable, "-m", "kuaidi_cli", *args], env={**env, **kw.pop("env", {})},
                          capture_output=kw.pop("capture_output", "stdout" not in kw), timeout=120, **kw)


BAD = f"{HEADER}\n祥符区,城关镇,丁村,410212100203,abc,2,否,,否,,\n"  # 人口 abc: an error


@pytest.mark.parametrize(("args", "code"), [
    (("--help",), 0), (("check", "--help"), 0), (("report", "--samples", "--as-of", "2021-12-31"), 0),
    (("check", "BAD", "--divisions", "none"), 1), (("check", "BAD", "--divisions", "none", "--format", "json"), 1),
    (("report", "--samples", "--as-of", "2021-12-31", "--fail-on", "missed"), 1),
    (("report", "--samples", "--as-of", "2021-12-31", "--fail-on", "missed", "--format", "csv"), 1),
    (("export", "--samples", "--out", "OUT", "--no-history", "--as-of", "2021-12-31", "--fail-on", "missed"), 1),
])
def test_a_reader_that_stops_reading_changes_no_exit_code(args, code, tmp_path):
    """`kuaidi … | head`: the reader is gone before kuaidi writes a line (the pipe's reading end is closed
    first). The help exits 0; a command exits as it would have — 1 for a register with errors or a missed
    target under --fail-on (the samples miss 重点村驻村设点率100% at 2021-12-31), so `set -o pipefail` sees it."""
    import os
    import subprocess

    bad = write(tmp_path, BAD, "bad.csv")
    read, written = os.pipe()
    os.close(read)
    try:
        named = {"BAD": str(bad), "OUT": str(tmp_path / "out")}
        done = _kuaidi(*(named.get(a, a) for a in args), stdout=written, stderr=subprocess.PIPE)
    finally:
        os.close(written)
    assert done.returncode == code
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr


@pytest.mark.parametrize(("args", "code"), [
    (("check", "BAD", "--divisions", "none", "--as-of", "2099-12-31"), 1),
    (("report", "--samples", "--as-of", "2021-12-31", "--fail-on", "missed"), 1),
    (("export", "--villages", "BAD", "--out", "OUT", "--no-history", "--as-of", "2021-12-31", "--divisions", "none",
      "--fail-on", "errors"), 1),
])
def test_a_reader_that_stops_reading_stderr_too_changes_no_exit_code(args, code, tmp_path):
    """`kuaidi … 2>&1 | head`: stderr is the closed pipe as well, and the line saying what --fail-on failed on
    goes to it (check: the line saying the as-of date is after today). The command still exits as it would
    have (it exited 0 when that line met the broken pipe)."""
    import os

    bad = write(tmp_path, BAD, "bad.csv")
    read, written = os.pipe()
    os.close(read)
    try:
        named = {"BAD": str(bad), "OUT": str(tmp_path / "out")}
        done = _kuaidi(*(named.get(a, a) for a in args), stdout=written, stderr=written)
    finally:
        os.close(written)
    assert done.returncode == code


def test_fail_on_under_pipefail_with_stderr_in_the_pipe(tmp_path):
    """As a cron line or a script writes it: `set -o pipefail; kuaidi report --fail-on missed 2>&1 | head -1`
    fails with kuaidi's code (the samples miss 重点村驻村设点率100% at 2021-12-31)."""
    import shlex
    import subprocess
    import sys

    line = f"{shlex.quote(sys.executable)} -m kuaidi_cli report --samples --as-of 2021-12-31 --fail-on missed 2>&1 | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", line], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout.startswith("【示例数据】")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scope", [(), ("--county", "祥符区")])
def test_at_80_columns_every_figure_of_the_scope_tables_stays_on_one_line(lang, scope):
    """At 80 columns the county and township tables wrap their headers and names, never a figure ("133" over
    two lines, "84." over "2%"): each line of their bodies holds whole figures in every figure column, or
    (a name folded onto a second line) none."""
    text = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--lang", lang, *scope],
                         env={"COLUMNS": "80"}).stdout
    whole = re.compile(r"\d+|\d+\.\d%|—")
    tables = re.findall(r"^(?:分县区|分乡镇|By county|By township) *\n(.*?)^└", text, flags=re.M | re.S)
    assert len(tables) == (1 if not scope else 2)
    rates = 0
    for table in tables:
        lines = table.splitlines()
        assert max(map(len, lines)) <= 80
        names = 1 if lines[0].count("┳") == 11 else 2  # (11 figure columns: the names' columns before them)
        body = [line for line in lines[lines.index(next(x for x in lines if x.startswith("┡"))) + 1:]
                if line.startswith("│")]
        assert body
        for line in body:
            cells = [c.strip() for c in line.strip("│").split("│")][names:]
            assert len(cells) == 11, line
            assert all(whole.fullmatch(c) for c in cells) or not any(cells), line
            rates += sum(bool(re.fullmatch(r"\d+\.\d%", c)) for c in cells)
    assert rates >= 3 * 6  # three rates a row, the county (total) rows and the townships'


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_80_columns_a_submission_keeps_its_county_figures_and_status_on_its_first_line(lang):
    """报送情况 at 80 columns: the file's path folds; the county's name, its figures, its date and its status
    stay whole on the county's first line (a row was 9 lines of 3 characters), and no line is cut."""
    text = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--lang", lang],
                         env={"COLUMNS": "80"}).stdout
    table = re.search(r"^(?:报送情况|Submissions) *\n(.*?)^└", text, flags=re.M | re.S)
    assert table, text
    lines = table.group(1).splitlines()
    assert max(map(len, lines)) <= 80
    first = next(line for line in lines if "祥符区" in line)
    status = "已报送" if lang == "zh" else "submitted"
    # the samples' 祥符区: 336 village rows, all valid, the latest date 2021-12-31 (as of that date)
    assert re.search(r"│ *336 *│ *336 *│ *0 *│ *0 *│ *2021-12-31 *│ *" + status, first), first


def test_at_120_columns_no_english_header_is_cut_inside_a_word():
    # the headers wrap between their words, and the padding between the columns goes, before a word is cut
    text = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--lang", "en"],
                         env={"COLUMNS": "120"}).stdout
    table = re.search(r"^By county *\n(.*?)^┡", text, flags=re.M | re.S)
    assert table
    words = {w for line in table.group(1).splitlines() for w in re.split(r"[┃┏┳┓━\s]+", line) if w}
    assert words <= {"County", "Villages", "Reached", "Reach", "rate", "Priority", "w/", "outlet", "in-village",
                     "In-village", "Parks", "Stations", "Points"}, words


def test_the_check_command_under_a_report_is_one_line_to_copy_at_80_columns():
    text = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31"], env={"COLUMNS": "80"}).stdout
    command = "kuaidi check data/samples/villages.csv --outlets data/samples/outlets.csv --as-of 2021-12-31"
    assert any(command in line for line in text.splitlines()), [x for x in text.splitlines() if "check" in x]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_under_65_columns_the_county_table_is_lines_of_named_figures(lang):
    """Too narrow for the figures whole beside the names, the county table is a block a county: its name,
    then each figure with its label, never a figure broken nor a row without its name (a table there
    squeezed the names to nothing)."""
    from rich.cells import cell_len

    text = runner.invoke(app, ["report", "--samples", "--as-of", "2021-12-31", "--lang", lang],
                         env={"COLUMNS": "50"}).stdout
    heading, end = ("分县区", "报送情况") if lang == "zh" else ("By county", "Submissions")
    block = text[text.index(heading + "\n"):text.index(end)]
    assert max(cell_len(line.rstrip()) for line in block.splitlines()) <= 50
    for county in ("祥符区", "杞县", "通许县", "尉氏县", "兰考县"):
        assert f"\n{county}\n" in block
    # 祥符区 in the samples as of 2021-12-31: 336 villages, 281 reached (83.6%)
    rate = "通达率 83.6%" if lang == "zh" else "Reach rate 83.6%"
    assert rate in block and ("行政村 336" if lang == "zh" else "Villages 336") in block
    # and 报送情况: each county named with its status, each register's figures labelled
    sent = text[text.index(end + "\n"):]
    assert ("祥符区  已报送" if lang == "zh" else "祥符区  submitted") in sent
    assert ("行数 336" if lang == "zh" else "Rows 336") in sent
    assert max(cell_len(line.rstrip()) for line in sent.splitlines()[:30]) <= 50


def test_a_table_sent_to_a_file_is_not_wrapped_at_80_columns(tmp_path):
    """Redirected, the county table keeps each row on one line: 200 columns, or COLUMNS when it is set."""
    out = tmp_path / "report.txt"
    with out.open("wb") as fh:
        assert _kuaidi("report", "--samples", "--as-of", "2021-12-31", stdout=fh).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("│ 祥符区 ") for line in lines)
    assert max(map(len, lines)) > 80 and max(map(len, lines)) <= 200
    with out.open("wb") as fh:
        assert _kuaidi("report", "--samples", "--as-of", "2021-12-31", stdout=fh, env={"COLUMNS": "120"}).returncode == 0
    assert max(map(len, out.read_text(encoding="utf-8").splitlines())) <= 120


def test_help_names_values_not_python_types():
    for command in ("check", "report", "export", "trend", "changes", "template", "rules"):
        text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).stdout
        assert not re.search(r"<(list|bool|Path|str|int|float)\b|\[Path\]", text), command
    check = runner.invoke(app, ["check", "--help"], env={"COLUMNS": "200"}).stdout
    assert "PATH" in check and "显示本帮助并退出 / show this help and exit" in check


def test_every_option_is_explained_in_english_too():
    # a help text with Chinese in it carries English beside it ("… / in English"): kuaidi's help has one
    # language for both, and an English user reads every option
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for info in group.commands.values():
        for param in info.params:
            text = getattr(param, "help", None) or ""
            # ("中文 / English": an option's values and file names in the Chinese are no English)
            if param.param_type_name == "option" and re.search(r"[\u4e00-\u9fff]", text):
                assert re.search(r"/ [^/]*[A-Za-z]{3,}", text), (info.name, param.name, text)


def test_debug_from_the_environment(tmp_path):
    done = _kuaidi("check", str(tmp_path / "nope.csv"), env={"KUAIDI_DEBUG": "1"})
    assert done.returncode == 2
    assert b"Traceback" in done.stderr and done.stderr.decode().strip().splitlines()[-1].startswith("kuaidi: ")


def test_the_english_check_summary_of_one_row(tmp_path):
    one = write(tmp_path, f"{HEADER}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n", "one.csv")
    bad = write(tmp_path, f"{HEADER}\n祥符区,城关镇,丁村,41021210020,900,2,否,,否,,\n", "bad.csv")  # 11 digits
    passed = invoke("check", one, "--lang", "en", "--divisions", "none")
    assert passed.exit_code == 0 and "✓ Passed: 1 file, 1 valid row, no errors" in passed.stdout
    failed = invoke("check", bad, "--lang", "en", "--divisions", "none")
    assert failed.exit_code == 1 and "✗ 1 error and " in failed.stdout and ": 1 row is invalid." in failed.stdout


def test_only_a_count_of_exactly_one_is_singular():
    from kuaidi_cli.write.labels import t

    assert t("ok", "en", files=2, valid=11, warnings=21) == "✓ Passed: 2 files, 11 valid rows, no errors (21 warnings)."
    assert t("ok", "en", files=1, valid=1, warnings=1) == "✓ Passed: 1 file, 1 valid row, no errors (1 warning)."


def test_what_the_system_refuses_is_said_in_chinese(tmp_path):
    """The operating system's reason is English ("No such file or directory", "Not a directory"): the
    Chinese line names the cause in Chinese; the English line keeps the system's words."""
    missing = invoke("rules", "--rules", tmp_path / "nope.yaml")
    assert missing.exit_code == 2 and "文件或文件夹不存在" in missing.stderr and "No such file" not in missing.stderr
    a_file = write(tmp_path, "x", "a.csv")
    refused = invoke("report", "--samples", "--format", "csv", "-o", a_file / "out.csv")
    assert refused.exit_code == 2 and "路径中有一段不是文件夹" in refused.stderr and "Not a directory" not in refused.stderr
    english = runner.invoke(app, ["--lang", "en", "report", "--samples", "--format", "csv", "-o", str(a_file / "out.csv")])
    assert english.exit_code == 2 and "Not a directory" in english.stderr


def test_a_path_holding_a_one_is_kept_as_written(tmp_path):
    """'1 files' in a folder's name is part of a path, not a count: the English footer keeps it."""
    folder = tmp_path / "round 1 files"
    folder.mkdir()
    register = write(folder, f"{HEADER}\n祥符区,城关镇,丁村,410212100203,900,2,否,,否,,\n", "x.csv")
    done = runner.invoke(app, ["report", "--villages", str(register), "--divisions", "none", "--lang", "en",
                               "--as-of", "2021-12-31"], env={"COLUMNS": "250"})
    assert f"input: {register} (1 row, 0 with errors)" in done.stdout


def test_a_kuaidi_toml_that_is_not_toml_is_told_where_in_chinese(tmp_path, monkeypatch):
    """The TOML parser's words are English ("Expected '=' after a key…"): the Chinese line names the line
    and column and the form to write; the English line keeps the parser's words."""
    (tmp_path / "kuaidi.toml").write_text('villages = "a.csv"\nb c\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    zh = invoke("report")
    assert zh.exit_code == 2 and "第 2 行第 3 列附近" in zh.stderr and "Expected" not in zh.stderr
    en = invoke("--lang", "en", "report")
    assert en.exit_code == 2 and "Expected '='" in en.stderr


def test_a_division_file_that_is_not_utf8_csv_is_told_in_chinese(tmp_path):
    """--divisions FOLDER whose villages.csv is no UTF-8 CSV: a Chinese line saying so (pandas' English stays
    in the English line)."""
    import shutil

    from kuaidi_cli.core import gazetteer

    source = Path(gazetteer.__file__).parent / "divisions" / "4102" / "2021"
    folder = tmp_path / "区划"
    shutil.copytree(source, folder)
    (folder / "villages.csv").write_bytes(b"\xff\xfe\x00bad")
    said = invoke("check", SAMPLES / "villages.csv", "--divisions", folder)
    assert said.exit_code == 2 and "不是 UTF-8 的 CSV" in said.stderr and "codec" not in said.stderr


@pytest.mark.parametrize(("args", "english", "zh_words", "en_words"), [
    (["export"], ["export", "--lang", "en"], ["缺少选项 --out"], ["missing option --out"]),
    (["report", "--formt", "json"], ["report", "--formt", "json", "--lang", "en"],
     ["没有选项 --formt（您是否指 --format"], ["no such option --formt (did you mean --format"]),
    (["report", "--format", "pdf"], ["report", "--format", "pdf", "--lang=en"],
     ["选项 --format 的值 pdf 无效", "table、json、csv、xlsx、html"],
     ["invalid value pdf for --format", "one of table, json, csv, xlsx, html"]),
    (["check"], ["check", "--lang", "en"], ["缺少参数 PATH"], ["missing argument PATH"]),
    (["reprot"], ["reprot", "--lang", "en"], ["没有命令 reprot（您是否指 report"],
     ["no such command reprot (did you mean report"]),
    (["rules", "a1", "b2"], ["rules", "a1", "b2", "--lang", "en"], ["多余的参数：a1 b2"],
     ["unexpected extra arguments: a1 b2"]),
    (["export", "--out"], ["--lang", "en", "export", "--out"], ["选项 --out 后面缺少值"], ["option --out needs a value"]),
    (["report", "--samples=1"], ["report", "--lang", "en", "--samples=1"], ["选项 --samples 不带值"],
     ["option --samples takes no value"]),
    (["--max-input-mb", "0", "rules"], ["--max-input-mb", "0", "rules", "--lang", "en"],
     ["选项 --max-input-mb 的值 0 无效：须为 ≥ 1 的整数"], ["invalid value 0 for --max-input-mb: a whole number ≥ 1"]),
])
def test_a_usage_error_is_said_in_the_users_language(args, english, zh_words, en_words):
    """click's usage errors were English whatever the language ("Missing option '--out'."): now Chinese by
    default, English with --lang en (even after the option that failed), exit 2, the usage line, then one
    line of what is wrong and where the options are."""
    command = "kuaidi" if args[0].startswith("-") or args[0] == "reprot" else f"kuaidi {args[0]}"
    for given, env, usage, words, see in (
        (args, {"KUAIDI_LANG": None}, "用法：", zh_words, f"；用法见 {command} --help"),
        (english, {"KUAIDI_LANG": None}, "Usage: ", en_words, f"; see {command} --help"),
        (args, {"KUAIDI_LANG": "en"}, "Usage: ", en_words, f"; see {command} --help"),
    ):
        result = runner.invoke(app, given, env=env)
        assert result.exit_code == 2, (given, result.output)
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2, result.stderr
        assert lines[0].startswith(usage + command), lines
        assert lines[1].startswith("kuaidi: ") and lines[1].endswith(see), lines
        assert all(w in lines[1] for w in words), lines
        assert not re.search(r"Missing|No such|Invalid|Error|Got unexpected|requires|does not take", result.stderr)


def test_no_help_is_cut_or_spaced_at_80_columns():
    """At 80 columns the help of kuaidi and of every command keeps its whole text (rich once cut a Chinese
    line with "…": it dropped a line's closing space by its characters, not by its cells) and has no space
    after a full-width mark, in either language."""
    from rich.cells import cell_len

    commands: list[list[str]] = [[]]
    for c in app.registered_commands:
        assert c.callback is not None
        commands.append([c.name or c.callback.__name__])
    assert len(commands) == 8
    for lang in ("zh", "en"):
        for command in commands:
            result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80", "KUAIDI_LANG": lang})
            assert result.exit_code == 0, command
            assert "…" not in result.stdout, result.stdout
            for line in result.stdout.splitlines():
                assert cell_len(line) <= 80 and not re.search(r"[，：。；、] ", line.strip(" │╭╮╰╯─")), (command, line)


def test_at_80_columns_a_findings_message_has_the_room_to_be_read():
    # under 100 columns the code goes under its message (in the JSON and at 100+ it has its column)
    text = runner.invoke(app, ["check", str(SAMPLES / "villages_messy.csv"), "--lang", "en"],
                         env={"COLUMNS": "80"}).stdout
    assert "column '序号' is not recognised; ignored" in text  # one line, not four of 15 characters
    assert "unmapped-column" in text
    wide = runner.invoke(app, ["check", str(SAMPLES / "villages_messy.csv"), "--lang", "en"],
                         env={"COLUMNS": "120"}).stdout
    assert "┃ Code" in wide
