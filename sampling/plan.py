"""The sampling plan: a data file per inspection, read and validated here (no database).

A plan declares its case attributes (the frame's columns after urn and area, see
casefiles.attributes) and which of them are report breakdowns, then its strata (each a
filter on those attributes and a quota per Area), the cases never sampled, the reserves
drawn per Area and stratum, the mix rule (a yes/no attribute whose two kinds each stratum
shares in proportion) and the dip-sample percentage. A plan with any error is refused
whole, every error named.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from casefiles.attributes import Attribute, filter_errors, parse_attributes, plain
from casefiles.working_calendar import BANK_HOLIDAY_REGIONS
from questionset.loader import QuestionSetInvalid, load_yaml_bounded

DEFAULT_PLAN = Path(settings.DEFAULT_PLAN_FILE)
MIX_RULES = {
    "proportional": "the attribute's yes and no cases in proportion to the frame, at least one of each where possible",
    "none": "a simple random sample of the stratum, whatever its split",
}
MIX_KEYS = {"attribute", "rule"}
PLAN_KEYS = {
    "code",
    "name",
    "attributes",
    "breakdowns",
    "exclude",
    "strata",
    "reserves_per_stratum",
    "mix",
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
    attributes: list[Attribute] = field(default_factory=list)
    breakdowns: list[str] = field(default_factory=list)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    reserves_per_stratum: int = 2
    mix_attribute: str = ""  # a yes_no attribute, or "" for no mix rule
    mix_rule: str = "none"
    dip_sample_percent: float = 15
    inspectors: int = 4
    files_per_inspector_day: float = 2
    examination_days_per_week: int = 5
    bank_holidays: str = "england_and_wales"
    hours_per_inspector_day: float = 7.4

    @property
    def files_per_area(self) -> int:
        return sum(s.per_area for s in self.strata)

    @property
    def attribute_codes(self) -> list[str]:
        return [a.code for a in self.attributes]

    def attribute(self, code: str) -> Attribute | None:
        return next((a for a in self.attributes if a.code == code), None)

    def attributes_for(self, export: str) -> list[Attribute]:
        """The attributes an export carries ("sample" or "results"), in the plan's order."""
        return [a for a in self.attributes if export in a.exports]

    @property
    def breakdown_attributes(self) -> list[Attribute]:
        return [a for code in self.breakdowns if (a := self.attribute(code)) is not None]

    @property
    def filter_codes(self) -> list[str]:
        """The attributes the strata and exclusions read: all a case's stratum depends on."""
        codes = {key for s in self.strata for key in s.where} | set(self.exclude)
        return [code for code in self.attribute_codes if code in codes]

    @property
    def mix_label(self) -> str:
        attribute = self.attribute(self.mix_attribute)
        return attribute.label if attribute else ""

    @property
    def exclusion_text(self) -> str:
        """'Category: Controlling and coercive behaviour', for the pages that explain the draw."""
        parts = []
        for code, values in self.exclude.items():
            attribute = self.attribute(code)
            label = attribute.label if attribute else code
            parts.append(f"{label}: {', '.join(attribute.value_label(v) if attribute else v for v in values)}")
        return "; ".join(parts)

    def mixed(self, attributes: dict[str, str]) -> bool:
        """Whether a case is of the mix attribute's "yes" kind."""
        return bool(self.mix_attribute) and attributes.get(self.mix_attribute) == "yes"

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
            "attributes": [a.as_data() for a in self.attributes],
            "breakdowns": list(self.breakdowns),
            "exclude": self.exclude,
            "strata": [
                {"code": s.code, "label": s.label, "where": s.where, "per_area": s.per_area} for s in self.strata
            ],
            "reserves_per_stratum": self.reserves_per_stratum,
            "mix": {"attribute": self.mix_attribute, "rule": self.mix_rule} if self.mix_attribute else None,
            "dip_sample_percent": self.dip_sample_percent,
            "inspectors": self.inspectors,
            "files_per_inspector_day": self.files_per_inspector_day,
            "examination_days_per_week": self.examination_days_per_week,
            "bank_holidays": self.bank_holidays,
            "hours_per_inspector_day": self.hours_per_inspector_day,
        }


_text = plain


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_exclude(raw: Any, attributes: dict[str, Attribute], errors: list[str]) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append("exclude must be a mapping of attribute to values, e.g. {outcome: [withdrawn]}")
        return {}
    exclude = {}
    for key, values in raw.items():
        values = [_text(v) for v in (values if isinstance(values, list) else [values])]
        attribute = attributes.get(key)
        if attribute is None:
            errors.append(f"exclude: unknown column '{key}' (columns: {', '.join(attributes)})")
        elif not attribute.filterable:
            errors.extend(filter_errors("exclude", key, tuple(values), attributes))
        else:
            errors.extend(f"exclude.{key}: '{v}' is not a value of {key}" for v in values
                          if v not in attribute.allowed())  # fmt: skip
            exclude[key] = values
    return exclude


