"""Registration on the site: the form (a route of the event page), its thank-you page, and the
signed link that cancels a booking and the signed links that accept or decline a seat offered
from the waiting list (GET asks, POST acts: link scanners only ever GET)."""

import dataclasses
import logging

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from contacts.forms import REFUSED, request_referrer
from contacts.models import ContactSettings
from contacts.ratelimit import rate_limited, too_many_requests

from . import attendance, exception_requests, membership, self_service, services
from .choices import RegistrationState, RegistrationStatus
from .dates import long_date, moment
from .forms import (
    ExceptionRequestForm,
    RegistrationForm,
    TransferAcceptForm,
    TransferForm,
    colleague_formset,
)
from .models import Registration
from .models.inlines import number_sessions

logger = logging.getLogger(__name__)

# The thank-you page shows a booking to the visitor who just made it, for a day.
BOOKING_TOKEN_MAX_AGE = 24 * 3600
OPEN_STATES = (RegistrationState.OPEN, RegistrationState.WAITING_LIST)


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def registration_form(request, page):
    """GET shows the form while registrations are open; a valid POST takes the seats (or a
    place on the waiting list) and redirects to the thank-you page."""
    if not page.registers_on_site:
        raise Http404("Pas d'inscription sur le site pour cet événement.")
    # The event page's context already holds the places and the state (one count query).
    context = page.get_context(request)
    places, state = context["places"], context["registration_state"]
    context["event_url"] = page.get_url(request)
    if state not in OPEN_STATES:
        context["form"] = None
        return _private(render(request, "events/registration_form.html", context))

    prices = membership.offered(context["prices"])
    choosable = None
    if page.registers_per_session:
        choosable = [seats.session for seats in places.values() if seats.bookable]
        for session in choosable:
            session.places_label = places[session.pk].label
    form_kwargs = {
        "event": page,
        "prices": prices,
        "sessions": choosable,
        "privacy_url": ContactSettings.load(request_or_site=request).privacy_url(request),
        "scope": request.path,
        "submit_label": (
            "Je m'inscris" if state == RegistrationState.OPEN else "Je m'inscris en liste d'attente"
        ),
    }
    if request.method == "POST":
        if rate_limited(request, "event-registration"):
            return too_many_requests(request)
        form = RegistrationForm(request.POST, **form_kwargs)
        colleagues = colleague_formset(page.max_colleagues, request.POST)
        if form.is_bot:
            logger.info("Honeypot filled on %s", page.url)
            return render(
                request, "publications/refused.html", {"page": page, "message": REFUSED}, status=400
            )
        form_is_valid = form.is_valid()
        if colleagues is not None and colleagues.is_bound:
            colleagues.booker_email = form.cleaned_data.get("email", "")
            colleagues_are_valid = colleagues.is_valid()
        else:
            colleagues_are_valid = True
        if form_is_valid and colleagues_are_valid:
            data = form.cleaned_data
            choice = services.Choice(
                is_member=data["is_member"],
                membership=data["membership"],
                organisation=data["register_organisation"],
                price=data.get("price"),
                sessions=tuple(data.get("sessions") or ()),
                accessibility_needs=data["accessibility_needs"],
                comment=data["comment"],
            )
            try:
                registrations = services.register(
                    page,
                    details=data,
                    choice=choice,
                    consent_text=form.consent_text,
                    page_url=request.build_absolute_uri(request.path),
                    colleagues=_colleagues(data, choice, colleagues),
                )
            except services.RegistrationRefused as refused:
                form.add_error(None, str(refused))
            else:
                bookings = list(dict.fromkeys(r.booking for r in registrations))
                token = services.make_booking_token(bookings)
                done_url = page.get_url(request) + page.reverse_subpage("registered")
                return HttpResponseRedirect(f"{done_url}?reservation={token}")
    else:
        form = RegistrationForm(initial={"referrer": request_referrer(request)}, **form_kwargs)
        colleagues = colleague_formset(page.max_colleagues)
    context["form"] = form
    context["colleagues"] = colleagues
    context["organisation_cap"] = services.organisation_cap(page)
    return _private(render(request, "events/registration_form.html", context))


def _colleagues(booker, choice, formset):
    """The colleagues of a valid form as ``services.Person`` objects: the booker's organisation
    and its type, the booker's price and membership (the register's check per person comes
    with it), needs and comment left to the booker's own registration."""
    if formset is None or not formset.is_bound:
        return []
    colleague_choice = dataclasses.replace(choice, accessibility_needs="", comment="")
    return [
        services.Person(
            details={
                **row,
                "organisation": booker["organisation"],
                "organisation_type": booker["organisation_type"],
            },
            choice=colleague_choice,
        )
        for row in formset.colleagues
    ]


