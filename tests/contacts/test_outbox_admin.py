"""The outbox's admin listing: pending, failed and sent mails, read only, for the lead managers
and superusers."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from contacts.models import OutboundEmail

URL = "/admin/emails/"
PASSWORD = "mot de passe assez long"


@pytest.fixture
def mails(db):
    now = timezone.now()
    return {
        "pending": OutboundEmail.objects.create(
            to="attente@oph-exemple.fr", subject="Votre livre blanc : en attente", body="…"
        ),
        "failed": OutboundEmail.objects.create(
            to="echec@oph-exemple.fr",
            subject="Votre inscription : en échec",
            body="…",
            attempts=2,
            last_error="Connection refused",
            next_attempt_at=now + timedelta(minutes=5),
        ),
        "sent": OutboundEmail.objects.create(
            to="envoye@oph-exemple.fr",
            subject="Votre livre blanc : envoyé",
            body="…",
            attempts=1,
            sent_at=now,
        ),
    }


def signed_in(client, django_user_model, *, group=None, superuser=False):
    user = django_user_model.objects.create_user("quelquun", password=PASSWORD)
    user.is_superuser = superuser
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("", {"pending", "failed", "sent"}, set()),
        ("attente", {"pending"}, {"failed", "sent"}),
        ("echec", {"failed"}, {"pending", "sent"}),
        ("envoye", {"sent"}, {"pending", "failed"}),
    ],
)
def test_lead_managers_list_the_mails_by_state(
    client, django_user_model, mails, state, shown, hidden, django_assert_max_num_queries
):
    signed_in(client, django_user_model, group="Gestionnaires de leads")

    with django_assert_max_num_queries(20):
        response = client.get(URL, {"state": state} if state else {})

    html = response.content.decode()
    assert response.status_code == 200
    for name in shown:
        assert mails[name].to in html
    for name in hidden:
        assert mails[name].to not in html
    assert "État" in html and "Destinataire" in html


def test_a_failed_mail_shows_why(client, django_user_model, mails):
    signed_in(client, django_user_model, superuser=True)

    response = client.get(f"{URL}inspect/{mails['failed'].pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Connection refused" in html and "echec@oph-exemple.fr" in html


def test_nobody_adds_edits_or_deletes_a_mail(client, django_user_model, mails):
    signed_in(client, django_user_model, superuser=True)
    pk = mails["pending"].pk

    listing = client.get(URL).content.decode()
    assert f"{URL}add/" not in listing and f"{URL}edit/{pk}/" not in listing
    for url in (f"{URL}add/", f"{URL}edit/{pk}/", f"{URL}delete/{pk}/"):
        assert client.get(url).status_code in (302, 403, 404)
        client.post(url, {"to": "autre@oph-exemple.fr", "subject": "x", "body": "x"})
    assert OutboundEmail.objects.count() == 3
    assert OutboundEmail.objects.get(pk=pk).to == "attente@oph-exemple.fr"


def test_editors_do_not_see_the_mails(client, django_user_model, mails):
    signed_in(client, django_user_model, group="Éditeurs")

    assert client.get(URL).status_code in (302, 403)
