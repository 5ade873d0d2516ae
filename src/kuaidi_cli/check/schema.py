"""What a valid row is, as pydantic models.

The bulk validation in `validation.py` is column-wise pandas, because pydantic on every row costs
~10× more at national scale (docs/PERFORMANCE.md). These models are the readable definition it must agree
with: every row `validate` keeps converts to a model without error (a property test checks it),
and `Register.records()` hands them to code that wants objects rather than a frame.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")]
Code = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]


def _in_range(d: dt.date | None) -> dt.date | None:
    if d is not None and not dt.date(2000, 1, 1) <= d <= dt.date(2049, 12, 31):
        raise ValueError("date outside 2000–2049")
    return d


Day = Annotated[dt.date | None, AfterValidator(_in_range)]


class VillageRow(BaseModel):
    """One administrative village of the village register (行政村台账)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    county: Name
    township: Name
    village: Name
    code: Code | None = None
    population: int | None = Field(default=None, ge=0, le=100_000)
    distance_km: float | None = Field(default=None, ge=0, le=200)
    in_village: bool | None = None
    in_village_since: Day = None
    reached: bool | None = None
    reached_since: Day = None
    mode: str | None = None


class OutletRow(BaseModel):
    """One outlet of the outlet register (服务点台账)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outlet_id: Name
    name: str | None = None
    level: str = Field(pattern=r"^(park|township_station|village_point)$")
    county: Name
    township: Name | None = None
    village: Name | None = None
    village_code: Code | None = None
    mode: str | None = None
    operators: list[str] = Field(default_factory=list)
    opened: Day = None
    closed: Day = None
    serves: list[str] = Field(default_factory=list)
