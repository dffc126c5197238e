"""The check-in pages: staff, on a phone at the door, find each person by name or scan the QR
code of their confirmation mail and mark them present for the séance; the person's QR code
image and attendance certificate, served from signed links.

Each check-in is one small POST (CSRF-protected, idempotent): the page's script
(static/js/checkin.js) sends it, keeps it in a queue while the network is down and sends it
again; without the script the same forms post and come back to the page.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from . import attendance, certificates
from .models import Attendance, EventPage, Registration

# The door's phone may use its camera on this page only (elsewhere: camera=()).
CAMERA_POLICY = settings.PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _allowed(request):
    if not attendance.can_check_in(request.user):
        raise PermissionDenied


def _default_session(sessions):
    """Today's séance, else the next one held, else the last one."""
    today = timezone.localdate()
    held = [session for session in sessions if attendance.is_held(session)] or sessions
    for session in held:
        if session.date >= today:
            return session
    return held[-1] if held else None


def checkin_page(request, event_id, session_id=None):
    _allowed(request)
    event = get_object_or_404(EventPage, pk=event_id)
    sessions = attendance.sessions_of(event)
    if session_id is None:
        session = _default_session(sessions)
    else:
        session = next((s for s in sessions if s.pk == session_id), None)
        if session is None:
            raise Http404("Séance introuvable.")
    search = attendance.clean_search(request.GET.get("q", ""))
    rows, present = [], 0
    if session is not None:
        expected = list(attendance.expected(event, session))
        checked = {
            a.registration_id: a
            for a in Attendance.objects.filter(session=session, registration__in=expected)
        }
        present = len(checked)
        rows = [
            {
                "registration": registration,
                "attendance": checked.get(registration.pk),
                "at": attendance.at(checked[registration.pk]) if registration.pk in checked else "",
            }
            for registration in attendance.matching(expected, search)
        ]
        expected_count = len(expected)
    else:
        expected_count = 0
    response = TemplateResponse(
        request,
        "events/checkin/page.html",
        {
            "event": event,
            "sessions": sessions,
            "session": session,
            "search": search,
            "rows": rows,
            "present": present,
            "expected": expected_count,
            "can_issue": session is not None and certificates.can_issue(session),
            "sheet_url": reverse("inscriptions:attendance", args=[event.pk]),
        },
    )
    response["Permissions-Policy"] = CAMERA_POLICY
    return _private(response)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _answer(request, event, session, *, ok, text, status=200, **data):
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": text, **data}, status=status)
    (messages.success if ok else messages.error)(request, text)
    url = reverse("events_checkin_session", args=[event.pk, session.pk])
    search = attendance.clean_search(request.POST.get("q", ""))
    return HttpResponseRedirect(f"{url}?{urlencode({'q': search})}" if search else url)


def _event_and_session(event_id, session_id):
    event = get_object_or_404(EventPage, pk=event_id)
    session = next((s for s in attendance.sessions_of(event) if s.pk == session_id), None)
    if session is None:
        raise Http404("Séance introuvable.")
    return event, session


@require_POST
def check_in(request, event_id, session_id):
    """One check-in: ``code`` (scanned or typed) or ``registration`` (found by name)."""
    _allowed(request)
    event, session = _event_and_session(event_id, session_id)
    try:
        if "code" in request.POST:
            registration = attendance.identify(event, session, request.POST["code"])
            method = Attendance.Method.QR
        else:
            registration = _registration(request.POST.get("registration"))
            attendance.check_eligible(event, session, registration)
            method = Attendance.Method.NAME
    except attendance.CheckInRefused as refused:
        return _answer(request, event, session, ok=False, text=str(refused), status=422)
    if not attendance.is_held(session):
        return _answer(
            request, event, session, ok=False, text="Cette séance est annulée.", status=422
        )
    row, created = attendance.check_in(registration, session, user=request.user, method=method)
    return _answer(
        request,
        event,
        session,
        ok=True,
        text=attendance.message(registration, row, created),
        state="created" if created else "already",
        registration=registration.pk,
        at=attendance.at(row),
        present=attendance.present_count(event, session),
    )


@require_POST
def undo_check_in(request, event_id, session_id):
    _allowed(request)
    if not request.user.has_perm("events.delete_attendance"):
        raise PermissionDenied
    event, session = _event_and_session(event_id, session_id)
    try:
        registration = _registration(request.POST.get("registration"))
    except attendance.CheckInRefused as refused:
        return _answer(request, event, session, ok=False, text=str(refused), status=422)
    attendance.undo(registration, session)
    return _answer(
        request,
        event,
        session,
        ok=True,
        text=f"{registration.person_name} : pointage annulé.",
        state="undone",
        registration=registration.pk,
        present=attendance.present_count(event, session),
    )


@require_POST
def issue_certificates(request, event_id, session_id):
    """Sends an attendance certificate to each person present at the séance (once per person
    and set of séances attended)."""
    _allowed(request)
    event, session = _event_and_session(event_id, session_id)
    if not certificates.can_issue(session):
        return _answer(
            request,
            event,
            session,
            ok=False,
            text="Les attestations s'envoient une fois la séance commencée.",
            status=422,
        )
    sent = certificates.issue(event, session)
    if sent:
        text = (
            f"{sent} attestation{'s' if sent > 1 else ''} de présence envoyée"
            f"{'s' if sent > 1 else ''} par e-mail."
        )
    else:
        text = "Aucune nouvelle attestation à envoyer : chaque personne présente a déjà la sienne."
    return _answer(request, event, session, ok=True, text=text, sent=sent)


def _registration(value):
    value = str(value or "")
    registration = (
        Registration.objects.select_related("lead", "event", "session")
        .filter(pk=int(value))
        .first()
        if value.isdigit() and len(value) < 19
        else None
    )
    if registration is None or registration.lead is None:
        raise attendance.CheckInRefused("Cette inscription est introuvable.")
    return registration


# --- The person's links -------------------------------------------------------------------------


def registration_qr(request, code):
    """The QR code image of a registration (the confirmation mail shows it); an altered code
    gets a 404."""
    public_id = attendance.read_code(code)
    if public_id is None or not Registration.objects.filter(public_id=public_id).exists():
        raise Http404("Code inconnu.")
    response = HttpResponse(attendance.qr_png(code), content_type="image/png")
    response["X-Robots-Tag"] = "noindex"
    return _private(response)


def attendance_certificate(request, token):
    """The person's attendance certificate (PDF), from their signed link, once they attended."""
    public_id = attendance.read_certificate_token(token)
    registration = (
        Registration.objects.select_related("lead", "event", "organisation")
        .filter(public_id=public_id, lead__isnull=False)
        .first()
        if public_id
        else None
    )
    if registration is None or not registration.attendances.exists():
        raise Http404("Aucune attestation de présence pour ce lien.")
    pdf = certificates.pdf(registration)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = certificates.filename(registration)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Robots-Tag"] = "noindex"
    return _private(response)
