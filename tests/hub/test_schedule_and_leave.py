"""The lead's schedule (fieldwork dates, working pattern) and leave pages, with history."""

import datetime

import pytest

from casefiles.models import InspectorLeave, ScheduleChange
from casefiles.schedule import calendar_of, inspection_schedule_set


def _schedule_url(inspection) -> str:
    return f"/inspections/{inspection.slug}/schedule/"


def _leave_url(inspection) -> str:
    return f"/inspections/{inspection.slug}/leave/"


def test_the_lead_changes_the_fieldwork_dates_and_pattern_and_history_keeps_both(client, lead, inspection):
    client.force_login(lead)
    page = " ".join(client.get(_schedule_url(inspection)).content.decode().split())
    assert 'value="3" checked' in page and 'value="4" >' in page  # the plan's four days a week: Monday to Thursday

    response = client.post(
        _schedule_url(inspection),
        {
            "fieldwork_starts_on_0": "5",
            "fieldwork_starts_on_1": "1",
            "fieldwork_starts_on_2": "2026",
            "fieldwork_ends_on_0": "10",
            "fieldwork_ends_on_1": "4",
            "fieldwork_ends_on_2": "2026",
            "examination_weekdays": ["0", "1", "2", "3", "4"],
        },
    )

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.fieldwork_starts_on == datetime.date(2026, 1, 5)
    assert inspection.fieldwork_ends_on == datetime.date(2026, 4, 10)
    assert calendar_of(inspection).weekdays == (0, 1, 2, 3, 4)
    change = ScheduleChange.objects.get(inspection=inspection)
    assert change.old["examination_weekdays"] == [0, 1, 2, 3] and change.new["fieldwork_ends_on"] == "2026-04-10"
    page = client.get(_schedule_url(inspection)).content.decode()
    assert "Monday, Tuesday, Wednesday, Thursday, Friday" in page and "Start 2026-01-05" in page


def test_it_shows_errors_beside_their_fields_and_changes_nothing(client, lead, inspection):
    client.force_login(lead)
    response = client.post(
        _schedule_url(inspection),
        {
            "fieldwork_starts_on_0": "5",
            "fieldwork_starts_on_1": "1",
            "fieldwork_starts_on_2": "2026",
            "fieldwork_ends_on_0": "1",
            "fieldwork_ends_on_1": "1",
            "fieldwork_ends_on_2": "2026",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"fieldwork_ends_on", "examination_weekdays"}
    assert "govuk-error-summary" in response.content.decode()
    assert not ScheduleChange.objects.exists()


def test_saving_the_same_schedule_writes_no_history(db, lead, inspection):
    args = {"fieldwork_starts_on": None, "fieldwork_ends_on": None, "examination_weekdays": [0, 1, 2, 3]}
    assert inspection_schedule_set(inspection=inspection, by=lead, **args) is None
    with pytest.raises(ValueError):
        inspection_schedule_set(inspection=inspection, by=lead, **{**args, "examination_weekdays": []})


def test_the_lead_enters_and_cancels_leave_and_the_history_stays(client, lead, inspector, inspection):
    client.force_login(lead)
    response = client.post(
        _leave_url(inspection),
        {
            "inspector": inspector.pk,
            "note": "annual leave",
            "first_day_0": "9",
            "first_day_1": "3",
            "first_day_2": "2026",
            "last_day_0": "13",
            "last_day_1": "3",
            "last_day_2": "2026",
        },
    )
    assert response.status_code == 302
    entry = InspectorLeave.objects.get()
    assert calendar_of(inspection).away[datetime.date(2026, 3, 10)] == 1

    assert client.post(f"{_leave_url(inspection)}{entry.pk}/cancel/").status_code == 302
    entry.refresh_from_db()
    assert entry.cancelled_by == lead
    assert calendar_of(inspection).away == {}
    page = client.get(_leave_url(inspection)).content.decode()
    assert "annual leave" in page and "Cancelled" in page


def test_leave_that_ends_before_it_starts_is_refused_beside_the_last_day(client, lead, inspector, inspection):
    client.force_login(lead)
    response = client.post(
        _leave_url(inspection),
        {
            "inspector": inspector.pk,
            "first_day_0": "9",
            "first_day_1": "3",
            "first_day_2": "2026",
            "last_day_0": "2",
            "last_day_1": "3",
            "last_day_2": "2026",
        },
    )
    assert response.status_code == 400 and list(response.context["form"].errors) == ["last_day"]
    assert not InspectorLeave.objects.exists()


def test_only_the_lead_sees_or_changes_schedule_and_leave(client, inspector, writer, inspection, lead):
    entry = InspectorLeave.objects.create(
        inspection=inspection,
        inspector=inspector,
        first_day=datetime.date(2026, 3, 9),
        last_day=datetime.date(2026, 3, 9),
        entered_by=lead,
    )
    for user in (inspector, writer):
        client.force_login(user)
        assert client.get(_schedule_url(inspection)).status_code == 403
        assert client.post(_schedule_url(inspection), {}).status_code == 403
        assert client.get(_leave_url(inspection)).status_code == 403
        assert client.post(f"{_leave_url(inspection)}{entry.pk}/cancel/").status_code == 403
    entry.refresh_from_db()
    assert entry.cancelled_at is None


def test_the_pages_refuse_other_methods(client, lead, inspection, inspector):
    entry = InspectorLeave.objects.create(
        inspection=inspection,
        inspector=inspector,
        first_day=datetime.date(2026, 3, 9),
        last_day=datetime.date(2026, 3, 9),
        entered_by=lead,
    )
    client.force_login(lead)
    assert client.delete(_schedule_url(inspection)).status_code == 405
    assert client.put(_leave_url(inspection)).status_code == 405
    assert client.get(f"{_leave_url(inspection)}{entry.pk}/cancel/").status_code == 405
