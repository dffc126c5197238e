"""Every step of a registration is mailed once, through a real SMTP server: the confirmation or
the waiting list, a seat offered and accepted, a cancellation (by the person or by the club),
reminders before each séance, and a change to a séance. Each with what the person needs: dates
in Paris time, the venue and its map or the visio link, the price, the cancel link, the
calendar."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import icalendar
import pytest

from contacts import mail
from contacts.models import OutboundEmail
from events import reminders, services
from events.models import EventPage, EventPrice, Registration
from tests.factories.events import EventPageFactory, VenueFactory, in_days, session

PARIS = "Europe/Paris"


def details(name):
    return {
        "first_name": name.capitalize(),
        "last_name": "Dupont",
        "email": f"{name}@oph-exemple.fr",
        "organisation": "OPH de l'Exemple",
        "organisation_type": "oph",
        "job_title": "Directrice",
        "phone": "",
        "news_opt_in": False,
    }


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Runs ``action`` and what waits for its commit (the mails)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def register(send):
    def post(event, name, sessions=(), needs=""):
        return send(
            services.register,
            event,
            details=details(name),
            choice=services.Choice(
                is_member=True,
                price=event.prices.first(),
                sessions=tuple(sessions),
                accessibility_needs=needs,
            ),
            consent_text="oui",
        )

    return post


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="proximite",
        title="Revisiter la proximité",
        registration_mode="site",
        capacity=1,
        venue=VenueFactory(name="Novotel Paris Bercy", street="85 rue de Bercy"),
        sessions=[session(30, start=(9, 30), end=(12, 0))],
        prices=[EventPrice(audience="Adhérent", amount=500)],
    )


def plain(text):
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def text_of(message):
    return plain(message.get_body(("plain",)).get_content())


def html_of(message):
    return message.get_body(("html",)).get_content()


def calendar_of(message):
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    return icalendar.Calendar.from_ical(attachment.get_content())


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


def subject(message):
    return " ".join(str(message["Subject"]).split())


def mails_to(inbox, address):
    return [message for message in inbox.received() if message["To"] == address]


def cancel_link(message):
    return re.search(r"http://\S+/inscriptions/annuler/\S+/", text_of(message)).group(0)


def test_the_confirmation_says_when_where_how_much_and_how_to_cancel(smtp_inbox, event, register):
    register(event, "marie", needs="Boucle magnétique")

    (message,) = smtp_inbox.received()
    assert subject(message) == "Inscription confirmée : Revisiter la proximité"
    text = text_of(message)
    day = in_days(30)
    assert "Votre inscription à « Revisiter la proximité » est confirmée" in text
    assert f"{day.day if day.day > 1 else '1er'} " in text and "9 h 30 – 12 h" in text
    assert "Novotel Paris Bercy, 85 rue de Bercy, 75012 Paris" in text
    assert "https://www.openstreetmap.org/search?query=85+rue+de+Bercy" in text
    assert "Tarif : Adhérent : 500 €" in text
    assert "Besoins d'accessibilité indiqués : Boucle magnétique" in text
    assert "/inscriptions/annuler/" in text
    html = html_of(message)
    assert "Novotel Paris Bercy" in html and "openstreetmap.org/search" in html
    assert cancel_link(message).removeprefix("http://testserver") in html
    (vevent,) = vevents(calendar_of(message))
    start = vevent.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 30, PARIS)
    assert start.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))


def test_the_waiting_list_is_mailed_without_a_calendar(smtp_inbox, event, register):
    register(event, "anne")
    register(event, "bruno")

    (message,) = mails_to(smtp_inbox, "bruno@oph-exemple.fr")
    assert subject(message) == "Liste d'attente : Revisiter la proximité"
    assert "vous êtes sur la liste d'attente" in text_of(message)
    assert not list(message.iter_attachments())


def test_an_online_event_gives_the_visio_link_and_no_map(smtp_inbox, agenda, register):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        attendance_mode="online",
        online_url="https://visio.exemple.fr/atelier",
        prices=[EventPrice(audience="Tous", amount=None)],
    )
    register(event, "marie")

    text = text_of(smtp_inbox.received()[0])
    assert "En ligne, avec ce lien : https://visio.exemple.fr/atelier" in text
    assert "openstreetmap" not in text
    assert "Tarif : Tous : Gratuit" in text


def test_cancelling_is_confirmed_once_and_the_next_person_is_told(
    smtp_inbox, event, register, send
):
    register(event, "anne")
    register(event, "bruno")
    link = cancel_link(mails_to(smtp_inbox, "anne@oph-exemple.fr")[0])
    visitor = Client()

    send(visitor.post, link)
    send(visitor.post, link)  # again: already cancelled

    anne = mails_to(smtp_inbox, "anne@oph-exemple.fr")
    assert [subject(m) for m in anne] == [
        "Inscription confirmée : Revisiter la proximité",
        "Inscription annulée : Revisiter la proximité",
    ]
    assert "Votre annulation est bien enregistrée" in text_of(anne[1])
    bruno = mails_to(smtp_inbox, "bruno@oph-exemple.fr")
    assert [subject(m) for m in bruno] == [
        "Liste d'attente : Revisiter la proximité",
        "Une place vous est proposée : Revisiter la proximité",
    ]
    accept = re.search(r"https?://\S+/inscriptions/place/\S+/accepter/", text_of(bruno[1]))
    send(Client().post, accept.group(0))
    bruno = mails_to(smtp_inbox, "bruno@oph-exemple.fr")
    assert subject(bruno[2]) == "Votre place est confirmée : Revisiter la proximité"
    assert "9 h 30 – 12 h" in text_of(bruno[2])
    assert len(vevents(calendar_of(bruno[2]))) == 1


def test_staff_cancel_in_the_admin_and_the_person_is_told_once(
    smtp_inbox, event, register, client, django_user_model, send
):
    register(event, "anne")
    register(event, "bruno")
    client.force_login(django_user_model.objects.create_superuser("chef", password="x" * 12))
    registration = Registration.objects.get(lead__email="anne@oph-exemple.fr")
    url = f"/admin/inscriptions/annuler/{registration.pk}/"

    listing = client.get("/admin/inscriptions/")
    assert url in listing.content.decode()
    asked = client.get(url)
    assert "Confirmer l'annulation" in asked.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"

    done = send(client.post, url, follow=True)
    again = send(client.post, url, follow=True)

    assert "est annulée" in plain(done.content.decode())
    assert "déjà annulée" in plain(again.content.decode())
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    (notice,) = mails_to(smtp_inbox, "anne@oph-exemple.fr")[1:]
    assert subject(notice) == "Votre inscription est annulée : Revisiter la proximité"
    assert "L'équipe du club a annulé votre inscription" in text_of(notice)
    offered = mails_to(smtp_inbox, "bruno@oph-exemple.fr")[-1]
    assert subject(offered) == "Une place vous est proposée : Revisiter la proximité"


def test_a_staff_member_without_the_permission_cannot_cancel(
    event, register, client, django_user_model
):
    register(event, "anne")
    user = django_user_model.objects.create_user("lecteur", password="x" * 12)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_registration"),
    )
    client.force_login(user)
    registration = Registration.objects.get()
    url = f"/admin/inscriptions/annuler/{registration.pk}/"

    listing = client.get("/admin/inscriptions/")
    assert listing.status_code == 200 and "anne@oph-exemple.fr" in listing.content.decode()
    assert url not in listing.content.decode()
    response = client.post(url)

    assert response.status_code in (302, 403)
    assert Registration.objects.get().status == "confirmed"


def test_every_lifecycle_mail_has_a_preview_from_its_demo():
    kinds = {kind.name: kind for kind in mail.registered() if kind.name.startswith("events.")}
    assert set(kinds) >= {
        "events.registration",
        "events.registration_promoted",
        "events.seat_offered",
        "events.registration_cancelled",
        "events.registration_cancelled_by_staff",
        "events.session_reminder",
        "events.session_changed",
    }


@pytest.mark.django_db
def test_every_preview_renders_text_and_html_without_writing():
    kinds = [kind for kind in mail.registered() if kind.name.startswith("events.")]
    for kind in kinds:
        rendered = kind.render(kind.demo())
        assert "Camille" in rendered.text and "Camille" in rendered.html
        assert rendered.subject
    assert not OutboundEmail.objects.exists()


# --- Reminders ---------------------------------------------------------------------------------


def start_of(event):
    return reminders.session_start(event.sessions.get())


def test_reminders_go_seven_days_and_one_day_before_each_once(smtp_inbox, agenda, register, send):
    event = EventPageFactory(
        parent=agenda,
        title="Atelier",
        registration_mode="site",
        sessions=[session(10, start=(14, 0), end=(17, 0))],
    )
    register(event, "anne")
    start = start_of(event)
    before = len(smtp_inbox.received())

    assert send(reminders.send_due, start - datetime.timedelta(days=8)) == 0
    assert send(reminders.send_due, start - datetime.timedelta(days=7, minutes=-5)) == 1
    assert send(reminders.send_due, start - datetime.timedelta(days=6)) == 0  # a retry: nothing
    assert send(reminders.send_due, start - datetime.timedelta(hours=23)) == 1
    assert send(reminders.send_due, start - datetime.timedelta(hours=2)) == 0
    assert send(reminders.send_due, start + datetime.timedelta(hours=1)) == 0

    sent = smtp_inbox.received()[before:]
    assert [subject(m) for m in sent] == [
        "Rappel, dans 7 jours : Atelier",
        "Rappel, demain : Atelier",
    ]
    assert "14 h – 17 h" in text_of(sent[1])
    assert "/inscriptions/annuler/" in text_of(sent[1])


def test_reminders_follow_the_events_setting(agenda, register, send):
    three = EventPageFactory(parent=agenda, registration_mode="site", reminder_days="3")
    off = EventPageFactory(parent=agenda, registration_mode="site", reminder_days="")
    register(three, "anne")
    register(off, "bruno")
    start = start_of(three)
    assert start == start_of(off)  # the same day and time

    for days in (8, 7, 3, 2, 1):
        send(reminders.send_due, start - datetime.timedelta(days=days, minutes=-1))

    reminded = OutboundEmail.objects.filter(kind="events.session_reminder")
    assert list(reminded.values_list("to", flat=True)) == ["anne@oph-exemple.fr"]
    assert reminded.get().subject.startswith("Rappel, dans 3 jours")


def test_reminders_skip_cancelled_sessions_waiting_and_cancelled_people(
    agenda, register, send, client
):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope="session",
        capacity=1,
        sessions=[session(10), session(10, status="cancelled")],
    )
    held, cancelled = event.sessions.order_by("sort_order")
    register(event, "anne", sessions=[held, cancelled])
    register(event, "bruno", sessions=[held])  # waiting
    start = reminders.session_start(held)

    send(reminders.send_due, start - datetime.timedelta(days=1))

    reminded = OutboundEmail.objects.filter(kind="events.session_reminder")
    assert list(reminded.values_list("to", flat=True)) == ["anne@oph-exemple.fr"]


def test_the_command_queues_what_is_due_now_and_nothing_twice(agenda, register, send):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", sessions=[session(1, start=(0, 0), end=None)]
    )
    register(event, "anne")
    # Confirmed a month ago: the day-before reminder (due since midnight) is owed.
    Registration.objects.update(confirmed_at=timezone.now() - datetime.timedelta(days=30))

    for _ in range(2):
        send(call_command, "send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert OutboundEmail.objects.filter(kind="events.session_reminder").count() == 1


def test_a_reminder_refused_by_the_mail_server_is_retried_not_queued_again(
    agenda, register, send, smtp_inbox, settings
):
    event = EventPageFactory(parent=agenda, registration_mode="site", title="Atelier")
    register(event, "anne")
    start = start_of(event)
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # the mail server is down

    send(reminders.send_due, start - datetime.timedelta(days=1))
    send(reminders.send_due, start - datetime.timedelta(hours=20))  # the next run, a retry
    reminder = OutboundEmail.objects.get(kind="events.session_reminder")
    assert reminder.sent_at is None and reminder.attempts == 1

    settings.EMAIL_PORT = port  # back
    OutboundEmail.objects.filter(pk=reminder.pk).update(next_attempt_at=reminder.created_at)
    call_command("send_outbox", stdout=open("/dev/null", "w"))  # noqa: SIM115

    subjects = [subject(m) for m in smtp_inbox.received()]
    assert subjects.count("Rappel, demain : Atelier") == 1


def test_the_reminder_days_are_validated_in_french():
    field = EventPage._meta.get_field("reminder_days")

    for good in ("7, 1", "3", "", "1;14"):
        field.clean(good, None)
    for bad in ("7, x", "0", "-1", "90"):
        with pytest.raises(ValidationError, match="n'est pas un nombre de jours entre 1 et 60"):
            field.clean(bad, None)
    assert field.default == "7, 1"
    assert field.verbose_name == "rappels (jours avant)"


# --- Séance changes ----------------------------------------------------------------------------


def publish(send, event, change):
    draft = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    sessions = list(draft.sessions.all())
    change(draft, sessions)
    draft.sessions = sessions
    send(lambda: draft.save_revision().publish())


@pytest.fixture
def cycle(agenda):
    return EventPageFactory(
        parent=agenda,
        title="Cycle d'ateliers",
        registration_mode="site",
        registration_scope="session",
        capacity=1,
        sessions=[session(10, title="Un"), session(20, title="Deux")],
    )


def test_a_new_time_mails_only_that_sessions_confirmed_people_once(
    smtp_inbox, cycle, register, send, client
):
    first, second = cycle.sessions.order_by("sort_order")
    register(cycle, "anne", sessions=[first])
    register(cycle, "bruno", sessions=[second])
    register(cycle, "chloe", sessions=[first])  # waiting
    register(cycle, "denis", sessions=[second])  # waiting
    before = len(smtp_inbox.received())

    def later(draft, sessions):
        sessions[0].start_time = datetime.time(14, 0)
        sessions[0].end_time = datetime.time(17, 30)

    publish(send, cycle, later)
    publish(send, cycle, lambda draft, sessions: None)  # published again, unchanged

    (notice,) = smtp_inbox.received()[before:]
    assert notice["To"] == "anne@oph-exemple.fr"
    assert subject(notice) == "Changement de programme : Cycle d'ateliers"  # not &#x27;
    text = text_of(notice)
    assert "votre inscription à « Cycle d'ateliers »" in text
    assert (
        "nouvel horaire" in text and "14 h – 17 h 30 (au lieu de" in text and "9 h – 12 h)" in text
    )
    (vevent,) = vevents(calendar_of(notice))
    assert vevent["sequence"] == 1
    assert vevent.decoded("dtstart").hour == 14
    assert str(vevent["uid"]) == str(first.uid)


def test_a_cancelled_session_is_announced_with_a_cancelled_calendar_entry(
    smtp_inbox, cycle, register, send
):
    first, second = cycle.sessions.order_by("sort_order")
    register(cycle, "anne", sessions=[first, second])
    before = len(smtp_inbox.received())

    def cancel_second(draft, sessions):
        sessions[1].status = "cancelled"

    publish(send, cycle, cancel_second)

    (notice,) = smtp_inbox.received()[before:]
    assert "la séance est annulée" in text_of(notice)
    (vevent,) = vevents(calendar_of(notice))
    assert (str(vevent["uid"]), vevent["status"]) == (str(second.uid), "CANCELLED")


def test_a_whole_event_moved_online_or_to_another_venue_tells_everyone_once_each(
    smtp_inbox, agenda, register, send
):
    event = EventPageFactory(
        parent=agenda,
        title="Journée",
        registration_mode="site",
        online_url="https://visio.exemple.fr/journee",
        sessions=[session(10), session(11)],
    )
    register(event, "anne")
    register(event, "bruno")
    Registration.objects.filter(lead__email="bruno@oph-exemple.fr").update(status="cancelled")
    before = len(smtp_inbox.received())

    def new_venue(draft, sessions):
        draft.venue = VenueFactory(name="Maison de la Mutualité", street="24 rue Saint-Victor")

    def online(draft, sessions):
        draft.status = "moved_online"

    publish(send, event, new_venue)
    publish(send, event, online)

    notices = smtp_inbox.received()[before:]
    assert [m["To"] for m in notices] == ["anne@oph-exemple.fr"] * 2
    assert "nouveau lieu : Maison de la Mutualité, 24 rue Saint-Victor" in text_of(notices[0])
    assert len(vevents(calendar_of(notices[0]))) == 2
    assert "la séance se tiendra en ligne" in text_of(notices[1])
    assert "https://visio.exemple.fr/journee" in text_of(notices[1])


def test_a_new_title_alone_is_no_news(smtp_inbox, cycle, register, send):
    first, _ = cycle.sessions.order_by("sort_order")
    register(cycle, "anne", sessions=[first])
    before = len(smtp_inbox.received())

    def retitle(draft, sessions):
        sessions[0].title = "Un, nouveau titre"

    publish(send, cycle, retitle)

    assert smtp_inbox.received()[before:] == []


def test_lead_managers_may_cancel_a_registration(event, register, client, django_user_model):
    from django.contrib.auth.models import Group

    register(event, "anne")
    user = django_user_model.objects.create_user("gestion", password="x" * 12)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(user)
    registration = Registration.objects.get()

    assert (
        f"/admin/inscriptions/annuler/{registration.pk}/"
        in client.get("/admin/inscriptions/").content.decode()
    )
    client.post(f"/admin/inscriptions/annuler/{registration.pk}/")

    assert Registration.objects.get().status == "cancelled"


def test_the_worker_runs_the_reminders_every_ten_minutes_by_default():
    from django.conf import settings

    from home.worker.schedule import JOBS

    job = JOBS["send_reminders"]
    assert (job.command, job.every) == ("send_reminders", "WORKER_REMINDERS_SECONDS")
    assert settings.WORKER_REMINDERS_SECONDS == 600
