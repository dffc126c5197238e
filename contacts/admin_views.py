"""Admin views that show aware datetimes in the current time zone (Europe/Paris), which
Wagtail's inspect view does not do on its own."""

import datetime

from django.utils import timezone


class LocalTimeInspectMixin:
    """An inspect view that shows aware datetimes in the current time zone, not in UTC.

    Wagtail's template formats the raw value with ``|localize``, which does not convert it. An
    empty date (not asked, never withdrawn) shows as a dash, not as "None".
    """

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        if value is None:
            return "—"
        return value
