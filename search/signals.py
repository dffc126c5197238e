"""Keeps a page's index entry in step with its inline objects.

Wagtail indexes a page on ``post_save``, which a clusterable page sends before it saves its
sessions, speakers and authors: the entry would hold the previous ones. ``page_published``
comes once everything is saved, so the page is indexed again then.
"""

from modelsearch import index


def reindex_published_page(sender, instance, **kwargs):
    index.insert_or_update_object(instance)
