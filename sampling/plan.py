"""The sampling plan: a data file per inspection, read and validated here (no database).

A plan names its strata (each a filter on the frame's columns and a quota per Area), the
cases never sampled, the reserves drawn per Area and stratum, the domestic-abuse mix rule
and the dip-sample percentage. A plan with any error is refused whole, every error named.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from casefiles.working_calendar import BANK_HOLIDAY_REGIONS

STALKING_PLAN = Path(settings.BASE_DIR) / "sampling" / "data" / "stalking-2026-plan.yaml"
FILTER_VALUES = {
    "category": {"stalking", "harassment", "breach_of_order", "controlling_coercive"},
    "outcome": {"charged", "nfa"},
    "court": {"magistrates", "crown", ""},
    "domestic_abuse": {"yes", "no"},
    "vrr": {"yes", "no"},
}
DA_MIX_RULES = {
    "proportional": "DA and non-DA cases in proportion to the frame, at least one of each where possible",
    "none": "a simple random sample of the stratum, whatever its DA split",
}
PLAN_KEYS = {
    "code",
    "name",
    "exclude",
    "strata",
    "reserves_per_stratum",
    "domestic_abuse_mix",
    "dip_sample_percent",
    "inspectors",
    "files_per_inspector_day",
    # the calendar (scope H): examination days a week, whose bank holidays, the hours of an inspector-day
    "examination_days_per_week",
    "bank_holidays",
    "hours_per_inspector_day",
}
STRATUM_KEYS = {"code", "label", "where", "per_area"}
# Stratum codes travel in URLs, CSV exports and CaseFile.stratum (60 characters).
STRATUM_CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class PlanInvalid(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Stratum:
    code: str
    label: str
    where: dict[str, str]
    per_area: int

    def matches(self, case: dict[str, str]) -> bool:
        return all(case.get(key, "") == value for key, value in self.where.items())


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    strata: list[Stratum]
    exclude: dict[str, list[str]] = field(default_factory=dict)
    reserves_per_stratum: int = 2
    domestic_abuse_mix: str = "proportional"
    dip_sample_percent: float = 15
    inspectors: int = 4
    files_per_inspector_day: float = 2
    examination_days_per_week: int = 5
    bank_holidays: str = "england_and_wales"
    hours_per_inspector_day: float = 7.4

    @property
    def files_per_area(self) -> int:
        return sum(s.per_area for s in self.strata)

    def stratum(self, code: str) -> Stratum | None:
        return next((s for s in self.strata if s.code == code), None)

    def label_of(self, code: str) -> str:
        stratum = self.stratum(code)
        return stratum.label if stratum else code

    def excludes(self, case: dict[str, str]) -> bool:
        return any(case.get(key, "") in values for key, values in self.exclude.items())

    def stratum_of(self, case: dict[str, str]) -> Stratum | None:
        if self.excludes(case):
            return None
        return next((s for s in self.strata if s.matches(case)), None)

    def as_data(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "exclude": self.exclude,
            "strata": [
                {"code": s.code, "label": s.label, "where": s.where, "per_area": s.per_area} for s in self.strata
            ],
            "reserves_per_stratum": self.reserves_per_stratum,
            "domestic_abuse_mix": self.domestic_abuse_mix,
            "dip_sample_percent": self.dip_sample_percent,
            "inspectors": self.inspectors,
            "files_per_inspector_day": self.files_per_inspector_day,
            "examination_days_per_week": self.examination_days_per_week,
            "bank_holidays": self.bank_holidays,
            "hours_per_inspector_day": self.hours_per_inspector_day,
        }


def _text(value: Any) -> str:
    # YAML reads a bare yes/no as a boolean: the plan means the frame's "yes"/"no".
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_exclude(raw: Any, errors: list[str]) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append("exclude must be a mapping of column to values, e.g. {category: [controlling_coercive]}")
        return {}
    exclude = {}
    for key, values in raw.items():
        values = [_text(v) for v in (values if isinstance(values, list) else [values])]
        if key not in FILTER_VALUES:
            errors.append(f"exclude: unknown column '{key}' (columns: {', '.join(FILTER_VALUES)})")
            continue
        errors.extend(f"exclude.{key}: '{v}' is not a value of {key}" for v in values if v not in FILTER_VALUES[key])
        exclude[key] = values
    return exclude


def _parse_stratum(i: int, raw: Any, errors: list[str]) -> Stratum | None:
    if not isinstance(raw, dict):
        errors.append(f"stratum {i}: must be a mapping with code, label, where and per_area")
        return None
    code = _text(raw.get("code"))
    name = f"stratum {code or i}"
    if not code:
        errors.append(f"{name}: needs a code")
    elif not STRATUM_CODE.match(code):
        errors.append(f"{name}: the code must be lower-case letters, digits and _ (at most 60), starting with a letter")
    errors.extend(f"{name}: unknown key '{key}'" for key in sorted(set(raw) - STRATUM_KEYS, key=str))
    where: dict[str, str] = {}
    raw_where = raw.get("where")
    if not isinstance(raw_where, dict) or not raw_where:
        errors.append(f"{name}: needs a where filter, e.g. {{category: stalking, outcome: charged}}")
        raw_where = {}
    for key, value in raw_where.items():
        if key not in FILTER_VALUES:
            errors.append(f"{name}: unknown column '{key}' in where (columns: {', '.join(FILTER_VALUES)})")
        elif _text(value) not in FILTER_VALUES[key]:
            errors.append(f"{name}: {key} cannot be '{_text(value)}'")
        else:
            where[key] = _text(value)
    per_area = raw.get("per_area")
    if not _whole(per_area) or per_area < 1:
        errors.append(f"{name}: per_area must be a whole number of at least 1")
        per_area = 0
    label = raw.get("label", code)
    if not isinstance(label, str) or not label.strip():
        errors.append(f"{name}: label must be text")
        label = code
    return Stratum(code=code, label=label.strip(), where=where, per_area=per_area)


def parse_plan(data: Any) -> Plan:
    """The plan in `data` (a mapping, as read from YAML), or PlanInvalid naming every error."""
    if not isinstance(data, dict):
        raise PlanInvalid(["the plan must be a mapping of keys to values"])
    errors: list[str] = []
    errors.extend(f"unknown key '{key}'" for key in sorted(set(data) - PLAN_KEYS, key=str))
    for key in ("code", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append(f"the plan needs '{key}' (text)")
    exclude = _parse_exclude(data.get("exclude"), errors)

    raw_strata = data.get("strata")
    if not isinstance(raw_strata, list) or not raw_strata:
        errors.append("the plan needs 'strata': a list of at least one stratum")
        raw_strata = []
    strata: list[Stratum] = []
    for i, raw in enumerate(raw_strata, start=1):
        stratum = _parse_stratum(i, raw, errors)
        if stratum is None:
            continue
        if stratum.code and any(s.code == stratum.code for s in strata):
            errors.append(f"stratum {stratum.code}: the code appears twice")
        if stratum.where and _wholly_excluded(stratum.where, exclude):
            errors.append(f"stratum {stratum.code}: every case it selects is excluded by the plan")
        strata.append(stratum)
    for a in range(len(strata)):
        for b in range(a + 1, len(strata)):
            if strata[a].where and strata[b].where and _overlap(strata[a].where, strata[b].where):
                errors.append(f"strata {strata[a].code} and {strata[b].code} overlap: a case could fall in both")

    reserves = data.get("reserves_per_stratum", 2)
    if not _whole(reserves) or reserves < 0:
        errors.append("reserves_per_stratum must be a whole number, 0 or more")
    mix = data.get("domestic_abuse_mix", "proportional")
    if mix not in DA_MIX_RULES:
        errors.append(f"domestic_abuse_mix must be one of: {', '.join(DA_MIX_RULES)}")
    percent = data.get("dip_sample_percent", 15)
    if not _number(percent) or not 0 < percent <= 100:
        errors.append("dip_sample_percent must be a number above 0 and at most 100")
    inspectors = data.get("inspectors", 4)
    if not _whole(inspectors) or inspectors < 1:
        errors.append("inspectors must be a whole number of at least 1")
    per_day = data.get("files_per_inspector_day", 2)
    if not _number(per_day) or per_day <= 0:
        errors.append("files_per_inspector_day must be a number above 0")
    calendar = _parse_calendar(data, errors)
    if errors:
        raise PlanInvalid(errors)
    return Plan(
        code=data["code"].strip(),
        name=data["name"].strip(),
        strata=strata,
        exclude=exclude,
        reserves_per_stratum=reserves,
        domestic_abuse_mix=mix,
        dip_sample_percent=float(percent),
        inspectors=inspectors,
        files_per_inspector_day=float(per_day),
        **calendar,
    )


def _parse_calendar(data: dict, errors: list[str]) -> dict[str, Any]:
    days = data.get("examination_days_per_week", 5)
    if not _whole(days) or not 1 <= days <= 7:
        errors.append("examination_days_per_week must be a whole number from 1 to 7")
    region = _text(data.get("bank_holidays", "england_and_wales"))
    if region not in BANK_HOLIDAY_REGIONS:
        errors.append(f"bank_holidays must be one of: {', '.join(BANK_HOLIDAY_REGIONS)}")
    hours = data.get("hours_per_inspector_day", 7.4)
    if not _number(hours) or not 0 < hours <= 24:
        errors.append("hours_per_inspector_day must be a number above 0 and at most 24")
    return {"examination_days_per_week": days, "bank_holidays": region, "hours_per_inspector_day": hours}


def _overlap(a: dict[str, str], b: dict[str, str]) -> bool:
    """Two filters overlap unless they demand different values of some column."""
    return all(a[key] == b[key] for key in a.keys() & b.keys())


def _wholly_excluded(where: dict[str, str], exclude: dict[str, list[str]]) -> bool:
    return any(where.get(key) in values for key, values in exclude.items())


def load_plan_text(text: str) -> Plan:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlanInvalid([f"the plan is not valid YAML: {' '.join(str(exc).split())}"]) from exc
    return parse_plan(data)


def load_plan_file(path: Path | str) -> Plan:
    return load_plan_text(Path(path).read_text(encoding="utf-8"))