def registration_done(request, page):
    """ "Merci": what is confirmed, what waits, and where the mail went."""
    bookings = services.read_booking_token(
        request.GET.get("reservation", ""), max_age=BOOKING_TOKEN_MAX_AGE
    )
    by_booking = {booking: [] for booking in bookings}
    for registration in (
        Registration.objects.filter(booking__in=bookings, event=page)
        .select_related("lead", "session", "organisation")
        .order_by("session__sort_order")
        if bookings
        else []
    ):
        by_booking[str(registration.booking)].append(registration)
    registrations = by_booking.get(bookings[0]) if bookings else None
    if not registrations or registrations[0].lead is None:
        raise Http404("Inscription introuvable.")
    first = registrations[0]
    context = {
        "page": page,
        "self": page,
        "lead": first.lead,
        "price_label": first.price_label,
        "membership_note": membership.note(
            first.membership, first.organisation.name if first.organisation else ""
        ),
        "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
        "colleagues": [
            _colleague_line(held) for held in list(by_booking.values())[1:] if held and held[0].lead
        ],
    }
    return _private(render(request, "events/registration_done.html", context))


def _colleague_line(registrations):
    """A colleague registered with the booker, for the thank-you page."""
    statuses = {r.status for r in registrations}
    if RegistrationStatus.CONFIRMED in statuses:
        status = "inscription confirmée"
    elif RegistrationStatus.OFFERED in statuses:
        status = "une place lui est proposée"
    elif RegistrationStatus.WAITING in statuses:
        status = "sur la liste d'attente"
    else:
        status = "inscription annulée"
    return {"lead": registrations[0].lead, "status": status}


