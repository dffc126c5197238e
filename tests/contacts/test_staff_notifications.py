"""Lead managers choose in their account settings how they hear of new leads and
registrations: a mail each at once, a daily digest (once per day), or nothing (the default)."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

import pytest

from contacts.models import OutboundEmail, StaffNotificationPreference
from contacts.services import save_lead
from events import services
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.publications import LeadFactory

PASSWORD = "mot de passe assez long"
DETAILS = {
    "first_name": "Camille",
    "last_name": "Martin",
    "organisation": "OPH Exemple",
    "organisation_type": "oph",
    "job_title": "Directrice",
    "phone": "",
    "news_opt_in": False,
}


@pytest.fixture
def manager(django_user_model):
    def make(username, frequency=None, group="Gestionnaires de leads"):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@club-exemple.fr", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name=group))
        if frequency:
            StaffNotificationPreference.objects.create(user=user, frequency=frequency)
        return user

    return make


def staff_mails(kind):
    return sorted(OutboundEmail.objects.filter(kind=kind).values_list("to", flat=True))


@pytest.fixture
def event(home):
    agenda = EventIndexPageFactory(parent=home)
    return EventPageFactory(
        parent=agenda, slug="atelier", title="L'atelier", registration_mode="site", capacity=5
    )


def register(event, email):
    return services.register(
        event,
        details={**DETAILS, "email": email},
        choice=services.Choice(is_member=True, price=None),
        consent_text="oui",
    )


def test_the_account_settings_offer_the_choice_to_lead_managers_only(client, manager):
    lead_manager = manager("gestionnaire")
    client.force_login(lead_manager)

    page = client.get("/admin/account/").content.decode()
    assert "Nouveaux leads et inscriptions" in page and "Un récapitulatif quotidien" in page

    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Gé",
            "name_email-last_name": "Stionnaire",
            "name_email-email": "gestionnaire@club-exemple.fr",
            "locale-preferred_language": "fr",
            "locale-current_time_zone": "Europe/Paris",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "staff_notifications-frequency": "daily",
        },
    )
    assert response.status_code == 302
    assert lead_manager.staff_notifications.frequency == "daily"

    client.force_login(manager("editrice", group="Éditeurs"))
    assert "Nouveaux leads et inscriptions" not in client.get("/admin/account/").content.decode()


def test_at_once_a_mail_per_new_lead_to_those_who_chose_it(db, manager):
    manager("tout-de-suite", frequency="immediate")
    manager("quotidien", frequency="daily")
    manager("rien", frequency="none")
    manager("par-defaut")

    lead = save_lead({**DETAILS, "email": "camille@oph-exemple.fr"})
    save_lead({**DETAILS, "email": "camille@oph-exemple.fr", "job_title": "DG"})  # known: no mail

    assert staff_mails("contacts.staff_new_lead") == ["tout-de-suite@club-exemple.fr"]
    sent = OutboundEmail.objects.get(kind="contacts.staff_new_lead")
    assert "Camille Martin" in sent.subject and "camille@oph-exemple.fr" in sent.body
    assert f"/admin/leads/inspect/{lead.pk}/" in sent.body


def test_at_once_a_mail_per_new_registration(db, manager, event):
    manager("tout-de-suite", frequency="immediate")
    manager("quotidien", frequency="daily")

    register(event, "camille@oph-exemple.fr")
    register(event, "camille@oph-exemple.fr")  # a double click takes no second seat, no mail

    assert staff_mails("contacts.staff_new_registration") == ["tout-de-suite@club-exemple.fr"]
    sent = OutboundEmail.objects.get(kind="contacts.staff_new_registration")
    assert "L'atelier" in sent.subject
    assert "Ensemble de l'événement : confirmée" in sent.body


def test_the_digest_goes_once_a_day_to_those_who_chose_it(db, manager, event):
    manager("quotidien", frequency="daily")
    manager("autre-quotidien", frequency="daily")
    manager("tout-de-suite", frequency="immediate")
    old = LeadFactory(first_name="Ancien", last_name="Lead")
    LeadFactory._meta.model.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    register(event, "nouvelle@oph-exemple.fr")

    call_command("send_staff_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    call_command("send_staff_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123

    assert staff_mails("contacts.staff_digest") == [
        "autre-quotidien@club-exemple.fr",
        "quotidien@club-exemple.fr",
    ]
    digest = OutboundEmail.objects.filter(kind="contacts.staff_digest").first()
    assert "Nouveaux leads : 1" in digest.body and "Nouvelles inscriptions : 1" in digest.body
    assert "nouvelle@oph-exemple.fr" in digest.body and "Ancien" not in digest.body
    assert "L'atelier – Camille Martin" in digest.body


def test_no_digest_on_a_quiet_day(db, manager):
    manager("quotidien", frequency="daily")

    call_command("send_staff_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123

    assert staff_mails("contacts.staff_digest") == []


def test_the_worker_sends_the_digest_daily(settings):
    from home.worker.schedule import JOBS

    assert JOBS["staff_digest"].command == "send_staff_digest"
    assert getattr(settings, JOBS["staff_digest"].every) == 86400


def test_erasing_a_person_removes_the_staff_mails_that_name_them(db, manager, event):
    from contacts.services import erase_lead

    manager("tout-de-suite", frequency="immediate")
    manager("quotidien", frequency="daily")
    register(event, "camille@oph-exemple.fr")
    register(event, "autre@oph-exemple.fr")
    notifications_before = OutboundEmail.objects.filter(kind__startswith="contacts.staff").count()
    assert notifications_before == 4  # two leads, two registrations, at once
    call_command("send_staff_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123

    erase_lead(LeadFactory._meta.model.objects.get(email="camille@oph-exemple.fr"))

    left = OutboundEmail.objects.filter(kind__startswith="contacts.staff")
    # The digest named her: it goes too. The mails about the other person stay.
    assert sorted(left.values_list("kind", flat=True)) == [
        "contacts.staff_new_lead",
        "contacts.staff_new_registration",
    ]
    assert all("autre@oph-exemple.fr" in body for body in left.values_list("body", flat=True))