def _parse_stratum(
    i: int, raw: Any, attributes: dict[str, Attribute], errors: list[str]
) -> tuple[Stratum, bool] | None:
    """(stratum, whether a condition of its filter was refused), or None when it is not a mapping."""
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
    dropped = False
    raw_where = raw.get("where")
    if not isinstance(raw_where, dict) or not raw_where:
        errors.append(f"{name}: needs a where filter, e.g. {{outcome: charged}}")
        raw_where = {}
    for key, value in raw_where.items():
        if key not in attributes:
            errors.append(f"{name}: unknown column '{key}' in where (columns: {', '.join(attributes)})")
            dropped = True
        elif filter_errors(name, key, (_text(value),), attributes):
            if attributes[key].filterable:
                errors.append(f"{name}: {key} cannot be '{_text(value)}'")
            else:
                errors.extend(filter_errors(name, key, (_text(value),), attributes))
            dropped = True
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
    return Stratum(code=code, label=label.strip(), where=where, per_area=per_area), dropped


def parse_plan(data: Any) -> Plan:
    """The plan in `data` (a mapping, as read from YAML), or PlanInvalid naming every error."""
    if not isinstance(data, dict):
        raise PlanInvalid(["the plan must be a mapping of keys to values"])
    errors: list[str] = []
    errors.extend(f"unknown key '{key}'" for key in sorted(set(data) - PLAN_KEYS, key=str))
    for key in ("code", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append(f"the plan needs '{key}' (text)")
    attributes = parse_attributes(data.get("attributes"), errors)
    by_code = {a.code: a for a in attributes}
    breakdowns = _parse_breakdowns(data.get("breakdowns"), by_code, errors)
    exclude = _parse_exclude(data.get("exclude"), by_code, errors)

    raw_strata = data.get("strata")
    if not isinstance(raw_strata, list) or not raw_strata:
        errors.append("the plan needs 'strata': a list of at least one stratum")
        raw_strata = []
    strata: list[Stratum] = []
    comparable: list[Stratum] = []
    for i, raw in enumerate(raw_strata, start=1):
        parsed = _parse_stratum(i, raw, by_code, errors)
        if parsed is None:
            continue
        stratum, refused = parsed
        if stratum.code and any(s.code == stratum.code for s in strata):
            errors.append(f"stratum {stratum.code}: the code appears twice")
        if stratum.where and _wholly_excluded(stratum.where, exclude):
            errors.append(f"stratum {stratum.code}: every case it selects is excluded by the plan")
        strata.append(stratum)
        if not refused:  # a filter missing a refused condition would seem to overlap others
            comparable.append(stratum)
    for a in range(len(comparable)):
        for b in range(a + 1, len(comparable)):
            if comparable[a].where and comparable[b].where and _overlap(comparable[a].where, comparable[b].where):
                errors.append(
                    f"strata {comparable[a].code} and {comparable[b].code} overlap: a case could fall in both"
                )

    reserves = data.get("reserves_per_stratum", 2)
    if not _whole(reserves) or reserves < 0:
        errors.append("reserves_per_stratum must be a whole number, 0 or more")
    mix_attribute, mix_rule = _parse_mix(data.get("mix"), by_code, errors)
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
        attributes=attributes,
        breakdowns=breakdowns,
        exclude=exclude,
        reserves_per_stratum=reserves,
        mix_attribute=mix_attribute,
        mix_rule=mix_rule,
        dip_sample_percent=float(percent),
        inspectors=inspectors,
        files_per_inspector_day=float(per_day),
        **calendar,
    )


def _parse_breakdowns(raw: Any, attributes: dict[str, Attribute], errors: list[str]) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append("breakdowns must be a list of attribute codes, in the order reports show them")
        return []
    breakdowns = []
    for code in map(_text, raw):
        if code in breakdowns:
            errors.append(f"breakdowns: '{code}' appears twice")
        elif code not in attributes:
            errors.append(f"breakdowns: unknown attribute '{code}' (attributes: {', '.join(attributes) or 'none'})")
        elif not attributes[code].filterable:
            errors.append(f"breakdowns: {code} is a {attributes[code].type} attribute; reports group only by choice "
                          "and yes_no attributes")  # fmt: skip
        else:
            breakdowns.append(code)
    return breakdowns


def _parse_mix(raw: Any, attributes: dict[str, Attribute], errors: list[str]) -> tuple[str, str]:
    """(attribute, rule) of the mix rule; ("", "none") when the plan has none."""
    if raw is None:
        return "", "none"
    if not isinstance(raw, dict) or set(raw) - MIX_KEYS or "attribute" not in raw:
        errors.append("mix must be a mapping with attribute (a yes_no attribute) and rule")
        return "", "none"
    code, rule = _text(raw["attribute"]), raw.get("rule", "proportional")
    if rule not in MIX_RULES:
        errors.append(f"mix.rule must be one of: {', '.join(MIX_RULES)}")
    attribute = attributes.get(code)
    if attribute is None:
        errors.append(f"mix.attribute: unknown attribute '{code}' (attributes: {', '.join(attributes) or 'none'})")
    elif attribute.type != "yes_no":
        errors.append(f"mix.attribute: {code} must be a yes_no attribute, not {attribute.type}")
    return code, rule


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
    """A plan from its YAML text, read with the question-set loader's bounds (size, nesting,
    alias expansion): a plan is uploaded in the browser too, so it must never hang or exhaust memory."""
    try:
        data = load_yaml_bounded(text)
    except QuestionSetInvalid as exc:
        raise PlanInvalid([error.replace("the file", "the plan", 1) for error in exc.errors]) from exc
    return parse_plan(data)


def load_plan_file(path: Path | str) -> Plan:
    return load_plan_text(Path(path).read_text(encoding="utf-8"))
