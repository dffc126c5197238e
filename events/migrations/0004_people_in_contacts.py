"""Organisations, people, themes and leads are contacts' now: same tables, only the state moves."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("events", "0003_registration_mode_and_lead_managers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="eventorganisation",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_roles",
                        to="contacts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="eventpage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        related_name="events",
                        to="contacts.theme",
                        verbose_name="thèmes",
                    ),
                ),
                migrations.AlterField(
                    model_name="eventperson",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_roles",
                        to="contacts.person",
                        verbose_name="personne",
                    ),
                ),
                migrations.AlterField(
                    model_name="eventsession",
                    name="speakers",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        related_name="event_sessions",
                        to="contacts.person",
                        verbose_name="intervenants de la séance",
                    ),
                ),
                migrations.AlterField(
                    model_name="registration",
                    name="lead",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="registrations",
                        to="contacts.lead",
                        verbose_name="personne",
                    ),
                ),
            ],
        ),
    ]
