"""The mail admin: a mail as its recipient reads it (HTML in a sandboxed frame, text), a failed
mail sent again by those allowed to, sent mails pruned after their time, and every registered
mail kind previewed with its demo data."""

import html
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

import pytest

from contacts import mail
from contacts.models import OutboundEmail

URL = "/admin/emails/"
PASSWORD = "mot de passe assez long"


@pytest.fixture
def user(django_user_model):
    def make(username, group=None, superuser=False):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@club-exemple.fr", password=PASSWORD
        )
        user.is_superuser = superuser
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def failed(db):
    return OutboundEmail.objects.create(
        to="echec@oph-exemple.fr",
        subject="Votre livre blanc",
        body="Bonjour,\nVoici votre lien.",
        html='<p>Bonjour <script>alert("x")</script><a href="https://x.example/">lien</a></p>',
        kind="publications.download_link",
        attempts=3,
        last_error="Connection refused",
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )


def test_a_mail_shows_its_html_in_a_sandboxed_frame_and_its_text(client, user, failed):
    client.force_login(user("gestionnaire", "Gestionnaires de leads"))

    response = client.get(f"{URL}inspect/{failed.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<iframe sandbox="" srcdoc="' in content
    # The mail's HTML is only ever the frame's escaped source, never the admin's own markup.
    assert "<script>alert" not in content
    assert html.escape(failed.html) in content
    assert "Bonjour,\nVoici votre lien." in content
    assert "Connection refused" in content
    assert "Lien de téléchargement d&#x27;un livre blanc" in content
    assert "Renvoyer maintenant" in content


def test_the_listing_names_each_mail_kind(client, user, failed):
    client.force_login(user("gestionnaire", "Gestionnaires de leads"))

    response = client.get(URL, {"state": "echec"})

    assert "Lien de téléchargement d&#x27;un livre blanc" in response.content.decode()
    assert "Connection refused" in response.content.decode()


def test_a_lead_manager_sends_a_failed_mail_again(
    client, user, failed, smtp_inbox, django_capture_on_commit_callbacks
):
    client.force_login(user("gestionnaire", "Gestionnaires de leads"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}{failed.pk}/renvoyer/", follow=True)

    assert response.status_code == 200
    assert "va être renvoyé" in response.content.decode()
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.last_error == ""
    assert [message["To"] for message in smtp_inbox.received()] == ["echec@oph-exemple.fr"]


def test_a_sent_mail_is_not_sent_twice(client, user, failed, smtp_inbox):
    client.force_login(user("admin", superuser=True))
    OutboundEmail.objects.filter(pk=failed.pk).update(sent_at=timezone.now())

    response = client.post(f"{URL}{failed.pk}/renvoyer/", follow=True)

    assert "a déjà été envoyé" in response.content.decode()
    assert "Renvoyer maintenant" not in response.content.decode()
    assert smtp_inbox.received() == []


def test_retry_needs_a_post_and_the_permission(client, user, failed):
    client.force_login(user("gestionnaire", "Gestionnaires de leads"))
    assert client.get(f"{URL}{failed.pk}/renvoyer/").status_code == 405

    # Someone who may read the outbox but not retry (the permission alone).
    reader = user("lecteur")
    reader.user_permissions.add(
        *Group.objects.get(name="Gestionnaires de leads").permissions.filter(
            codename__in=["access_admin", "view_outboundemail"]
        )
    )
    client.force_login(reader)
    assert "Renvoyer maintenant" not in client.get(f"{URL}inspect/{failed.pk}/").content.decode()
    assert client.post(f"{URL}{failed.pk}/renvoyer/").status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.sent_at is None and failed.next_attempt_at > timezone.now()


def test_pruning_keeps_unsent_and_recent_mails(db):
    now = timezone.now()

    def make(to, sent_days_ago=None, created_days_ago=0):
        email = OutboundEmail.objects.create(to=to, subject="s", body="b")
        OutboundEmail.objects.filter(pk=email.pk).update(
            created_at=now - timedelta(days=created_days_ago),
            sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
        )

    make("ancien@oph-exemple.fr", sent_days_ago=31, created_days_ago=31)
    make("recent@oph-exemple.fr", sent_days_ago=29, created_days_ago=29)
    make("jamais@oph-exemple.fr", created_days_ago=90)

    call_command("prune_outbox", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123

    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "jamais@oph-exemple.fr",
        "recent@oph-exemple.fr",
    ]


def test_the_worker_prunes_the_outbox_daily(settings):
    from home.worker.schedule import JOBS

    job = JOBS["prune_outbox"]
    assert job.command == "prune_outbox"
    assert getattr(settings, job.every) == 86400
    assert settings.OUTBOX_KEEP_SENT_DAYS == 30


def test_any_admin_user_lists_and_previews_every_registered_mail(client, user):
    client.force_login(user("editrice", "Éditeurs"))

    listing = client.get("/admin/modeles-emails/")

    content = listing.content.decode()
    assert listing.status_code == 200
    kinds = mail.registered()
    assert kinds
    for kind in kinds:
        assert html.escape(kind.label) in content and html.escape(kind.recipients) in content
        preview = client.get(f"/admin/modeles-emails/{kind.name}/")
        assert preview.status_code == 200
        page = preview.content.decode()
        rendered = kind.render(kind.demo())
        assert html.escape(rendered.subject) in page
        assert f'<iframe sandbox="" srcdoc="{html.escape(rendered.html)}"' in page
        assert html.escape(rendered.text.strip()) in page
    assert "/admin/modeles-emails/" in client.get("/admin/").content.decode()
    assert client.get("/admin/modeles-emails/aucun.mail/").status_code == 404


def test_the_mail_templates_are_not_public(client, db):
    response = client.get("/admin/modeles-emails/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_with_the_worker_a_retried_mail_is_due_at_once(
    client, user, failed, settings, smtp_inbox, django_capture_on_commit_callbacks
):
    settings.OUTBOX_WORKER = True
    client.force_login(user("admin", superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}{failed.pk}/renvoyer/")

    failed.refresh_from_db()
    assert failed.sent_at is not None
    assert [message["To"] for message in smtp_inbox.received()] == ["echec@oph-exemple.fr"]


def test_the_mail_templates_list_costs_a_few_queries(client, user, django_assert_max_num_queries):
    client.force_login(user("editrice", "Éditeurs"))

    with django_assert_max_num_queries(15):
        assert client.get("/admin/modeles-emails/").status_code == 200


def test_the_mail_templates_say_when_the_club_s_postal_address_is_missing(client, user):
    from contacts.models import ContactSettings

    client.force_login(user("editrice", "Éditeurs"))
    warning = "L'adresse postale du club n'est pas renseignée"

    assert warning in html.unescape(client.get("/admin/modeles-emails/").content.decode())
    club = ContactSettings.load()
    club.postal_address = "12 rue de l'Exemple\n75011 Paris"
    club.save()
    assert warning not in html.unescape(client.get("/admin/modeles-emails/").content.decode())
