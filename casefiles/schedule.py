"""An inspection's schedule: fieldwork dates, working pattern and inspectors' leave, with
their history, and the working calendar they make with the plan."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from .models import Inspection, InspectorLeave, ScheduleChange
from .working_calendar import WorkingCalendar, Workload, default_weekdays


def plan_days_per_week(inspection: Inspection) -> int:
    return int((inspection.plan or {}).get("examination_days_per_week", 5))


def team_size(inspection: Inspection) -> int:
    """Inspectors examining files. Team membership (who is on the inspection) is not
    recorded yet; until it is, the plan's team size counts — count the members here then."""
    return int((inspection.plan or {}).get("inspectors", 4))


def weekdays_of(inspection: Inspection) -> tuple[int, ...]:
    """The inspection's examination weekdays, or the plan's first N weekdays when never set."""
    if inspection.examination_weekdays:
        return tuple(sorted(inspection.examination_weekdays))
    return default_weekdays(plan_days_per_week(inspection))


def leave_by_day(inspection: Inspection) -> dict[datetime.date, int]:
    """Inspectors away on each day of current leave (an inspector counted once per day)."""
    away: dict[datetime.date, set[int]] = defaultdict(set)
    for inspector, first, last in (
        InspectorLeave.objects.current()
        .filter(inspection=inspection)
        .values_list("inspector_id", "first_day", "last_day")
    ):
        day = first
        while day <= last:
            away[day].add(inspector)
            day += datetime.timedelta(days=1)
    return {day: len(who) for day, who in away.items()}


def calendar_of(inspection: Inspection) -> WorkingCalendar:
    return WorkingCalendar(
        weekdays=weekdays_of(inspection),
        bank_holidays=(inspection.plan or {}).get("bank_holidays", "england_and_wales"),
        away=leave_by_day(inspection),
    )


def workload_of(inspection: Inspection, files: int) -> Workload:
    plan = inspection.plan or {}
    return Workload(
        files=files,
        team=team_size(inspection),
        files_per_inspector_day=float(plan.get("files_per_inspector_day", 2)),
        examination_days_per_week=len(weekdays_of(inspection)),
    )


def _schedule(inspection: Inspection) -> dict:
    return {
        "fieldwork_starts_on": inspection.fieldwork_starts_on.isoformat() if inspection.fieldwork_starts_on else "",
        "fieldwork_ends_on": inspection.fieldwork_ends_on.isoformat() if inspection.fieldwork_ends_on else "",
        "examination_weekdays": list(weekdays_of(inspection)),
    }


@transaction.atomic
def inspection_schedule_set(
    *,
    inspection: Inspection,
    fieldwork_starts_on: datetime.date | None,
    fieldwork_ends_on: datetime.date | None,
    examination_weekdays: list[int],
    by,
) -> ScheduleChange | None:
    """Set the fieldwork dates and working pattern, keeping the old values in history.
    Nothing is written when nothing changes."""
    if not examination_weekdays:
        raise ValueError("Choose at least one day of the week on which files are examined.")
    if fieldwork_starts_on and fieldwork_ends_on and fieldwork_ends_on < fieldwork_starts_on:
        raise ValueError("Fieldwork must end on or after the day it starts.")
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    old = _schedule(locked)
    locked.fieldwork_starts_on, locked.fieldwork_ends_on = fieldwork_starts_on, fieldwork_ends_on
    locked.examination_weekdays = sorted(set(examination_weekdays))
    new = _schedule(locked)
    if new == old:
        return None
    locked.save(update_fields=["fieldwork_starts_on", "fieldwork_ends_on", "examination_weekdays"])
    inspection.fieldwork_starts_on, inspection.fieldwork_ends_on = fieldwork_starts_on, fieldwork_ends_on
    inspection.examination_weekdays = locked.examination_weekdays
    return ScheduleChange.objects.create(inspection=inspection, old=old, new=new, by=by)


def leave_add(
    *, inspection: Inspection, inspector, first_day: datetime.date, last_day: datetime.date, note: str, by
) -> InspectorLeave:
    if last_day < first_day:
        raise ValueError("The last day of leave must be on or after the first.")
    return InspectorLeave.objects.create(
        inspection=inspection, inspector=inspector, first_day=first_day, last_day=last_day, note=note, entered_by=by
    )


def leave_cancel(*, leave: InspectorLeave, by) -> bool:
    """Cancel leave, keeping it in history. A second cancel changes nothing (conditional update)."""
    return bool(
        InspectorLeave.objects.filter(pk=leave.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), cancelled_by=by
        )
    )
