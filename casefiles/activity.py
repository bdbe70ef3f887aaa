"""Time per file, measured from the examination page's activity: no stopwatch to remember.

Opening the page, each save and the page's heartbeat (once a minute while someone is using
the page, static/js/activity.js) are moments of activity. Moments less than
ACTIVITY_IDLE_MINUTES apart make one sitting; a file's time is the sum of its sittings, so
a lunch break or a page left open overnight counts nothing."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone

from .models import Examination, ExaminationSitting, Inspection

SITTING_LENGTH = ExpressionWrapper(F("last_active_at") - F("started_at"), output_field=DurationField())


def idle_gap() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.ACTIVITY_IDLE_MINUTES)


def activity_record(*, examination: Examination, person, at: datetime.datetime | None = None) -> None:
    """Count a moment of `person`'s activity on the examination: it extends their sitting
    that was active within the idle gap (one conditional UPDATE, so a repeat is harmless),
    or starts a new one. Reading a submitted (read-only) examination is not examining it."""
    if not examination.is_editable:
        return
    at = at or timezone.now()
    extended = ExaminationSitting.objects.filter(
        examination=examination, person=person, last_active_at__gte=at - idle_gap(), last_active_at__lte=at
    ).update(last_active_at=at)
    if not extended:
        ExaminationSitting.objects.create(examination=examination, person=person, started_at=at, last_active_at=at)


@dataclass
class FileTime:
    """Submitted files with time recorded, and the time they took, for one inspector or all."""

    label: str
    files: int
    seconds: int
    hours_per_inspector_day: float

    @property
    def seconds_per_file(self) -> float:
        return self.seconds / self.files if self.files else 0.0

    @property
    def files_per_inspector_day(self) -> float | None:
        """The rate this time per file gives over an inspector-day of the plan's hours."""
        if not self.seconds_per_file:
            return None
        return self.hours_per_inspector_day * 3600 / self.seconds_per_file

    @property
    def time_per_file(self) -> str:
        minutes = round(self.seconds_per_file / 60)
        return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def time_per_file(inspection: Inspection) -> list[FileTime]:
    """Per inspector, then all inspectors: the examiner's own sittings on their submitted
    primary examinations (one query, aggregated in the database)."""
    hours = float((inspection.plan or {}).get("hours_per_inspector_day", 7.4))
    rows = (
        ExaminationSitting.objects.filter(
            examination__case_file__inspection=inspection,
            examination__kind=Examination.Kind.PRIMARY,
            examination__status=Examination.Status.SUBMITTED,
            person=F("examination__examiner"),
        )
        .values("person")
        .annotate(length=Sum(SITTING_LENGTH), files=Count("examination", distinct=True))
        .order_by("person")
    )
    rows = list(rows)
    names = {
        u.pk: u.get_full_name() or u.username
        for u in get_user_model().objects.filter(pk__in=[r["person"] for r in rows])
    }
    times = [FileTime(names[r["person"]], r["files"], int(r["length"].total_seconds()), hours) for r in rows]
    if times:
        times.append(FileTime("All inspectors", sum(t.files for t in times), sum(t.seconds for t in times), hours))
    return times
