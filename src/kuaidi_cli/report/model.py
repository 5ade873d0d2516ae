"""The report model (`kuaidi.report/1`, docs/EXPORTS.md "The JSON report"), built first and rendered after.

`build` takes the registers, the rules and a date and returns a `Report`; the renderers (terminal,
JSON, CSV) only format it. The JSON form is exactly the contract: the model's fields are its keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, create_model

from kuaidi_cli.core import metrics as catalogue
from kuaidi_cli.core.findings import Finding
from kuaidi_cli.core.statuses import Status
from kuaidi_cli.report.changes import Changes
from kuaidi_cli.report.targets import TargetResult

SCHEMA = "kuaidi.report/1"


class _Model(BaseModel):
    # Every model declares its fields in the order of their JSON names: the contract's keys are sorted
    # (docs/EXPORTS.md), and pydantic-core then writes the JSON in that order straight from the models (a
    # national report: 40 000 townships, 100 000 villages), with no Python pass to sort the keys. (A
    # sorting serializer would cost ~10 µs a township; tests/test_report.py checks the order of every
    # model, so a field out of place fails a test, not a report.)
    model_config = ConfigDict(extra="forbid")


class RulesRef(_Model):
    name: str
    sha256: str


class InputRef(_Model):
    invalid_rows: int  # rows not counted (no village or outlet to count, a repeat): `check`'s invalid
    path: str
    rows: int
    sha256: str
    uncertain_rows: int = 0  # rows counted with a cell kuaidi cannot read: `check`'s uncertain


class Outlets(_Model):
    """Active outlets by level; null without an outlet register (nothing to count them from)."""

    park: int | None
    township_station: int | None
    village_point: int | None




class TargetOut(_Model):
    due: dt.date
    gap: int | None  # null when the value is not established (no-data, incomplete)
    id: str
    kind: Literal["required", "stretch", "info"]
    metric: str
    # villages of parts of the scope the outlet register holds no row of whose figure the village register
    # does not establish either (of a count target: every village of such parts); > 0 → incomplete
    outlets_missing: int = 0
    status: Status
    target: float
    # villages not decided (population or distance blank, a cell unreadable); of a count: outlets
    undecided: int
    unsubmitted: int  # counties or official townships of the scope with no valid village row
    value: float | None


class ScopeOut(_Model):
    """What the report covers: the city, some counties, or one township."""

    counties: list[str]  # the counties of the scope (all of the rules' scope for the city)
    level: Literal["city", "county", "township"]
    name: str  # 开封市 / 开封市祥符区 / 开封市祥符区陈留镇
    township: str | None


class _Figures(_Model):
    """The figures of a scope row: `outlets`, `modes` and those core.metrics declares for its scope (the
    `@figures` decorator adds them). Typed here for mypy only; at run time they come from the catalogue."""

    modes: dict[str, int]  # built with sorted keys (measure.metrics)
    outlets: Outlets

    if TYPE_CHECKING:
        villages: int
        priority_villages: int
        # villages whose priority is undecided (population or distance blank or invalid)
        priority_unknown: int
        reached: int | None
        in_village: int | None
        priority_in_village: int | None
        reach_rate: float | None
        in_village_rate: float | None
        priority_in_village_rate: float | None

        def __getattr__(self, name: str) -> Any: ...  # a figure core.metrics declares


_F = TypeVar("_F", bound=_Figures)


def figures(scope: str) -> Callable[[type[_F]], type[_F]]:
    """The model with the figures core.metrics declares for `scope` (a rate: float or null; a count a
    rate is made of: int or null; another count: int) beside its own fields, all in JSON key order."""

    def make(cls: type[_F]) -> type[_F]:
        fields: dict[str, Any] = {name: (f.annotation, f) for name, f in cls.model_fields.items()}
        for m in catalogue.in_scope(scope):
            kind: Any = float | None if m.is_rate else int | None if catalogue.nullable(m.name) else int
            fields[m.name] = (kind, ...)
        model = create_model(cls.__name__, __base__=_Model, __doc__=cls.__doc__, __module__=cls.__module__,
                             **{name: fields[name] for name in sorted(fields)})
        return cast("type[_F]", model)

    return make


@figures("city")
class Summary(_Figures):
    """The metrics of docs/METRICS.md over a scope. `reached`, `in_village`, `priority_in_village` and the
    rates are null when nothing in the registers establishes them (Coverage.unknown_metrics)."""


@figures("county")
class County(_Figures):
    """A county's metrics (those of Summary), whether it sent any village row (未报送 when not), and its rate
    targets."""

    county: str
    submitted: bool
    targets: list[TargetOut]


@figures("township")
class Township(_Figures):
    """A township's metrics (those of Summary) and whether it sent any village row."""

    county: str
    submitted: bool
    township: str


