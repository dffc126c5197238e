"""The agenda's filters, read from the query string and offered as plain links: no JavaScript,
no form, and every filtered view has an address that can be shared."""

from publications.link_filters import LinkFilters


class AgendaFilters(LinkFilters):
    names = ("type", "theme", "annee")

    def clean(self):
        if not (self.values["annee"].isdigit() and len(self.values["annee"]) == 4):
            self.values["annee"] = ""

    def apply(self, events):
        if self.values["type"]:
            events = events.filter(kind__slug=self.values["type"])
        if self.values["theme"]:
            events = events.filter(themes__slug=self.values["theme"])
        if self.values["annee"]:
            events = events.in_year(int(self.values["annee"]))
        return events
