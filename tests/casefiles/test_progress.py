import datetime

from django.urls import reverse
from django.utils import timezone

from casefiles.models import Examination
from casefiles.progress import add_working_days, burndown, working_days_between
from tests.conftest import make_case_file

MONDAY = datetime.date(2026, 1, 5)


def test_working_days_skip_weekends():
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=6)) == 5
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=13)) == 10
    assert add_working_days(MONDAY, 6) == datetime.date(2026, 1, 12)


def test_the_plan_for_350_files_takes_44_working_days():
    b = burndown(total=350, start=MONDAY, today=MONDAY, submissions_by_day={}, inspectors=4, files_per_inspector_day=2)
    assert b.per_day_planned == 8
    assert b.planned_finish == add_working_days(MONDAY, 44)  # 43.75 inspector-days, scope H: 11 weeks
    assert b.forecast_finish is None


def test_the_forecast_follows_the_rate_so_far():
    friday = MONDAY + datetime.timedelta(days=4)
    submissions = {MONDAY + datetime.timedelta(days=i): 6 for i in range(5)}  # 6 a day, plan says 8
    b = burndown(
        total=350, start=MONDAY, today=friday, submissions_by_day=submissions, inspectors=4, files_per_inspector_day=2
    )
    assert b.submitted == 30 and b.actual_rate == 6
    assert b.behind_plan_by == 10
    assert b.forecast_finish > b.planned_finish
    assert b.actual[-1] == (friday, 320)


def test_the_progress_page_counts_by_inspector_area_and_stratum(client, lead, inspector, inspection, case_file):
    other = make_case_file(inspection, "52WS0002", assigned_to=inspector)
    Examination.objects.create(
        case_file=case_file,
        examiner=inspector,
        question_set=inspection.question_set,
        status="submitted",
        submitted_at=timezone.now(),
    )
    Examination.objects.create(case_file=other, examiner=inspector, question_set=inspection.question_set)
    client.force_login(lead)
    page = client.get(reverse("casefiles:progress", args=[inspection.slug])).content.decode()
    assert 'id="submitted-count">1</span> of 2 files submitted' in page
    assert "By inspector" in page and "CPS Wessex" in page and "Stalking charged, Crown Court" in page
    assert "<svg" in page and "Burn-down: files still to examine" in page
