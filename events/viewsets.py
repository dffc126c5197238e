from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import EventKind, Venue


class EventKindViewSet(SnippetViewSet):
    model = EventKind
    icon = "tag"
    menu_label = "Types d'événement"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = "Lieux"
    list_display = ["name", "street", "postcode", "city"]
    search_fields = ["name", "city"]


class EventReferenceGroup(SnippetViewSetGroup):
    items = (EventKindViewSet, VenueViewSet)
    menu_icon = "date"
    menu_label = "Référentiels d'événements"
    menu_name = "referentiels-evenements"
