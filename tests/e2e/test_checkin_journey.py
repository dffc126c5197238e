"""At the door, on a phone: a lead manager opens an event's check-in page, finds a person by
name and marks them present, checks another in with the code field and a third with a scanned
value (injected into the page's scan handler), and one more while the network is down: it
waits, « en attente d'envoi », and is sent when the network is back."""

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from events import attendance
from events.models import Attendance, EventIndexPage, Registration
from tests.e2e.admin import log_in
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

from .a11y import assert_no_axe_violations

PASSWORD = "un mot de passe assez long"
PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def door(site_url, django_user_model):
    event = EventPageFactory(
        parent=EventIndexPage.objects.first(),
        slug="atelier-pointage",
        title="Atelier du club : le pointage",
        registration_mode="site",
        capacity=30,
        sessions=[session(0, start=(0, 0), end=(23, 59))],
    )
    people = {}
    for first, last in [
        ("Élodie", "Lefèvre"),
        ("Jean", "Martin"),
        ("Awa", "Diallo"),
        ("Paul", "Hors-ligne"),
    ]:
        people[last] = Registration.objects.create(
            event=event,
            lead=LeadFactory(first_name=first, last_name=last),
            status="confirmed",
            consent_text="oui",
        )
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return event, people


def test_staff_check_people_in_by_name_and_by_code_on_a_phone(page, site_url, door):
    event, people = door
    page.set_viewport_size(PHONE_390)
    log_in(page, site_url, "gestionnaire", PASSWORD)

    page.goto(f"{site_url}/admin/evenements/{event.pk}/pointage/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pointage – Atelier du club : le pointage"
    )
    expect(page.locator("#compteur")).to_contain_text("0 présent·e sur 4 inscrit·es")
    assert_no_axe_violations(page, "the check-in page")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_390["width"], f"the page scrolls sideways: {width} px"

    # By name, accents left out.
    page.get_by_label("Nom, prénom ou organisme").fill("elodie lefevre")
    page.get_by_role("button", name="Chercher").click()
    person = page.locator(f'li[data-registration="{people["Lefèvre"].pk}"]')
    expect(page.locator(".people li[data-registration]")).to_have_count(1)
    person.get_by_role("button", name="Présent : Élodie Lefèvre").click()
    expect(page.locator("#messages")).to_contain_text("Élodie Lefèvre : présent·e, pointé·e à")
    expect(person.locator("[data-state]")).to_contain_text("Présent·e à")
    expect(page.locator("#compteur")).to_contain_text("1 présent")
    # Twice: fine, and said so.
    assert Attendance.objects.filter(registration=people["Lefèvre"]).count() == 1

    # The code field: a scanned (or typed) code.
    page.goto(f"{site_url}/admin/evenements/{event.pk}/pointage/")
    page.get_by_label("Code scanné ou saisi").fill(attendance.make_code(people["Martin"]))
    page.get_by_role("button", name="Valider le code").click()
    expect(page.locator("#messages")).to_contain_text("Jean Martin : présent·e")
    page.get_by_label("Code scanné ou saisi").fill(attendance.make_code(people["Martin"]))
    page.get_by_role("button", name="Valider le code").click()
    expect(page.locator("#messages")).to_contain_text("Jean Martin : déjà pointé·e à")
    page.get_by_label("Code scanné ou saisi").fill("pas-un-code")
    page.get_by_role("button", name="Valider le code").click()
    expect(page.locator("#messages")).to_contain_text("Code non reconnu")

    # What the camera would read, handed to the page's scan handler.
    page.evaluate("code => window.checkinScan(code)", attendance.make_code(people["Diallo"]))
    expect(page.locator("#messages")).to_contain_text("Awa Diallo : présent·e")
    assert_no_axe_violations(page, "the check-in page after check-ins")

    # The network drops: the check-in waits, then goes when it is back.
    page.context.set_offline(True)
    offline = page.locator(f'li[data-registration="{people["Hors-ligne"].pk}"]')
    offline.get_by_role("button", name="Présent : Paul Hors-ligne").click()
    expect(page.locator("#file-attente")).to_contain_text("1 pointage en attente d'envoi")
    expect(offline.locator("[data-state]")).to_have_text("En attente d'envoi…")
    page.context.set_offline(False)
    expect(page.locator("#messages")).to_contain_text("Paul Hors-ligne : présent·e", timeout=15_000)
    expect(page.locator("#file-attente")).to_be_hidden()

    expect(page.locator("#compteur")).to_contain_text("4 présent·es sur 4")

    # Undo a mistake.
    martin = page.locator(f'li[data-registration="{people["Martin"].pk}"]')
    page.reload()
    martin.get_by_role("button", name="Annuler le pointage : Jean Martin").click()
    expect(page.locator("#messages")).to_contain_text("Jean Martin : pointage annulé.")
    expect(martin.get_by_role("button", name="Présent : Jean Martin")).to_be_visible()

    checked = set(Attendance.objects.values_list("registration__lead__last_name", "method"))
    assert checked == {("Lefèvre", "name"), ("Diallo", "qr"), ("Hors-ligne", "name")}