def cancel_registration(request, token):
    """The link of the confirmation mail, the booking's page: what is booked, a button to
    cancel and, until the editor's deadline (events.self_service), the séances to change and
    the colleague to hand the seat to. GET shows, POST acts (``action``: cancel by default,
    ``seances``, ``transfert``, ``retirer``); every POST is idempotent."""
    booking = services.read_cancel_token(token)
    registrations = _booking_registrations(booking)
    if not registrations:
        return _private(render(request, "events/cancel_invalid.html", status=403))
    event = registrations[0].event
    is_over = event.last_date is not None and event.last_date < timezone.localdate()
    action = request.POST.get("action", "annuler") if request.method == "POST" else None
    transfer_form = sessions_error = None
    notice = ""
    if action is not None and not is_over:
        if rate_limited(request, "event-registration-cancel"):
            return too_many_requests(request)
        if action == "annuler":
            cancelled = services.cancel(booking)
            return _private(
                render(
                    request,
                    "events/cancel_done.html",
                    {"event": event, "cancelled": cancelled, "was_already": not cancelled},
                )
            )
        try:
            if action == "seances":
                ids = request.POST.getlist("seances")[:200]
                changes = self_service.change_sessions(
                    booking,
                    {int(pk) for pk in ids if pk.isascii() and pk.isdigit() and len(pk) < 10},
                )
                notice = SESSIONS_CHANGED if changes else NOTHING_CHANGED
            elif action == "transfert":
                transfer_form = TransferForm(request.POST)
                if transfer_form.is_valid():
                    self_service.ask_transfer(booking, **transfer_form.cleaned_data)
                    transfer_form = None
                    notice = TRANSFER_ASKED
            elif action == "retirer":
                self_service.withdraw_transfer(booking)
                notice = TRANSFER_WITHDRAWN
            else:
                raise Http404("Action inconnue.")
        except self_service.Refused as refused:
            if action == "transfert":
                transfer_form.add_error("email", str(refused))
            else:
                sessions_error = str(refused)
        if notice:
            registrations = _booking_registrations(booking)
    response = render(
        request,
        "events/cancel_confirm.html",
        {
            **_booking_context(event, registrations, is_over=is_over),
            "notice": notice,
            "sessions_error": sessions_error,
            "transfer_form": transfer_form or TransferForm(),
        },
        status=400 if transfer_form is not None or sessions_error else 200,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return _private(response)


SESSIONS_CHANGED = (
    "C'est noté : vos séances ont changé. Vous allez recevoir un e-mail avec votre nouveau "
    "calendrier."
)
NOTHING_CHANGED = "Vos séances sont déjà celles-ci : rien n'a changé."
TRANSFER_ASKED = (
    "C'est noté : votre collègue a reçu un e-mail pour confirmer qu'il ou elle reprend votre "
    "place. D'ici là, rien ne change et vous pouvez retirer votre demande."
)
TRANSFER_WITHDRAWN = "Votre demande de transfert est retirée : la place reste à votre nom."


def _booking_registrations(booking):
    return list(
        Registration.objects.filter(booking=booking, lead__isnull=False)
        .select_related("event", "session", "lead")
        .order_by("session__sort_order")
        if booking
        else []
    )


def _booking_context(event, registrations, *, is_over):
    """What the booking's page shows: the seats, and what the person may still change."""
    active = [r for r in registrations if r.status != RegistrationStatus.CANCELLED]
    can_change = bool(active) and not is_over and self_service.is_open(event)
    context = {
        "event": event,
        "lead": registrations[0].lead,
        "active": active,
        "is_over": is_over,
        "can_change": can_change,
        "deadline_label": long_date(self_service.deadline(event)) if can_change else "",
        "pending_transfer": self_service.pending_transfer(registrations[0].booking)
        if can_change
        else None,
        "session_choices": [],
        **attendance.person_links(registrations, is_over=is_over),
    }
    if can_change and event.registers_per_session:
        sessions = self_service.choosable_sessions(event, number_sessions(event.sessions.all()))
        places = event.places(sessions, timezone.localdate())
        held = {r.session_id: r for r in active}
        context["session_choices"] = [
            {
                "session": session,
                "held": held.get(session.pk),
                "places": places[session.pk],
                # Ticking a full séance puts the person on its waiting list: said beforehand
                # (without a waiting list it reads « Complet », and ticking it is refused).
                "waits": session.pk not in held
                and places[session.pk].is_full
                and event.waiting_list,
            }
            for session in sessions
        ]
    return context


OFFER_ACTIONS = {"accepter": True, "refuser": False}

# What the page says after a POST, and what it says on a GET when the offer is no longer open.
OFFER_MESSAGES = {
    services.OfferOutcome.ACCEPTED: "C'est noté : votre inscription est confirmée. Vous allez "
    "recevoir un e-mail de confirmation avec l'invitation à ajouter à votre agenda.",
    services.OfferOutcome.ALREADY_ACCEPTED: "Vous avez déjà accepté cette place : votre "
    "inscription est confirmée, il n'y a rien d'autre à faire.",
    services.OfferOutcome.DECLINED: "C'est noté : la place est proposée à la personne suivante "
    "de la liste d'attente. Merci de nous avoir prévenus.",
    services.OfferOutcome.ALREADY_DECLINED: "Cette place a déjà été refusée, ou l'inscription "
    "annulée : rien n'a changé. Pour venir malgré tout, inscrivez-vous à nouveau depuis la page "
    "de l'événement.",
    services.OfferOutcome.EXPIRED: "Le délai pour accepter cette place est dépassé : elle a été "
    "proposée à la personne suivante de la liste d'attente. Si vous souhaitez toujours venir, "
    "inscrivez-vous à nouveau depuis la page de l'événement : vous aurez une place s'il en "
    "reste, sinon une place sur la liste d'attente.",
    services.OfferOutcome.CANCELLED: "Cette inscription n'attend plus de réponse : utilisez "
    "le lien d'annulation de vos e-mails pour l'annuler.",
}


def answer_offer(request, token, action):
    """The links of the offer mail (accept, decline): GET shows the seat, until when it is
    held and a button, POST acts (link scanners only ever GET)."""
    if action not in OFFER_ACTIONS:
        raise Http404("Action inconnue.")
    accept = OFFER_ACTIONS[action]
    public_id = services.read_offer_token(token)
    registration = (
        Registration.objects.filter(public_id=public_id, lead__isnull=False)
        .select_related("event", "session", "lead")
        .first()
        if public_id
        else None
    )
    if registration is None:
        return _private(render(request, "events/offer_invalid.html", status=403))
    event = registration.event
    is_over = event.last_date is not None and event.last_date < timezone.localdate()
    context = {"event": event, "registration": registration, "accept": accept, "is_over": is_over}
    if request.method == "POST" and not is_over:
        if rate_limited(request, "event-seat-offer"):
            return too_many_requests(request)
        answer = services.accept_offer if accept else services.decline_offer
        outcome, registration = answer(public_id)
        if outcome is None:  # deleted meanwhile (its event, or the person erased)
            return _private(render(request, "events/offer_invalid.html", status=403))
        context.update(registration=registration, outcome=outcome)
        context["message"] = OFFER_MESSAGES[outcome]
        return _private(render(request, "events/offer_done.html", context))
    expires = registration.offer_expires_at
    is_open = registration.status == RegistrationStatus.OFFERED and (
        expires is None or expires > timezone.now()
    )
    if not is_open:
        context["message"] = OFFER_MESSAGES[_closed_outcome(registration, accept)]
    context["is_open"] = is_open
    context["expires_label"] = moment(expires) if is_open and expires else ""
    context["other_url"] = reverse(
        "events:answer_offer", args=[token, "refuser" if accept else "accepter"]
    )
    response = render(request, "events/offer_confirm.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return _private(response)


def _closed_outcome(registration, accept):
    """What a GET says of an offer no longer open (nothing changes on a GET)."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return services.OfferOutcome.ALREADY_ACCEPTED if accept else services.OfferOutcome.CANCELLED
    if registration.status == RegistrationStatus.OFFERED or registration.offer_expired:
        return services.OfferOutcome.EXPIRED  # expired, the clock not yet passed
    if registration.status == RegistrationStatus.CANCELLED:
        return services.OfferOutcome.ALREADY_DECLINED
    return services.OfferOutcome.CANCELLED


def exception_request(request, page):
    """An event for members: someone the register does not count as a member asks the club's
    staff for an exception (a mail to them, through the outbox); the page says it was sent."""
    context = page.get_context(request)
    if not page.registers_on_site or not membership.is_for_members(page, context["prices"]):
        raise Http404("Cet événement n'est pas réservé aux adhérents.")
    context["event_url"] = page.get_url(request)
    if context["registration_state"] not in OPEN_STATES:
        context["form"] = None  # nothing to ask for once registrations are over
        return _private(render(request, "events/exception_request.html", context))
    form_kwargs = {"scope": request.path}
    if request.method == "POST":
        if rate_limited(request, "event-exception-request"):
            return too_many_requests(request)
        form = ExceptionRequestForm(request.POST, **form_kwargs)
        if form.is_bot:
            logger.info("Honeypot filled on %s", request.path)
            return render(
                request, "publications/refused.html", {"page": page, "message": REFUSED}, status=400
            )
        if form.is_valid():
            try:
                exception_requests.send(page, form.cleaned_data)
            except exception_requests.NobodyToTell as nobody:
                form.add_error(None, str(nobody))
            else:
                context["sent_to"] = form.cleaned_data["email"]
                return _private(render(request, "events/exception_sent.html", context))
    else:
        form = ExceptionRequestForm(initial={"referrer": request_referrer(request)}, **form_kwargs)
    context["form"] = form
    return _private(render(request, "events/exception_request.html", context))


def confirm_transfer(request, token):
    """The link mailed to the colleague a seat is handed to: GET shows the seat and the form
    (their details, their own consent), a valid POST moves the registrations to them. An
    altered, expired, withdrawn or used link shows that nothing can be done."""
    transfer = self_service.open_transfer(self_service.read_transfer_token(token))
    if transfer is None:
        return _private(render(request, "events/transfer_invalid.html", status=403))
    event = transfer.event
    registrations = list(
        Registration.objects.active()
        .filter(booking=transfer.booking, lead_id=transfer.lead_id)
        .select_related("session")
        .order_by("session__sort_order", "pk")
    )
    form_kwargs = {
        "email": transfer.email,
        "scope": request.path,
        "privacy_url": ContactSettings.load(request_or_site=request).privacy_url(request),
    }
    if request.method == "POST":
        if rate_limited(request, "event-seat-transfer"):
            return too_many_requests(request)
        form = TransferAcceptForm(request.POST, **form_kwargs)
        if form.is_bot:
            logger.info("Honeypot filled on %s", request.path)
            return render(
                request,
                "publications/refused.html",
                {"page": event, "message": REFUSED},
                status=400,
            )
        if form.is_valid():
            try:
                moved = self_service.confirm_transfer(
                    transfer.public_id,
                    details=form.cleaned_data,
                    consent_text=form.consent_text,
                    page_url=request.build_absolute_uri(request.path),
                )
            except self_service.Refused as refused:
                form.add_error(None, str(refused))
            else:
                if moved is None:
                    return _private(render(request, "events/transfer_invalid.html", status=403))
                return _private(
                    render(
                        request,
                        "events/transfer_done.html",
                        {"event": event, "registrations": moved, "email": transfer.email},
                    )
                )
    else:
        form = TransferAcceptForm(
            initial={"first_name": transfer.first_name, "last_name": transfer.last_name},
            **form_kwargs,
        )
    response = render(
        request,
        "events/transfer_confirm.html",
        {
            "event": event,
            "transfer": transfer,
            "registrations": registrations,
            "form": form,
            "expires_label": moment(transfer.expires_at),
        },
        status=400 if form.is_bound else 200,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return _private(response)
