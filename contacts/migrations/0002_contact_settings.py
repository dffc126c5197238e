"""The club's identity and its personal-data promises, moved from home's site settings (which
the forms, the retention and an event's structured data read) to a setting of their own here:
the values are copied, then home 0005 drops its fields."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = ("organisation_name", "contact_email", "privacy_page_id", "lead_retention_months")


def copy_from_site_settings(apps, schema_editor):
    SiteSettings = apps.get_model("home", "SiteSettings")
    ContactSettings = apps.get_model("contacts", "ContactSettings")
    db = schema_editor.connection.alias
    for old in SiteSettings.objects.using(db).all():
        ContactSettings.objects.using(db).create(
            **{field: getattr(old, field) for field in FIELDS}
        )


def copy_back(apps, schema_editor):
    SiteSettings = apps.get_model("home", "SiteSettings")
    ContactSettings = apps.get_model("contacts", "ContactSettings")
    db = schema_editor.connection.alias
    new = ContactSettings.objects.using(db).first()
    if new is not None:
        SiteSettings.objects.using(db).update(**{field: getattr(new, field) for field in FIELDS})


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("home", "0004_french_workflow_and_group_names"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('organisation_name', models.CharField(default='Club Management HLM', max_length=200, verbose_name="nom de l'organisation")),
                ('contact_email', models.EmailField(blank=True, help_text='Affichée en pied de page', max_length=254, verbose_name='adresse de contact')),
                ('lead_retention_months', models.PositiveSmallIntegerField(default=36, help_text='Les leads sans demande plus récente sont supprimés au-delà de cette durée', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='durée de conservation des leads (mois)')),
                ('privacy_page', models.ForeignKey(blank=True, help_text='Liée depuis les formulaires (livres blancs, inscriptions) et le pied de page', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='page « politique de confidentialité »')),
            ],
            options={
                'verbose_name': 'coordonnées et données personnelles',
            },
        ),
        migrations.RunPython(copy_from_site_settings, copy_back),
    ]
