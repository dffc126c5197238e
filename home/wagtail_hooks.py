from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from publications.admin_datetime import register_widgets

from . import admin_yes_no
from .editors_guide import editors_guide

admin_yes_no.register()
register_widgets()

# Wagtail's own links in the Help menu, which lead to its English documentation.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_urls")
def register_editors_guide_url():
    return [path("guide/", editors_guide, name="editors_guide")]


@hooks.register("register_help_menu_item")
def register_editors_guide_menu_item():
    return MenuItem(
        "Guide des éditeurs",
        reverse("editors_guide"),
        name="guide-des-editeurs",
        icon_name="help",
        order=100,
    )


@hooks.register("construct_help_menu")
def remove_wagtail_help_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]
