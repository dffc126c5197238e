"""Every mail is built from its templates in text and HTML, with the club's name and postal
address at its foot, and goes out through the outbox as one multipart message; a mail owed
once is refused a second time by the database."""

import pytest

from contacts import mail
from contacts.models import ContactSettings, OutboundEmail
from publications.mails import DOWNLOAD_LINK
from tests.factories.publications import DownloadRequestFactory

pytestmark = pytest.mark.django_db

ADDRESS = "12 rue de l'Exemple\n75011 Paris"


@pytest.fixture
def club():
    settings = ContactSettings.load()
    settings.organisation_name = "Club Management HLM"
    settings.postal_address = ADDRESS
    settings.contact_email = "contact@club-exemple.fr"
    settings.save()
    return settings


def test_every_registered_mail_renders_in_text_and_html_with_the_club_at_its_foot(club):
    kinds = mail.registered()

    assert DOWNLOAD_LINK in kinds
    for kind in kinds:
        rendered = kind.render(kind.demo())
        assert rendered.subject and "\n" not in rendered.subject
        assert "Club Management HLM" in rendered.text and "75011 Paris" in rendered.text
        assert '<html lang="fr">' in rendered.html
        assert "Club Management HLM" in rendered.html
        assert "12 rue de l&#x27;Exemple<br>75011 Paris" in rendered.html


def test_the_download_link_arrives_as_text_and_html(
    club, paper, smtp_inbox, django_capture_on_commit_callbacks
):
    paper.title = "L'habitat & ses <enjeux>"
    paper.save()
    download = DownloadRequestFactory(paper=paper, lead__first_name="Zoé <b>")

    with django_capture_on_commit_callbacks(execute=True):
        from publications.services import queue_download_link

        queue_download_link(download)

    (message,) = smtp_inbox.received()
    assert message["To"] == download.lead.email
    assert message["Subject"] == "Votre livre blanc : L'habitat & ses <enjeux>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bonjour Zoé <b>," in text and "/telechargement/" in text
    assert "Bonjour Zoé &lt;b&gt;," in html  # escaped in HTML, as typed in text
    assert 'href="http://testserver/telechargement/' in html
    assert "75011 Paris" in text and "75011 Paris" in html


def test_headers_and_attachments_go_out_with_the_mail(
    smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        DOWNLOAD_LINK.queue(
            to="camille@oph-exemple.fr",
            context=DOWNLOAD_LINK.demo(),
            headers={"List-Unsubscribe": "<https://club.example/desinscription/x/>"},
            attachments=[
                {"filename": "a.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
            ],
        )

    (message,) = smtp_inbox.received()
    assert message["List-Unsubscribe"] == "<https://club.example/desinscription/x/>"
    assert [part.get_filename() for part in message.iter_attachments()] == ["a.ics"]


def test_a_mail_owed_once_is_queued_once(smtp_inbox, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            DOWNLOAD_LINK.queue(
                to="camille@oph-exemple.fr", context=DOWNLOAD_LINK.demo(), once_key="rappel:1:7"
            )

    assert OutboundEmail.objects.filter(once_key="rappel:1:7").count() == 1
    assert len(smtp_inbox.received()) == 1
