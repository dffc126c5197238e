"""What staff wrote to an event's registrants from the admin: who, when, to whom, what."""

import uuid

from django.conf import settings
from django.db import models


class RegistrantMessage(models.Model):
    """One message to the confirmed and/or waiting registrants of an event (or of one séance),
    each mail of which went through the outbox, owed once per message and person."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", "Les inscrits confirmés"
        WAITING = "waiting", "La liste d'attente"
        BOTH = "both", "Les inscrits confirmés et la liste d'attente"

    # One per form shown: a second click or a retry of the same form sends nothing more.
    token = models.UUIDField("jeton", unique=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name="événement",
        on_delete=models.CASCADE,
        related_name="registrant_messages",
    )
    session = models.ForeignKey(
        "events.EventSession",
        verbose_name="séance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField("destinataires", max_length=10, choices=Audience.choices)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by_name = models.CharField("envoyé par (nom)", max_length=255, blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)
    recipient_count = models.PositiveIntegerField("nombre de destinataires", default=0)

    class Meta:
        verbose_name = "message aux inscrits"
        verbose_name_plural = "messages aux inscrits"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.subject} ({self.event})"
