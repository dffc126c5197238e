import datetime
import html
from itertools import groupby

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

import pagecache
from contacts.models import Theme
from pagecache.cards import render_cards
from pagecache.serving import PublicPageMixin
from publications.admin_datetime import SETTINGS_PANELS
from publications.blocks import RICH_TEXT_FEATURES

from ..calendar import FEED_REFRESH, build_calendar, calendar_entries, calendar_response
from ..feeds import NewEventsFeed
from ..filters import AgendaFilters
from .event_page import EventPage
from .inlines import EventSession, number_sessions
from .snippets import EventKind

# The subscribed calendar keeps what ended recently: a calendar deletes what leaves its feed.
FEED_KEEPS_PAST_DAYS = 90
FEED_CACHE_SECONDS = 15 * 60


class EventIndexPage(PublicPageMixin, RoutablePageMixin, Page):
    """The agenda: upcoming events by their next session, then past events by year."""

    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = SETTINGS_PANELS
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    events_per_page = 12

    class Meta:
        verbose_name = "agenda"
        verbose_name_plural = "agendas"

    def get_meta_description(self):
        return self.search_description or strip_tags(self.intro).strip()

    def search_result_text(self):
        """What a search result's excerpt is cut from (search.results)."""
        return self.search_description or html.unescape(strip_tags(self.intro))

    def events(self):
        return EventPage.objects.child_of(self).for_listing()

    def announced_events(self):
        """The latest announced first: the RSS feed's items."""
        return self.events().order_by("-first_published_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        filters = AgendaFilters(request.GET)
        events = (
            filters.apply(EventPage.objects.child_of(self).dated())
            .in_agenda_order(today)
            .values_list("pk", "is_past", "last_date", named=True)
        )
        # The count and the filters' choices change only when an event is published: read
        # once per purge (pagecache), not per request.
        facets = pagecache.versioned(f"agenda-facets:{self.pk}", self.facets)
        paginator = Paginator(events, self.events_per_page)
        if not filters.active:
            paginator.count = facets["count"]
        page_obj = paginator.get_page(request.GET.get("page"))
        upcoming = [event for event in page_obj if not event.is_past]
        past = [event for event in page_obj if event.is_past]
        kinds, themes = facets["kinds"], facets["themes"]
        pagecache.reads(
            request,
            **filters.used(
                {
                    "type": [k.slug for k in kinds],
                    "theme": [t.slug for t in themes],
                    "annee": [str(y) for y in facets["years"]],
                }
            ),
            page=page_obj.number if "page" in request.GET else "",
        )
        context.update(
            events=page_obj,
            upcoming_events=self.cards(request, upcoming, heading="h3", with_places=True),
            past_events_by_year=[
                (year, self.cards(request, list(group), heading="h4"))
                for year, group in groupby(past, lambda e: e.last_date.year)
            ],
            filters=filters,
            filter_groups=[
                ("Type d'événement", filters.links("type", [(k.slug, k.name) for k in kinds])),
                ("Thème", filters.links("theme", [(t.slug, t.name) for t in themes])),
                ("Année", filters.links("annee", [(str(y), str(y)) for y in facets["years"]])),
            ],
            calendar_url=self.get_url(request) + self.reverse_subpage("ics"),
            rss_url=self.get_url(request) + self.reverse_subpage("rss"),
        )
        return context

    @staticmethod
    def cards(request, events, heading, with_places=False):
        return render_cards(
            request,
            [event.pk for event in events],
            template="components/event_card.html",
            name="event",
            fetch=lambda ids: EventPage.objects.for_listing().filter(pk__in=ids),
            heading=heading,
            with_places=with_places,
        )

    def facets(self):
        events = self.events()
        return {
            "count": events.count(),
            "kinds": list(EventKind.objects.filter(events__in=events).distinct()),
            "themes": list(Theme.objects.filter(events__in=events).distinct()),
            "years": events.years(),
        }

    @path("")
    def agenda(self, request):
        return self.render(request)

    @path("calendrier/")
    def ics(self, request):
        """A calendar to subscribe to: every session of the upcoming events (and of those that
        ended in the last weeks, so that subscribers' calendars keep them)."""
        since = timezone.localdate() - datetime.timedelta(days=FEED_KEEPS_PAST_DAYS)
        events = self.events().filter(last_date__gte=since)
        sessions = (
            EventSession.objects.filter(page__in=events)
            .select_related("page__kind", "page__venue")
            .order_by("page__first_date", "page_id", "sort_order")
        )
        entries = []
        for _, group in groupby(sessions, lambda session: session.page_id):
            group = number_sessions(group)
            entries += calendar_entries(group, url=group[0].page.get_full_url(request))
        content = build_calendar(entries, name=self.title, refresh=FEED_REFRESH)
        return calendar_response(content, "agenda.ics", max_age=FEED_CACHE_SECONDS)

    @path("rss/")
    def rss(self, request):
        return NewEventsFeed()(request, agenda=self)