ScopeRow = Summary | County | Township  # a row of the scope tables: the same figures, by the same names


class UnreadableCell(_Model):
    """A cell of a village's row kuaidi cannot read: its column as the register heads it, and its text."""

    column: str
    field: str
    value: str


class AttentionVillage(_Model):
    code: str | None
    county: str
    file: str | None  # the register file and row it came from (null: a village of the official list only)
    in_village: bool | None  # null: nothing in the registers establishes it
    missing: list[str]  # the blank fields that leave its priority undecided (population, distance_km)
    priority_reasons: list[str]
    priority_unknown: bool
    reached: bool | None  # null: nothing in the registers establishes it
    row: int | None
    township: str
    # the flags an unreadable cell (of its row, or of an outlet row) leaves undecided: in_village, reached
    undecided: list[str] = Field(default_factory=list)
    unreadable: list[UnreadableCell] = Field(default_factory=list)  # its own row's cells kuaidi cannot read
    village: str


class RegisterPart(_Model):
    """What one place sent in one register (the outlet register's part of 报送情况)."""

    errors: int  # error findings on its rows (and on the header of a file of its rows alone)
    files: list[str]
    invalid: int  # its rows not counted
    latest: dt.date | None  # the latest date written in its counted rows (启用/停用) up to as_of, or null
    rows: int  # its rows (not the blank, total or note rows)
    sent: bool  # at least one row came
    valid: int  # its rows the report counts


class Submission(_Model):
    """What one county (or township) of the scope sent (报送情况): its files, its village rows as they came,
    the latest date written in its rows; `submitted` false (未报送) when no valid village row came.
    `outlets`: its part of the outlet register (null when no outlet register was given). In
    `township_submissions`, `township` names the township (（县级或未填乡镇）: the county's rows naming
    none)."""

    county: str
    errors: int  # error findings on its village rows (and on the header of a file of its rows alone)
    files: list[str]
    invalid: int  # its village rows not counted (errors, repeats of a village)
    latest: dt.date | None  # the latest date written in its counted rows (设点/通达) up to as_of, or null
    outlets: RegisterPart | None = None
    rows: int  # its village rows (not the blank, total or note rows)
    submitted: bool
    township: str | None = None  # set in township_submissions
    uncertain: int = 0  # of `valid`, the rows with a cell kuaidi cannot read (some figures undecided)
    valid: int  # its village rows the report counts


