"""A mail server that accepts connections and never answers (issue #16): without an outbox
worker, the request's own attempt gives up within EMAIL_REQUEST_TIMEOUT, the visitor gets
their download, and the mail waits in the outbox for its retry."""

import socket
import threading
import time

from django.test import Client

import pytest

from contacts.models import OutboundEmail
from publications.models import DownloadRequest
from tests.publications.conftest import VALID_FORM, hidden


@pytest.fixture
def stalled_smtp(settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])  # and never a word
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 30  # the worker's: the request must not wait for it
    settings.OUTBOX_WORKER = False
    yield accepted
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_stalled_mail_server_does_not_hold_the_lead_post(
    paper, stalled_smtp, django_capture_on_commit_callbacks
):
    visitor = Client()
    page = visitor.get(paper.url)
    data = {**VALID_FORM, "started": hidden(page.content.decode(), "started")}

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(paper.url, data)
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 3
    assert stalled_smtp  # the request did try the server
    assert DownloadRequest.objects.filter(lead__email=VALID_FORM["email"]).exists()
    mail = OutboundEmail.objects.get()
    assert mail.sent_at is None and mail.attempts == 1  # queued for the retry
    assert visitor.get(response["Location"]).status_code == 200
