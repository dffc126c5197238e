"""What happens once a download-request form is valid: store, sign, mail, serve.

Nothing here runs in a model's save() or in a template.
"""

import atexit
import logging
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contacts import cleaning, outbox
from contacts.models import Lead
from contacts.services import save_lead

from .models import DownloadRequest, PaperDailyViews, WhitePaperPage

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
            news_opt_in=lead.news_opt_in,
            page_url=provenance.page_url,
            referrer=provenance.referrer[:500],
            **provenance.utm,
        )
        queue_download_link(download_request)
    return download_request, True


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
    rows = PaperDailyViews.objects.filter(paper_id=paper_id, day=day)
    if rows.update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            PaperDailyViews.objects.create(paper_id=paper_id, day=day, views=views)
    except IntegrityError:  # another request created the day's row first
        rows.update(views=F("views") + views)


# A cached page is served without the view: its views are counted in the cache (an atomic
# INCR in Redis) and written to the database once every PAGE_VIEWS_BATCH views, by the request
# that reaches the batch, by the day's first view (for the day before) and by the report
# (flush_page_views). The sum of the database and the counters is always the true count.
#
# Before the cache, each worker adds its views up in memory for PAGE_VIEWS_LOCAL_SECONDS, then
# moves them to the counters in one go (a timer, and the worker's exit): a cached paper's page
# is then served with no round trip to Redis for its view. The report may miss the views of
# the last few seconds; it never counts one twice.

_local_lock = threading.Lock()
_local_views = Counter()  # (paper id, day) → views this process has not moved to the cache
_local_timer = None


def _views_key(paper_id, day):
    return f"paper-views:{paper_id}:{day.isoformat()}"


def record_page_view(paper_id):
    """Counts one view of a paper's page; a database write only once per batch."""
    global _local_timer
    today = timezone.localdate()
    if settings.PAGE_VIEWS_BATCH <= 1:
        count_page_view(paper_id, today)
    elif settings.PAGE_VIEWS_LOCAL_SECONDS <= 0:
        _count_in_cache(paper_id, today, 1)
    else:
        with _local_lock:
            _local_views[paper_id, today] += 1
            if _local_timer is None:
                _local_timer = threading.Timer(settings.PAGE_VIEWS_LOCAL_SECONDS, _flush_on_timer)
                _local_timer.daemon = True
                _local_timer.start()


def flush_local_page_views():
    """Moves the views this process added up to the cache's counters."""
    global _local_timer
    with _local_lock:
        pending = list(_local_views.items())
        _local_views.clear()
        timer, _local_timer = _local_timer, None
    if timer is not None and timer is not threading.current_thread():
        timer.cancel()  # flushed now (the report, the worker's exit): nothing left for it
    for index, ((paper_id, day), views) in enumerate(pending):
        try:
            _count_in_cache(paper_id, day, views)
        except Exception:
            with _local_lock:  # kept for the next flush: the cache may be back by then
                _local_views.update(dict(pending[index:]))
            raise


def _flush_on_timer():
    try:
        flush_local_page_views()
    except Exception:
        logger.warning("Page views not moved to the cache yet", exc_info=True)
    finally:
        connections.close_all()  # this thread's, if reaching a batch wrote to the database


def _count_in_cache(paper_id, day, views):
    key = _views_key(paper_id, day)
    try:
        pending = cache.incr(key, views)
    except ValueError:  # the day's first view here: start the counter, flush the day before
        cache.add(key, 0, timeout=settings.PAGE_VIEWS_KEEP_SECONDS)
        try:
            pending = cache.incr(key, views)
        except ValueError:  # the cache does not answer (config.redis_cache): no view is lost
            count_page_view(paper_id, day, views)
            return
        flush_page_views([paper_id], [day - timedelta(days=1)])
    if pending >= settings.PAGE_VIEWS_BATCH:
        flush_page_views([paper_id], [day])


atexit.register(flush_local_page_views)


def flush_page_views(paper_ids, days):
    """Moves the counted views of these papers and days from the cache to the database."""
    keys = {_views_key(paper_id, day): (paper_id, day) for paper_id in paper_ids for day in days}
    for key, pending in cache.get_many(list(keys)).items():
        if pending and pending > 0:
            try:
                cache.decr(key, pending)  # atomic: views counted meanwhile stay in the counter
            except ValueError:  # the cache went away meanwhile: they stay for the next flush
                continue
            count_page_view(*keys[key], views=pending)


def flush_all_page_views(days=3):
    """Every paper's pending views of the last ``days`` days (the report, the command); those
    that other processes are still adding up reach the cache within PAGE_VIEWS_LOCAL_SECONDS."""
    flush_local_page_views()
    today = timezone.localdate()
    paper_ids = list(WhitePaperPage.objects.values_list("pk", flat=True))
    flush_page_views(paper_ids, [today - timedelta(days=n) for n in range(days)])


def count_download(download_request):
    DownloadRequest.objects.filter(pk=download_request.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=timezone.now()
    )


# --- Mail ---------------------------------------------------------------------------------------


def queue_download_link(download_request):
    """Writes the mail with the link into the outbox, in the caller's transaction: it goes out
    after the commit, and is retried until the mail server takes it. It is the service the
    visitor asked for, so it goes out whatever their news opt-in."""
    paper = download_request.paper
    context = {
        "lead": download_request.lead,
        "paper": paper,
        "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + download_url(download_request),
        "max_age_days": settings.DOWNLOAD_LINK_MAX_AGE_DAYS,
    }
    return outbox.queue(
        to=download_request.lead.email,
        subject=f"Votre livre blanc : {download_request.paper_title}",
        body=render_to_string("publications/email/download_link.txt", context),
    )


# --- Personal-data rights -----------------------------------------------------------------------


def anonymise_requests(lead):
    """What erasing a person leaves of their requests (contacts.signals.lead_erased): the rows,
    for the per-paper counts, with nothing that could identify them. Returns how many."""
    return DownloadRequest.objects.filter(lead=lead).update(
        lead=None, referrer="", page_url="", utm_term="", utm_content=""
    )
