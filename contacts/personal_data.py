"""Everything the site holds on one person, for their right of access: the lead's own fields,
their news-consent history, and what each app declares about them (contacts.activity's
``register_personal_data``), as JSON and as a CSV French Excel opens."""

import csv
import datetime
import io
import json
import uuid

from django.utils import timezone

from . import activity
from .exports import BOM, safe_text
from .models import ConsentEvent

LEAD_EXCLUDED = {"id"}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _lead_fields(lead):
    return {
        field.verbose_name: _plain(getattr(lead, field.attname))
        for field in lead._meta.concrete_fields
        if field.name not in LEAD_EXCLUDED
    }


def collect(lead):
    """{section label: list of rows (dicts of plain values)}, the lead's own fields first."""
    consent_rows = [
        {
            "date": _plain(event.at),
            "action": event.get_action_display(),
            "par": event.get_channel_display(),
        }
        for event in ConsentEvent.objects.filter(lead=lead)
    ]
    data = {"Vos coordonnées": [_lead_fields(lead)], "Actualités du club": consent_rows}
    for section in activity.personal_data_sections():
        data[section.label] = [
            {key: _plain(value) for key, value in row.items()} for row in section.rows(lead)
        ]
    return data


def as_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(data):
    """One line a value: section, row number, field, value; no cell can run as a formula."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Rubrique", "N°", "Champ", "Valeur"])
    for label, section_rows in data.items():
        for number, row in enumerate(section_rows, start=1):
            for key, value in row.items():
                text = "" if value is None else str(value)
                if isinstance(value, bool):
                    text = "oui" if value else "non"
                writer.writerow([safe_text(label), number, safe_text(str(key)), safe_text(text)])
    return out.getvalue()


def row_count(data):
    return sum(len(rows) for rows in data.values())
