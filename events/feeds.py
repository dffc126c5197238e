"""The agenda's RSS feed: the events most recently announced, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 20


class NewEventsFeed(Feed):
    """Served by the agenda's ``rss/`` route as ``NewEventsFeed()(request, agenda=page)``: one
    instance per request, which keeps the request for the items' full URLs."""

    feed_type = Rss201rev2Feed
    language = "fr"

    def get_object(self, request, agenda):
        self.request = request
        return agenda

    def title(self, agenda):
        return f"{agenda.title} : nouveaux événements"

    def link(self, agenda):
        return agenda.get_full_url(self.request)

    def description(self, agenda):
        return "Les derniers événements annoncés par le club : ateliers, cycles, journées débat."

    def items(self, agenda):
        return agenda.announced_events()[:FEED_LENGTH]

    def item_title(self, event):
        return event.title

    def item_description(self, event):
        facts = f"{event.kind.name} · {event.date_range_label} · {event.place_label}"
        return f"{facts}. {event.summary}" if event.summary else facts

    def item_link(self, event):
        return event.get_full_url(self.request)

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.last_published_at

    def item_categories(self, event):
        return [event.kind.name]
