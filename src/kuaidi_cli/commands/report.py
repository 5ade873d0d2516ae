"""`report` as a library call: registers in, a `Report` (and what the terminal view adds) out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kuaidi_cli.check import Register, with_outlet_register
from kuaidi_cli.check.register import FileResult
from kuaidi_cli.commands.check import (
    load_in_background,
    load_register,
    read_elsewhere,
    validate_loaded,
    without_cells,
)
from kuaidi_cli.commands.inputs import Registers, Source, sha256, skipped_lines
from kuaidi_cli.commands.second_process import SECOND_PROCESS_BYTES, SecondProcess
from kuaidi_cli.commands.townships import one_county, township_named
from kuaidi_cli.core import normalise
from kuaidi_cli.core.errors import InputError, KuaidiError
from kuaidi_cli.core.fields import Kind
from kuaidi_cli.core.findings import Finding, Severity, make
from kuaidi_cli.core.gazetteer import Gazetteer
from kuaidi_cli.core.rules import Rules, canonical_county
from kuaidi_cli.core.threads import in_thread
from kuaidi_cli.measure.coverage import Coverage, compute
from kuaidi_cli.read import Limits, is_workbook
from kuaidi_cli.report.build import OutletParts, Sent, build, select
from kuaidi_cli.report.model import InputRef, Reference, Report, ReportContext, RulesRef, ScopeOut
from kuaidi_cli.report.scoped import findings_in_scope, row_places
from kuaidi_cli.report.submissions import Places, submissions, township_names, township_submissions
from kuaidi_cli.write.files import refuse_existing, refuse_input
from kuaidi_cli.write.json_csv import csv_headers


def _second_process_pays(*paths: Path) -> bool:
    """Large registers of which one is a workbook (xlsx, xls, ods: a zip or an OLE file).

    Reading a workbook is mostly Python work (calamine's cells made text), which a second thread cannot
    do beside the checks: a second process takes the national XLSX pair from ~28 s to ~21 s. A CSV
    pair is read by pyarrow in threads already; there a second process saved ~1 s of 11 and took the
    peak memory of the two processes to 1.6 GiB, so CSV stays in one process."""
    try:
        size = sum(path.stat().st_size for path in paths)
    except OSError:  # reported as the register is read
        return False
    return size >= SECOND_PROCESS_BYTES and any(is_workbook(path) for path in paths)


def run(registers: Registers, rules: Rules, rules_sha: str, as_of: dt.date, *, counties: list[str]
        | None = None,
        township: str | None = None, generated_at: str | None = None, gazetteer: Gazetteer | None = None,
        universe: str = "register", limits: Limits | None = None) -> tuple[Report, ReportContext]:
    """Load, validate, compute and evaluate. Raises KuaidiError when an input cannot be read or a
    county or township asked for is not in the registers.

    With a gazetteer, the villages it lists for the townships the register covers but the register
    lacks are findings; `universe="gazetteer"` counts them too (as not reached)."""
    if universe == "gazetteer" and gazetteer is None:
        raise KuaidiError("--universe gazetteer 需要官方区划（规则 divisions 或 --divisions）",
                          "--universe gazetteer needs a division list (the rules' divisions or --divisions)")
    # the inputs' sha256 (for the report's inputs) in a thread meanwhile: hashlib works without the GIL
    paths = registers.paths
    # (keyed as the tables name their file: a DataFrame by its name)
    # one after the other, as before
    digests = in_thread("sha256", lambda: {_path(p): sha256(p) for p in paths})
    outlets: Register | None
    if registers.outlets and len(registers.files) == len(paths) and _second_process_pays(*registers.files):
        # a province's or the country's workbooks: the village register is loaded and checked in a
        # second process while this one does the outlet register (two cores, two registers)
        second = SecondProcess(registers.files[:len(registers.villages)], Kind.VILLAGES, rules, limits=limits,
                               gazetteer=gazetteer,
                               # (报送情况 and a
                               keep_seen=True, sheet=registers.sheet, encoding=registers.encoding)
                               # part's findings need the rows' places)
        try:
            outlets = without_cells(load_register(registers.outlets, Kind.OUTLETS, rules,
                                                  encoding=registers.encoding,
                                                  limits=limits))
            villages = second.result()
        finally:
            second.close()
    else:
        # the outlet register is read in a second thread while the village register is read and checked
        outlet_tables = load_in_background(registers.outlets, Kind.OUTLETS, rules,
                                           encoding=registers.encoding,
                                           limits=limits) if registers.outlets else None
        villages = without_cells(load_register(registers.villages, Kind.VILLAGES, rules, gazetteer=gazetteer,
                                               sheet=registers.sheet, encoding=registers.encoding,
                                               limits=limits))
        outlets = without_cells(validate_loaded(outlet_tables(), rules,
                                                limits=limits)) if outlet_tables else None
    # a sheet of the other kind's register in a workbook given as both is read there, not left out
    read_elsewhere(villages, registers.outlets)
    if outlets is not None:
        read_elsewhere(outlets, registers.villages)
    # an outlet register with no valid row (a template's blank sheet) gives nothing to count from: as if
    # none was given (the counts have no data; the village register's flags decide)
    # (its uncertain rows too: an outlet with a date or 层级 kuaidi cannot read leaves figures undecided)
    outlet_frame = outlets.counted() if outlets is not None and len(outlets.counted()) else None
    if outlet_frame is not None:
        with_outlet_register(villages)
    # the valid rows, and those invalid only through 人口/距离 (priority undecided)
    frame = villages.counted()
    lacking = pd.DataFrame()
    extra: list[Finding] = []
    if gazetteer is not None:
        from kuaidi_cli.check import official

        lacking = official.missing_villages(villages.seen, gazetteer)
        first = villages.files[0].table
        extra = official.missing_findings(lacking, first.name, first.sheet, seen=villages.seen)
        if universe == "gazetteer":
            # the official list of the whole scope is the denominator: every official village that is not
            # a valid row (absent, invalid, or of a county or township that sent nothing) counts, as not
            # reached
            absent = official.missing_villages(frame, gazetteer, counties=_scope_counties(rules, gazetteer))
            if len(absent):
                frame = pd.concat([frame, official.as_register_rows(absent)], ignore_index=True)
    full = compute(frame, outlet_frame, as_of, rules)
    if gazetteer is not None:
        full.townships = _with_official_townships(full, gazetteer)

    wanted = [canonical_county(c, rules) for c in counties or []]
    known = list(full.counties["county"])
    for name, asked in zip(wanted, counties or [], strict=True):
        if name not in known:
            raise InputError(f"没有县区「{asked}」（可选：{'、'.join(known)}）",
                             f"no county '{asked}' (choose from: {', '.join(known)})")
    if township:
        towns = select(full, wanted, None).townships
        township = township_named(township, list(towns["township"]), within=bool(wanted))
        one_county(township, towns)
    part = select(full, wanted, township) if wanted or township else full

    inputs = _inputs([f for reg in (villages, outlets) if reg is not None for f in reg.files], digests())
    generated_at = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    skipped = [make("file-skipped", file=str(k.path), value=k.path.name, detail_zh=k.why_zh,
                    detail_en=k.why_en)
               for k in registers.skipped if k.finding]
    findings = skipped + villages.findings + (outlets.findings if outlets else []) + full.findings
    every = findings + extra
    about_file = 0
    # where a row belongs, one way for 报送情况 and for the findings a part's report keeps
    placing = Places(known=frozenset(known) | (gazetteer.county_names if gazetteer else frozenset()),
                     canonical=lambda name: canonical_county(name, rules), county_by_code=_county_by_code(
                         gazetteer),
                     township_names=township_names(full.villages, full.townships) if wanted or township
                     else None,
                     canonical_all=_canonical_counties(rules))
    if wanted or township:  # a part's report: the findings on its rows, and those about a file
        places = row_places([villages.seen, *([outlets.seen] if outlets is not None else [])], placing)
        findings, of_files = findings_in_scope(findings, places, list(part.counties["county"]), township)
        about_file = sum(f.severity is not Severity.INFO for f in of_files)
        if len(lacking):  # the official villages the part lacks, not the city's
            from kuaidi_cli.check.official import missing_findings

            inside = lacking["county_name"].isin(list(part.counties["county"]))
            if township:
                inside &= lacking["township_name"] == township
            first = villages.files[0].table
            extra = missing_findings(lacking[inside], first.name, first.sheet, seen=villages.seen)
    findings += extra
    # 报送情况 counts the errors of every finding on a row it places (the findings of the whole registers: a
    # part's rows are the same rows as in the city's report, and so are their errors)
    by_township = (township_submissions(list(part.counties["county"]), part.townships, villages, every,
                                        places=placing,
                                        outlets=outlets, township=township, as_of=as_of) if wanted or township
                   else [])
    report, results = build(part, rules, rules_ref=RulesRef(name=rules.name, sha256=rules_sha),
                            inputs=inputs, generated_at=generated_at, partial=bool(wanted or township),
                            scope=scope_of(part, rules, wanted, township),
                            samples=registers.source == "samples",
                            complete_by_definition=universe == "gazetteer", sent=Sent.of(full),
                            submissions=submissions(list(part.counties["county"]), villages, every,
                                                    places=placing,
                                                    outlets=outlets, as_of=as_of),
                            township_submissions=by_township)
    reference = None
    if gazetteer is not None:
        # the official list of the report's scope: the city's, a county's, a township's
        official_villages = gazetteer.administrative_villages(list(part.counties["county"]))
        if township:
            official_villages = official_villages[official_villages["township_name"] == township]
        from kuaidi_cli.check import official as gz_checks

        # official villages of the scope no row of the register names (valid or not), whole townships and
        # counties that sent nothing included
        lacking_here = gz_checks.missing_villages(villages.seen, gazetteer, counties=list(part.counties[
            "county"]))
        if township:
            lacking_here = lacking_here[lacking_here["township_name"] == township]
        reference = Reference(
            edition=gazetteer.edition, villages=len(official_villages),
            townships=official_villages["township_code"].nunique(), lacking=len(lacking_here),
                              universe=universe,
        )
    parts = OutletParts.of(part)
    context = ReportContext(
        check_command=check_command(registers, as_of), source=registers.source, selection=[*(
            counties or []), *([township] if township else [])],
        out_of_scope=full.out_of_scope, findings=findings, counts_omitted=bool(wanted or township),
                            results=results,
        reference=reference, unknown_metrics=full.unknown_metrics, file_findings=about_file,
        register_findings=every,
        uncertain_rows=0 if villages.uncertain is None else len(villages.uncertain), villages=full.villages,
        not_counted=lambda: _not_counted(villages, rules),
        uncertain_outlets=0 if outlets is None or outlets.uncertain is None else len(outlets.uncertain),
        outlet_counties=parts.counties, outlet_townships=parts.townships, no_outlet_rows=parts.lacking,
        no_outlet_rows_blank=parts.lacking_blank,
    )
    return report, context


def _path(source: Source) -> Path:
    """A register file, or the name of a DataFrame as a path (as its table names it)."""
    return source if isinstance(source, Path) else source.path


def _not_counted(villages: Register, rules: Rules) -> pd.DataFrame:
    """The village rows of the register that are not counted (invalid), each county by its current name."""
    seen, counted = villages.seen, villages.counted()
    if not len(seen) or "_row" not in seen:
        return seen.iloc[:0]
    at = seen["_file"].astype(str) + "\x1f" + seen["_row"].astype(str)
    counted_at = counted["_file"].astype(str) + "\x1f" + counted["_row"].astype(str)
    rows = seen[~at.isin(set(counted_at))].copy()
    if "county" in rows:
        names = {v: canonical_county(str(v), rules) for v in rows["county"].dropna().unique()}
        rows["county"] = rows["county"].map(names).astype(object)
    return rows.reset_index(drop=True)


def _inputs(files: list[FileResult], digests: dict[Path, str]) -> list[InputRef]:
    """Every file of both registers once, a workbook's register sheets added up (a workbook given as both
    registers is listed for each)."""
    refs: dict[tuple[Path, Kind], InputRef] = {}
    for f in files:
        key = (f.table.path, f.table.kind)
        ref = refs.get(key)
        if ref is None:
            refs[key] = InputRef(path=str(f.table.path), sha256=digests[f.table.path], rows=f.counts.rows,
                                 invalid_rows=f.counts.invalid, uncertain_rows=f.counts.uncertain)
        else:
            ref.rows += f.counts.rows
            ref.invalid_rows += f.counts.invalid
            ref.uncertain_rows += f.counts.uncertain
    return list(refs.values())


def check_command(registers: Registers, as_of: dt.date) -> str:
    """The `kuaidi check` command that lists the findings of these registers, as one can type it: up to
    three village files by name, more by their folder (which brings its outlet files too)."""
    import re

    def word(path: Path) -> str:  # quoted only where a shell needs it (CJK names stay as they are)
        text = str(path)
        return text if re.fullmatch(r"[^\s'\"\\$`!*?&;|<>(){}\[\]#~]+", text) else "'" + text.replace(
            "'", "'\\''") + "'"

    if len(registers.files) < len(registers.paths):  # DataFrames: no command reads them
        return ""
    villages = [f for f in registers.villages if isinstance(f, Path)]
    folders = {f.parent for f in villages}
    whole = len(villages) > 3 and len(folders) == 1
    words = ["kuaidi", "check", *([word(folders.pop())] if whole else [word(f) for f in villages])]
    named_folder = villages[0].parent if whole else None
    outlets = [f for f in registers.outlets if isinstance(f, Path) and f not in villages
               and f.parent != named_folder]
    if outlets:
        words += ["--outlets", *(word(f) for f in outlets)]
    for option, value in (("--sheet", registers.sheet), ("--encoding", registers.encoding)):
        if value is not None:  # the very sheet and encoding the report read
            words += [option, word(Path(value))]
    return " ".join([*words, "--as-of", as_of.isoformat()])


def _county_by_code(gazetteer: Gazetteer | None) -> dict[str, str]:
    """The official county of a village code's first six digits."""
    if gazetteer is None:
        return {}
    return dict(zip(gazetteer.counties["code"].astype(str).str[:6], gazetteer.counties["name"], strict=True))


