import json

import pytest
from django.db import connection
from django.test import override_settings


@pytest.mark.django_db
def test_it_answers_200_naming_database_and_broker(client):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["database"] == {"engine": connection.vendor, "ok": True}
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_it_needs_no_login(client):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_does_not_answer(client, settings):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == {"transport": "redis", "ok": False}


@pytest.mark.django_db
def test_it_answers_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"]["ok"] is False


@pytest.mark.django_db
def test_it_refuses_post(client):
    assert client.post("/healthz").status_code == 405
