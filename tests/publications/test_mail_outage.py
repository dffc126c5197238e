"""Mail server down for a whole run: every request succeeds, every mail goes out once it is back.

A real SMTP server (aiosmtpd) on a local port, stopped then started.
"""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller

from contacts.models import OutboundEmail
from publications.models import DownloadRequest
from tests.servers import Inbox, free_port


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_requests_succeed_while_the_mail_server_is_down_and_mails_go_out_later(
    client, paper, form_data, smtp, django_capture_on_commit_callbacks
):
    controller, inbox = smtp  # not started: the server is down
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(paper.url, form_data(email=f"personne{n}@oph-exemple.fr"))
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200

    assert DownloadRequest.objects.count() == 5
    assert OutboundEmail.objects.filter(sent_at__isnull=True, attempts=1).count() == 5

    controller.start()  # the server is back
    call_command("send_outbox")  # not due yet: the retry waits
    assert inbox.messages == []
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("send_outbox")
    call_command("send_outbox")  # nothing twice

    assert sorted(message.rcpt_tos[0] for message in inbox.messages) == [
        f"personne{n}@oph-exemple.fr" for n in range(5)
    ]
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()


def test_a_mail_goes_out_at_once_when_the_server_is_up(
    client, paper, form_data, smtp, django_capture_on_commit_callbacks
):
    controller, inbox = smtp
    controller.start()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(paper.url, form_data())

    assert len(inbox.messages) == 1
    assert b"/telechargement/" in inbox.messages[0].content
    assert OutboundEmail.objects.get().sent_at is not None


def test_a_mail_its_request_could_not_send_goes_out_once_its_lease_ends(
    client, paper, form_data, smtp
):
    """The process died between the commit and the sending (on-commit callbacks not run): the
    mail, leased to that request when it was queued, is sent by send_outbox after the lease."""
    controller, inbox = smtp
    controller.start()
    client.post(paper.url, form_data())

    call_command("send_outbox")  # still leased to the request: another sender keeps off
    assert inbox.messages == []
    leased_until = OutboundEmail.objects.get().next_attempt_at
    assert leased_until - timezone.now() > timedelta(minutes=4)

    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("send_outbox")
    call_command("send_outbox")  # nothing twice

    assert len(inbox.messages) == 1
    assert OutboundEmail.objects.get().sent_at is not None


def test_the_smtp_timeout_is_bounded(settings):
    assert 0 < settings.EMAIL_TIMEOUT <= 10


def test_with_an_outbox_worker_the_request_only_records_the_mail(
    client, paper, form_data, smtp, settings, django_capture_on_commit_callbacks
):
    """OUTBOX_WORKER: the visitor's request never talks to the mail server; the mail is due at
    once, and the worker (send_outbox) sends it on its next pass."""
    settings.OUTBOX_WORKER = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    controller, inbox = smtp
    controller.start()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(paper.url, form_data())
    assert response.status_code == 302
    assert inbox.messages == []  # after the commit too
    mail = OutboundEmail.objects.get()
    assert mail.sent_at is None and mail.next_attempt_at <= timezone.now()

    call_command("send_outbox")
    call_command("send_outbox")  # nothing twice

    assert len(inbox.messages) == 1
    assert b"/telechargement/" in inbox.messages[0].content
    assert OutboundEmail.objects.get().sent_at is not None


def test_the_outbox_worker_outlives_a_database_outage(db, monkeypatch):
    """send_outbox --loop logs a pass the database refused and tries again on the next."""
    from django.db import OperationalError

    from contacts import outbox
    from contacts.management.commands import send_outbox

    passes = []

    def send_due():
        passes.append(len(passes))
        if len(passes) == 1:
            raise OperationalError("the database is restarting")
        return 0, 0

    class Stop(Exception):
        pass

    def sleep(seconds):
        if len(passes) == 2:
            raise Stop

    monkeypatch.setattr(outbox, "send_due", send_due)
    monkeypatch.setattr(send_outbox.time, "sleep", sleep)
    with pytest.raises(Stop):
        call_command("send_outbox", "--loop")

    assert passes == [0, 1]  # the second pass ran after the failed one