class Report(_Model):
    as_of: dt.date
    attention: list[AttentionVillage]
    counties: list[County]
    # the figures of the scope that belong to no county row (outlets of a place no village row names),
    # null when there are none: the county rows and this add up to `summary`
    counties_unassigned: Summary | None = None
    generated_at: str
    inputs: list[InputRef]
    rules: RulesRef
    samples: bool  # made from the bundled sample registers (synthetic figures), never a real report
    schema_: str = Field(SCHEMA, serialization_alias="schema")
    scope: ScopeOut
    submissions: list[Submission]
    summary: Summary
    targets: list[TargetOut]
    # 报送情况 by township, for a report of one county or one township (else empty)
    township_submissions: list[Submission] = Field(default_factory=list)
    townships: list[Township]
    # the figures that belong to no township row (a county's park, an outlet of a township no village row
    # names), null when there are none: the township rows and this add up to `summary`
    townships_unassigned: Summary | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    # --- the API's (kuaidi.report): what it was made from, for kuaidi.write; its tables as DataFrames
    # (report.frames: the columns follow the models' fields)
    _origin: Any = PrivateAttr(default=None)  # api.run.Origin

    def counties_frame(self) -> pd.DataFrame:
        """One row per county: its figures (`outlets_*`, `modes_*` flattened), whether it sent a register."""
        from kuaidi_cli.report.frames import table

        return table(self.counties, County, drop=("targets",), scope_rows=True)

    def townships_frame(self) -> pd.DataFrame:
        """One row per township of the scope, with its county."""
        from kuaidi_cli.report.frames import table

        return table(self.townships, Township, scope_rows=True)

    def targets_frame(self) -> pd.DataFrame:
        """One row per target of the scope (`county` empty), then per target of each county."""
        from kuaidi_cli.report.frames import targets_table

        return targets_table(self.targets, [(c.county, c.targets) for c in self.counties], TargetOut)

    def attention_frame(self) -> pd.DataFrame:
        """One row per village needing attention (not reached, no point of its own, priority undecided)."""
        from kuaidi_cli.report.frames import table

        return table(self.attention, AttentionVillage)

    def submissions_frame(self) -> pd.DataFrame:
        """One row per county: what it sent (报送情况), its outlet register's part as `outlets_*`."""
        from kuaidi_cli.report.frames import table

        return table(self.submissions, Submission, drop=("township",))  # (set in township_submissions only)


@dataclass(frozen=True)
class Reference:
    """What the official division list says beside the register."""

    edition: str
    villages: int  # administrative villages (村委会) of the scope
    townships: int  # township-level units holding them
    lacking: int  # official villages of the covered townships missing from the register
    universe: str  # register | gazetteer: what the rates are over


@dataclass
class ReportContext:
    """What the table view shows beside the contract: where the data came from and what was left out."""

    source: str  # flags | env | kuaidi.toml | samples
    selection: list[str] = field(default_factory=list)  # --county / --township, as asked
    out_of_scope: int = 0
    findings: list[Finding] = field(default_factory=list)
    counts_omitted: bool = False  # count targets left out for a part of the city
    results: list[TargetResult] = field(default_factory=list)
    reference: Reference | None = None
    unknown_metrics: frozenset[str] = frozenset()  # rates no column of the registers establishes
    uncertain_rows: int = 0  # village rows with a cell kuaidi cannot read: counted, some figures undecided
    uncertain_outlets: int = 0  # outlet rows with a date or level kuaidi cannot read: counted as undecided
    # the counties and townships (county+township) of the village register the outlet register holds rows
    # of; None without an outlet register (the data of 报送情况's outlet side)
    outlet_counties: list[str] | None = None
    outlet_townships: list[str] | None = None
    # the parts of the scope the outlet register holds no row of: their figures from the village
    # register's columns; and those where that column is blank too (targets incomplete)
    no_outlet_rows: list[str] = field(default_factory=list)
    no_outlet_rows_blank: list[str] = field(default_factory=list)
    villages: pd.DataFrame | None = None  # every village of the scope with its state (measure.coverage)
    changes: Changes | None = None  # since the previous export of an earlier as-of date (export only)
    # the village rows of the registers not counted (invalid): county (its current name), township, village,
    # code as written; what `changes` tells apart from a village gone from the register (made when asked)
    not_counted: Callable[[], pd.DataFrame] | None = None
    # every finding of the registers given, whatever the scope (--fail-on errors is about them all)
    register_findings: list[Finding] = field(default_factory=list)
    file_findings: int = 0  # errors and warnings of a part's report about a file, on no row of the part
    check_command: str = ""  # the `kuaidi check …` that lists the findings of these very registers
