"""Migration casefiles 0007 / sampling 0002: typed case-attribute columns move into JSON, every row kept."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("casefiles", "0006_calendar_leave_and_sittings"), ("sampling", "0001_initial")]
AFTER = [("casefiles", "0007_case_attributes_as_data"), ("sampling", "0002_frame_case_attributes_as_data")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_typed_columns_move_into_attributes_keeping_every_row_and_the_plan_gains_its_attributes():
    old = migrate(BEFORE)
    Area, Inspection = old.get_model("casefiles", "Area"), old.get_model("casefiles", "Inspection")
    CaseFile, Frame = old.get_model("casefiles", "CaseFile"), old.get_model("sampling", "Frame")
    FrameCase = old.get_model("sampling", "FrameCase")
    area = Area.objects.order_by("name").first()
    inspection = Inspection.objects.create(slug="old", name="Old", plan={"code": "old", "domestic_abuse_mix": "none"})
    CaseFile.objects.create(
        inspection=inspection,
        urn="A1",
        area=area,
        category="stalking",
        outcome="nfa",
        court="",
        domestic_abuse=True,
        vrr=True,
        decision_date=datetime.date(2025, 2, 3),
        stratum="s",
    )
    CaseFile.objects.create(inspection=inspection, urn="A2", area=area, category="harassment", outcome="charged",
                            court="crown", domestic_abuse=False, vrr=False, stratum="s")  # fmt: skip
    frame = Frame.objects.create(inspection=inspection, filename="f.csv", row_count=1)
    FrameCase.objects.create(frame=frame, line=2, urn="A1", area=area, category="stalking", outcome="nfa", court="",
                             domestic_abuse=True, vrr=True, decision_date=datetime.date(2025, 2, 3))  # fmt: skip

    new = migrate(AFTER)
    files = {f.urn: f.attributes for f in new.get_model("casefiles", "CaseFile").objects.all()}
    assert files == {
        "A1": {"category": "stalking", "outcome": "nfa", "court": "", "domestic_abuse": "yes", "vrr": "yes",
               "decision_date": "2025-02-03"},
        "A2": {"category": "harassment", "outcome": "charged", "court": "crown", "domestic_abuse": "no", "vrr": "no",
               "decision_date": ""},
    }  # fmt: skip
    (row,) = new.get_model("sampling", "FrameCase").objects.all()
    assert row.attributes == files["A1"]
    plan = new.get_model("casefiles", "Inspection").objects.get(slug="old").plan
    assert [a["code"] for a in plan["attributes"]] == [
        "category", "outcome", "court", "domestic_abuse", "vrr", "decision_date"
    ]  # fmt: skip
    assert plan["mix"] == {"attribute": "domestic_abuse", "rule": "none"} and "domestic_abuse_mix" not in plan

    back = migrate(BEFORE)  # and back again, keeping the values
    restored = back.get_model("casefiles", "CaseFile").objects.get(urn="A1")
    assert (restored.category, restored.vrr, restored.decision_date) == ("stalking", True, datetime.date(2025, 2, 3))
    migrate(AFTER)
