import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefiles.models import Examination
from casefiles.progress import burndown, burndown_chart
from casefiles.schedule import leave_add
from casefiles.working_calendar import WorkingCalendar, Workload
from sampling.plan import DEFAULT_PLAN, PlanInvalid, load_plan_file, load_plan_text
from tests.conftest import make_case_file

MONDAY = datetime.date(2026, 1, 5)  # scope H: "5 January 2026 – Inspection commences"
MON_TO_THU = WorkingCalendar(weekdays=(0, 1, 2, 3))


def _days(start: datetime.date, weeks: int, weekdays=(0, 1, 2, 3)) -> list[datetime.date]:
    return [start + datetime.timedelta(days=i) for i in range(7 * weeks) if i % 7 in weekdays]


def test_the_stalking_plan_is_175_inspector_days_and_about_11_working_weeks():
    plan = load_plan_file(DEFAULT_PLAN)
    work = Workload(350, plan.inspectors, plan.files_per_inspector_day, plan.examination_days_per_week)
    assert work.inspector_days == 175
    assert work.examination_days == 43.75
    assert work.working_weeks_rounded == 11 and 10.9 < work.working_weeks < 11


def test_the_plan_for_350_files_finishes_in_the_eleventh_week_of_four_examination_days():
    b = burndown(
        total=350,
        start=MONDAY,
        today=MONDAY,
        submissions_by_day={},
        calendar=MON_TO_THU,
        team=4,
        files_per_inspector_day=2,
    )
    assert b.per_day_planned == 8
    assert b.planned_finish == datetime.date(2026, 3, 19)  # Thursday of week 11
    assert b.forecast_finish is None


def test_a_team_on_the_scopes_pace_is_on_plan_not_behind():
    submissions = dict.fromkeys(_days(MONDAY, 5), 8)  # 4 inspectors × 2 files, Monday to Thursday
    friday = MONDAY + datetime.timedelta(days=32)
    b = burndown(
        total=350,
        start=MONDAY,
        today=friday,
        submissions_by_day=submissions,
        calendar=MON_TO_THU,
        team=4,
        files_per_inspector_day=2,
    )
    assert b.submitted == 160
    assert b.behind_plan_by == 0
    assert b.actual_rate == 2
    assert b.forecast_finish == b.planned_finish


def test_bank_holidays_on_examination_days_are_not_worked():
    easter = datetime.date(2026, 3, 30)  # Good Friday 3 April, Easter Monday 6 April
    plain = burndown(
        total=64,
        start=easter,
        today=easter,
        submissions_by_day={},
        calendar=MON_TO_THU,
        team=4,
        files_per_inspector_day=2,
    )
    assert plain.bank_holidays == [(datetime.date(2026, 4, 6), "Easter Monday")]  # Good Friday is no examination day
    # 8 examination days: 30 Mar–2 Apr, then 7–9 Apr and 13 Apr, as 6 Apr is not worked
    assert plain.planned_finish == datetime.date(2026, 4, 13)
    no_bank_holidays = WorkingCalendar(weekdays=(0, 1, 2, 3), bank_holidays="none")
    assert no_bank_holidays.finish(easter, 64, 2, 4) == datetime.date(2026, 4, 9)


def test_leave_takes_inspector_days_out_of_the_plan_and_the_rate():
    away = dict.fromkeys(_days(MONDAY, 1), 1)  # one inspector away the first week
    calendar = WorkingCalendar(weekdays=(0, 1, 2, 3), away=away)
    friday = MONDAY + datetime.timedelta(days=4)
    b = burndown(
        total=350,
        start=MONDAY,
        today=friday,
        submissions_by_day={MONDAY: 24},
        calendar=calendar,
        team=4,
        files_per_inspector_day=2,
    )
    assert b.leave_days == 4
    assert b.planned_done == 24  # 3 inspectors × 2 files × 4 days
    assert b.behind_plan_by == 0
    assert b.actual_rate == 2  # 24 files over 12 inspector-days
    assert b.planned_finish == datetime.date(2026, 3, 23)  # one examination day later than with no leave


