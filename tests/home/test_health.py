"""``/healthz`` names each dependency and its state, and answers 503 only when the site cannot
serve (the database is down); the cache is tested down and full in tests/config."""

from unittest import mock

from django.db import OperationalError

from contacts import outbox


def test_healthz_names_each_dependency(client, db):
    outbox.queue(to="a@oph-exemple.fr", subject="Votre livre blanc", body="…")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "outbox": {"unsent": 1},
        "worker": "off",  # the test settings run no worker
        "worker_heartbeat_age_seconds": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_only_without_the_database(client, db):
    with mock.patch("django.db.models.query.QuerySet.count", side_effect=OperationalError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["cache"] == "ok"


def test_healthz_is_cheap(client, db, django_assert_max_num_queries):
    client.get("/healthz")
    with django_assert_max_num_queries(1):
        assert client.get("/healthz").status_code == 200
