from django import template

from wagtail.models import Site

import pagecache

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The site root's live children marked "show in menus", in tree order: one query per
    purge (pagecache)."""
    request = context["request"]
    site = Site.find_for_request(request)
    items = (
        pagecache.versioned(
            f"main-menu:{site.pk}", lambda: list(site.root_page.get_children().live().in_menu())
        )
        if site
        else []
    )
    current = context.get("page")
    current_path = current.path if current is not None and hasattr(current, "path") else ""
    return {
        "items": [
            (item, bool(current_path) and current_path.startswith(item.path)) for item in items
        ],
        "request": request,
    }
