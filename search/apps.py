from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Recherche"

    def ready(self):
        from wagtail.signals import page_published

        from .signals import reindex_published_page

        page_published.connect(reindex_published_page, dispatch_uid="search.reindex_published")
