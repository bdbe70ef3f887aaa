"""Time per file, from the examination page's activity, and its rate against the plan."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casefiles.activity import activity_record, time_per_file
from casefiles.models import Examination, ExaminationSitting
from casefiles.services import examination_open
from tests.conftest import make_case_file

NINE = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def _at(minutes: float) -> datetime.datetime:
    return NINE + datetime.timedelta(minutes=minutes)


def _submit(examination: Examination) -> None:
    Examination.objects.filter(pk=examination.pk).update(status="submitted", submitted_at=timezone.now())


def test_activity_less_than_the_idle_gap_apart_is_one_sitting_and_longer_gaps_count_nothing(
    db, inspection, inspector, case_file
):
    examination = examination_open(case_file=case_file, examiner=inspector)
    for minute in (0, 5, 19, 38):  # 09:00 to 09:38, never 20 minutes idle
        activity_record(examination=examination, person=inspector, at=_at(minute))
    for minute in (120, 135, 150):  # after lunch: a new sitting of 30 minutes
        activity_record(examination=examination, person=inspector, at=_at(minute))
    activity_record(examination=examination, person=inspector, at=_at(150))  # a repeat changes nothing

    sittings = ExaminationSitting.objects.order_by("started_at")
    assert [(s.started_at, s.last_active_at) for s in sittings] == [(_at(0), _at(38)), (_at(120), _at(150))]
    _submit(examination)
    [mine, everyone] = time_per_file(inspection)
    assert mine.files == 1 and mine.seconds == 68 * 60
    assert mine.time_per_file == "1 h 08 min"
    assert round(mine.files_per_inspector_day, 1) == 6.5  # 7.4 hours ÷ 68 minutes
    assert everyone.label == "All inspectors"


def test_a_submitted_examination_read_again_counts_no_time(db, inspection, inspector, case_file):
    examination = examination_open(case_file=case_file, examiner=inspector)
    _submit(examination)
    examination.refresh_from_db()
    activity_record(examination=examination, person=inspector, at=_at(0))
    assert not ExaminationSitting.objects.exists()


def test_only_submitted_files_and_the_examiners_own_time_count(db, inspection, inspector, lead, case_file):
    done = examination_open(case_file=case_file, examiner=inspector)
    other = examination_open(
        case_file=make_case_file(inspection, "52WS0002", assigned_to=inspector), examiner=inspector
    )
    for examination, person in ((done, inspector), (done, lead), (other, inspector)):
        activity_record(examination=examination, person=person, at=_at(0))
        activity_record(examination=examination, person=person, at=_at(10))
    _submit(done)
    [mine, _] = time_per_file(inspection)
    assert (mine.files, mine.seconds) == (1, 600)


def test_the_page_saves_and_heartbeat_record_the_inspectors_time(client, inspection, inspector, case_file):
    client.force_login(inspector)
    slug, urn = inspection.slug, case_file.urn
    page = client.get(reverse("casefiles:examine", args=[slug, urn])).content.decode()
    assert "js/activity.js" in page and f"/files/{urn}/activity/" in page
    sitting = ExaminationSitting.objects.get()
    ExaminationSitting.objects.update(started_at=sitting.started_at - datetime.timedelta(minutes=15))

    assert client.post(reverse("casefiles:activity", args=[slug, urn])).status_code == 204
    client.post(reverse("casefiles:autosave", args=[slug, urn, "LD1"]), {"LD1": "fully_meets", "LD1-version": "0"})

    sitting = ExaminationSitting.objects.get()
    assert sitting.person == inspector
    assert 15 * 60 <= (sitting.last_active_at - sitting.started_at).total_seconds() < 16 * 60


def test_the_heartbeat_is_for_the_files_inspector_only_and_by_post(client, inspection, inspector, colleague, case_file):
    url = reverse("casefiles:activity", args=[inspection.slug, case_file.urn])
    client.force_login(colleague)
    assert client.post(url).status_code == 403
    client.force_login(inspector)
    assert client.get(url).status_code == 405
    assert not ExaminationSitting.objects.exists()


def test_the_progress_page_shows_the_rate_against_the_plan(client, lead, inspection, inspector, case_file):
    examination = examination_open(case_file=case_file, examiner=inspector)
    for minute in range(0, 248, 19):  # 4 h 07 min on one file, never idle for 20 minutes
        activity_record(examination=examination, person=inspector, at=_at(minute))
    _submit(examination)
    client.force_login(lead)
    page = " ".join(client.get(reverse("casefiles:progress", args=[inspection.slug])).content.decode().split())
    assert "Time per file" in page and "against the plan's 2 files an inspector-day" in page
    assert "4 h 07 min" in page and "1.8 <strong" in page and "slower than plan" in page
