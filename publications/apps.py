from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Livres blancs et leads"

    def ready(self):
        from contacts import activity, engagement
        from contacts.signals import lead_erased

        from . import engagement as paper_engagement
        from . import mails, views  # noqa: F401 (mails: this app's mails, for the admin)
        from .models import WhitePaperPage
        from .signals import anonymise_requests, lead_requests, personal_data

        lead_erased.connect(anonymise_requests, dispatch_uid="publications-erase-requests")
        # A lead is kept while a request is within the retention; their page lists them.
        activity.register_activity_date("requests__created_at")
        activity.register_inspect_section("publications/admin/lead_requests.html", lead_requests)
        activity.register_personal_data("requests", "Demandes de livres blancs", personal_data)
        # An organisation's page and its bilan count its people's requests.
        engagement.register_engagement(
            "requests", paper_engagement.organisation_figures, paper_engagement.organisation_tables
        )

        # The white paper's routes are served by the views: a model never imports a view.
        WhitePaperPage.form_views.update(
            request_form=views.white_paper_page, thank_you=views.thank_you
        )
