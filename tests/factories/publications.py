import datetime

from django.core.files.base import ContentFile

import factory
import wagtail_factories

from contacts.models import Lead
from publications.models import DownloadRequest, WhitePaperIndexPage, WhitePaperPage
from publications.seed_pdf import build_pdf
from publications.services import recount_requests

from .home import OrganisationFactory


def pdf_file(pages=3, title="Livre blanc de test"):
    content = build_pdf(
        title=title, publisher="Éditeur", year=2020, paragraphs=["Texte."], pages=pages
    )
    return ContentFile(content, name="livre-blanc.pdf")


class WhitePaperIndexPageFactory(wagtail_factories.PageFactory):
    title = "Livres blancs"
    slug = "livres-blancs"

    class Meta:
        model = WhitePaperIndexPage


class WhitePaperPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Livre blanc {n}")
    publisher = factory.SubFactory(OrganisationFactory)
    publication_date = factory.Sequence(lambda n: datetime.date(2018, 1, 1) + datetime.timedelta(n))
    summary = "Un résumé."
    introduction = "<p>Une introduction.</p>"
    pdf = factory.LazyFunction(pdf_file)
    pdf_pages = 3
    pdf_size = 1000

    class Meta:
        model = WhitePaperPage


class LeadFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"personne{n}@oph-exemple.fr")
    first_name = "Marie"
    last_name = "Dupont"
    organisation = "OPH de Test"
    organisation_type = "oph"
    job_title = "Directrice"

    class Meta:
        model = Lead


class DownloadRequestFactory(factory.django.DjangoModelFactory):
    lead = factory.SubFactory(LeadFactory)
    paper = None
    paper_title = factory.LazyAttribute(lambda o: o.paper.title if o.paper else "Livre blanc")
    consent_text = "J'accepte."
    page_url = "http://testserver/livres-blancs/x/"

    class Meta:
        model = DownloadRequest
        skip_postgeneration_save = True

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        """The lead's stored request count, as the request form's service keeps it."""
        if create and obj.lead_id:
            recount_requests(Lead.objects.filter(pk=obj.lead_id))
