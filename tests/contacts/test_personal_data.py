"""A person's rights from their preferences page, without an account: they download all the
site holds on them (and nothing of anyone else's), and an erasure they ask for happens only
through the second link mailed to them; the staff see both in the export log."""

import csv
import io
import json
import re

import pytest

from contacts import consent
from contacts.models import ExportLog, Lead
from events.models import Registration
from publications.models import DownloadRequest
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.publications import DownloadRequestFactory, LeadFactory

ERASE_LINK = re.compile(r"http://testserver(/donnees/effacement/[^/\s]+/)")


@pytest.fixture
def people(home, paper):
    agenda = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=agenda, slug="atelier", title="Atelier proximité")
    marie = LeadFactory(email="marie@oph-exemple.fr", first_name="Marie", phone="0102030405")
    other = LeadFactory(email="paul@esh-exemple.fr", first_name="Paul", organisation="ESH Autre")
    for lead, title in ((marie, "Premier"), (marie, "Second"), (other, "Celui de Paul")):
        DownloadRequestFactory(lead=lead, paper=paper, paper_title=title, consent_text="J'accepte")
    for lead, comment in ((marie, "Fauteuil roulant"), (other, "Commentaire de Paul")):
        Registration.objects.create(
            event=event, lead=lead, status="confirmed", consent_text="oui", comment=comment
        )
    return marie, other


def test_the_json_holds_every_row_of_that_address_and_nothing_of_another(client, people):
    marie, _ = people
    token = consent.preferences_token(marie)

    response = client.get(f"/donnees/mes-donnees/{token}/mes-donnees.json")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    data = json.loads(response.content)
    (me,) = data["Vos coordonnées"]
    assert me["e-mail"] == "marie@oph-exemple.fr" and me["téléphone"] == "0102030405"
    assert me["actualités acceptées (confirmées)"] is False
    titles = [row["livre blanc"] for row in data["Demandes de livres blancs"]]
    assert titles == ["Premier", "Second"]
    (registration,) = data["Inscriptions aux événements"]
    assert registration["événement"] == "Atelier proximité"
    assert registration["commentaire"] == "Fauteuil roulant"
    text = response.content.decode()
    assert "Paul" not in text and "esh-exemple" not in text and "Celui de Paul" not in text

    log = ExportLog.objects.get()
    assert (log.source, log.dataset, log.format) == ("person", "personal_data", "json")
    assert log.row_count == 4  # the lead, two requests, one registration


def test_the_csv_opens_in_french_excel_with_the_same_rows(client, people):
    marie, _ = people
    marie.organisation = "=HYPERLINK(1)"
    marie.save()

    response = client.get(
        f"/donnees/mes-donnees/{consent.preferences_token(marie)}/mes-donnees.csv"
    )

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Rubrique", "N°", "Champ", "Valeur"]
    values = {(row[0], row[2]): row[3] for row in rows[1:] if row[1] == "1"}
    assert values[("Vos coordonnées", "organisme")] == "'=HYPERLINK(1)"
    assert values[("Demandes de livres blancs", "livre blanc")] == "Premier"
    assert values[("Inscriptions aux événements", "commentaire")] == "Fauteuil roulant"
    assert "Paul" not in text


def test_erasure_needs_the_second_link(
    client, people, smtp_inbox, django_capture_on_commit_callbacks, django_user_model
):
    marie, other = people
    token = consent.preferences_token(marie)

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(f"/donnees/mes-donnees/{token}/effacement/")
    assert "Confirmez l'effacement depuis votre messagerie" in asked.content.decode()
    assert Lead.objects.filter(pk=marie.pk).exists()  # asking erases nothing

    (message,) = smtp_inbox.received()
    assert message["To"] == "marie@oph-exemple.fr"
    text = message.get_body(("plain",)).get_content()
    path = ERASE_LINK.search(text)[1]
    assert "Vos choix :" in text  # the receipt is in this mail too

    shown = client.get(path)
    assert "Effacer définitivement mes données" in shown.content.decode()
    assert Lead.objects.filter(pk=marie.pk).exists()  # a GET (a scanner) erases nothing
    log = ExportLog.objects.get(dataset="erasure")
    assert log.status == "running"

    done = client.post(path)
    assert "Vos données ont été effacées" in done.content.decode()
    assert not Lead.objects.filter(email="marie@oph-exemple.fr").exists()
    assert Lead.objects.filter(pk=other.pk).exists()
    assert DownloadRequest.objects.filter(lead=None).count() == 2  # kept, anonymised
    log.refresh_from_db()
    assert (log.status, log.row_count) == ("done", 3)
    assert "marie" not in json.dumps(log.filters)
    # Every link of that person now finds nothing.
    assert client.get(f"/donnees/mes-donnees/{token}/").status_code == 404
    assert client.post(path).status_code == 404

    staff = django_user_model.objects.create_superuser("gestionnaire", password="x" * 20)
    client.force_login(staff)
    listing = client.get("/admin/exports-leads/").content.decode()
    assert "Effacement demandé par la personne" in listing


def test_an_expired_erasure_link_erases_nothing(client, people, settings):
    marie, _ = people
    settings.ERASURE_LINK_MAX_AGE_DAYS = -1

    response = client.post(f"/donnees/effacement/{consent.erase_token(marie)}/")

    assert response.status_code == 410
    assert "Rien n'a été effacé" in response.content.decode()
    assert Lead.objects.filter(pk=marie.pk).exists()


def test_the_preference_forms_need_their_csrf_token(people):
    from django.test import Client

    marie, _ = people
    strict = Client(enforce_csrf_checks=True)
    token = consent.preferences_token(marie)

    assert strict.post(f"/donnees/mes-donnees/{token}/retrait/").status_code == 403
    assert strict.post(f"/donnees/mes-donnees/{token}/effacement/").status_code == 403
    assert strict.post(f"/donnees/effacement/{consent.erase_token(marie)}/").status_code == 403
