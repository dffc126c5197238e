"""The admin page from which staff write to an event's registrants: the form, the preview of
the mail as it will be sent, a test copy to themselves, then the sending
(events.registrant_messages)."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .models import EventPage, RegistrantMessage
from .models.inlines import number_sessions
from .registrant_messages import (
    can_write_to_registrants,
    recipients,
    render,
    send,
    send_test,
)


class RegistrantMessageForm(forms.Form):
    session = forms.ModelChoiceField(
        label="Séance",
        queryset=None,
        required=False,
        empty_label="Tout l'événement",
        help_text="Choisissez une séance pour n'écrire qu'à ses inscrits.",
    )
    audience = forms.ChoiceField(
        label="Destinataires",
        choices=RegistrantMessage.Audience.choices,
        initial=RegistrantMessage.Audience.CONFIRMED,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(
        label="Objet",
        max_length=200,
        help_text="Par exemple : Informations pratiques pour l'atelier du 12 mars",
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Texte simple. « Bonjour Prénom, » est ajouté au début, l'adresse du club à "
        "la fin.",
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = number_sessions(event.sessions.order_by("sort_order"))
        self.fields["session"].queryset = event.sessions.order_by("sort_order")
        labels = {session.pk: f"{session} ({session.date:%d/%m/%Y})" for session in sessions}
        self.fields["session"].label_from_instance = lambda session: labels.get(
            session.pk, str(session)
        )


def write_to_registrants(request, event_id):
    if not can_write_to_registrants(request.user):
        raise PermissionDenied
    event = get_object_or_404(EventPage, pk=event_id)
    preview = None
    count = None
    if request.method == "POST":
        form = RegistrantMessageForm(request.POST, event=event)
        action = request.POST.get("action")
        if form.is_valid():
            data = form.cleaned_data
            session, audience = data["session"], data["audience"]
            people = recipients(event, session, audience)
            count = len(people)
            if action == "send":
                message, created = send(
                    token=data["token"],
                    user=request.user,
                    event=event,
                    session=session,
                    audience=audience,
                    subject=data["subject"],
                    body=data["body"],
                )
                if created:
                    messages.success(
                        request,
                        f"Message « {message.subject} » envoyé à "
                        f"{message.recipient_count} personne(s).",
                    )
                else:
                    messages.info(request, "Ce message a déjà été envoyé : rien n'est reparti.")
                return redirect(reverse("events_write_to_registrants", args=[event.pk]))
            if action == "test":
                if request.user.email:
                    send_test(request.user, event, session, data["subject"], data["body"])
                    messages.success(
                        request, f"Un e-mail de test est parti à {request.user.email}."
                    )
                else:
                    messages.error(
                        request, "Votre compte n'a pas d'adresse e-mail : ajoutez-en une."
                    )
            first = people[0].lead.first_name if people else request.user.first_name
            preview = render(event, session, data["subject"], data["body"], first)
    else:
        form = RegistrantMessageForm(event=event, initial={"token": uuid.uuid4()})
    return TemplateResponse(
        request,
        "events/admin/write_to_registrants.html",
        {
            "event": event,
            "form": form,
            "preview": preview,
            "count": count,
            "sent": RegistrantMessage.objects.filter(event=event).select_related("session")[:20],
            "registrations_url": f"{reverse('inscriptions:index')}?event={event.pk}",
        },
    )
