"""The relevance set: French queries as visitors type them, and the pages each must find in the
first three results, on the demo site plus a few generated pages (issue #23).

Single words, phrases, plurals and singulars, accents and capitals dropped, typos, people's
names, organisations, themes, tables of contents. Run on SQLite and on PostgreSQL; prints the
precision at 3 (the share of the expected pages found in the first three results, averaged over
the queries) and fails under 0.9.
"""

import pytest

from events.models import EventIndexPage, EventPage
from publications.models import WhitePaperIndexPage, WhitePaperPage
from tests.factories.events import EventPageFactory, session
from tests.factories.home import (
    OrganisationFactory,
    PersonFactory,
    StandardPageFactory,
    ThemeFactory,
)
from tests.factories.publications import WhitePaperPageFactory

from .conftest import publish, result_titles

pytestmark = pytest.mark.django_db

MIN_PRECISION = 0.9

PROXIMITY = "Revisiter la proximité à l'aune des enjeux d'aujourd'hui"
CULTURE = "La culture de service, un levier de la transformation des offices"
GROUPING = "Articuler dynamique de regroupement et affirmation des politiques locales de l’habitat"
DIGITAL = (
    "Le numérique comme appui à une nouvelle forme d’organisation, dynamiser la ressource habitante"
)
TERRITORIES = "ATELIER 1 – 03.04.2014 – Quel projet de proximité pour les territoires ?"
LEGAL = "Mentions légales"
PRIVACY = "Politique de confidentialité"
CATALOGUE = "Livres blancs"
AGENDA = "Agenda"
# Generated below.
CARETAKERS = "Les gardiens d'immeuble, premiers acteurs de la tranquillité"
SALES = "La vente HLM aux locataires"
EXCHANGES = "Nos ateliers d'échange"

RELEVANCE = [
    # Single words, with and without accents or capitals, plurals and singulars.
    ("proximité", [PROXIMITY]),
    ("proximite", [PROXIMITY]),
    ("PROXIMITÉ", [PROXIMITY]),
    ("numérique", [DIGITAL]),
    ("numerique", [DIGITAL]),
    ("regroupement", [GROUPING]),
    ("regroupements", [GROUPING]),
    ("territoires", [TERRITORIES]),
    ("territoire", [TERRITORIES]),
    ("confidentialité", [PRIVACY]),
    ("hébergement", [LEGAL]),
    ("agenda", [AGENDA]),
    ("gardien", [CARETAKERS]),
    ("bailleur", [EXCHANGES]),
    # Phrases.
    ("culture de service", [CULTURE]),
    ("la culture du service", [CULTURE]),
    ("livre blanc culture service", [CULTURE]),
    ("bailleurs sociaux", [CULTURE]),
    ("transformation des offices", [CULTURE]),
    ("ressource habitante", [DIGITAL]),
    ("projet de proximité territoires", [TERRITORIES]),
    ("politiques locales de l'habitat", [GROUPING]),
    ("enjeux d'aujourd'hui", [PROXIMITY]),
    ("mentions légales", [LEGAL]),
    ("mentions legales", [LEGAL]),
    ("politique de confidentialite", [PRIVACY]),
    ("livres blancs", [CATALOGUE]),
    ("gardiens d'immeuble", [CARETAKERS]),
    ("vente hlm locataires", [SALES]),
    ("ateliers d'échange", [EXCHANGES]),
    ("atelier echange", [EXCHANGES]),
    ("gestion locative bailleurs", [EXCHANGES]),
    # Typos: the nearest indexed word's results.
    ("proximitée", [PROXIMITY]),
    ("numériqe", [DIGITAL]),
    ("gardeins", [CARETAKERS]),
    ("regroupemnt", [GROUPING]),
    # People.
    ("Driant", [GROUPING]),
    ("Jean-Claude Driant", [GROUPING]),
    ("jean claude driant", [GROUPING]),
    ("Vincent Cespedes", [PROXIMITY]),
    ("Molina", [PROXIMITY]),
    ("Castagnède", [SALES]),
    ("castagnede", [SALES]),
    # Organisations: partners, publishers, speakers' organisations.
    ("Aatiko Conseils", [GROUPING]),
    ("Valophis", [DIGITAL]),
    ("1001 vies habitat", [DIGITAL]),
    ("Fédération des OPH", [CULTURE]),
    ("Habitat Sud Atlantique", [SALES]),
    # Themes and tables of contents.
    ("tranquillité résidentielle", [CARETAKERS]),
    ("accession sociale", [SALES]),
    ("diagnostic des loges", [CARETAKERS]),
    ("médiation de nuit", [CARETAKERS]),
]


def generated_pages(home):
    """Pages the demo lacks: a theme, a table of contents, a speaker's organisation, plurals;
    and pages about the social housing in general that every query about it meets."""
    catalogue = WhitePaperIndexPage.objects.get()
    agenda = EventIndexPage.objects.get()
    paper = WhitePaperPageFactory(
        parent=catalogue,
        title=CARETAKERS,
        summary="Le rôle des gardiens dans les résidences.",
        table_of_contents="<ol><li>Le diagnostic des loges</li><li>La médiation de nuit</li></ol>",
        publisher=OrganisationFactory(name="Coopérative Émeraude"),
    )
    paper.themes = [ThemeFactory(name="Tranquillité résidentielle")]
    publish(WhitePaperPage.objects.get(pk=paper.pk))
    speaker = PersonFactory(
        first_name="Mireille",
        last_name="Castagnède",
        organisation=OrganisationFactory(name="Habitat Sud Atlantique"),
    )
    event = EventPageFactory(
        parent=agenda,
        title=SALES,
        summary="Vendre des logements à leurs occupants.",
        sessions=[session(days=40, title="Les copropriétés issues de la vente")],
    )
    event.themes = [ThemeFactory(name="Accession sociale")]
    event.save()
    first_session = event.sessions.get()
    first_session.speakers.add(speaker)
    first_session.save()
    publish(EventPage.objects.get(pk=event.pk))
    StandardPageFactory(
        parent=home,
        title=EXCHANGES,
        summary="Les bailleurs y partagent leurs pratiques de gestion locative.",
    )
    for number in range(20):
        StandardPageFactory(
            parent=home,
            title=f"Le logement social en région {number}",
            summary=f"Chiffres clés du logement social en région {number}.",
            body=[{"type": "paragraph", "value": "<p>Parc, loyers et demandes de logement.</p>"}],
        )


def test_precision_at_3_on_the_relevance_set(client, demo_site):
    generated_pages(demo_site)
    assert len(RELEVANCE) >= 40

    scores, misses = [], []
    for query, expected in RELEVANCE:
        response = client.get("/recherche/", {"q": query})
        assert response.status_code == 200, query
        top = result_titles(response)[:3]
        found = [title for title in expected if title in top]
        scores.append(len(found) / len(expected))
        if len(found) < len(expected):
            misses.append(f"{query!r}: {top}")
    precision = sum(scores) / len(scores)

    print(f"\nPrecision at 3 over {len(RELEVANCE)} queries: {precision:.3f}")
    for miss in misses:
        print("  missed:", miss)
    assert precision >= MIN_PRECISION, "\n".join(misses)
