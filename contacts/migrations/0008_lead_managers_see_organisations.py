"""The lead managers read the register of organisations (they do not edit it) and attach a
lead to an organisation by hand (the new permission, granted to their group); a bilan
d'adhésion's export is logged as its own list."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Gestionnaires de leads"
CODENAMES = ["view_organisation", "attach_lead"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("contacts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.using(db).filter(
            content_type__app_label="contacts", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for group in Group.objects.using(db).filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="contacts", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_organisation_register"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="lead",
            options={
                "permissions": [
                    ("erase_lead", "Peut effacer les données personnelles d'un lead"),
                    ("attach_lead", "Peut rattacher un lead à un organisme, ou l'en détacher"),
                ],
                "verbose_name": "lead",
                "verbose_name_plural": "leads",
            },
        ),
        migrations.AlterField(
            model_name="exportlog",
            name="dataset",
            field=models.CharField(
                choices=[
                    ("requests", "Demandes de livres blancs"),
                    ("registrations", "Inscriptions aux événements"),
                    ("leads", "Leads"),
                    ("export_log", "Journal des exports"),
                    ("search_terms", "Termes de recherche"),
                    ("personal_data", "Ses propres données (droit d'accès)"),
                    ("erasure", "Effacement demandé par la personne"),
                    ("bilan", "Bilan d'adhésion d'un organisme"),
                ],
                default="requests",
                max_length=15,
                verbose_name="liste exportée",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
