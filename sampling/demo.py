"""A generated sample frame for the demo, tests and benchmarks: plausible, not real."""

import csv
import datetime
import io
import random

from .plan import Plan

COLUMNS = ["urn", "area", "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"]


def generate_frame_rows(
    plan: Plan, area_names: list[str], seed: int = 1, per_stratum: int | None = None, total: int | None = None
) -> list[dict]:
    """Rows in SPEC's frame format: every stratum of every Area over-supplied, plus cases
    the plan excludes (controlling or coercive behaviour) and VRR re-opened NFA cases.

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
    for a, area in enumerate(area_names):
        for stratum in plan.strata:
            for _ in range(counts[(area, stratum.code)]):
                n += 1
                where = stratum.where
                outcome = where.get("outcome", "charged")
                rows.append(
                    {
                        "urn": f"{a + 1:02d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{n:07d}",
                        "area": rng.choice([area, f"CPS {area}", area.upper()]) if n % 7 == 0 else area,
                        "category": where.get("category", "stalking"),
                        "outcome": outcome,
                        "court": where.get("court", "") if outcome == "charged" else "",
                        "domestic_abuse": "yes" if rng.random() < 0.55 else "no",
                        "vrr": "yes" if outcome == "nfa" and rng.random() < 0.15 else "no",
                        "decision_date": (start + datetime.timedelta(days=rng.randrange(0, 540))).isoformat(),
                    }
                )
        for _ in range(int(2 * share) if share else 3):  # never sampled
            n += 1
            rows.append(
                {
                    "urn": f"{a + 1:02d}C{n:07d}",
                    "area": area,
                    "category": "controlling_coercive",
                    "outcome": "charged",
                    "court": rng.choice(["magistrates", "crown"]),
                    "domestic_abuse": "yes",
                    "vrr": "no",
                    "decision_date": (start + datetime.timedelta(days=rng.randrange(0, 540))).isoformat(),
                }
            )
    rng.shuffle(rows)
    return rows


def frame_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def frame_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("frame")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
