"""Two phones at the door check the same person in at the same moment: one Attendance, and
both are told the person is present. Threads on their own connections, on PostgreSQL."""

from django.db import connection

import pytest

from events import attendance
from events.models import Attendance, Registration
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.publications import LeadFactory
from tests.publications.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) for real locks"
    ),
]

PHONES = 8


@pytest.fixture
def agenda():
    from wagtail.models import Page

    from tests.factories.home import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil-pointage")
    return EventIndexPageFactory(parent=home, slug="agenda-pointage")


def test_simultaneous_check_ins_of_one_person_make_one_attendance(agenda):
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=10)
    seance = event.sessions.get()
    registration = Registration.objects.create(
        event=event, lead=LeadFactory(), status="confirmed", consent_text="oui"
    )
    code = attendance.make_code(registration)
    answers = []

    def scan(number):
        found = attendance.identify(event, seance, code)
        row, created = attendance.check_in(found, seance, user=None, method="qr")
        answers.append((row.pk, created))

    run_together(scan, PHONES)

    assert Attendance.objects.count() == 1
    assert len(answers) == PHONES
    assert {pk for pk, _ in answers} == {Attendance.objects.get().pk}
    assert sum(created for _, created in answers) == 1