def input_paths(registers: Registers) -> list[Path]:
    return [*registers.files, *([registers.rules] if registers.rules else [])]


def _scope_counties(rules: Rules, gazetteer: Gazetteer) -> list[str]:
    """The counties of the rules' scope (every county of the official list when the rules name none)."""
    return list(rules.scope.counties) or sorted(gazetteer.county_names)


def _with_official_townships(c: Coverage, gazetteer: Gazetteer) -> pd.DataFrame:
    """The coverage's townships and, after them, the official townships (with administrative villages) of
    its counties that hold no village of the registers: listed as not submitted, never left out."""
    have = set(zip(c.townships["county"], c.townships["township"], strict=True))
    keys = dict(zip(c.counties["county"], c.counties["county_key"], strict=True))
    official = gazetteer.administrative_villages(list(keys)).drop_duplicates("township_code")
    rows = [(code, keys[county], county, township)
            for code, county, township in zip(official["township_code"], official["county_name"],
                                              official["township_name"], strict=True)
            if (county, township) not in have]
    if not rows:
        return c.townships
    extra = pd.DataFrame(rows, columns=["township_key", "county_key", "county", "township"])
    order = {k: i for i, k in enumerate(c.counties["county_key"])}
    both = pd.concat([c.townships, extra], ignore_index=True)
    both["_order"] = both["county_key"].map(order)
    return both.sort_values(["_order", "township_key"], kind="stable").drop(columns="_order").reset_index(
        drop=True)


