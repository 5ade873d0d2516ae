"""The report model (`kuaidi.report/1`, SPEC §7), built first and rendered after.

`build` takes the registers, the rules and a date and returns a `Report`; the renderers (terminal,
JSON, CSV) only format it. The JSON form is exactly the contract: the model's fields are its keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from kuaidi_cli import coverage as cov
from kuaidi_cli.findings import Finding
from kuaidi_cli.rules import Rules
from kuaidi_cli.targets import TargetResult, evaluate_all

SCHEMA = "kuaidi.report/1"


class _Model(BaseModel):
    # Every model declares its fields in the order of their JSON names: the contract's keys are sorted
    # (SPEC §7), and pydantic-core then writes the JSON in that order straight from the models (a
    # national report: 40 000 townships, 100 000 villages), with no Python pass to sort the keys.
    model_config = ConfigDict(extra="forbid")


def _sorted_model(name: str, doc: str, fields: dict[str, object]) -> type[_Model]:
    """A model of `fields` ({name: type}, all required) declared in sorted order (see _Model)."""
    return create_model(name, __base__=_Model, __doc__=doc, **{k: (fields[k], ...) for k in sorted(fields)})


class RulesRef(_Model):
    name: str
    sha256: str


class InputRef(_Model):
    invalid_rows: int
    path: str
    rows: int
    sha256: str


class Outlets(_Model):
    park: int
    township_station: int
    village_point: int


class TargetOut(_Model):
    due: dt.date
    gap: int
    id: str
    kind: Literal["required", "stretch", "info"]
    metric: str
    status: Literal["met", "missed", "pending", "info"]
    target: float
    value: float | None


_SUMMARY_FIELDS: dict[str, object] = {
    "villages": int, "priority_villages": int, "in_village": int, "priority_in_village": int, "reached": int,
    "reach_rate": float | None, "priority_in_village_rate": float | None, "in_village_rate": float | None,
    "outlets": Outlets, "modes": dict[str, int],  # modes: built with sorted keys (coverage._summary_of, _by)
}
Summary = _sorted_model("Summary", "The metrics of SPEC §3 over a scope.", _SUMMARY_FIELDS)
County = _sorted_model("County", "A county's metrics and its rate targets.",
                       {**_SUMMARY_FIELDS, "county": str, "targets": list[TargetOut]})
Township = _sorted_model("Township", "A township's metrics.", {**_SUMMARY_FIELDS, "county": str, "township": str})


class AttentionVillage(_Model):
    code: str | None
    county: str
    in_village: bool
    priority_reasons: list[str]
    reached: bool
    township: str
    village: str


class Report(_Model):
    as_of: dt.date
    attention: list[AttentionVillage]
    counties: list[County]
    generated_at: str
    inputs: list[InputRef]
    rules: RulesRef
    schema_: str = Field(SCHEMA, serialization_alias="schema")
    summary: Summary
    targets: list[TargetOut]
    townships: list[Township]

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


_TOWNSHIPS = TypeAdapter(list[Township])
_ATTENTION = TypeAdapter(list[AttentionVillage])


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


def _named(s: dict, **names: str) -> dict:
    """A scope's summary dict made a row of the contract in place: the names added, the target-only
    keys dropped (no copy: there is one such dict per township)."""
    for k in [k for k in s if k.startswith("_")]:
        del s[k]
    s.update(names)
    return s


def _summary(s: dict) -> dict:
    return {k: v for k, v in s.items() if not k.startswith("_")}


def _targets(results: list[TargetResult]) -> list[TargetOut]:
    return [
        TargetOut(id=r.target.id, kind=r.target.kind, metric=r.target.metric, target=r.target.target,
                  due=r.target.due, value=r.value, status=r.status, gap=r.gap)
        for r in results
    ]


def select(c: cov.Coverage, counties: list[str], township: str | None) -> cov.Coverage:
    """The part of a coverage within some counties (names after alias normalisation) and a township."""
    v, o = c.villages, c.outlets
    ck = c.counties[c.counties["county"].isin(counties)] if counties else c.counties
    v = v[v["county_key"].isin(ck["county_key"])]
    o = o[o["county_key"].isin(ck["county_key"])] if len(o) else o
    tw = c.townships[c.townships["county_key"].isin(ck["county_key"])]
    if township:
        tw = tw[tw["township"] == township]
        v = v[v["township_key"].isin(tw["township_key"])]
        o = o[o["township_key"].isin(tw["township_key"])] if len(o) else o
    return cov.Coverage(as_of=c.as_of, villages=v, outlets=o, counties=ck.reset_index(drop=True),
                        townships=tw.reset_index(drop=True), out_of_scope=c.out_of_scope, findings=c.findings)


def build(
    c: cov.Coverage, rules: Rules, *, rules_ref: RulesRef, inputs: list[InputRef], generated_at: str,
    partial: bool = False,
) -> tuple[Report, list[TargetResult]]:
    """The report of a coverage. `partial`: a part of the city was selected, so the city-wide count
    targets (parks, stations, points) are left out rather than compared with a county's count."""
    total = cov.summary(c.villages, c.outlets, rules)
    results = evaluate_all(rules.targets, total, c.as_of, rates_only=partial)
    counties = [
        County(county=row.county, **_summary(s), targets=_targets(evaluate_all(rules.targets, s, c.as_of, rates_only=True)))
        for row, s in cov.by_county(c, rules)
    ]
    # the two long lists (a national report: ~40 000 townships, ~100 000 villages) are validated as a
    # whole by one TypeAdapter (in pydantic-core), about a third faster than a model per row
    townships = _TOWNSHIPS.validate_python([_named(s, county=row.county, township=row.township)
                                            for row, s in cov.by_township(c, rules)])
    need = cov.attention(c)
    attention = _ATTENTION.validate_python([
        {"code": code if isinstance(code, str) else None, "county": county, "township": township, "village": village,
         "priority_reasons": list(reasons), "in_village": bool(in_village), "reached": bool(reached)}
        for code, county, township, village, reasons, in_village, reached in zip(
            *(need[col].to_numpy(dtype=object) for col in
              ("code", "county", "township", "village", "priority_reasons", "in_village", "reached")), strict=True)
    ])
    report = Report(
        as_of=c.as_of, generated_at=generated_at, rules=rules_ref, inputs=inputs, summary=Summary(**_summary(total)),
        targets=_targets(results), counties=counties, townships=townships, attention=attention,
    )
    return report, results


def county_rows(report: Report, total: str = "合计") -> pd.DataFrame:
    """The county table as a frame (for CSV), with a total row from the summary."""
    rows = [{"county": c.county, **_flat(c)} for c in report.counties]
    rows.append({"county": total, **_flat(report.summary)})
    return pd.DataFrame(rows)


def _flat(s: Summary) -> dict:
    return {
        "villages": s.villages, "reached": s.reached, "reach_rate": s.reach_rate,
        "priority_villages": s.priority_villages, "priority_in_village": s.priority_in_village,
        "priority_in_village_rate": s.priority_in_village_rate, "in_village": s.in_village,
        "in_village_rate": s.in_village_rate, "parks": s.outlets.park, "township_stations": s.outlets.township_station,
        "village_points": s.outlets.village_point,
    }
