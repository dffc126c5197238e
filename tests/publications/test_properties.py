"""Any input to a public form gets a page with messages or a success: never a 500, never a
partial write (hypothesis)."""

from django.db import transaction
from django.test import override_settings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Lead
from publications.models import DownloadRequest

FIELDS = ["first_name", "last_name", "email", "organisation", "organisation_type", "job_title"]
text = st.text(max_size=300)
profile = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@profile
@given(values=st.fixed_dictionaries(dict.fromkeys(FIELDS, text)), consent=st.booleans())
def test_any_lead_form_input_gets_a_page_never_a_500(client, paper, form_data, values, consent):
    data = form_data(**values, consent="on" if consent else None)
    with override_settings(LEAD_FORM_RATE="100000/h"), transaction.atomic():
        leads, requests = Lead.objects.count(), DownloadRequest.objects.count()
        response = client.post(paper.url, data)
        assert response.status_code in (200, 302, 400, 429)
        if response.status_code == 302:
            assert DownloadRequest.objects.count() in (requests, requests + 1)
        else:
            assert (Lead.objects.count(), DownloadRequest.objects.count()) == (leads, requests)
        transaction.set_rollback(True)


@profile
@given(token=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_any_download_token_is_refused_cleanly(client, paper, token):
    from urllib.parse import quote

    for url in (f"/telechargement/{quote(token, safe='')}/", f"{paper.url}merci/"):
        response = client.get(url, {"lien": token}) if "merci" in url else client.get(url)
        assert response.status_code in (403, 404)
        assert not getattr(response, "streaming", False)


@profile
@given(token=st.text(max_size=200))
def test_any_resend_request_is_refused_cleanly(client, paper, token):
    from urllib.parse import quote

    response = client.post(f"/telechargement/{quote(token, safe='') or 'x'}/nouveau-lien/")
    assert response.status_code in (403, 404, 429)


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_conditional_requests_on_the_gated_file_reveal_nothing(client, paper, submit, header):
    import hashlib

    digest = hashlib.sha256(paper.pdf.open("rb").read()).hexdigest()
    paper.pdf.close()
    values = {"If-None-Match": f'"{digest}"', "If-Modified-Since": "Thu, 01 Jan 2099 00:00:00 GMT"}
    link = client.get(submit()["Location"]).context["download_url"]

    forged = client.get("/telechargement/faux/", headers={header: values[header]})
    real = client.get(link, headers={header: values[header]})

    assert forged.status_code == 403 and b"%PDF" not in forged.content
    assert real.status_code == 200  # never a 304 that would confirm the file's hash or date
    assert "ETag" not in real and "Last-Modified" not in real
    assert b"".join(real.streaming_content).startswith(b"%PDF")
