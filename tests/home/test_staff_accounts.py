"""Staff accounts: strong passwords, sessions that end."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", password=PASSWORD)


def test_staff_sessions_last_eight_hours_and_end_on_logout(client, home, admin_user):
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    cookie = client.cookies["sessionid"]
    session = Session.objects.get(session_key=cookie.value)
    # Ended server-side after 8 hours, whatever the browser keeps.
    assert abs((session.expire_date - timezone.now()) - timedelta(hours=8)) < timedelta(minutes=1)

    client.post("/admin/logout/")

    assert not Session.objects.filter(session_key=cookie.value).exists()
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court1234", "au minimum 12 caractères"),
        ("123456789012345", "entièrement numérique"),
        ("nouvelle@club.example", "trop semblable"),
    ],
)
def test_wagtails_user_form_refuses_weak_passwords(client, admin_user, password, message):
    client.force_login(admin_user)

    response = client.post(
        "/admin/users/new/",
        {
            "username": "nouvelle",
            "email": "nouvelle@club.example",
            "first_name": "Nouvelle",
            "last_name": "Personne",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not admin_user.__class__.objects.filter(username="nouvelle").exists()


def test_the_admin_login_locks_after_five_failures_in_french(client, home, admin_user):
    statuses = [
        client.post("/admin/login/", {"username": "admin", "password": "faux"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the form with its error, then the lock

    locked = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})

    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.content.decode()
    assert client.get("/admin/").status_code == 302  # not logged in, even with the password


def test_a_success_before_the_limit_resets_the_count(client, home, admin_user):
    for _ in range(4):
        client.post("/admin/login/", {"username": "admin", "password": "faux"})
    assert (
        client.post("/admin/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
    )
    client.post("/admin/logout/")

    for _ in range(4):
        client.post("/admin/login/", {"username": "admin", "password": "faux"})
    assert (
        client.post("/admin/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
    )
