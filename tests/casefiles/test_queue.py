"""The inspector's queue: N of M answered, URN search, filters and sort."""

import re

from django.urls import reverse

from casefiles.models import Area
from tests.conftest import make_case_file


def queue(client, inspection, **params) -> str:
    response = client.get(reverse("casefiles:queue", args=[inspection.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def urns(page: str) -> list[str]:
    return re.findall(r'data-label="URN"><strong>([^<]+)</strong>', page)


def test_it_says_n_of_m_answered_for_each_file(client, inspector, case_file):
    client.force_login(inspector)
    client.post(
        reverse("casefiles:examine", args=[case_file.inspection.slug, case_file.urn]),
        {"v-LD1": "0", "q-LD1": "not_meets", "c-LD1": "Wrong"},
    )
    page = queue(client, case_file.inspection)
    assert "1 of 5 answered" in page  # LD1, its follow-up LD2, VW1, VW2, VW3


def test_it_searches_filters_and_sorts(client, inspector, colleague, inspection):
    london = Area.objects.get(name="London North")
    make_case_file(inspection, "52WS0003", assigned_to=inspector)
    make_case_file(inspection, "01LN0001", assigned_to=inspector, area=london, stratum="stalking_magistrates")
    make_case_file(inspection, "52WS0002", assigned_to=inspector)
    make_case_file(inspection, "52WS0009", assigned_to=colleague)
    client.force_login(inspector)
    assert urns(queue(client, inspection)) == ["01LN0001", "52WS0002", "52WS0003"]
    assert urns(queue(client, inspection, urn="ws00")) == ["52WS0002", "52WS0003"]
    assert urns(queue(client, inspection, area="London North")) == ["01LN0001"]
    assert urns(queue(client, inspection, stratum="stalking_crown", sort="urn")) == ["52WS0002", "52WS0003"]
    assert urns(queue(client, inspection, status="submitted")) == []
    page = queue(client, inspection, urn="nothing")
    assert "No file matches" in page and "0 of 3 files assigned to you" in page
    assert "52WS0009" not in queue(client, inspection)  # a colleague's file


def test_the_queue_refuses_an_outsider_and_a_post(client, inspector, outsider, inspection):
    client.force_login(outsider)
    assert client.get(reverse("casefiles:queue", args=[inspection.slug])).status_code in (403, 404)
    client.force_login(inspector)
    assert client.post(reverse("casefiles:queue", args=[inspection.slug])).status_code == 405
