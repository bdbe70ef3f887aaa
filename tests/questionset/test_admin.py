"""The admin shows versions but never edits them."""

from django.contrib.auth.models import User
from django.urls import reverse

from casefiles.services import examination_open


def test_the_admin_lists_versions_read_only_and_deletes_only_unused_ones(
    client, inspection, case_file, inspector, good_set
):
    admin = User.objects.create_superuser("root", password="a-long-admin-password")
    client.force_login(admin)
    assert client.get(reverse("admin:questionset_questionset_changelist")).status_code == 200
    page = client.get(reverse("admin:questionset_questionset_change", args=[good_set.pk])).content.decode()
    assert "A good question set" in page and 'name="_save"' not in page
    assert client.get(reverse("admin:questionset_questionset_add")).status_code == 403
    examination_open(case_file=case_file, examiner=inspector)
    used = inspection.question_set
    assert client.get(reverse("admin:questionset_questionset_delete", args=[used.pk])).status_code == 403
    assert (
        client.post(reverse("admin:questionset_questionset_delete", args=[good_set.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert not type(good_set).objects.filter(pk=good_set.pk).exists()
