import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

PAGES = [
    ("home", []),
    ("casefiles:queue", ["test-inspection"]),
    ("casefiles:examine", ["test-inspection", "52WS0001"]),
    ("sampling:sample", ["test-inspection"]),
    ("reports:index", []),
    ("reports:job", [1]),
    ("reports:download", [1]),
    ("admin:index", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, case_file, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_login_page_carries_the_protective_marking(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "OFFICIAL-SENSITIVE" in response.content.decode()


def test_it_signs_in_and_names_the_user_and_roles(client, inspector):
    response = client.post(reverse("login"), {"username": "inspector1", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "Signed in as" in page and "Inspector1" in page and "(Inspector)" in page
    assert "OFFICIAL-SENSITIVE" in page


def test_it_locks_an_account_after_repeated_failures(client, inspector):
    for _ in range(5):
        client.post(reverse("login"), {"username": "inspector1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "inspector1", "password": PASSWORD})
    assert response.status_code == 429 or response.status_code == 403
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_inspectors_home_sends_them_to_their_files(client, inspector, inspection):
    client.force_login(inspector)
    page = client.get(reverse("home")).content.decode()
    assert reverse("casefiles:queue", args=[inspection.slug]) in page
    assert reverse("reports:index") not in page


def test_the_leads_home_sends_them_to_sampling_assignment_and_progress(client, lead, inspection):
    client.force_login(lead)
    page = client.get(reverse("home")).content.decode()
    assert reverse("sampling:overview", args=[inspection.slug]) in page
    assert reverse("casefiles:assignments", args=[inspection.slug]) in page
    assert reverse("casefiles:progress", args=[inspection.slug]) in page
    assert reverse("casefiles:queue", args=[inspection.slug]) not in page


def test_the_writers_home_sends_them_to_reports(client, writer, inspection):
    client.force_login(writer)
    page = client.get(reverse("home")).content.decode()
    assert reverse("reports:index") in page


def test_an_outsider_is_told_they_have_no_role(client, outsider, inspection):
    client.force_login(outsider)
    page = client.get(reverse("home")).content.decode()
    assert "no role" in page
    assert inspection.name not in page


def test_an_outsider_cannot_see_the_sample_or_reports(client, outsider, inspection):
    client.force_login(outsider)
    assert client.get(reverse("sampling:sample", args=[inspection.slug])).status_code == 403
    assert client.get(reverse("reports:index")).status_code == 403
