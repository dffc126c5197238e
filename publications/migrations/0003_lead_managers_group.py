"""The "Gestionnaires de leads" group: admin access, view leads and requests, export them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Gestionnaires de leads"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("publications", "lead", "view_lead"),
    ("publications", "downloadrequest", "view_downloadrequest"),
    ("publications", "downloadrequest", "export_downloadrequest"),
    ("publications", "exportlog", "view_exportlog"),
]


def create_group(apps, schema_editor):
    # Permissions are normally made after migrations; make this app's now, so they can be granted.
    app_config = apps.get_app_config("publications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label,
                content_type__model=model,
                codename=codename,
            )
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_leads_admin"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
