import logging

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from crispy_forms.utils import render_crispy_form

import pagecache
from contacts import services as contact_services
from contacts.forms import REFUSED, request_referrer
from contacts.models import ContactSettings
from contacts.ratelimit import rate_limited, too_many_requests

from . import services
from .forms import (
    CONSENT_TEXT,
    QUICK_CONSENT_TEXT,
    DownloadRequestForm,
    QuickRequestForm,
)

logger = logging.getLogger(__name__)


def white_paper_page(request, page):
    """The paper's page and its request form: GET shows it, a valid POST stores the request
    and redirects to the thank-you page that serves the file."""
    privacy_url = ContactSettings.load(request_or_site=request).privacy_url(request)
    lead = contact_services.remembered_lead(request)
    wants_full_form = "formulaire" in request.GET
    form_kwargs = {
        "privacy_url": privacy_url,
        "submit_label": page.cta_label,
        "scope": request.path,
    }

    referrer = request_referrer(request)
    # The same page for every new visitor: what is theirs (CSRF token, start time, referrer)
    # is filled in by the page cache, hit or miss (pagecache).
    shared = request.method == "GET" and lead is None
    form_action = request.get_full_path()
    if shared:
        pagecache.reads(request)  # the UTM tags the form keeps are in a slot, not the key
        referrer = pagecache.slot("referrer")
        form_action = pagecache.slot("form-action")
    form = quick_form = None
    if request.method == "POST":
        if rate_limited(request, "white-paper-request"):
            return too_many_requests(request)
        if request.POST.get("quick") and lead is not None:
            quick_form = QuickRequestForm(request.POST, scope=request.path)
            if quick_form.is_bot:
                return _refused(request, page)
            if quick_form.is_valid():
                download_request, _ = services.capture_request(
                    page,
                    provenance=services.Provenance.from_request(request),
                    consent_text=QUICK_CONSENT_TEXT,
                    lead=lead,
                )
                return _to_thank_you(request, page, download_request, lead)
        else:
            form = DownloadRequestForm(request.POST, **form_kwargs)
            if form.is_bot:
                return _refused(request, page)
            if form.is_valid():
                download_request, _ = services.capture_request(
                    page,
                    provenance=services.Provenance.from_request(request),
                    consent_text=CONSENT_TEXT,
                    details=form.cleaned_data,
                )
                return _to_thank_you(request, page, download_request, download_request.lead)
    elif lead is not None and not wants_full_form:
        quick_form = QuickRequestForm(initial={"referrer": referrer}, scope=request.path)
    else:
        initial = {"referrer": referrer}
        if shared:
            initial["started"] = pagecache.slot("form-started")
        if lead is not None:
            initial.update({field: getattr(lead, field) for field in contact_services.LEAD_FIELDS})
            initial.update(email=lead.email, news_opt_in=lead.news_opt_in)
        form = DownloadRequestForm(initial=initial, **form_kwargs)

    if form is None and quick_form is None:
        form = DownloadRequestForm(**form_kwargs)
    context = page.get_context(request)
    context.update(
        form=form,
        quick_form=quick_form if form is None else None,
        known_lead=lead,
        form_action=form_action,
        privacy_url=privacy_url,
        quick_consent_text=QUICK_CONSENT_TEXT,
    )
    if shared:
        context["csrf_token"] = pagecache.slot("csrf")
        # The same blank form for every new visitor (its per-visitor values are slots):
        # crispy renders it once per purge, not per request (half of the page's time).
        # (A SafeString: the template's own escaped output, and stays one through the cache.)
        context["form_html"] = pagecache.versioned(
            f"paper-form:{page.pk}", lambda: render_crispy_form(form)
        )
    response = render(request, "publications/white_paper_page.html", context)
    if request.method == "GET" and not getattr(request, "is_preview", False):
        # Counted by the page cache on every serve, cached or not.
        response.page_cache_hooks = [("publications.services.record_page_view", (page.pk,))]
    if lead is not None or request.method == "POST":
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


def _refused(request, page):
    """A bot filled the honeypot: nothing is stored, and nothing tells it why."""
    logger.info("Honeypot filled on %s", page.url)
    return render(
        request, "publications/refused.html", {"page": page, "message": REFUSED}, status=400
    )


def _to_thank_you(request, page, download_request, lead):
    token = services.make_download_token(download_request)
    thank_you_url = page.get_url(request) + page.reverse_subpage("thank_you")
    response = HttpResponseRedirect(f"{thank_you_url}?lien={token}")
    contact_services.remember_lead(response, lead)
    return response


def thank_you(request, page):
    """Starts the download at once (a meta refresh, so no script is needed) with a plain link."""
    token = request.GET.get("lien", "")
    try:
        download_request = services.read_download_token(token)
    except services.LinkExpired as expired:
        return _expired(request, expired.download_request, token)
    except services.LinkInvalid:
        return _invalid(request)
    if download_request.paper_id != page.pk:
        return _invalid(request)
    # The link of the redirect itself, never a fresh one: shown again, the page offers the
    # same link with the same expiry; the address masked, as on the expired link's page.
    response = render(
        request,
        "publications/thank_you.html",
        {
            "page": page,
            "self": page,
            "download_url": services.download_url(download_request, token=token),
            "email": _masked(download_request.lead.email),
            "expires_at": services.link_expires_at(token),
        },
    )
    add_never_cache_headers(response)
    return response


@require_GET
def download(request, token):
    """The only view that serves a gated PDF's bytes."""
    try:
        download_request = services.read_download_token(token)
    except services.LinkExpired as expired:
        return _expired(request, expired.download_request, token)
    except services.LinkInvalid:
        return _invalid(request)
    paper = download_request.live_paper
    if paper is None or not paper.pdf:
        raise Http404("Ce livre blanc n'est plus disponible.")
    try:
        # Streamed from the private folder or bucket: no URL to the file exists, even briefly.
        pdf = paper.pdf.storage.open_stream(paper.pdf.name)
    except FileNotFoundError:
        logger.error("The PDF of %s is missing from storage", paper.title)
        raise Http404("Ce livre blanc n'est plus disponible.") from None
    services.count_download(download_request)
    response = FileResponse(
        pdf, as_attachment=True, filename=f"{paper.slug}.pdf", content_type="application/pdf"
    )
    if not response.has_header("Content-Length"):  # an object's body cannot seek: as stored
        response["Content-Length"] = pdf.size
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def resend_link(request, token):
    """An expired link's page offers this: a fresh link, mailed to the address used."""
    if rate_limited(request, "white-paper-resend"):
        return too_many_requests(request)
    try:
        download_request = services.read_download_token(token)
    except services.LinkExpired as expired:
        download_request = expired.download_request
    except services.LinkInvalid:
        return _invalid(request)
    if download_request.live_paper is None:
        raise Http404("Ce livre blanc n'est plus disponible.")
    with transaction.atomic():
        services.queue_download_link(download_request)
    return render(
        request,
        "publications/link_sent.html",
        {"email": _masked(download_request.lead.email), "paper": download_request.live_paper},
    )


def _expired(request, download_request, token):
    paper = download_request.live_paper
    if paper is None:
        raise Http404("Ce livre blanc n'est plus disponible.")
    return render(
        request,
        "publications/link_expired.html",
        {"paper": paper, "token": token, "email": _masked(download_request.lead.email)},
        status=410,
    )


def _invalid(request):
    return render(request, "publications/link_invalid.html", status=403)


def _masked(email):
    """m•••@oph.fr: enough for the visitor to recognise, too little to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
