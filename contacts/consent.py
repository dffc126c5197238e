"""The news consent kept and provable (GDPR art. 7): asked on a form, confirmed by a mailed
link (double opt-in), withdrawn in one click; and the signed links of a person's rights (their
preferences page, the erasure they confirm by mail).

Every change is a ConsentEvent row (the history is appended to, never rewritten) and the
lead's dates; ``Lead.news_opt_in`` is the confirmed state every list and export reads.
Links carry the lead's random ``public_id``, signed: erasing the lead deletes the row, and
every link to it then finds nothing.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from . import cleaning
from .models import ConsentEvent, Lead

logger = logging.getLogger(__name__)

_CONFIRM_SALT = "contacts.news-confirm"
_PREFERENCES_SALT = "contacts.preferences"
_UNSUBSCRIBE_SALT = "contacts.unsubscribe"
_ERASE_SALT = "contacts.erase"
# Longer than any token we sign: anything beyond is refused before it is decoded.
MAX_TOKEN_LENGTH = 300
# A pending ask is mailed again only after this long: two forms in a row send one link.
RESEND_AFTER = timedelta(hours=1)


class LinkInvalid(Exception):
    """Altered, never ours, or its lead is gone."""


class LinkExpired(Exception):
    def __init__(self, lead):
        super().__init__("link expired")
        self.lead = lead


def _lead(public_id):
    public_id = cleaning.uuid_or_none(public_id) if isinstance(public_id, str) else None
    return Lead.objects.filter(public_id=public_id).first() if public_id else None


def _read(token, salt, max_age=None):
    """The lead a token was signed for; LinkExpired (with the lead) when too old."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkInvalid
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        lead = _lead(_payload_id(signing.loads(token, salt=salt)))
        if lead is None:
            raise LinkInvalid from None
        raise LinkExpired(lead) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise LinkInvalid from None
    lead = _lead(_payload_id(payload))
    if lead is None:
        raise LinkInvalid
    return lead, payload


def _payload_id(payload):
    return payload.get("l") if isinstance(payload, dict) else payload


# --- Links --------------------------------------------------------------------------------------


def confirm_token(lead):
    return signing.dumps({"l": str(lead.public_id)}, salt=_CONFIRM_SALT)


def preferences_token(lead):
    # No expiry: it is in every mail the person keeps; erasing them deletes what it names.
    return signing.dumps(str(lead.public_id), salt=_PREFERENCES_SALT)


def unsubscribe_token(lead):
    return signing.dumps(str(lead.public_id), salt=_UNSUBSCRIBE_SALT)


def erase_token(lead):
    return signing.dumps({"l": str(lead.public_id)}, salt=_ERASE_SALT)


def read_confirm_token(token):
    return _read(token, _CONFIRM_SALT, settings.NEWS_CONFIRM_MAX_AGE_DAYS * 24 * 3600)[0]


def read_preferences_token(token):
    return _read(token, _PREFERENCES_SALT)[0]


def read_unsubscribe_token(token):
    return _read(token, _UNSUBSCRIBE_SALT)[0]


def read_erase_token(token):
    return _read(token, _ERASE_SALT, settings.ERASURE_LINK_MAX_AGE_DAYS * 24 * 3600)[0]


def site_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def preferences_url(lead):
    return site_url(reverse("contacts:preferences", args=[preferences_token(lead)]))


def unsubscribe_url(lead):
    return site_url(reverse("contacts:unsubscribe", args=[unsubscribe_token(lead)]))


def erase_url(lead):
    return site_url(reverse("contacts:confirm_erasure", args=[erase_token(lead)]))


def news_headers(lead):
    """RFC 2369 and RFC 8058: the mail client's own "unsubscribe" button, one POST that
    withdraws the news consent without a session."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(lead)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- The news consent -------------------------------------------------------------------------


def record_ask(lead, channel=ConsentEvent.Channel.FORM):
    """A form ticked the news box: unless the consent is confirmed already, record the ask
    (contacts.services.ask_news mails the link). Returns whether a link is owed."""
    now = timezone.now()
    if lead.news_opt_in or (lead.news_pending and now - lead.news_asked_at < RESEND_AFTER):
        return False  # confirmed, or a link just went out (a double click, a second form)
    lead.news_asked_at = now
    lead.save(update_fields=["news_asked_at", "updated_at"])
    ConsentEvent.objects.create(
        lead=lead, action=ConsentEvent.Action.ASKED, channel=channel, at=now
    )
    return True


def confirm_url(lead):
    return site_url(reverse("contacts:confirm_news", args=[confirm_token(lead)]))


def confirm_news(lead):
    """The link was followed and its button pressed. True when this confirmed it; False when
    it was confirmed already (idempotent) or not asked (withdrawn since: ask again)."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not lead.news_pending:
        return False
    now = timezone.now()
    lead.news_opt_in = True
    lead.news_confirmed_at = now
    lead.save(update_fields=["news_opt_in", "news_confirmed_at", "updated_at"])
    ConsentEvent.objects.create(
        lead=lead, action=ConsentEvent.Action.CONFIRMED, channel=ConsentEvent.Channel.LINK, at=now
    )
    return True


def withdraw_news(lead, channel):
    """Withdraws the consent, or a pending ask; a second withdrawal changes nothing. Returns
    whether this one withdrew something."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not (lead.news_opt_in or lead.news_pending):
        return False
    now = timezone.now()
    lead.news_opt_in = False
    lead.news_withdrawn_at = now
    lead.save(update_fields=["news_opt_in", "news_withdrawn_at", "updated_at"])
    ConsentEvent.objects.create(
        lead=lead, action=ConsentEvent.Action.WITHDRAWN, channel=channel, at=now
    )
    return True


def news_state(lead):
    """What the person agreed to about the news, in French, with its date."""
    if lead.news_opt_in:
        when = lead.news_confirmed_at or lead.news_asked_at
        return f"acceptées (confirmé le {_date(when)})" if when else "acceptées"
    if lead.news_pending:
        return f"demandées le {_date(lead.news_asked_at)}, en attente de votre confirmation"
    if lead.news_withdrawn_at:
        return f"refusées (accord retiré le {_date(lead.news_withdrawn_at)})"
    return "refusées"


def receipt(lead):
    """The lines every mail to a lead ends with: what they agreed to, and when."""
    return [
        f"Vos coordonnées nous ont été transmises le {_date(lead.created_at)}, "
        "pour le service que vous avez demandé (livre blanc ou inscription).",
        f"Actualités du club : {news_state(lead)}.",
    ]


def _date(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""
