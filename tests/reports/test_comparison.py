"""Comparison with an earlier inspection: the page, the mapping, and the difference's interval."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casefiles.models import Inspection
from reports.comparison import difference_interval
from reports.estimates import wilson
from tests.conftest import make_case_file

from .conftest import record_examination

pytestmark = pytest.mark.django_db

# The earlier inspection's export_results: LD1 answered fully_meets once, not_meets three times, na once;
# a dip re-examination that must be left out; and its question Q9 asked what this one's LD1 asks.
EARLIER_CSV = """urn,area,category,outcome,court,domestic_abuse,examination,inspector,question,answer,comment
E1,Wessex,stalking,charged,crown,yes,primary,old1,LD1,fully_meets,
E1,Wessex,stalking,charged,crown,yes,dip,old2,LD1,fully_meets,
E2,Wessex,stalking,charged,crown,yes,primary,old1,LD1,not_meets,"Wrong charge, see MG3"
E3,Wessex,stalking,charged,crown,no,primary,old1,LD1,not_meets,
E4,Wessex,stalking,charged,crown,no,primary,old1,LD1,not_meets,
E5,Wessex,stalking,charged,crown,no,primary,old1,LD1,na,
E1,Wessex,stalking,charged,crown,yes,primary,old1,Q9,partially_meets,
E2,Wessex,stalking,charged,crown,yes,primary,old1,Q9,partially_meets,
"""


def newcombe_by_hand(c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    """Newcombe (1998) method 10, from the two Wilson intervals."""
    p1, p2 = c1 / n1, c2 / n2
    (l1, u1), (l2, u2) = wilson(c1, n1), wilson(c2, n2)
    d = p1 - p2
    return d - ((p1 - l1) ** 2 + (u2 - p2) ** 2) ** 0.5, d + ((u1 - p1) ** 2 + (p2 - l2) ** 2) ** 0.5


def test_the_difference_interval_is_newcombes():
    for counts in [(2, 4, 1, 4), (30, 40, 12, 35), (0, 10, 5, 9)]:
        assert difference_interval(*counts) == pytest.approx(newcombe_by_hand(*counts), abs=1e-9)
    assert difference_interval(1, 0, 1, 3) is None


def post(client, inspection, **data):
    return client.post(reverse("reports:comparison", args=[inspection.pk]), data)


def test_a_writer_compares_with_an_earlier_inspections_results_csv(client, writer, inspection, hand_counted):
    client.force_login(writer)
    upload = SimpleUploadedFile("earlier.csv", EARLIER_CSV.encode(), content_type="text/csv")
    page = post(client, inspection, results=upload, mapping="")
    assert page.status_code == 200
    rows = {(r.question, r.option): r for r in page.context["rows"]}
    fully = rows[("LD1", "fully_meets")]
    # Now: LD1 fully 2 of 4 (F5's na left out); earlier: 1 of 4 (E5's na and the dip examination left out).
    assert (fully.current_percent, fully.current_n, fully.earlier_percent, fully.earlier_n) == (50.0, 4, 25.0, 4)
    assert fully.difference == 25.0
    lower, upper = newcombe_by_hand(2, 4, 1, 4)
    assert (fully.lower, fully.upper) == (round(100 * lower, 1), round(100 * upper, 1))
    assert not fully.significant
    assert rows[("LD1", "not_meets")].difference == 25.0 - 75.0
    assert {q for q, _ in rows} == {"LD1"}  # the only code both share that this inspection has answers options for
    html = page.content.decode()
    assert "Test inspection compared with earlier.csv" in html
    assert f"{fully.lower} to {fully.upper}" in html


def test_questions_are_mapped_as_the_writer_says(client, writer, inspection, hand_counted):
    client.force_login(writer)
    upload = SimpleUploadedFile("earlier.csv", EARLIER_CSV.encode(), content_type="text/csv")
    page = post(client, inspection, results=upload, mapping="LD1 = Q9")
    rows = {(r.question, r.option): r for r in page.context["rows"]}
    partially = rows[("LD1", "partially_meets")]
    assert (partially.earlier_question, partially.earlier_count, partially.earlier_n) == ("Q9", 2, 2)
    assert "(earlier Q9)" in page.content.decode()


def test_a_wrong_mapping_is_refused_naming_the_line(client, writer, inspection, hand_counted):
    client.force_login(writer)
    upload = SimpleUploadedFile("earlier.csv", EARLIER_CSV.encode(), content_type="text/csv")
    page = post(client, inspection, results=upload, mapping="LD1 = Q9\nXX1 = Q9\nLD2 Q9")
    assert page.status_code == 400
    html = page.content.decode()
    assert "Line 2: there is no choice question XX1 in this inspection" in html
    assert "Line 3: write THIS = EARLIER" in html
    assert page.context["rows"] is None


def test_an_earlier_inspection_in_the_app_can_be_chosen(client, writer, inspection, hand_counted, inspector):
    earlier = Inspection.objects.create(slug="earlier", name="Earlier inspection", question_set=inspection.question_set)
    for i, value in enumerate(["not_meets", "not_meets", "fully_meets"]):
        record_examination(make_case_file(earlier, f"OLD{i}", assigned_to=inspector), inspector, {"LD1": value})
    client.force_login(writer)
    page = post(client, inspection, earlier=earlier.pk)
    rows = {(r.question, r.option): r for r in page.context["rows"]}
    assert (rows[("LD1", "not_meets")].earlier_count, rows[("LD1", "not_meets")].earlier_n) == (2, 3)
    assert rows[("LD1", "not_meets")].weighted_difference is None  # neither has a draw record
    assert "Test inspection compared with Earlier inspection" in page.content.decode()


def test_both_or_neither_source_is_refused(client, writer, inspection, hand_counted):
    client.force_login(writer)
    assert post(client, inspection).status_code == 400
    earlier = Inspection.objects.create(slug="earlier", name="Earlier", question_set=inspection.question_set)
    upload = SimpleUploadedFile("earlier.csv", EARLIER_CSV.encode(), content_type="text/csv")
    page = post(client, inspection, earlier=earlier.pk, results=upload)
    assert page.status_code == 400 and "but not both" in page.content.decode()


def test_an_unreadable_file_is_refused(client, writer, inspection, hand_counted):
    client.force_login(writer)
    upload = SimpleUploadedFile("earlier.csv", b"a,b\n1,2\n", content_type="text/csv")
    page = post(client, inspection, results=upload)
    assert page.status_code == 400 and "not an export_results file" in page.content.decode()


def test_the_comparison_page_is_for_report_writers_only(client, writer, inspector, outsider, inspection):
    url = reverse("reports:comparison", args=[inspection.pk])
    for user in (inspector, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    client.force_login(writer)
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")