def scope_of(part: Coverage, rules: Rules, counties: list[str], township: str | None) -> ScopeOut:
    """The scope a report covers, named as a title says it: 开封市, 开封市祥符区, 开封市祥符区陈留镇."""
    city = rules.city or ""
    names = list(part.counties["county"])
    if township:
        county = str(part.townships["county"].iat[0]) if len(part.townships) else "、".join(counties)
        return ScopeOut(level="township", name=f"{city}{county}{township}", counties=[county],
                        township=township)
    if counties:
        return ScopeOut(level="county", name=city + "、".join(names), counties=names, township=None)
    return ScopeOut(level="city", name=city, counties=names, township=None)


def output_format(fmt: str | None, output: Path | None, *, api: bool = False) -> str:
    """The format of `report`: --format, else -o's extension (write.formats), else the terminal table. A
    --format that contradicts the extension (one kuaidi knows, or any other: report.svg), or an extension
    kuaidi cannot tell without --format, stops the run: a file is never named for what it is not. (`api`:
    the messages name `format=`, not --format.)"""
    option = f"format={fmt!r}" if api else f"--format {fmt}"
    from kuaidi_cli.write import formats

    if output is None:
        return fmt or "table"
    known = formats.by_suffix(output.suffix)
    by_suffix = known.name if known else None
    if fmt is None:
        if by_suffix is None:
            ends = " ".join(formats.suffixes())
            give = "format=" if api else "--format"
            raise KuaidiError(f"无法从文件名「{output.name}」判断格式：用 {ends} 结尾，或加 {give}",
                              f"cannot tell the format from '{output.name}': end it in {ends}, "
                              f"or give {give}")
        return by_suffix
    if output.suffix and by_suffix != fmt:
        raise KuaidiError(f"{option} 与输出文件 {output.name} 的扩展名不符",
                          f"{option} contradicts the extension of {output.name}")
    return fmt


