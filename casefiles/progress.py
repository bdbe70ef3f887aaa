"""Progress against the plan: counts per inspector, Area and stratum, and the burn-down.

Counts are aggregated in the database (one query per table, whatever the number of
files); the burn-down's arithmetic is a pure function."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from .models import Area, CaseFile, Examination, Inspection


@dataclass
class ProgressRow:
    label: str
    assigned: int = 0
    in_progress: int = 0
    submitted: int = 0
    qa_done: int = 0

    @property
    def not_started(self) -> int:
        return self.assigned - self.in_progress - self.submitted

    @property
    def percent_submitted(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


def _rows(inspection: Inspection, group_by: str, label) -> list[ProgressRow]:
    primary = Q(examinations__kind=Examination.Kind.PRIMARY)
    counts = (
        CaseFile.objects.filter(inspection=inspection)
        .in_sample()
        .values(group_by)
        .annotate(
            files=Count("id", distinct=True),
            submitted=Count("id", filter=primary & Q(examinations__status=Examination.Status.SUBMITTED), distinct=True),
            started=Count(
                "id",
                filter=primary
                & Q(examinations__status__in=[Examination.Status.IN_PROGRESS, Examination.Status.RETURNED])
                & Q(examinations__answers__isnull=False),
                distinct=True,
            ),
            qa=Count(
                "id",
                filter=Q(examinations__kind=Examination.Kind.DIP, examinations__status=Examination.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by(group_by)
    )
    return [ProgressRow(label(c[group_by]), c["files"], c["started"], c["submitted"], c["qa"]) for c in counts]


def progress_by(inspection: Inspection) -> dict[str, list[ProgressRow]]:
    users = {
        u.pk: u.get_full_name() or u.username
        for u in get_user_model().objects.filter(assigned_files__inspection=inspection).distinct()
    }
    areas = dict(Area.objects.values_list("pk", "name"))
    strata = {s["code"]: s["label"] for s in inspection.plan.get("strata", [])}
    return {
        "inspector": _rows(inspection, "assigned_to", lambda pk: users.get(pk, "Unassigned")),
        "area": _rows(inspection, "area", lambda pk: f"CPS {areas[pk]}"),
        "stratum": _rows(inspection, "stratum", lambda code: strata.get(code, code)),
    }


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days (Monday to Friday) from start up to and including end."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for i in range(extra):
        if (start + datetime.timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The date of the n-th working day counting start as day 1 (if it is one)."""
    day = start
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    counted = 1
    while counted < n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


@dataclass
class Burndown:
    total: int
    start: datetime.date
    today: datetime.date
    per_day_planned: float
    submitted: int
    planned_finish: datetime.date
    forecast_finish: datetime.date | None
    actual_rate: float  # files per working day so far
    actual: list[tuple[datetime.date, int]] = field(default_factory=list)  # (day, files remaining at its end)

    @property
    def remaining(self) -> int:
        return self.total - self.submitted

    @property
    def behind_plan_by(self) -> int:
        """Files behind the plan's line today (negative: ahead)."""
        planned_done = min(self.total, self.per_day_planned * working_days_between(self.start, self.today))
        return math.ceil(planned_done - self.submitted)


def burndown(
    *,
    total: int,
    start: datetime.date,
    today: datetime.date,
    submissions_by_day: dict[datetime.date, int],
    inspectors: int,
    files_per_inspector_day: float,
) -> Burndown:
    per_day = inspectors * files_per_inspector_day
    planned_days = math.ceil(total / per_day) if per_day else 0
    remaining = total
    actual = [(start - datetime.timedelta(days=1), total)]
    for day in sorted(d for d in submissions_by_day if d <= today):
        remaining -= submissions_by_day[day]
        actual.append((day, remaining))
    submitted = total - remaining
    elapsed = working_days_between(start, today)
    rate = submitted / elapsed if elapsed else 0.0
    forecast = None
    if remaining <= 0:
        forecast = max(submissions_by_day) if submissions_by_day else today
    elif rate > 0:
        forecast = add_working_days(today, math.ceil(remaining / rate) + 1)
    return Burndown(
        total=total,
        start=start,
        today=today,
        per_day_planned=per_day,
        submitted=submitted,
        planned_finish=add_working_days(start, planned_days),
        forecast_finish=forecast,
        actual_rate=rate,
        actual=actual,
    )


def inspection_burndown(inspection: Inspection, today: datetime.date) -> Burndown:
    plan = inspection.plan or {}
    submitted = (
        Examination.objects.filter(
            case_file__inspection=inspection, kind=Examination.Kind.PRIMARY, status=Examination.Status.SUBMITTED
        )
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("id"))
    )
    by_day: dict[datetime.date, int] = defaultdict(int)
    for row in submitted:
        by_day[row["day"]] += row["n"]
    start = inspection.fieldwork_starts_on or min(by_day, default=today)
    total = CaseFile.objects.filter(inspection=inspection).in_sample().count()
    return burndown(
        total=total,
        start=start,
        today=today,
        submissions_by_day=dict(by_day),
        inspectors=int(plan.get("inspectors", 4)),
        files_per_inspector_day=float(plan.get("files_per_inspector_day", 2)),
    )


@dataclass
class Chart:
    """The burn-down as SVG coordinates (the template draws it)."""

    width: int
    height: int
    plan_points: str
    actual_points: str
    forecast_points: str
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, str]]


def burndown_chart(b: Burndown, width: int = 640, height: int = 280, pad: int = 44) -> Chart:
    end = max(b.planned_finish, b.forecast_finish or b.planned_finish, b.today)
    span = max(1, (end - b.start).days + 1)

    def x(day: datetime.date) -> float:
        return round(pad + (width - 2 * pad) * ((day - b.start).days + 1) / span, 1)

    def y(remaining: float) -> float:
        return round(height - pad - (height - 2 * pad) * remaining / max(1, b.total), 1)

    before = b.start - datetime.timedelta(days=1)
    plan = f"{x(before)},{y(b.total)} {x(b.planned_finish)},{y(0)}"
    actual = " ".join(f"{x(d)},{y(r)}" for d, r in b.actual)
    last_day, last_remaining = b.actual[-1]
    forecast = (
        f"{x(max(last_day, before))},{y(last_remaining)} {x(b.forecast_finish)},{y(0)}" if b.forecast_finish else ""
    )
    y_ticks = [(y(v), v) for v in sorted({0, b.total // 2, b.total})]
    x_ticks = [(x(d), d.strftime("%-d %b")) for d in (b.start, b.planned_finish) if d <= end]
    return Chart(width, height, plan, actual, forecast, y_ticks, x_ticks)
