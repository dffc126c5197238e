"""Who came: one row per registration and séance where staff checked the person in (by the QR
code of their confirmation mail, or found by name), removed again when staff undo it.

A check-in is always for one séance, ``session`` is never empty: a one-session event's
check-in points at its only séance, and a registration for the whole of a cycle is checked in
séance by séance. The attendance sheet, the export and the certificate (which needs each
séance's date and hours) then read every event the same way.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Attendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", "QR code"
        NAME = "name", "Recherche par nom"

    registration = models.ForeignKey(
        "events.Registration",
        verbose_name="inscription",
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        "events.EventSession",
        verbose_name="séance",
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    checked_in_at = models.DateTimeField("pointée le", default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pointée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField("méthode", max_length=4, choices=Method.choices)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        ordering = ["session__sort_order", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="events_attendance_once_per_session"
            )
        ]

    def __str__(self):
        return f"{self.registration_id} – {self.session_id} – {self.checked_in_at:%d/%m/%Y %H:%M}"
