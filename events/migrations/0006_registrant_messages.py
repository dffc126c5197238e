"""The log of what staff write to an event's registrants; lead managers may write (the model's
add permission, granted to their group)."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Gestionnaires de leads"
CODENAME = "add_registrantmessage"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.using(db).filter(
            content_type__app_label="events", codename__in=[CODENAME, "view_registrantmessage"]
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for group in Group.objects.using(db).filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="events",
                codename__in=[CODENAME, "view_registrantmessage"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_registration_mails"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrantMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="jeton"
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("confirmed", "Les inscrits confirmés"),
                            ("waiting", "La liste d'attente"),
                            ("both", "Les inscrits confirmés et la liste d'attente"),
                        ],
                        max_length=10,
                        verbose_name="destinataires",
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="objet")),
                ("body", models.TextField(verbose_name="message")),
                (
                    "sent_by_name",
                    models.CharField(blank=True, max_length=255, verbose_name="envoyé par (nom)"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True, db_index=True, verbose_name="envoyé le"
                    ),
                ),
                (
                    "recipient_count",
                    models.PositiveIntegerField(default=0, verbose_name="nombre de destinataires"),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="registrant_messages",
                        to="events.eventpage",
                        verbose_name="événement",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="envoyé par",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="events.eventsession",
                        verbose_name="séance",
                    ),
                ),
            ],
            options={
                "verbose_name": "message aux inscrits",
                "verbose_name_plural": "messages aux inscrits",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