def test_the_forecast_follows_the_rate_so_far():
    thursday = MONDAY + datetime.timedelta(days=10)  # the second Thursday, not yet over
    submissions = dict.fromkeys(_days(MONDAY, 2), 6)  # 6 a day, the plan says 8
    b = burndown(
        total=350,
        start=MONDAY,
        today=thursday,
        submissions_by_day=submissions,
        calendar=MON_TO_THU,
        team=4,
        files_per_inspector_day=2,
    )
    assert b.submitted == 48 and b.actual_rate == 1.5  # 42 files over 28 inspector-days before today
    assert b.behind_plan_by == 56 - 48  # the plan: 7 full examination days of 8 files
    assert b.forecast_finish > b.planned_finish
    assert b.actual[-1] == (thursday, 302)
    assert burndown_chart(b).plan_points.count(" ") > 10  # the plan steps down only on examination days


def test_a_calendar_without_examination_days_never_finishes():
    b = burndown(
        total=10,
        start=MONDAY,
        today=MONDAY,
        submissions_by_day={},
        calendar=WorkingCalendar(weekdays=(5,)),
        team=0,
        files_per_inspector_day=2,
    )
    assert b.planned_finish is None
    assert burndown_chart(b).plan_points


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("examination_days_per_week", 0, "examination_days_per_week must be a whole number from 1 to 7"),
        ("examination_days_per_week", 4.5, "examination_days_per_week must be a whole number from 1 to 7"),
        ("bank_holidays", "wales_only", "bank_holidays must be one of: england_and_wales, scotland"),
        ("hours_per_inspector_day", 0, "hours_per_inspector_day must be a number above 0 and at most 24"),
    ],
)
def test_the_plan_refuses_a_bad_calendar(key, value, error):
    text = DEFAULT_PLAN.read_text() + f"\n{key}: {value}\n"
    text = "\n".join(line for line in text.splitlines() if not line.startswith(f"{key}:")) + f"\n{key}: {value}\n"
    with pytest.raises(PlanInvalid) as refused:
        load_plan_text(text)
    assert any(e.startswith(error) for e in refused.value.errors), refused.value.errors


def test_the_stalking_plan_declares_the_scopes_calendar():
    plan = load_plan_file(DEFAULT_PLAN).as_data()
    assert plan["examination_days_per_week"] == 4
    assert plan["bank_holidays"] == "england_and_wales"
    assert plan["hours_per_inspector_day"] == 7.4


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


def test_the_progress_page_shows_the_scopes_plan_with_bank_holidays_and_leave(
    client, lead, inspector, inspection, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 3, 1))  # the day before fieldwork
    for i in range(350):
        make_case_file(inspection, f"52WS{i:04d}")
    inspection.fieldwork_starts_on = datetime.date(2026, 3, 2)
    inspection.save()
    leave_add(
        inspection=inspection,
        inspector=inspector,
        first_day=datetime.date(2026, 3, 9),
        last_day=datetime.date(2026, 3, 13),
        note="annual leave",
        by=lead,
    )
    client.force_login(lead)
    page = client.get(reverse("casefiles:progress", args=[inspection.slug])).content.decode()
    assert 'id="inspector-days">175</span> inspector-days' in page
    assert 'about <span id="working-weeks">11</span> working weeks at 4 examination days a week' in page
    assert "Monday, Tuesday, Wednesday, Thursday" in page
    assert "Easter Monday (6 Apr)" in page and "4 inspector-days of leave" in page
    assert "behind plan" not in page


def test_the_progress_page_is_for_the_lead_only(client, inspector, inspection):
    client.force_login(inspector)
    assert client.get(reverse("casefiles:progress", args=[inspection.slug])).status_code == 403
