"""Existing events with a registration link register on that site; the "Gestionnaires de
leads" group (publications 0003) sees and exports registrations as it does download requests."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Gestionnaires de leads"
PERMISSIONS = ["view_registration", "export_registration"]


def external_mode_for_links(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    EventPage.objects.exclude(registration_url="").update(registration_mode="external")


def grant_lead_managers(apps, schema_editor):
    # Permissions are normally made after migrations; make this app's now, so they can be granted.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events",
            content_type__model="registration",
            codename__in=PERMISSIONS,
        )
    )


def revoke_lead_managers(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="events", codename__in=PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_registrations"),
        ("publications", "0003_lead_managers_group"),
    ]

    operations = [
        migrations.RunPython(external_mode_for_links, migrations.RunPython.noop),
        migrations.RunPython(grant_lead_managers, revoke_lead_managers),
    ]
