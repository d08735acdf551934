import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.utils import timezone

from intersector.background.models import Heartbeat
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_fails(client):
    with mock.patch("intersector.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_a_missing_scheduler_and_worker_do_not_fail_silently(client):
    response = client.get("/healthz/background")
    assert response.status_code == 503
    assert response.json()["stale"] == ["sweep", "worker"]
    # the web servers stay in service meanwhile
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").json()["background"]["sweep"]["stale"] is True


def test_the_sweep_and_the_worker_running_make_background_health_ok(client):
    call_command("run_periodic", stdout=io.StringIO())
    assert client.get("/healthz/background").json()["stale"] == ["worker"]  # not run yet
    run_queued_tasks()  # the worker takes the heartbeat the sweep asked for
    response = client.get("/healthz/background")
    assert response.status_code == 200 and response.json()["stale"] == []


def test_a_worker_not_seen_for_over_an_hour_is_reported(client):
    Heartbeat.objects.create(name="sweep", seen_at=timezone.now())
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(minutes=61))
    response = client.get("/healthz/background")
    assert response.status_code == 503 and response.json()["stale"] == ["worker"]


def test_a_stopped_worker_does_not_find_a_pile_of_heartbeats(client):
    from django_tasks_db.models import DBTaskResult

    for _ in range(3):
        call_command("run_periodic", stdout=io.StringIO())
    assert DBTaskResult.objects.count() == 1
