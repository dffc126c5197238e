"""What other apps hold about a lead, declared by those apps (contacts imports none of them).

* ``register_activity_date(lookup)``: a date of the lead's activity, as a lookup from Lead
  (``"requests__created_at"``). Retention counts from the latest of them: a lead is kept while
  any is within the period (contacts.services.leads_past_retention).
* ``register_inspect_section(template_name, rows)``: a section of the lead's admin page, a
  template given ``rows(lead)`` as ``rows``.
"""

from dataclasses import dataclass

_activity_dates = []
_inspect_sections = []


@dataclass(frozen=True)
class InspectSection:
    template_name: str
    rows: object  # lead → what the template lists


def register_activity_date(lookup):
    if lookup not in _activity_dates:
        _activity_dates.append(lookup)


def activity_dates():
    return list(_activity_dates)


def register_inspect_section(template_name, rows):
    if all(section.template_name != template_name for section in _inspect_sections):
        _inspect_sections.append(InspectSection(template_name, rows))


def inspect_sections():
    return list(_inspect_sections)


# --- What a person may download about themselves (the right of access) -----------------------
#
# ``register_personal_data(key, label, rows)``: ``rows(lead)`` gives the app's rows about that
# lead, as dicts of plain values (str, int, bool, date, datetime, None), in a stable order. The
# preferences page (contacts.views) writes them with the lead's own fields, as JSON and CSV.


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    label: str
    rows: object  # lead → list of dicts


_personal_data = []


def register_personal_data(key, label, rows):
    if all(section.key != key for section in _personal_data):
        _personal_data.append(PersonalDataSection(key, label, rows))


def personal_data_sections():
    return list(_personal_data)
