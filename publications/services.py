"""What happens once a download-request form is valid: store, sign, mail, serve.

Nothing here runs in a model's save() or in a template.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from contacts import cleaning, mail
from contacts.models import Lead
from contacts.services import save_lead
from pagecache.counters import BatchedCounter, counting_transaction

from . import mails
from .models import DownloadRequest, PaperDailyViews, PaperTotals, WhitePaperPage

logger = logging.getLogger(__name__)

_LINK_SALT = "publications.download-link"
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


@dataclass(frozen=True)
class Provenance:
    """Where a request came from, read from the HTTP request that carried the form: all of it
    visitor text, cleaned (contacts.cleaning) before it is stored."""

    page_url: str
    referrer: str
    utm: dict

    @classmethod
    def from_request(cls, request):
        utm = {name: cleaning.clean(request.GET.get(name), max_length=100) for name in UTM_FIELDS}
        referrer = request.POST.get("referrer") or request.headers.get("referer", "")
        return cls(
            page_url=cleaning.clean(request.build_absolute_uri(request.path), max_length=500),
            referrer=cleaning.clean(referrer, max_length=500),
            utm={name: value for name, value in utm.items() if value},
        )


def capture_request(paper, *, provenance, consent_text, details=None, lead=None):
    """Stores the lead and its request in one transaction, before any link exists.

    ``details`` is a valid form's cleaned data (a new or returning visitor who typed their
    details); ``lead`` is a returning visitor who clicked once. A second request for the same
    paper within DOWNLOAD_REQUEST_DEDUP_SECONDS (a double click, a retry) returns the first one.
    """
    with transaction.atomic():
        if details is not None:
            lead = save_lead(details)
        else:
            # One writer per lead at a time: concurrent submissions queue here.
            lead = Lead.objects.select_for_update().get(pk=lead.pk)
        since = timezone.now() - timedelta(seconds=settings.DOWNLOAD_REQUEST_DEDUP_SECONDS)
        recent = (
            DownloadRequest.objects.filter(lead=lead, paper=paper, created_at__gte=since)
            .order_by("-created_at")
            .first()
        )
        if recent is not None:
            return recent, False
        download_request = DownloadRequest.objects.create(
            lead=lead,
            paper=paper,
            paper_title=paper.title,
            consent_text=consent_text,
            # What this form asked (the box ticked); the lead holds the confirmed consent.
            news_opt_in=details["news_opt_in"] if details is not None else lead.news_opt_in,
            page_url=provenance.page_url,
            referrer=provenance.referrer[:500],
            **provenance.utm,
        )
        # The leads list's columns (contacts.Lead), in the same transaction as the request.
        Lead.objects.filter(pk=lead.pk).update(
            request_count=F("request_count") + 1, last_request_at=download_request.created_at
        )
        add_to_totals(paper.pk, requests=1)
        queue_download_link(download_request)
    return download_request, True


def recount_requests(leads):
    """Sets the stored request counts of ``leads`` (a queryset) from their requests: for rows
    written in bulk (generated content), which capture_request's update does not see."""
    theirs = DownloadRequest.objects.filter(lead=OuterRef("pk")).order_by().values("lead")
    return leads.update(
        request_count=Coalesce(
            Subquery(theirs.annotate(n=Count("*")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        ),
        last_request_at=Subquery(theirs.annotate(last=Max("created_at")).values("last")[:1]),
    )


# --- Signed links -------------------------------------------------------------------------------


def make_download_token(download_request):
    return signing.dumps(str(download_request.public_id), salt=_LINK_SALT)


class LinkExpired(Exception):
    def __init__(self, download_request):
        super().__init__("download link expired")
        self.download_request = download_request


class LinkInvalid(Exception):
    pass


def read_download_token(token):
    """The request a link was made for. LinkExpired carries it (to offer a fresh link);
    LinkInvalid means the link was altered or never ours."""
    try:
        public_id = signing.loads(token, salt=_LINK_SALT, max_age=settings.DOWNLOAD_LINK_MAX_AGE)
    except signing.SignatureExpired:
        public_id = signing.loads(token, salt=_LINK_SALT)
        download_request = _find_request(public_id)
        if download_request is None:
            raise LinkInvalid from None
        raise LinkExpired(download_request) from None
    except signing.BadSignature:
        raise LinkInvalid from None
    download_request = _find_request(public_id)
    if download_request is None:
        raise LinkInvalid
    return download_request


def link_expires_at(token):
    """When a link that read_download_token accepted stops working: its signing time (the
    token carries it) plus DOWNLOAD_LINK_MAX_AGE."""
    signed_at = signing.b62_decode(token.rsplit(":", 2)[-2])
    return datetime.fromtimestamp(signed_at, tz=UTC) + timedelta(
        seconds=settings.DOWNLOAD_LINK_MAX_AGE
    )


def _find_request(public_id):
    return (
        DownloadRequest.objects.select_related("lead")
        .filter(public_id=public_id, lead__isnull=False)
        .first()
    )


def download_url(download_request, token=None):
    """The link that serves the paper: ``token`` when one was signed already (a link keeps the
    expiry it was given), else a fresh one."""
    token = token or make_download_token(download_request)
    return reverse("publications:download", args=[token])


def count_page_view(paper_id, day=None, views=1):
    """``views`` more views of the paper's page on ``day`` (the report's conversion starts
    here): one UPDATE, or one INSERT for the day's first."""
    day = day or timezone.localdate()
    with counting_transaction():
        if _increment(PaperDailyViews, {"paper_id": paper_id, "day": day}, {"views": views}):
            # The paper's first view of the day: it is in the report from now on.
            PaperTotals.objects.bulk_create([PaperTotals(paper_id=paper_id)], ignore_conflicts=True)


# A cached page is served without the view: its views are counted by a page-cache hook, in
# batches when the cache is shared (pagecache.counters).
page_views = BatchedCounter(
    "paper-views",
    count_page_view,
    batch=lambda: settings.PAGE_VIEWS_BATCH,
    keep_seconds=lambda: settings.PAGE_VIEWS_KEEP_SECONDS,
    keys=lambda: WhitePaperPage.objects.values_list("pk", flat=True).iterator(),
    tally_seconds=lambda: settings.PAGE_VIEWS_TALLY_SECONDS,
)


def record_page_view(paper_id):
    """Counts one view of a paper's page (run by the page cache on every serve)."""
    page_views.add(paper_id)


def flush_all_page_views(days=3):
    """Every paper's views of the last ``days`` days still counted in the cache, written (the
    report, the command)."""
    page_views.flush_recent(days)


def flush_tallied_page_views():
    """The views this process tallied without writing them yet, written (the report, first)."""
    page_views.flush_tally()


def flush_page_views_of(paper_ids, days=3):
    """These papers' views of the last ``days`` days still counted in a shared cache, written
    (the report, for the papers of the page it shows): as many reads as papers shown, not as
    papers in the catalogue; the others' are written by their batch or the hourly flush."""
    today = timezone.localdate()
    recent = [today - timedelta(days=n) for n in range(days)]
    page_views.flush([(paper_id, day) for paper_id in paper_ids for day in recent])


def count_download(download_request):
    """One more download of the request's file; its paper's totals count the request as
    downloaded the first time only."""
    now = timezone.now()
    rows = DownloadRequest.objects.filter(pk=download_request.pk)
    with transaction.atomic():
        first = rows.filter(download_count=0).update(download_count=1, last_downloaded_at=now)
        if not first:
            rows.update(download_count=F("download_count") + 1, last_downloaded_at=now)
        if download_request.paper_id is not None:
            add_to_totals(download_request.paper_id, downloads=1, downloaded_requests=first)


# --- The report's totals ------------------------------------------------------------------------

TOTALS = ("requests", "downloads", "downloaded_requests")


def add_to_totals(paper_id, **counts):
    """Adds ``counts`` (requests, downloads, downloaded_requests) to the paper's totals,
    in the caller's transaction: one UPDATE, or one INSERT for the paper's first."""
    counts = {name: value for name, value in counts.items() if value}
    if counts:
        _increment(PaperTotals, {"paper_id": paper_id}, counts)


def _increment(model, keys, counts):
    """Adds ``counts`` ({column: n}) to the row of ``model`` at ``keys``: one UPDATE, or one
    INSERT for the first (a concurrent first is caught and updated). Returns whether it
    created the row."""
    rows = model.objects.filter(**keys)
    increments = {name: F(name) + value for name, value in counts.items()}
    if rows.update(**increments):
        return False
    try:
        with transaction.atomic():
            model.objects.create(**keys, **counts)
    except IntegrityError:  # another request created the row first
        rows.update(**increments)
        return False
    return True


def recount_paper_totals():
    """Every paper's totals counted again from its requests, a row for each paper asked for or
    viewed (after rows were written in bulk, by the scale data or generated content, or to
    repair them); returns how many papers have totals. Reads every request once: a command's
    work, not a page's."""
    counted = {}
    for row in (
        DownloadRequest.objects.filter(paper__isnull=False)
        .values("paper_id")
        .annotate(
            requests=Count("*"),
            downloads=Sum("download_count"),
            downloaded_requests=Count("download_count", filter=Q(download_count__gt=0)),
        )
        .order_by()
    ):
        counted[row.pop("paper_id")] = row
    for paper_id in PaperDailyViews.objects.values_list("paper_id", flat=True).distinct():
        counted.setdefault(paper_id, {})  # viewed, never asked for: shown with no request
    totals = [
        PaperTotals(paper_id=paper_id, **{name: row.get(name) or 0 for name in TOTALS})
        for paper_id, row in counted.items()
    ]
    with transaction.atomic():
        kept = set(PaperTotals.objects.values_list("paper_id", flat=True))
        PaperTotals.objects.filter(paper_id__in=kept - set(counted)).delete()
        PaperTotals.objects.bulk_create(
            totals,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["paper"],
            update_fields=list(TOTALS),
        )
    return len(totals)


# --- Mail ---------------------------------------------------------------------------------------


def queue_download_link(download_request):
    """Writes the mail with the link into the outbox, in the caller's transaction: it goes out
    after the commit, and is retried until the mail server takes it. It is the service the
    visitor asked for, so it goes out whatever their news opt-in."""
    context = {
        "lead": download_request.lead,
        "paper_title": download_request.paper_title,
        "link": mail.site_url(download_url(download_request)),
        "max_age_days": settings.DOWNLOAD_LINK_MAX_AGE_DAYS,
    }
    return mails.DOWNLOAD_LINK.queue(to=download_request.lead.email, context=context)


# --- Personal-data rights -----------------------------------------------------------------------


def anonymise_requests(lead):
    """What erasing a person leaves of their requests (contacts.signals.lead_erased): the rows,
    for the per-paper counts, with nothing that could identify them. Returns how many."""
    return DownloadRequest.objects.filter(lead=lead).update(
        lead=None, referrer="", page_url="", utm_term="", utm_content=""
    )
