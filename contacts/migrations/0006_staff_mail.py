"""The mail admin and the staff's notifications: lead managers may send a failed mail again
(the new permission, granted to their group), and choose how they hear of new leads."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Gestionnaires de leads"
CODENAME = "retry_outboundemail"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("contacts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.using(db).filter(content_type__app_label="contacts", codename=CODENAME)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    Permission.objects.using(db).filter(
        content_type__app_label="contacts", codename=CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_consent_lifecycle"),
        ("contacts", "0003_lead_managers_see_the_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="outboundemail",
            options={
                "permissions": [
                    ("retry_outboundemail", "Peut relancer l'envoi d'un e-mail en échec")
                ],
                "verbose_name": "e-mail à envoyer",
                "verbose_name_plural": "e-mails à envoyer",
            },
        ),
        migrations.CreateModel(
            name="StaffNotificationPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("none", "Rien"),
                            (
                                "immediate",
                                "Un e-mail à chaque nouveau lead et chaque nouvelle inscription",
                            ),
                            ("daily", "Un récapitulatif quotidien"),
                        ],
                        default="none",
                        max_length=10,
                        verbose_name="nouveaux leads et inscriptions",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="utilisateur",
                    ),
                ),
            ],
            options={
                "verbose_name": "préférence de notification",
                "verbose_name_plural": "préférences de notification",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
