from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Livres blancs et leads"

    def ready(self):
        from . import views
        from .models import WhitePaperPage

        # The white paper's routes are served by the views: a model never imports a view.
        WhitePaperPage.form_views.update(
            request_form=views.white_paper_page, thank_you=views.thank_you
        )
