"""purge_expired: report files, frames' rows, and an archived inspection's case data go
when the inspection's retention policy says so, each purge leaving an audit row."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from casefiles.models import Answer, CaseFile
from reports.models import ReportJob
from sampling.models import Frame, FrameCase
from security.models import AuditEvent, RetentionPolicy
from tests.conftest import make_case_file
from tests.reports.conftest import record_examination
from tests.sampling.frames import csv_bytes
from tests.security.test_frame_limits import good_rows

DAY = datetime.timedelta(days=1)


def old_report(inspection, writer, tmp_path, days_ago: int) -> ReportJob:
    name = f"reports/r{days_ago}.csv"
    (tmp_path / "reports").mkdir(exist_ok=True)
    (tmp_path / name).write_text("urn\n")
    return ReportJob.objects.create(
        inspection=inspection, format="csv", parameters={}, parameters_key=str(days_ago), requested_by=writer,
        status=ReportJob.Status.DONE, file=name, finished_at=timezone.now() - days_ago * DAY,
    )


def test_it_purges_report_files_and_frame_rows_past_their_dates(inspection, writer, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    RetentionPolicy.objects.create(inspection=inspection, report_days=30, frame_days=60)
    expired, kept = old_report(inspection, writer, tmp_path, 31), old_report(inspection, writer, tmp_path, 29)
    from sampling.services import frame_import

    frame = frame_import(inspection=inspection, filename="frame.csv", content=csv_bytes(good_rows(4)))
    Frame.objects.filter(pk=frame.pk).update(imported_at=timezone.now() - 61 * DAY)
    call_command("purge_expired")
    assert not (tmp_path / "reports/r31.csv").exists() and (tmp_path / "reports/r29.csv").exists()
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert (expired.file.name, kept.file.name) == ("", "reports/r29.csv")
    assert FrameCase.objects.count() == 0 and Frame.objects.filter(pk=frame.pk).exists()
    assert sorted(AuditEvent.objects.filter(action="purged").values_list("target", flat=True)) == [
        "frame rows: 4",
        "report files: 1",
    ]
    assert "Purged 1 report files of test-inspection." in capsys.readouterr().out
    call_command("purge_expired")
    assert AuditEvent.objects.filter(action="purged").count() == 2  # nothing more to purge


def test_case_data_goes_only_after_the_archive_period(inspection, inspector):
    case_file = make_case_file(inspection, "52WS0001", assigned_to=inspector)
    record_examination(case_file, inspector, {"LD1": "fully_meets"})
    policy = RetentionPolicy.objects.create(inspection=inspection, case_data_days=10)
    call_command("purge_expired")
    assert CaseFile.objects.count() == 1  # not archived
    policy.archived_on = timezone.localdate() - 5 * DAY
    policy.save()
    call_command("purge_expired")
    assert CaseFile.objects.count() == 1  # archived, but not long enough
    policy.archived_on = timezone.localdate() - 11 * DAY
    policy.save()
    call_command("purge_expired", "--dry-run")
    assert CaseFile.objects.count() == 1 and not AuditEvent.objects.exists()
    call_command("purge_expired")
    assert CaseFile.objects.count() == 0 and Answer.objects.count() == 0
    event = AuditEvent.objects.get(action="purged")
    assert (event.inspection, event.target) == ("test-inspection", "case files with their examinations and answers: 1")
