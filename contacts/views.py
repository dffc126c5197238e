"""The pages a person reaches from a mail, without an account: the news consent's
confirmation, their preferences (withdraw, download their data, ask for erasure), the erasure's
confirmation, and the one-click unsubscribe (RFC 8058).

Every link is signed (contacts.consent): an altered, foreign or oversized one gets a French
404, never a 500. A GET only shows a page; what changes something is a POST with the form's
CSRF token, except the unsubscribe POST, which mail clients send without a session and which
the link's own signature authorises.
"""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import consent, personal_data, services
from .models import ConsentEvent, ExportLog
from .ratelimit import rate_limited, too_many_requests


def _page(request, template, context=None, status=200):
    response = render(request, f"contacts/consent/{template}.html", context or {}, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _invalid(request):
    return _page(request, "link_invalid", status=404)


def _base(lead, token):
    return {"lead": lead, "token": token, "news_state": consent.news_state(lead)}


# --- Double opt-in ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def confirm_news(request, token):
    """GET: the button (a mail scanner that opens the link confirms nothing); POST: confirms,
    once; again, it says it is done."""
    try:
        lead = consent.read_confirm_token(token)
    except consent.LinkExpired as expired:
        return _page(request, "confirm_expired", _base(expired.lead, token), status=410)
    except consent.LinkInvalid:
        return _invalid(request)
    context = _base(lead, token)
    if request.method == "POST":
        if rate_limited(request, "contacts-consent"):
            return too_many_requests(request)
        with transaction.atomic():
            consent.confirm_news(lead)
        lead.refresh_from_db()
        context = _base(lead, token)
        context["preferences_url"] = consent.preferences_url(lead)
        template = "confirmed" if lead.news_opt_in else "confirm_withdrawn"
        return _page(request, template, context)
    if lead.news_opt_in:
        context["preferences_url"] = consent.preferences_url(lead)
        return _page(request, "confirmed", context)
    return _page(request, "confirm", context)


@require_POST
def ask_news_again(request, token):
    """An expired confirmation link's page offers this: a fresh link to the same address."""
    if rate_limited(request, "contacts-consent"):
        return too_many_requests(request)
    try:
        lead = consent.read_confirm_token(token)
    except consent.LinkExpired as expired:
        lead = expired.lead
    except consent.LinkInvalid:
        return _invalid(request)
    with transaction.atomic():
        services.ask_news(lead)
    return _page(request, "link_sent", _base(lead, token))


# --- Preferences ------------------------------------------------------------------------------


def _preferences_lead(token):
    try:
        return consent.read_preferences_token(token)
    except (consent.LinkInvalid, consent.LinkExpired):
        return None


@require_GET
def preferences(request, token):
    lead = _preferences_lead(token)
    if lead is None:
        return _invalid(request)
    context = _base(lead, token)
    context["receipt"] = consent.receipt(lead)
    return _page(request, "preferences", context)


@require_POST
def withdraw(request, token):
    if rate_limited(request, "contacts-consent"):
        return too_many_requests(request)
    lead = _preferences_lead(token)
    if lead is None:
        return _invalid(request)
    with transaction.atomic():
        consent.withdraw_news(lead, ConsentEvent.Channel.PREFERENCES)
    lead.refresh_from_db()
    context = _base(lead, token)
    context["receipt"] = consent.receipt(lead)
    context["message"] = "retrait"
    return _page(request, "preferences", context)


@require_GET
def download_data(request, token, export_format):
    lead = _preferences_lead(token)
    if lead is None:
        return _invalid(request)
    data = personal_data.collect(lead)
    if export_format == "json":
        response = HttpResponse(
            personal_data.as_json(data), content_type="application/json; charset=utf-8"
        )
        log_format = ExportLog.Format.JSON
    else:
        response = HttpResponse(personal_data.as_csv(data), content_type="text/csv; charset=utf-8")
        log_format = ExportLog.Format.CSV
    services.log_personal_data_download(lead, log_format, personal_data.row_count(data))
    response["Content-Disposition"] = f'attachment; filename="mes-donnees.{export_format}"'
    add_never_cache_headers(response)
    return response


@require_POST
def ask_erasure(request, token):
    if rate_limited(request, "contacts-consent"):
        return too_many_requests(request)
    lead = _preferences_lead(token)
    if lead is None:
        return _invalid(request)
    services.request_erasure(lead)
    return _page(request, "erasure_sent", _base(lead, token))


@require_http_methods(["GET", "POST"])
def confirm_erasure(request, token):
    try:
        lead = consent.read_erase_token(token)
    except consent.LinkExpired as expired:
        context = _base(expired.lead, token)
        context["preferences_url"] = consent.preferences_url(expired.lead)
        return _page(request, "erasure_expired", context, status=410)
    except consent.LinkInvalid:
        return _invalid(request)
    if request.method == "GET":
        return _page(request, "erasure_confirm", _base(lead, token))
    if rate_limited(request, "contacts-consent"):
        return too_many_requests(request)
    services.confirm_erasure(lead)
    return _page(request, "erased")


# --- One-click unsubscribe (RFC 8058) -------------------------------------------------------


@csrf_exempt  # signed link: a mail client's POST carries no session and no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        lead = consent.read_unsubscribe_token(token)
    except (consent.LinkInvalid, consent.LinkExpired):
        return _invalid(request)
    context = _base(lead, token)
    if request.method == "GET":
        return _page(request, "unsubscribe", context)
    with transaction.atomic():
        consent.withdraw_news(lead, ConsentEvent.Channel.ONE_CLICK)
    lead.refresh_from_db()
    context = _base(lead, token)
    context["preferences_url"] = consent.preferences_url(lead)
    return _page(request, "unsubscribed", context)
