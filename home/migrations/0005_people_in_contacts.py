"""Themes, organisations, people and the outbox are contacts' now (contacts 0001): same tables,
only the state moves. The club's identity and personal-data settings were copied to contacts'
settings (contacts 0002): home drops its fields."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_people_in_contacts"),
        ("home", "0004_french_workflow_and_group_names"),
        ("publications", "0008_leads_in_contacts"),
        ("contacts", "0002_contact_settings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="person",
                    name="organisation",
                ),
                migrations.DeleteModel(
                    name="OutboundEmail",
                ),
                migrations.DeleteModel(
                    name="Theme",
                ),
                migrations.DeleteModel(
                    name="Organisation",
                ),
                migrations.DeleteModel(
                    name="Person",
                ),
            ],
        ),
        migrations.RemoveField(
            model_name="sitesettings",
            name="contact_email",
        ),
        migrations.RemoveField(
            model_name="sitesettings",
            name="lead_retention_months",
        ),
        migrations.RemoveField(
            model_name="sitesettings",
            name="organisation_name",
        ),
        migrations.RemoveField(
            model_name="sitesettings",
            name="privacy_page",
        ),
    ]
