from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Organisation, Person, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Thèmes"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


class PersonChooserViewSet(SnippetChooserViewSet):
    """The person chooser (an event's people, a paper's authors), with a tab to create one
    without leaving the page."""

    form_fields = ["first_name", "last_name", "job_title"]  # no chooser inside the chooser
    create_action_label = "Créer cette personne"
    creation_tab_label = "Nouvelle personne"


class PersonViewSet(SnippetViewSet):
    model = Person
    chooser_viewset_class = PersonChooserViewSet
    icon = "user"
    menu_label = "Personnes"
    list_display = ["last_name", "first_name", "job_title", "organisation"]
    search_fields = ["first_name", "last_name"]


class SharedContentGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, OrganisationViewSet, PersonViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Référentiels"
    menu_name = "referentiels"
