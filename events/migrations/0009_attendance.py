"""Check-in: who came to each séance; lead managers check people in and undo it (the model's
add, delete and view permissions, granted to their group)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Gestionnaires de leads"
CODENAMES = ["add_attendance", "delete_attendance", "view_attendance"]


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
            content_type__app_label="events", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for group in Group.objects.using(db).filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="events", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_waiting_list_offers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Attendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "checked_in_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="pointée le"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[("qr", "QR code"), ("name", "Recherche par nom")],
                        max_length=4,
                        verbose_name="méthode",
                    ),
                ),
                (
                    "checked_in_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="pointée par",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendances",
                        to="events.registration",
                        verbose_name="inscription",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendances",
                        to="events.eventsession",
                        verbose_name="séance",
                    ),
                ),
            ],
            options={
                "verbose_name": "présence",
                "verbose_name_plural": "présences",
                "ordering": ["session__sort_order", "checked_in_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("registration", "session"),
                        name="events_attendance_once_per_session",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
