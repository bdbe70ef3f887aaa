"""The sampling plan: a data file per inspection, read and validated here (no database)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

STALKING_PLAN = Path(settings.BASE_DIR) / "sampling" / "data" / "stalking-2026-plan.yaml"
FILTER_VALUES = {
    "category": {"stalking", "harassment", "breach_of_order", "controlling_coercive"},
    "outcome": {"charged", "nfa"},
    "court": {"magistrates", "crown", ""},
    "domestic_abuse": {"yes", "no"},
    "vrr": {"yes", "no"},
}
DA_MIX_RULES = {"proportional", "none"}


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

    @property
    def files_per_area(self) -> int:
        return sum(s.per_area for s in self.strata)

    def stratum(self, code: str) -> Stratum:
        return next(s for s in self.strata if s.code == code)

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
        }


def _text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def parse_plan(data: dict[str, Any]) -> Plan:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise PlanInvalid(["the plan must be a mapping"])
    for key in ("code", "name", "strata"):
        if not data.get(key):
            errors.append(f"the plan needs '{key}'")
    exclude = {}
    for key, values in (data.get("exclude") or {}).items():
        values = [_text(v) for v in (values if isinstance(values, list) else [values])]
        if key not in FILTER_VALUES:
            errors.append(f"exclude: unknown column '{key}'")
        else:
            errors.extend(f"exclude.{key}: '{v}' is not a valid value" for v in values if v not in FILTER_VALUES[key])
        exclude[key] = values
    strata, seen = [], set()
    for i, raw in enumerate(data.get("strata") or [], start=1):
        code = _text((raw or {}).get("code")) or f"stratum {i}"
        if code in seen:
            errors.append(f"stratum {code}: the code appears twice")
        seen.add(code)
        where = {}
        for key, value in ((raw or {}).get("where") or {}).items():
            if key not in FILTER_VALUES:
                errors.append(f"stratum {code}: unknown column '{key}' in where")
            elif _text(value) not in FILTER_VALUES[key]:
                errors.append(f"stratum {code}: {key} cannot be '{_text(value)}'")
            where[key] = _text(value)
        if not where:
            errors.append(f"stratum {code}: needs a where filter")
        per_area = (raw or {}).get("per_area")
        if not isinstance(per_area, int) or isinstance(per_area, bool) or per_area < 1:
            errors.append(f"stratum {code}: per_area must be a whole number of at least 1")
            per_area = 0
        strata.append(Stratum(code=code, label=str((raw or {}).get("label") or code), where=where, per_area=per_area))
    for a in range(len(strata)):
        for b in range(a + 1, len(strata)):
            if _overlap(strata[a].where, strata[b].where):
                errors.append(f"strata {strata[a].code} and {strata[b].code} overlap: a case could fall in both")
    reserves = data.get("reserves_per_stratum", 2)
    if not isinstance(reserves, int) or reserves < 0:
        errors.append("reserves_per_stratum must be a whole number, 0 or more")
    mix = data.get("domestic_abuse_mix", "proportional")
    if mix not in DA_MIX_RULES:
        errors.append(f"domestic_abuse_mix must be one of {', '.join(sorted(DA_MIX_RULES))}")
    percent = data.get("dip_sample_percent", 15)
    if not isinstance(percent, int | float) or not 0 < percent <= 100:
        errors.append("dip_sample_percent must be a number above 0 and at most 100")
    if errors:
        raise PlanInvalid(errors)
    return Plan(
        code=str(data["code"]),
        name=str(data["name"]),
        strata=strata,
        exclude=exclude,
        reserves_per_stratum=reserves,
        domestic_abuse_mix=mix,
        dip_sample_percent=float(percent),
        inspectors=int(data.get("inspectors", 4)),
        files_per_inspector_day=float(data.get("files_per_inspector_day", 2)),
    )


def _overlap(a: dict[str, str], b: dict[str, str]) -> bool:
    return all(a[key] == b[key] for key in a.keys() & b.keys())


def load_plan_text(text: str) -> Plan:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlanInvalid([f"the plan is not valid YAML: {exc}"]) from exc
    return parse_plan(data)


def load_plan_file(path: Path | str) -> Plan:
    return load_plan_text(Path(path).read_text(encoding="utf-8"))
