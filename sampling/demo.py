"""A generated sample frame for the demo, tests and benchmarks: plausible, not real."""

import csv
import datetime
import io
import random

from casefiles.attributes import Attribute

from .plan import Plan


def columns_of(plan: Plan) -> list[str]:
    return ["urn", "area", *plan.attribute_codes]


def _value(attribute: Attribute, row: dict, plan: Plan, rng: random.Random, n: int, start: datetime.date) -> str:
    """A plausible value: one the plan's conditions allow, never one the plan excludes."""
    if attribute.empty_when and all(row.get(k) in v for k, v in attribute.empty_when.items()):
        return ""
    if attribute.type == "date":
        return (start + datetime.timedelta(days=rng.randrange(0, 540))).isoformat()
    if attribute.type == "text":
        return f"Generated case {n}"
    if attribute.type == "yes_no":
        return "yes" if rng.random() < (0.55 if attribute.code == plan.mix_attribute else 0.15) else "no"
    allowed = [c for c in attribute.codes if c not in plan.exclude.get(attribute.code, [])]
    return rng.choice(allowed or list(attribute.codes))


def _row(plan: Plan, fixed: dict, rng: random.Random, n: int, start: datetime.date) -> dict:
    row = dict(fixed)
    # Attributes others depend on first, so a condition (court empty when nfa) reads its value.
    conditional = [a for a in plan.attributes if a.empty_when or a.required_when]
    for attribute in [a for a in plan.attributes if a not in conditional] + conditional:
        if attribute.code not in row:
            row[attribute.code] = _value(attribute, row, plan, rng, n, start)
    return row


def generate_frame_rows(
    plan: Plan, area_names: list[str], seed: int = 1, per_stratum: int | None = None, total: int | None = None
) -> list[dict]:
    """Rows in the plan's frame format: every stratum of every Area over-supplied, plus cases
    the plan excludes.

    per_stratum: candidates per Area × stratum (default: quota × 2 + 4). total: exactly
    this many rows instead, spread in proportion to the quotas (for benchmarks).
    """
    rng = random.Random(seed)
    rows = []
    start = datetime.date(2024, 4, 1)
    n = 0
    share = None
    counts = {(area, s.code): per_stratum or s.per_area * 2 + 4 for area in area_names for s in plan.strata}
    if total:
        share = total / (len(area_names) * (sum(s.per_area for s in plan.strata) + 2))
        counts = {(area, s.code): max(int(s.per_area * share), 1) for area in area_names for s in plan.strata}
        remainder = total - sum(counts.values()) - len(area_names) * int(2 * share)
        keys = list(counts)
        for i in range(max(remainder, 0)):
            counts[keys[i % len(keys)]] += 1
    excluded = {key: values[0] for key, values in list(plan.exclude.items())[:1]}
    for a, area in enumerate(area_names):
        for stratum in plan.strata:
            for _ in range(counts[(area, stratum.code)]):
                n += 1
                fixed = {
                    "urn": f"{a + 1:02d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{n:07d}",
                    "area": rng.choice([area, f"CPS {area}", area.upper()]) if n % 7 == 0 else area,
                    **stratum.where,
                }
                rows.append(_row(plan, fixed, rng, n, start))
        for _ in range((int(2 * share) if share else 3) if excluded else 0):  # never sampled
            n += 1
            rows.append(_row(plan, {"urn": f"{a + 1:02d}C{n:07d}", "area": area, **excluded}, rng, n, start))
    rng.shuffle(rows)
    return rows


def frame_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["urn", "area"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def frame_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("frame")
    columns = list(rows[0]) if rows else ["urn", "area"]
    sheet.append(columns)
    for row in rows:
        sheet.append([row[c] for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
