"""The demo's quality assurance data, which load_demo adds after drawing the dip sample."""

import pytest
from django.contrib.auth.models import User

from hub.demo import load_demo
from quality.measures import dip_tables, exercise_tables
from quality.models import DipReview, Exercise


@pytest.mark.django_db
def test_the_demo_has_reviews_in_every_state_and_an_exercise_with_results(client):
    inspection = load_demo(seed=7, password="a-demo-password-1").inspection
    people = {u.username: u for u in User.objects.all()}

    statuses = set(DipReview.objects.values_list("status", flat=True))
    assert statuses == {"confirmed", "amended", "in_progress"}
    assert DipReview.objects.filter(examination__answers__changes__source="qa_amendment").exists()
    tables = dip_tables(inspection)
    assert tables.reviews >= 10 and 0 < tables.overall.disagreements < tables.overall.compared
    internal, external = Exercise.objects.get(kind="internal"), Exercise.objects.get(kind="external")
    results = exercise_tables(internal)
    assert len(results.participants) == 4 and results.submitted == 16
    assert any(row.result.fleiss is not None for row in results.questions)
    assert external.files.count() == 3

    client.force_login(people["qa"])
    for url in [
        f"/inspections/{inspection.slug}/quality/",
        f"/inspections/{inspection.slug}/quality/dip/",
        f"/exercises/{internal.pk}/results/",
    ]:
        assert client.get(url).status_code == 200, url
