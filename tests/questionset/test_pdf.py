"""The question set as a PDF: marked on every page, with contents and every question."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from questionset.pdf import pdf_path, question_set_pdf_build
from questionset.services import question_set_load


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def download(client, user, question_set) -> PdfReader:
    question_set_pdf_build(question_set.pk)  # what the worker does when the version is loaded
    client.force_login(user)
    response = client.get(reverse("questionset:pdf", args=[question_set.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = f"{settings.PROTECTIVE_MARKING}_{question_set.code}-v{question_set.number}.pdf"  # security.middleware
    assert f'filename="{name}"' in response["Content-Disposition"]
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def test_the_shipped_set_as_a_pdf_is_marked_on_every_page_with_contents_and_every_question(
    client, inspector, shipped_set, media
):
    reader = download(client, inspector, shipped_set)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(pages)}" in text
    everything = " ".join(" ".join(p.split()) for p in pages)
    assert "Contents" in pages[1]
    for code in ("FS1", "LD8", "ND11", "CP14", "RV9", "VW16", "CS3"):
        assert code in everything
    assert "Was a stalking offence charged rather than harassment where the evidence supported it?" in everything
    assert "Applies only to cases whose court is crown and outcome is charged." in everything

    # The contents list gives each section the page it starts on (one rendering: it is slow).
    listed = dict(re.findall(r"^([A-Z]{2}) — .*?\.{3,} (\d+)$", pages[1], flags=re.MULTILINE))
    assert list(listed) == ["FS", "LD", "ND", "CP", "RV", "VW", "CS"]
    for code, page in listed.items():
        assert f"{code}1 " in pages[int(page) - 1], f"section {code} is not on page {page}"


def test_it_is_made_once_per_version_and_then_served_from_the_file(client, inspector, good_set, media):
    download(client, inspector, good_set)
    path = pdf_path(good_set)
    assert path.exists() and path.parent.parent == media
    path.write_bytes(path.read_bytes())  # untouched content...
    stamp = path.stat().st_mtime_ns
    download(client, inspector, good_set)
    assert path.stat().st_mtime_ns == stamp  # ...not rendered again


def test_the_marking_follows_the_setting(client, inspector, good_set, media, settings):
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    reader = download(client, inspector, good_set)
    assert "OFFICIAL-SENSITIVE" not in reader.pages[0].extract_text()
    assert "OFFICIAL" in reader.pages[0].extract_text()


def test_loading_a_version_queues_its_pdf_for_a_worker(shipped_set, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("questionset.tasks.build_question_set_pdf.delay", queued.append)
    text = shipped_set.source.replace(shipped_set.title, shipped_set.title + " (edited)", 1)
    with django_capture_on_commit_callbacks(execute=True):
        edited = question_set_load(text=text, filename="edited.yaml")
    assert queued == [edited.pk]


def test_until_the_worker_has_made_it_the_page_says_the_pdf_is_being_prepared(client, inspector, shipped_set, media):
    client.force_login(inspector)
    detail = client.get(reverse("questionset:detail", args=[shipped_set.pk])).content.decode()
    assert "being prepared" in detail and "Download as PDF" not in detail
    response = client.get(reverse("questionset:pdf", args=[shipped_set.pk]))
    assert response.status_code == 202 and "The PDF is being prepared" in response.content.decode()
    assert not pdf_path(shipped_set).exists()  # not made in the request
    question_set_pdf_build(shipped_set.pk)
    assert "Download as PDF" in client.get(reverse("questionset:detail", args=[shipped_set.pk])).content.decode()
