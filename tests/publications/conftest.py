import re

import pytest

from contacts.models import Lead
from publications.models import DownloadRequest

VALID_FORM = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "email": "marie.dupont@oph-exemple.fr",
    "organisation": "OPH de l'Exemple",
    "organisation_type": "oph",
    "job_title": "Directrice de la proximité",
    "phone": "01 23 45 67 89",
    "consent": "on",
    "website": "",
}


def hidden(html, name):
    """A form field's value as the browser gets it (the page cache fills some per visitor)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)[0]
    return re.search(r'value="([^"]*)"', tag)[1]


@pytest.fixture
def form_data(client, paper):
    """A valid submission, with the signed start time the page hands out."""

    def make(**changes):
        response = client.get(f"{paper.url}?formulaire=complet")
        # Read from the page as a browser would: the page cache fills it in per visitor.
        started = hidden(response.content.decode(), "started")
        data = {**VALID_FORM, "started": started, **changes}
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def submit(client, paper, form_data, django_capture_on_commit_callbacks):
    """Posts the form as a visitor would, running what waits for the commit (the mail)."""

    def post(target=None, headers=None, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post((target or paper).url, form_data(**changes), headers=headers)

    return post


@pytest.fixture
def nothing_stored():
    def check():
        return Lead.objects.count() == 0 and DownloadRequest.objects.count() == 0

    return check
