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
from .schedule import calendar_of, team_size
from .working_calendar import LONGEST_WALK_DAYS, WorkingCalendar, Workload, weekdays_label


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


@dataclass
class Burndown:
    total: int
    start: datetime.date
    today: datetime.date
    workload: Workload
    files_per_inspector_day: float
    submitted: int
    planned_done: float  # files the plan expects done by the end of yesterday
    planned_finish: datetime.date | None  # None: the team can never finish (no examination days)
    forecast_finish: datetime.date | None
    actual_rate: float  # files per inspector-day available so far (leave and bank holidays excluded)
    plan: list[tuple[datetime.date, float]] = field(default_factory=list)  # (day, files the plan leaves at its end)
    actual: list[tuple[datetime.date, int]] = field(default_factory=list)  # (day, files remaining at its end)
    bank_holidays: list[tuple[datetime.date, str]] = field(default_factory=list)  # on examination weekdays
    leave_days: int = 0  # inspector-days of leave on examination days, in the planned period
    weekdays: tuple[int, ...] = ()

    @property
    def remaining(self) -> int:
        return self.total - self.submitted

    @property
    def per_day_planned(self) -> float:
        """Files a full team examines on an examination day."""
        return self.workload.team * self.files_per_inspector_day

    @property
    def weekdays_label(self) -> str:
        return weekdays_label(self.weekdays)

    @property
    def behind_plan_by(self) -> int:
        """Files behind the plan's line at the end of yesterday, counting today's submissions (negative: ahead)."""
        return math.ceil(self.planned_done - self.submitted - 1e-9)

    @property
    def ahead_of_plan_by(self) -> int:
        return -self.behind_plan_by


def burndown(
    *,
    total: int,
    start: datetime.date,
    today: datetime.date,
    submissions_by_day: dict[datetime.date, int],
    calendar: WorkingCalendar,
    team: int,
    files_per_inspector_day: float,
) -> Burndown:
    """The plan's line walks the calendar: each examination day (not a bank holiday) takes
    the pace times the inspectors not on leave; the forecast walks on at the pace so far."""
    planned_finish = calendar.finish(start, total, files_per_inspector_day, team)
    before = start - datetime.timedelta(days=1)
    plan, left = [(before, float(total))], float(total)
    for day in calendar.days(start, planned_finish or start + datetime.timedelta(days=LONGEST_WALK_DAYS)):
        left = max(0.0, left - files_per_inspector_day * calendar.inspectors_on(day, team))
        plan.append((day, left))
    remaining = total
    actual = [(before, total)]
    for day in sorted(d for d in submissions_by_day if d <= today):
        remaining -= submissions_by_day[day]
        actual.append((day, remaining))
    submitted = total - remaining
    # The plan and the pace so far are measured to the end of yesterday: today is not over, so
    # it neither puts a team behind in the morning nor dilutes the rate.
    yesterday = today - datetime.timedelta(days=1)
    available = calendar.inspector_days(start, yesterday, team)
    done_before_today = total - next((r for d, r in reversed(actual) if d <= yesterday), total)
    rate = done_before_today / available if available else 0.0
    forecast = None
    if remaining <= 0:
        forecast = max(submissions_by_day) if submissions_by_day else today
    elif rate > 0:
        forecast = calendar.finish(today + datetime.timedelta(days=1), remaining, rate, team)
    period_end = planned_finish or today  # the days not worked are those of the planned period
    return Burndown(
        total=total,
        start=start,
        today=today,
        workload=Workload(total, team, files_per_inspector_day, len(calendar.weekdays)),
        files_per_inspector_day=files_per_inspector_day,
        submitted=submitted,
        planned_done=min(total, files_per_inspector_day * available),
        planned_finish=planned_finish,
        forecast_finish=forecast,
        actual_rate=rate,
        plan=plan,
        actual=actual,
        bank_holidays=calendar.bank_holidays_between(start, period_end),
        leave_days=calendar.leave_days(start, period_end, team),
        weekdays=calendar.weekdays,
    )


def inspection_burndown(inspection: Inspection, today: datetime.date) -> Burndown:
    plan = inspection.plan or {}
    submitted = (
        Examination.objects.primary()
        .submitted()
        .filter(case_file__inspection=inspection)
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
        calendar=calendar_of(inspection),
        team=team_size(inspection),
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
    end = max(b.planned_finish or b.today, b.forecast_finish or b.today, b.today)
    span = max(1, (end - b.start).days + 1)

    def x(day: datetime.date) -> float:
        return round(pad + (width - 2 * pad) * ((day - b.start).days + 1) / span, 1)

    def y(remaining: float) -> float:
        return round(height - pad - (height - 2 * pad) * remaining / max(1, b.total), 1)

    before = b.start - datetime.timedelta(days=1)
    plan = " ".join(f"{x(d)},{y(r)}" for d, r in b.plan if d <= end)
    actual = " ".join(f"{x(d)},{y(r)}" for d, r in b.actual)
    last_day, last_remaining = b.actual[-1]
    forecast = (
        f"{x(max(last_day, before))},{y(last_remaining)} {x(b.forecast_finish)},{y(0)}" if b.forecast_finish else ""
    )
    y_ticks = [(y(v), v) for v in sorted({0, b.total // 2, b.total})]
    x_ticks = [(x(d), d.strftime("%-d %b")) for d in (b.start, b.planned_finish) if d and d <= end]
    return Chart(width, height, plan, actual, forecast, y_ticks, x_ticks)
