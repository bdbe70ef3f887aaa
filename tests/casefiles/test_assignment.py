from collections import Counter

from django.urls import reverse

from casefiles.assignment import FileToAssign, balanced_assignment
from casefiles.models import Area, AssignmentChange, CaseFile, InspectorBar
from casefiles.services import AssignmentRefused, files_assign, files_assign_balanced, inspector_bar
from tests.conftest import make_case_file


def grid(areas: int, strata: int, per_cell: int) -> list[FileToAssign]:
    files, n = [], 0
    for a in range(areas):
        for s in range(strata):
            for _ in range(per_cell):
                n += 1
                files.append(FileToAssign(n, a, f"s{s}"))
    return files


def test_balancing_spreads_every_area_and_stratum_evenly():
    files = grid(areas=14, strata=7, per_cell=4)
    plan, stuck = balanced_assignment(files, [1, 2, 3, 4])
    assert not stuck
    assert set(Counter(plan.values()).values()) == {98}
    for area in range(14):
        per_inspector = Counter(plan[f.id] for f in files if f.area_id == area)
        assert max(per_inspector.values()) - min(per_inspector.values()) <= 1


def test_balancing_never_assigns_a_barred_inspector():
    files = grid(areas=3, strata=2, per_cell=5)
    plan, stuck = balanced_assignment(files, [1, 2, 3], barred={(1, 0), (2, 0)})
    assert {plan[f.id] for f in files if f.area_id == 0} == {3}
    assert not stuck
    plan, stuck = balanced_assignment(files, [1], barred={(1, 2)})
    assert sorted(stuck) == sorted(f.id for f in files if f.area_id == 2)


def test_balancing_counts_what_inspectors_already_hold():
    files = grid(areas=1, strata=1, per_cell=4)
    plan, _ = balanced_assignment(files, [1, 2], current=[(1, 0, "s0")] * 4)
    assert set(plan.values()) == {2}


def test_balanced_assignment_service_records_history(inspection, inspector, colleague, lead):
    for n in range(6):
        make_case_file(inspection, f"URN{n}")
    count, stuck = files_assign_balanced(inspection=inspection, inspectors=[inspector, colleague], by=lead)
    assert (count, stuck) == (6, [])
    assert Counter(CaseFile.objects.values_list("assigned_to__username", flat=True)) == {
        "inspector1": 3,
        "inspector2": 3,
    }
    assert AssignmentChange.objects.count() == 6


def test_assigning_to_a_barred_inspector_is_refused_whole(inspection, inspector, lead):
    wessex = Area.objects.get(name="Wessex")
    files = [make_case_file(inspection, "A1"), make_case_file(inspection, "A2", area=Area.objects.get(name="Wessex"))]
    InspectorBar.objects.create(inspection=inspection, inspector=inspector, area=wessex, reason="former Area")
    try:
        files_assign(inspection=inspection, case_files=files, inspector=inspector, by=lead)
        raise AssertionError("expected a refusal")
    except AssignmentRefused as refused:
        assert "A1" in str(refused)
    assert not CaseFile.objects.filter(assigned_to__isnull=False).exists()


def test_a_bar_is_refused_while_the_inspector_holds_files_there(inspection, case_file, inspector, lead):
    try:
        inspector_bar(inspection=inspection, inspector=inspector, area=case_file.area, reason="former Area", by=lead)
        raise AssertionError("expected a refusal")
    except AssignmentRefused as refused:
        assert "reassign them first" in str(refused)


def test_the_lead_assigns_by_area_on_the_page(client, lead, inspector, inspection):
    make_case_file(inspection, "W1")
    make_case_file(inspection, "L1", area=Area.objects.get(name="London North"))
    client.force_login(lead)
    wessex = Area.objects.get(name="Wessex")
    response = client.post(
        reverse("casefiles:assign", args=[inspection.slug]), {"inspector": inspector.pk, "area": wessex.pk}, follow=True
    )
    assert "Assigned 1 file(s) to Inspector1" in response.content.decode()
    assert CaseFile.objects.get(urn="W1").assigned_to == inspector
    assert CaseFile.objects.get(urn="L1").assigned_to is None


def test_the_lead_balances_and_bars_on_the_page(client, lead, inspector, colleague, inspection):
    for n in range(4):
        make_case_file(inspection, f"W{n}")
    client.force_login(lead)
    london = Area.objects.get(name="London North")
    response = client.post(
        reverse("casefiles:bar", args=[inspection.slug]),
        {"inspector": inspector.pk, "area": london.pk, "reason": "Worked there until 2024"},
        follow=True,
    )
    assert "will not be assigned files in CPS London North" in response.content.decode()
    response = client.post(reverse("casefiles:balance", args=[inspection.slug]), follow=True)
    page = response.content.decode()
    assert "Assigned 4 unassigned file(s)" in page and "Worked there until 2024" in page


def test_assignment_pages_are_for_the_lead(client, inspector, writer, outsider, inspection):
    for user in (inspector, writer, outsider):
        client.force_login(user)
        assert client.get(reverse("casefiles:assignments", args=[inspection.slug])).status_code == 403
        assert client.post(reverse("casefiles:balance", args=[inspection.slug])).status_code == 403
        assert client.get(reverse("casefiles:progress", args=[inspection.slug])).status_code == 403


def test_assignment_writes_need_post(client, lead, inspection):
    client.force_login(lead)
    for name in ("casefiles:assign", "casefiles:balance", "casefiles:bar"):
        assert client.get(reverse(name, args=[inspection.slug])).status_code == 405
