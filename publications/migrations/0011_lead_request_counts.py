"""Fills the leads' stored request counts (contacts 0011) from the requests they made."""

from django.db import migrations
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_requests(apps, schema_editor):
    Lead = apps.get_model("contacts", "Lead")
    DownloadRequest = apps.get_model("publications", "DownloadRequest")
    theirs = DownloadRequest.objects.filter(lead=OuterRef("pk")).order_by().values("lead")
    Lead.objects.filter(pk__in=DownloadRequest.objects.values("lead")).update(
        request_count=Coalesce(
            Subquery(theirs.annotate(n=Count("*")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        ),
        last_request_at=Subquery(theirs.annotate(last=Max("created_at")).values("last")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0011_lead_request_counts"),
        ("publications", "0010_paper_totals"),
    ]

    operations = [migrations.RunPython(count_requests, migrations.RunPython.noop, elidable=True)]
