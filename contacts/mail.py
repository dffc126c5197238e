"""Every mail the site sends: a registered kind, with a text and an HTML version built from
templates, the club's name and postal address at the foot, and demo data for the admin's
preview.

The app that sends a kind declares it in its ``mails.py`` (imported by its AppConfig.ready):

    DOWNLOAD_LINK = mail.register(mail.Mail(
        name="publications.download_link",
        label="Lien de téléchargement d'un livre blanc",
        recipients="la personne qui a demandé le livre blanc",
        when="à chaque demande",
        demo=demo_context,
    ))

and queues it with ``DOWNLOAD_LINK.queue(to=…, context=…)``. Its three templates are named after
the kind "app.what": ``app/email/what.subject.txt`` (one line), ``.txt`` and ``.html``; the last
two extend ``email/base.txt`` and ``email/base.html``, which write the foot.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, engines
from django.template.loader import render_to_string

from . import consent, outbox
from .models import ContactSettings, Lead


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Mail:
    name: str  # "app.what", unique: the outbox row's kind
    label: str  # what the admin calls it
    recipients: str  # to whom it goes
    when: str  # what sends it
    demo: Callable[[], dict]  # a context for the admin's preview, written to no table
    news: bool = False  # it concerns the club's news (its unsubscribe headers)

    @property
    def template(self):
        """Its templates' path without the suffixes: "app.what" is app/email/what."""
        app, what = self.name.split(".", 1)
        return f"{app}/email/{what}"

    def render(self, context):
        context = {**foot_context(), **lead_context(context.get("lead")), **context}
        # A subject is text, not HTML: "L'habitat" must not become "L&#x27;habitat".
        subject = (
            engines["django"]
            .engine.get_template(f"{self.template}.subject.txt")
            .render(Context(context, autoescape=False))
        )
        return Rendered(
            subject=" ".join(subject.split())[:255],
            text=render_to_string(f"{self.template}.txt", context).strip() + "\n",
            html=render_to_string(f"{self.template}.html", context),
        )

    def queue(self, *, to, context, attachments=(), headers=None, once_key=None):
        """Renders this mail for ``to`` and writes it to the outbox in the current transaction
        (contacts.outbox.queue: ``once_key`` makes it owed once only)."""
        rendered = self.render(context)
        lead = context.get("lead")
        if self.news and isinstance(lead, Lead):
            headers = {**consent.news_headers(lead), **(headers or {})}
        return outbox.queue(
            to=to,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            headers=headers,
            attachments=attachments,
            kind=self.name,
            once_key=once_key,
        )


_registry = {}


def register(mail):
    if mail.name in _registry and _registry[mail.name] != mail:
        raise ValueError(f"Two mails are named {mail.name}")
    _registry[mail.name] = mail
    return mail


def registered():
    """Every mail kind, in the order of their labels."""
    return sorted(_registry.values(), key=lambda mail: mail.label)


def get(name):
    return _registry.get(name)


def site_url(path=""):
    """An absolute address on the public site, for links in mails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def foot_context():
    """What every mail's foot shows: who sends it, where they are, how to reach them."""
    return {"club": ContactSettings.load(), "site_url": site_url()}


def lead_context(lead):
    """What the foot of a mail to a lead adds (email/base.*): the receipt of what they agreed
    to and when, and the link to their preferences page. Nothing for a demo's plain dict."""
    if not isinstance(lead, Lead):
        return {}
    return {"receipt": consent.receipt(lead), "preferences_url": consent.preferences_url(lead)}
