"""Building the report model of a coverage: the summaries of every scope, the targets evaluated, who
sent what, the villages needing attention."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import TypeAdapter

from kuaidi_cli.core import metrics as catalogue
from kuaidi_cli.core.fields import FROM_GAZETTEER
from kuaidi_cli.core.rules import Rules
from kuaidi_cli.measure import metrics
from kuaidi_cli.measure.coverage import Coverage
from kuaidi_cli.report.model import (
    AttentionVillage,
    County,
    InputRef,
    Report,
    RulesRef,
    ScopeOut,
    Submission,
    Summary,
    TargetOut,
    Township,
)
from kuaidi_cli.report.targets import TargetResult, evaluate_all

_TOWNSHIPS = TypeAdapter(list[Township])


_ATTENTION = TypeAdapter(list[AttentionVillage])


def _targets(results: list[TargetResult]) -> list[TargetOut]:
    return [
        TargetOut(id=r.target.id, kind=r.target.kind, metric=r.target.metric, target=r.target.target,
                  due=r.target.due, value=r.value, status=r.status, gap=r.gap, undecided=r.undecided,
                  unsubmitted=r.unsubmitted, outlets_missing=r.outlets_missing)
        for r in results
    ]


def _missing_fields(need: pd.DataFrame, rules: Rules) -> list[list[str]]:
    """For each village of `need`, the priority fields left blank when they leave its priority undecided
    (one list per combination, shared)."""
    fields = rules.priority.fields
    combo = np.zeros(len(need), dtype=np.int64)
    for bit, name in enumerate(fields):
        blank = pd.to_numeric(need[name], errors="coerce").isna().to_numpy()
        combo |= blank.astype(np.int64) << bit
    combo = np.where(need["priority_unknown"].to_numpy(dtype=bool), combo, 0)
    lists = {m: [f for bit, f in enumerate(fields) if m >> bit & 1] for m in set(combo.tolist())}
    return [lists[m] for m in combo.tolist()]


@dataclass(frozen=True)
class Sent:
    """The county and township keys that hold at least one village row of the registers (not a village
    added from the official list): the parts of the scope that were submitted."""

    counties: frozenset[object]
    townships: frozenset[object]

    @classmethod
    def of(cls, c: Coverage) -> Sent:
        v = c.villages
        registered = (v["_file"] != FROM_GAZETTEER).to_numpy(dtype=bool)
        return cls(frozenset(v["county_key"].to_numpy(dtype=object)[registered].tolist()),
                   frozenset(v["township_key"].to_numpy(dtype=object)[registered].tolist()))


@dataclass(frozen=True)
class OutletParts:
    """Which parts of a coverage's scope the outlet register holds rows of (names as a report writes them:
    a county, or its county and township), and those it holds none of (split by whether the village
    register's 驻村设点 column gives their figures)."""

    counties: list[str] | None  # None: no outlet register
    townships: list[str] | None
    lacking: list[str]
    lacking_blank: list[str]

    @classmethod
    def of(cls, c: Coverage) -> OutletParts:
        if c.outlet_counties is None or c.outlet_townships is None:
            return cls(None, None, [], [])
        v = c.villages
        with_villages = set(v["township_key"].tolist())
        counties = [str(n) for k, n in zip(c.counties["county_key"], c.counties["county"], strict=True)
                    if k in c.outlet_counties]
        rows = list(zip(c.townships["township_key"], c.townships["county_key"], c.townships["county"],
                        c.townships["township"], strict=True))
        townships = [f"{cn}{tn}" for tk, _, cn, tn in rows if tk in c.outlet_townships]
        blank = set(v.loc[v["in_village_missing"],
                          "township_key"].tolist()) if "in_village_missing" in v else set()
        lacking: list[str] = []
        lacking_blank: list[str] = []
        told: set[object] = set()
        for tk, ck, cn, tn in rows:
            if tk not in with_villages or tk in c.outlet_townships:
                continue
            whole = ck not in c.outlet_counties  # the whole county is missing: named once
            if whole and ck in told:
                continue
            told.add(ck)
            (lacking_blank if tk in blank else lacking).append(str(cn) if whole else f"{cn}{tn}")
        return cls(counties, townships, lacking, lacking_blank)


def select(c: Coverage, counties: list[str], township: str | None) -> Coverage:
    """The part of a coverage within some counties (names after alias normalisation) and a township."""
    v, o = c.villages, c.outlets
    ck = c.counties[c.counties["county"].isin(counties)] if counties else c.counties
    v = v[v["county_key"].isin(ck["county_key"])]
    o = o[o["county_key"].isin(ck["county_key"])] if len(o) else o
    tw = c.townships[c.townships["county_key"].isin(ck["county_key"])]
    if township:
        tw = tw[tw["township"] == township]
        ck = ck[ck["county_key"].isin(tw["county_key"])]  # the township's county, not every county
        v = v[v["township_key"].isin(tw["township_key"])]
        o = o[o["township_key"].isin(tw["township_key"])] if len(o) else o
    u = c.undecided_outlets
    u = u[u["county_key"].isin(ck["county_key"]) & (u["township_key"].isin(tw["township_key"]) if township
                                                    else True)] \
        if len(u) else u
    return Coverage(as_of=c.as_of, villages=v, outlets=o, counties=ck.reset_index(drop=True),
                    townships=tw.reset_index(drop=True), out_of_scope=c.out_of_scope, findings=c.findings,
                    unknown_metrics=c.unknown_metrics, undecided_outlets=u, outlet_counties=c.outlet_counties,
                    outlet_townships=c.outlet_townships)


class _Unknown:
    """The metrics nothing establishes in a scope: those of the whole report; its outlet counts when the
    outlet register holds no row of its county; its in-village (reach) rates when, for every village of
    it, neither register establishes the flag (docs/METRICS.md, "Partial outlet registers").

    For many scopes (40 000 townships): the catalogue's flags are read once, and each answer kept per
    pattern of what a scope lacks (no outlet row; each flag missing for all its villages) — a handful of
    patterns. What must stay true: the answer depends on a scope only through that pattern (and whether
    it has villages), so it is the same set as worked out scope by scope."""

    _OUTLETS = frozenset({"outlets.park", "outlets.township_station", "outlets.village_point"})

    def __init__(self, unknown: frozenset[str]) -> None:
        self.unknown = unknown
        self.flags = [(f"{flag}_missing", catalogue.of_flag(flag)) for flag in catalogue.flags()]
        self.known: dict[tuple[bool, ...], frozenset[str]] = {}

    def __call__(self, s: metrics.ScopeCounts) -> frozenset[str]:
        counts = s.counts
        villages = counts["villages"]
        if not villages:
            return self.unknown
        pattern = (counts["no_outlet_rows"] == villages, *(counts[name] == villages for name,
                                                           _ in self.flags))
        found = self.known.get(pattern)
        if found is None:
            extra: set[str] = set(self._OUTLETS) if pattern[0] else set()
            for (_, names), missing in zip(self.flags, pattern[1:], strict=True):
                if missing:
                    extra |= names
            found = self.known[pattern] = self.unknown | extra if extra else self.unknown
        return found


def build(
    c: Coverage, rules: Rules, *, rules_ref: RulesRef, inputs: list[InputRef], generated_at: str,
    scope: ScopeOut | None = None, samples: bool = False, partial: bool = False,
    complete_by_definition: bool = False, sent: Sent | None = None, submissions: list[Submission]
          | None = None,
    township_submissions: list[Submission] | None = None,
) -> tuple[Report, list[TargetResult]]:
    """The report of a coverage. `partial`: a part of the city was selected, so the city-wide count
    targets (parks, stations, points) are left out rather than compared with a county's count.

    Counties and townships of `c` with no valid village row are not submitted (未报送); a rate target over
    a scope with such parts is incomplete, unless `complete_by_definition` (the official list is the
    denominator: the villages of a part that sent nothing count as not reached). `sent`: the counties and
    townships with village rows, of the whole register (by default those of `c`): a part of the city
    is judged by what its counties sent, not by what the part holds."""
    if scope is None:  # the whole city
        scope = ScopeOut(level="city", name=rules.city or "", counties=list(c.counties["county"]),
                         township=None)
    sent = sent or Sent.of(c)
    unknown = c.unknown_metrics
    unknown_here = _Unknown(unknown)
    county_scopes = metrics.by_county(c, rules)
    township_scopes = metrics.by_township(c, rules)
    county_sent = {row.county_key: row.county_key in sent.counties for row, _ in county_scopes}
    # townships that sent nothing, in counties that did (a county that sent nothing counts once)
    silent = {row.county_key: 0 for row, _ in county_scopes}
    for row, _ in township_scopes:
        if row.township_key not in sent.townships and county_sent.get(row.county_key, False):
            silent[row.county_key] = silent.get(row.county_key, 0) + 1

    def missing(count: int) -> int:
        return 0 if complete_by_definition else count

    total = metrics.summary(c.villages, c.outlets, rules, c.undecided_outlets)
    unsent = sum(not sent for sent in county_sent.values()) + sum(silent.values())
    results = evaluate_all(rules.targets, total, c.as_of, rates_only=partial, unsubmitted=missing(unsent),
                           unknown=unknown_here(total))
    counties = [
        County(
            county=row.county,
            submitted=county_sent[row.county_key],
            **s.contract(unknown_here(s), "county"),
            targets=_targets(
                evaluate_all(
                    rules.targets,
                    s,
                    c.as_of,
                    rates_only=True,
                    unsubmitted=missing(silent.get(row.county_key, 0)),
                    unknown=unknown_here(s),
                )
            ),
        )
        for row, s in county_scopes
    ]
    # the two long lists (a national report: ~40 000 townships, ~100 000 villages) are validated as a
    # whole by one TypeAdapter (in pydantic-core), about a third faster than a model per row
    townships = _TOWNSHIPS.validate_python([{**s.contract(unknown_here(s), "township"),
                                             "submitted": row.township_key in sent.townships,
                                             "county": row.county, "township": row.township}
                                            for row, s in township_scopes])
    need = metrics.attention(c)
    no_in_village, no_reach = "in_village_rate" in unknown, "reach_rate" in unknown
    columns = ("code", "county", "township", "village", "priority_reasons", "in_village", "reached",
               "priority_unknown",
               "_file", "_row", "in_village_unknown", "reached_unknown", "_unreadable")
    attention = _ATTENTION.validate_python([
        {"code": code if isinstance(code, str) else None, "county": county, "township": township,
         "village": village,
         "priority_reasons": list(reasons),
         "in_village": None if no_in_village or iv_unknown else bool(in_village),
         "reached": None if no_reach or r_unknown else bool(reached),
         "priority_unknown": bool(undecided), "missing": blank,
         "undecided": [name for name, flag in (("in_village", iv_unknown), ("reached", r_unknown)) if flag],
         "unreadable": [{"field": f, "column": label, "value": text} for f, label, text in (
             cells if isinstance(cells, tuple) else ())],
         "file": None if file == FROM_GAZETTEER else file, "row": None if file == FROM_GAZETTEER else int(
             row)}
        for (code, county, township, village, reasons, in_village, reached, undecided, file, row, iv_unknown,
             r_unknown,
             cells), blank in zip(
            zip(*(need[col].to_numpy(dtype=object) if col in need else np.full(len(need), None, dtype=object)
                  for col in columns), strict=True), _missing_fields(need, rules), strict=True)
    ])
    # what no row of a table holds, so that its rows add up to its total (None when every figure is in a row)
    rest_c, rest_t = (metrics.outside(c, key, scopes, rules) for key, scopes in
                      (("county_key", c.counties), ("township_key", c.townships)))
    report = Report(
        as_of=c.as_of, generated_at=generated_at, rules=rules_ref, inputs=inputs,
        summary=Summary(**total.contract(unknown_here(total))), targets=_targets(results), counties=counties,
        townships=townships, attention=attention, scope=scope, samples=samples, submissions=submissions or [],
        township_submissions=township_submissions or [],
        counties_unassigned=None if rest_c is None else Summary(**rest_c.contract(unknown)),
        townships_unassigned=None if rest_t is None else Summary(**rest_t.contract(unknown)),
    )
    return report, results
