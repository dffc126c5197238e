"""The agenda's filters, read from the query string and offered as plain links: no JavaScript,
no form, and every filtered view has an address that can be shared."""

from django.utils.http import urlencode


class AgendaFilters:
    names = ("type", "theme", "annee")

    def __init__(self, query):
        self.values = {name: query.get(name, "")[:100] for name in self.names}
        if not (self.values["annee"].isdigit() and len(self.values["annee"]) == 4):
            self.values["annee"] = ""

    @property
    def active(self):
        return any(self.values.values())

    def apply(self, events):
        if self.values["type"]:
            events = events.filter(kind__slug=self.values["type"])
        if self.values["theme"]:
            events = events.filter(themes__slug=self.values["theme"])
        if self.values["annee"]:
            events = events.in_year(int(self.values["annee"]))
        return events

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
