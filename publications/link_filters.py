"""Listing filters read from the query string and offered as plain links: no JavaScript, no
form, and every filtered view has an address that can be shared. The catalogue and the agenda
each subclass LinkFilters with their own names, checks and querysets."""

from django.utils.http import urlencode


class LinkFilters:
    names = ()

    def __init__(self, query):
        self.values = {name: query.get(name, "")[:100] for name in self.names}
        self.clean()

    def clean(self):
        """Blanks the values a subclass cannot use (a year that is not a number, say)."""

    def apply(self, queryset):
        raise NotImplementedError

    def used(self, choices):
        """The values as the page cache keeps the listing (pagecache.reads): a value
        no link offers (``choices``: name → the values offered) counts as none."""
        return {
            name: value if value in choices.get(name, ()) else ""
            for name, value in self.values.items()
        }

    @property
    def active(self):
        return any(self.values.values())

    @property
    def query_string(self):
        return self._query_string(self.values)

    def links(self, name, options):
        """One link per (value, label) option: choosing it, or clearing it when chosen."""
        return [
            {
                "label": label,
                "active": self.values[name] == value,
                "url": self._query_string(
                    {**self.values, name: "" if self.values[name] == value else value}
                ),
            }
            for value, label in options
        ]

    @staticmethod
    def _query_string(values):
        kept = {key: value for key, value in values.items() if value}
        return "?" + urlencode(kept) if kept else ""
