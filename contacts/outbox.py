"""The outbox: mails are recorded with what caused them, then sent, and retried until sent.

``queue()`` writes the mail inside the caller's transaction. By default it is leased to that
request, which sends it once the transaction commits: one query and one commit after the
request's own, where claiming it then would take a transaction of its own. With
settings.OUTBOX_WORKER (the default outside tests), the worker (``run_worker``, home.worker)
sends it instead, woken by a task written in the same transaction, within a second: the
visitor's request never waits for the mail server (one slow to answer would hold a
web thread up to EMAIL_REQUEST_TIMEOUT, which bounds the request's own attempt otherwise), and
the worker sends batch after batch through one connection. ``send_due()``
claims due mails with a short lease (so that two workers never send the same one, and no lock
is held while talking to the mail server), sends them, and records the outcome: a mail whose
request died before sending it is due once its lease ends. ``manage.py send_outbox`` runs it
from cron or as a worker loop.
"""

import base64
import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from django_tasks import task

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# Waits between attempts: soon at first, then hourly at most.
RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 15, 30, 60)]
# How long a claimed mail stays reserved for the worker that claimed it.
LEASE = timedelta(minutes=5)
BATCH = 100


def attachment(filename, content, mimetype):
    """An attachment for ``queue()``: kept in the outbox row, so a retry sends it too. Text (an
    .ics calendar) is kept as it is; bytes (a PDF) as base64, flagged, since the row is JSON."""
    if isinstance(content, bytes):
        return {
            "filename": filename,
            "content": base64.b64encode(content).decode("ascii"),
            "mimetype": mimetype,
            "encoding": "base64",
        }
    return {"filename": filename, "content": content, "mimetype": mimetype}


def attachment_content(item):
    """What an outbox row's attachment holds: its text, or its bytes when stored as base64."""
    if item.get("encoding") == "base64":
        return base64.b64decode(item["content"])
    return item["content"]


def queue(*, to, subject, body, html="", headers=None, attachments=(), kind="", once_key=None):
    """Records a mail in the current transaction; it is sent once the transaction commits, by
    this request or by the outbox worker (settings.OUTBOX_WORKER).

    ``once_key`` names a mail owed once only (a reminder of one séance to one person): if a mail
    with that key was queued already, by this process or another, nothing is queued and None is
    returned. Most callers build the mail with ``contacts.mail.queue`` instead."""
    now = timezone.now()
    fields = {
        "to": to,
        "subject": subject,
        "body": body,
        "html": html,
        "headers": dict(headers or {}),
        "attachments": list(attachments),
        "kind": kind,
        # Due at once for the worker; else leased to this request: see deliver().
        "next_attempt_at": now if settings.OUTBOX_WORKER else now + LEASE,
    }
    if once_key is None:
        mail = OutboundEmail.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                mail = OutboundEmail.objects.create(once_key=once_key, **fields)
        except IntegrityError:  # owed once, and queued already
            return None
    if settings.OUTBOX_WORKER:
        send_waiting.enqueue()  # committed with the mail: the worker wakes up for it
    else:
        transaction.on_commit(lambda: deliver.enqueue(mail.pk))
    return mail


@task()
def send_waiting():
    """The worker's pass over the outbox (several wake-ups for one batch cost one empty pass
    each: the mails are claimed)."""
    return send_all_due()


def send_all_due():
    """Sends every due mail, batch after batch while full ones come back. Returns (sent,
    failed)."""
    sent = failed = 0
    while True:
        batch_sent, batch_failed = send_due()
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < BATCH:
            return sent, failed


@task()
def deliver(mail_id):
    """Sends one mail right after the commit that queued it; a failure leaves it for a retry.

    The mail is leased to us since queue(): nobody else sends it before the lease ends, which
    the immediate task backend (settings.TASKS) leaves far behind. It runs in the visitor's
    request: a mail server that does not answer within EMAIL_REQUEST_TIMEOUT leaves the mail
    for a retry (send_outbox) rather than holding the request."""
    mails = list(OutboundEmail.objects.filter(pk=mail_id, sent_at__isnull=True))
    _send(mails, timezone.now(), timeout=settings.EMAIL_REQUEST_TIMEOUT)


def _claim(now, limit=BATCH):
    due = OutboundEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
    with transaction.atomic():
        claimed = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutboundEmail.objects.filter(pk__in=claimed).update(next_attempt_at=now + LEASE)
    return OutboundEmail.objects.filter(pk__in=claimed).order_by("pk")


def send_due(limit=BATCH):
    """Sends the mails that are due. Returns (sent, failed)."""
    now = timezone.now()
    return _send(list(_claim(now, limit=limit)), now)


def _send(mails, now, timeout=None):
    """Sends claimed ``mails`` through one connection (``timeout``: its own, in seconds, else
    EMAIL_TIMEOUT's); records each outcome."""
    if not mails:
        return 0, 0
    failed = 0
    try:
        options = {} if timeout is None else {"timeout": timeout}
        connection = get_connection(fail_silently=False, **options)
        connection.open()
    except Exception as error:  # the server is unreachable: every claimed mail waits
        for mail in mails:
            _failed(mail, error, now)
        return 0, len(mails)
    sent_ids = []
    try:
        for mail in mails:
            try:
                message(mail, connection).send()
            except Exception as error:
                _failed(mail, error, now)
                failed += 1
            else:
                sent_ids.append(mail.pk)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection is no failure
            connection.close()
        # One write for the batch. Should the process die before it, these mails go out
        # again once their lease ends: at least once, as from any outbox, and never lost.
        OutboundEmail.objects.filter(pk__in=sent_ids).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
    return len(sent_ids), failed


def message(mail, connection=None):
    """The message ``mail`` stands for: its text, its HTML as an alternative, its headers and
    attachments."""
    message = EmailMultiAlternatives(
        mail.subject,
        mail.body,
        settings.DEFAULT_FROM_EMAIL,
        [mail.to],
        connection=connection,
        headers=mail.headers,
        attachments=[
            (item["filename"], attachment_content(item), item["mimetype"])
            for item in mail.attachments
        ],
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _failed(mail, error, now):
    attempts = mail.attempts + 1
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    logger.warning("Mail %s not sent (attempt %s): %s", mail.pk, attempts, error)
    OutboundEmail.objects.filter(pk=mail.pk).update(
        attempts=attempts, last_error=str(error)[:500], next_attempt_at=now + delay
    )


def retry(mail):
    """Sends an unsent mail again now, whatever its wait (the admin's "Renvoyer"): the worker
    does, woken like for a new mail, or this request after its commit. Returns False for a mail
    sent already."""
    now = timezone.now()
    due = now if settings.OUTBOX_WORKER else now + LEASE
    if not OutboundEmail.objects.filter(pk=mail.pk, sent_at__isnull=True).update(
        next_attempt_at=due
    ):
        return False
    if settings.OUTBOX_WORKER:
        send_waiting.enqueue()
    else:
        transaction.on_commit(lambda: deliver.enqueue(mail.pk))
    return True


def prune(days=None, now=None):
    """Deletes the mails sent more than ``days`` (OUTBOX_KEEP_SENT_DAYS) ago; unsent mails
    stay, whatever their age. Returns how many went."""
    days = settings.OUTBOX_KEEP_SENT_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = OutboundEmail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
