"""Dates and times in the admin, as French editors type and read them.

Wagtail's pickers write and read the formats of ``WAGTAIL_DATE_FORMAT`` and its siblings
(``13/10/2022``, ``09:00``, ``13/10/2022 09:00``, which are in Django's French input formats).
Left to itself, a picker replaces what it cannot read with *now* when the field loses focus,
so a date typed another way silently became today: these widgets keep what was typed, and the
form answers an unreadable value with its French error on the field.

Inspect views that show datetimes in Europe/Paris: ``contacts.admin_views``.
"""

from django.db import models

from wagtail.admin import widgets
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.panels import CommentPanel
from wagtail.admin.panels import PublishingPanel as WagtailPublishingPanel

# The examples help texts give: each is read by the picker and by Django's French formats.
DATE_EXAMPLE = "13/10/2022"
TIME_EXAMPLE = "09:00"
DATETIME_EXAMPLE = "13/10/2022 09:00"

# The picker leaves an unreadable value as typed, for the form to refuse with a message.
KEEP_TYPED_VALUE = {"validateOnBlur": False}


class DateInput(widgets.AdminDateInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_VALUE}


class TimeInput(widgets.AdminTimeInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_VALUE}


class DateTimeInput(widgets.AdminDateTimeInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_VALUE}


def register_widgets():
    """Every date, time and date-time field of an admin form (pages, snippets, viewsets)."""
    register_form_field_override(models.DateField, override={"widget": DateInput})
    register_form_field_override(models.TimeField, override={"widget": TimeInput})
    register_form_field_override(models.DateTimeField, override={"widget": DateTimeInput})


class PublishingPanel(WagtailPublishingPanel):
    """Wagtail's go-live and expiry dates (the « Programmer » dialog), with the widget above
    and the format to type."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for child in self.children:
            child.help_text = child.help_text or f"Par exemple : {DATETIME_EXAMPLE}"
            child.widget = DateTimeInput(
                attrs=child.widget.attrs,
                js_overlay_parent_selector=child.widget.js_overlay_parent_selector,
            )


# Every page type's « Réglages » tab: Wagtail's own, with the publishing panel above.
SETTINGS_PANELS = [PublishingPanel(), CommentPanel()]
