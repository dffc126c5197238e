"""What happens to a person's data: stored from a valid form, remembered, erased, purged.

Nothing here runs in a model's save() or in a template.
"""

import calendar
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from . import activity, cleaning, consent, mails, notifications, organisations
from .models import ContactSettings, ExportLog, Lead, OutboundEmail
from .signals import lead_erased

logger = logging.getLogger(__name__)

# The salt the cookies were first signed with: changing it would forget every returning visitor.
_LEAD_COOKIE_SALT = "publications.lead-cookie"
LEAD_COOKIE = "club_lead"
LEAD_FIELDS = ("first_name", "last_name", "organisation", "organisation_type", "job_title", "phone")


def save_lead(details):
    """The lead of a valid contact form (contacts.forms.ContactForm), created or brought up
    to date, and locked until the caller's transaction ends: concurrent submissions by one
    person queue here, then see each other's rows.

    Three queries for a new lead: an INSERT that does nothing when the e-mail is known (the
    case-insensitive unique constraint), then the row, locked, looked up through that
    constraint's index (e-mails are stored in lower case), then the organisation of the
    address's domain (contacts.organisations); an UPDATE only if something changed.
    A new lead costs one more, to find the lead managers who want to know at once
    (contacts.notifications), and their mails.

    A field missing from ``details`` is left as it is (a colleague registered by someone
    else: the phone number they gave us before stays).
    """
    email = details["email"].lower()
    values = {field: details[field] for field in LEAD_FIELDS if field in details}
    started = timezone.now()
    Lead.objects.bulk_create([Lead(email=email, **values)], ignore_conflicts=True)
    lead = Lead.objects.select_for_update().alias(lower_email=Lower("email")).get(lower_email=email)
    if lead.created_at >= started:  # created just now: the lead managers may want to know
        notifications.new_lead(lead)
    changed = [name for name, value in values.items() if getattr(lead, name) != value]
    for name in changed:
        setattr(lead, name, values[name])
    changed += organisations.attach_by_domain(lead)
    if changed:
        lead.save(update_fields=[*changed, "updated_at"])
    if details.get("news_opt_in"):
        # Only a confirmed consent counts: the box asks, the mailed link confirms.
        ask_news(lead)
    return lead


def ask_news(lead):
    """Records the ask and mails the confirmation link, in the caller's transaction; nothing
    when the consent is confirmed already."""
    if not consent.record_ask(lead):
        return None
    return mails.NEWS_CONFIRMATION.queue(
        to=lead.email,
        context={
            "lead": lead,
            "link": consent.confirm_url(lead),
            "max_age_days": settings.NEWS_CONFIRM_MAX_AGE_DAYS,
        },
    )


# --- Returning visitors -------------------------------------------------------------------------


def remember_lead(response, lead):
    response.set_signed_cookie(
        LEAD_COOKIE,
        str(lead.public_id),
        salt=_LEAD_COOKIE_SALT,
        max_age=settings.LEAD_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remembered_lead(request):
    public_id = request.get_signed_cookie(
        LEAD_COOKIE, default=None, salt=_LEAD_COOKIE_SALT, max_age=settings.LEAD_COOKIE_MAX_AGE
    )
    public_id = cleaning.uuid_or_none(public_id) if public_id else None
    if public_id is None:
        return None
    return Lead.objects.filter(public_id=public_id).first()


# --- Personal-data rights -----------------------------------------------------------------------


def erase_lead(lead):
    """Erases one person (rule 4). Each app anonymises what it holds about them (the
    ``lead_erased`` signal): their requests and event registrations stay for the counts (a
    registration keeps its seat), with nothing left that could identify them. Returns the
    number of rows kept, anonymised."""
    with transaction.atomic():
        answers = lead_erased.send(sender=Lead, lead=lead)
        kept = sum(count for _, count in answers if isinstance(count, int))
        OutboundEmail.objects.filter(to__iexact=lead.email).delete()
        notifications.forget(lead)
        lead.delete()
    logger.info("Erased a lead and anonymised %s rows", kept)
    return kept


def log_personal_data_download(lead, export_format, row_count):
    """The person downloaded their own data: the export log says so, like any export."""
    return ExportLog.objects.create(
        source=ExportLog.Source.PERSON,
        dataset=ExportLog.Dataset.PERSONAL_DATA,
        format=export_format,
        status=ExportLog.Status.DONE,
        row_count=row_count,
        filters={"personne": str(lead.public_id)},
    )


def request_erasure(lead):
    """The person asked for erasure on their preferences page: logged for the staff ("en
    cours"), and a second signed link mailed to the address, which alone confirms it."""
    with transaction.atomic():
        ExportLog.objects.create(
            source=ExportLog.Source.PERSON,
            dataset=ExportLog.Dataset.ERASURE,
            format=ExportLog.Format.NONE,
            status=ExportLog.Status.RUNNING,
            filters={"personne": str(lead.public_id), "étape": "demandée, à confirmer par e-mail"},
        )
        mails.ERASURE_CONFIRMATION.queue(
            to=lead.email,
            context={
                "lead": lead,
                "link": consent.erase_url(lead),
                "max_age_days": settings.ERASURE_LINK_MAX_AGE_DAYS,
            },
        )


def confirm_erasure(lead):
    """The erasure link's button: erase_lead, and its result in the export log (the lead's
    random id only, which names nobody once the row is gone). Returns the rows kept."""
    public_id = str(lead.public_id)
    with transaction.atomic():
        kept = erase_lead(lead)
        done = {"personne": public_id, "étape": "effacement effectué"}
        logs = ExportLog.objects.filter(
            dataset=ExportLog.Dataset.ERASURE,
            status=ExportLog.Status.RUNNING,
            filters__personne=public_id,
        )
        if not logs.update(status=ExportLog.Status.DONE, row_count=kept, filters=done):
            ExportLog.objects.create(
                source=ExportLog.Source.PERSON,
                dataset=ExportLog.Dataset.ERASURE,
                format=ExportLog.Format.NONE,
                status=ExportLog.Status.DONE,
                row_count=kept,
                filters=done,
            )
    return kept


def months_before(moment, months):
    """The same day ``months`` months earlier (the last day of the month when it is shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def leads_past_retention(now=None, months=None):
    """Leads whose every activity (each app's dates, contacts.activity; with none, their
    creation) is older than the retention."""
    months = months if months is not None else ContactSettings.load().lead_retention_months
    cutoff = months_before(now or timezone.now(), months)
    lookups = activity.activity_dates()
    annotations = {f"last_activity_{n}": Max(lookup) for n, lookup in enumerate(lookups)}
    names = list(annotations)
    conditions = [Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lt": cutoff}) for name in names]
    return (
        Lead.objects.annotate(**annotations, last_seen=Coalesce(*names, "created_at"))
        .filter(*conditions, last_seen__lt=cutoff)
        .order_by("pk")
    ), cutoff
