"""Purging what an inspection's retention policy says is past its date: report files,
frames' rows, and — once the inspection has been archived long enough — its case data.
Each purge leaves an audit row naming what went and how much."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .models import AuditEvent, RetentionPolicy


@dataclass
class Purged:
    inspection: str
    what: str
    count: int


def _policy(inspection) -> RetentionPolicy:
    try:
        return inspection.retention
    except RetentionPolicy.DoesNotExist:
        return RetentionPolicy(inspection=inspection)  # the defaults, unsaved


def _record(inspection, what: str, count: int, dry_run: bool) -> Purged:
    if not dry_run:
        audit_record(action=AuditEvent.Action.PURGED, target=f"{what}: {count}", inspection=inspection.slug)
    return Purged(inspection.slug, what, count)


@transaction.atomic
def retention_purge(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[Purged]:
    now = now or timezone.now()
    Inspection = apps.get_model("casefiles", "Inspection")
    ReportJob = apps.get_model("reports", "ReportJob")
    Frame = apps.get_model("sampling", "Frame")
    FrameCase = apps.get_model("sampling", "FrameCase")
    CaseFile = apps.get_model("casefiles", "CaseFile")
    done: list[Purged] = []
    for inspection in Inspection.objects.select_related("retention").order_by("slug"):
        policy = _policy(inspection)
        old_reports = ReportJob.objects.filter(
            inspection=inspection, finished_at__lt=now - datetime.timedelta(days=policy.report_days)
        ).exclude(file="")
        files = list(old_reports.values_list("file", flat=True))
        if files:
            if not dry_run:
                for name in files:
                    default_storage.delete(name)
                old_reports.update(file="")
            done.append(_record(inspection, "report files", len(files), dry_run))
        old_frames = Frame.objects.filter(
            inspection=inspection, imported_at__lt=now - datetime.timedelta(days=policy.frame_days)
        )
        rows = FrameCase.objects.filter(frame__in=old_frames)
        count = rows.count()
        if count:
            if not dry_run:
                rows.delete()
            done.append(_record(inspection, "frame rows", count, dry_run))
        archived_until = policy.archived_on and policy.archived_on + datetime.timedelta(days=policy.case_data_days)
        if archived_until and archived_until < now.date():
            case_files = CaseFile.objects.filter(inspection=inspection)
            count = case_files.count()
            if count:
                if not dry_run:
                    case_files.update(replaces=None)
                    case_files.delete()  # examinations, answers, their history and QA reviews go with them
                done.append(_record(inspection, "case files with their examinations and answers", count, dry_run))
    return done