def refuse_output(output: Path, registers: Registers, *, force: bool) -> None:
    """Before any work: `-o` is never one of the inputs, nor (without --force) a file kuaidi did not
    write."""
    refuse_input(output, input_paths(registers))
    if not force:
        refuse_existing(output, own=True, csv_headers=csv_headers())


def notes(registers: Registers, lang: str, *, table: bool) -> list[str]:
    """The stderr lines before a report: a file of a folder left out (and why); for a file or piped
    output of the bundled samples (`table` False), that they are synthetic."""
    from kuaidi_cli.write.labels import t

    return skipped_lines(registers.skipped, lang) + ([t("footer.samples", lang)]
                                                     if registers.source == "samples"
                                                      and not table else [])


def write_output(fmt: str, output: Path | None, result: Report, context: ReportContext, rules: Rules,
                 registers: Registers, lang: str) -> None:
    """The report in a file format: to `output` atomically (never over an input), else to stdout."""
    from kuaidi_cli.write.files import write_atomic
    from kuaidi_cli.write.formats import render

    data = render(fmt, result, context, rules, lang)
    if output is None:
        from kuaidi_cli.write.stdout import emit

        emit(data)
    else:
        write_atomic(output, data, input_paths(registers))


def _canonical_counties(rules: Rules) -> Callable[[list[str]], list[str]]:
    """canonical_county of many names at once: one normalise.text over them all and one alias table,
    not both per name (a national register writes ~2 800 county names, ~0.2 ms each one by one). What
    must stay true: name by name, the same answer as canonical_county(name, rules)."""
    table = normalise.by_text(rules.aliases.counties)

    def many(names: list[str]) -> list[str]:
        keys = normalise.text(pd.Series(names, dtype=object)).tolist() if names else []
        return [table.get(k, k) for k in keys]

    return many
