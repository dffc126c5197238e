"""The "Gestionnaires de leads" group (publications 0003) reads the outbox's listing: the mails
the site owes the leads they manage, and why one failed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Gestionnaires de leads"


def grant(apps, schema_editor):
    # Permissions are normally made after migrations; make this app's now, so they can be granted.
    app_config = apps.get_app_config("contacts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.using(db).filter(
            content_type__app_label="contacts", codename="view_outboundemail"
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for group in Group.objects.using(db).filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="contacts", codename="view_outboundemail"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_contact_settings"),
        ("publications", "0003_lead_managers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
