"""The page cache, its purge and what pages keep between purges: the lowest layer of the site.

It imports Django and Wagtail only, never one of our apps; the apps declare what it needs to
know (the slots they fill, the purge rules of the models they show, the query parameters a
page reads). A reader finds each concern in its own module:

- ``store``: what is kept under the site-wide *generation* (two levels: the shared cache and
  each worker's memory), and the purge that bumps it;
- ``slots``: the per-visitor markers a cached page carries, filled in every response;
- ``keys``: a page's key, from its address and the query parameters it reads;
- ``single_render``: one render per page after a purge, the others wait for it;
- ``middleware``: the middleware that serves anonymous GETs from the cache;
- ``purge``: the signals that purge it (and a CDN) from the rules models declare;
- ``serving``: what a page's serve reads once per purge (view restrictions);
- ``cards``: listing cards rendered once per purge;
- ``counters``: a counter of events written to the database in batches (page views).
"""

from .keys import reads
from .purge import every_page, its_page, pages_using_it, purge_all, shown_on_pages
from .slots import slot
from .store import page_data, versioned, versioned_many

__all__ = [
    "every_page",
    "its_page",
    "page_data",
    "pages_using_it",
    "purge_all",
    "reads",
    "shown_on_pages",
    "slot",
    "versioned",
    "versioned_many",
]
