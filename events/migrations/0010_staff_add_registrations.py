"""Lead managers book for someone from the admin (a phone booking): the registrations' add
permission, granted to their group (they change and cancel them since 0005)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Gestionnaires de leads"
CODENAMES = ["add_registration"]


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
    dependencies = [("events", "0009_attendance")]

    operations = [migrations.RunPython(grant, revoke)]
