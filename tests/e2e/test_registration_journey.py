"""A visitor registers for the seed cycle, gets the confirmation mail (console backend) and
cancels through its link; a lead manager exports the event's registrations."""

import csv
import email
import email.policy
import io
import re

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from events.models import EventPage, EventSession
from tests.e2e.admin import log_in

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP

CYCLE_PATH = "/agenda/revisiter-la-proximite/"
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def upcoming_cycle(site_url, settings):
    """The seed cycle, its 2022/2023 sessions moved a few years on so that it is upcoming."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.WAGTAILADMIN_BASE_URL = site_url  # the mailed links lead to the test server
    cycle = EventPage.objects.get(slug="revisiter-la-proximite")
    years = timezone.localdate().year - 2022 + 1
    for session in EventSession.objects.filter(page=cycle):
        session.date = session.date.replace(year=session.date.year + years)
        session.save()
    cycle = EventPage.objects.get(pk=cycle.pk)
    cycle.save()  # the stored dates follow the sessions
    assert cycle.first_date > timezone.localdate()
    return cycle


def printed_mail(output):
    """The one mail the console backend printed, parsed."""
    text = output[output.index("Content-Type: multipart/mixed") :].split("\n" + "-" * 79)[0]
    return email.message_from_string(text, policy=email.policy.default)


def test_a_visitor_registers_for_the_cycle_then_cancels(page, site_url, upcoming_cycle, capfd):
    page.goto(site_url + CYCLE_PATH)
    registration = page.locator("#inscription")
    expect(registration).to_contain_text("30 places restantes")
    registration.get_by_role("link", name=re.compile("^S'inscrire")).click()

    expect(page).to_have_url(site_url + CYCLE_PATH + "inscription/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription")
    page.get_by_role("button", name="Je m'inscris").click()  # empty: French errors
    expect(page.get_by_role("alert")).to_contain_text("corrigez les champs signalés")
    assert_no_axe_violations(page, "the registration form with errors")

    page.get_by_label("Prénom").first.fill("Marie")
    page.get_by_label(re.compile(r"^\s*Nom\b")).first.fill("Dupont")
    page.get_by_label("E-mail professionnel").first.fill("marie.dupont@oph-exemple.fr")
    page.get_by_label(re.compile(r"^\s*Organisme\b")).fill("OPH de l'Exemple")
    page.get_by_label("Type d'organisme").select_option("oph")
    page.get_by_label("Fonction").first.fill("Directrice de la proximité")
    # An address the register does not know: the visitor says their organisation is a member.
    page.get_by_label("Mon organisme est adhérent du club").check()
    page.get_by_label("Besoins d'accessibilité (facultatif)").fill("Boucle magnétique")
    page.get_by_label(re.compile("J.ai pris connaissance")).check()
    page.get_by_role("button", name="Je m'inscris").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription est confirmée")
    expect(page.get_by_text("marie.dupont@oph-exemple.fr")).to_be_visible()
    assert_no_axe_violations(page, "the registration's thank-you page")

    message = printed_mail(capfd.readouterr().out)
    assert message["Subject"].strip() == "Inscription confirmée : " + upcoming_cycle.title
    body = message.get_body(("plain",))  # the text beside the HTML version
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "revisiter-la-proximite.ics"
    assert attachment.get_content().count("BEGIN:VEVENT") == 4
    link = re.search(re.escape(site_url) + r"/inscriptions/annuler/\S+/", body.get_content())
    link = link.group(0)
    page.goto(link)

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    assert_no_axe_violations(page, "the cancel page")
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription est annulée")

    page.goto(site_url + CYCLE_PATH)
    expect(page.locator("#inscription")).to_contain_text("30 places restantes")


def test_a_lead_manager_exports_the_registrations(
    page, site_url, upcoming_cycle, django_user_model
):
    from events import services

    for number, member in [(1, True), (2, False)]:
        services.register(
            upcoming_cycle,
            details={
                "email": f"personne{number}@oph-exemple.fr",
                "first_name": "Jean",
                "last_name": f"Inscrit{number}",
                "organisation": "=cmd|' /C calc'!A0",
                "organisation_type": "esh",
                "job_title": "Directeur",
                "phone": "",
                "news_opt_in": False,
            },
            choice=services.Choice(is_member=member, price=None),
            consent_text="oui",
        )
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))

    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "gestionnaire", PASSWORD)

    page.goto(f"{site_url}/admin/inscriptions/?event={upcoming_cycle.pk}")
    expect(page.get_by_text("Inscrit1")).to_be_visible()
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger en CSV").click()
    rows = list(
        csv.reader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig")), delimiter=";")
    )
    assert len(rows) == 3
    last_name, organisation = rows[0].index("Nom"), rows[0].index("Organisme")
    assert {row[last_name] for row in rows[1:]} == {"Inscrit1", "Inscrit2"}
    assert {row[organisation] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}

    page.get_by_role("link", name="Feuille d'émargement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feuille d'émargement")
    expect(page.locator("tbody tr")).to_have_count(2)
