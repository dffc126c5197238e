"""Leads and the export log are contacts' now (contacts 0001): same tables, only the state moves."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("events", "0004_people_in_contacts"),
        ("publications", "0007_publication_date_help_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="downloadrequest",
                    name="lead",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="requests",
                        to="contacts.lead",
                        verbose_name="lead",
                    ),
                ),
                migrations.AlterField(
                    model_name="whitepaperauthor",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contacts.person",
                        verbose_name="personne",
                    ),
                ),
                migrations.AlterField(
                    model_name="whitepaperpage",
                    name="publisher",
                    field=models.ForeignKey(
                        help_text="Par exemple : Fédération des OPH",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="published_papers",
                        to="contacts.organisation",
                        verbose_name="éditeur",
                    ),
                ),
                migrations.AlterField(
                    model_name="whitepaperpage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, to="contacts.theme", verbose_name="thèmes"
                    ),
                ),
                migrations.DeleteModel(
                    name="ExportLog",
                ),
                migrations.DeleteModel(
                    name="Lead",
                ),
            ],
        ),
    ]
