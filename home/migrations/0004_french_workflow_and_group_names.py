"""Wagtail's default moderation workflow, its task and its two groups, named in French.

Wagtail's migrations create them with English names ("Moderators approval", "Moderators",
"Editors") that editors read in the admin ("Soumettre à Moderators approval"). Only rows still
bearing the default name are renamed: a name an administrator chose is left alone."""

from django.db import migrations

WORKFLOW = ("Moderators approval", "Validation par les modérateurs")
GROUPS = [("Moderators", "Modérateurs"), ("Editors", "Éditeurs")]


def rename(apps, pairs_by_model):
    for model_name, pairs in pairs_by_model.items():
        model = apps.get_model(*model_name.split("."))
        for old, new in pairs:
            if not model.objects.filter(name=new).exists():
                model.objects.filter(name=old).update(name=new)


def to_french(apps, schema_editor):
    rename(
        apps,
        {
            "wagtailcore.Workflow": [WORKFLOW],
            "wagtailcore.Task": [WORKFLOW],
            "auth.Group": GROUPS,
        },
    )


def to_english(apps, schema_editor):
    reverse = {
        "wagtailcore.Workflow": [WORKFLOW[::-1]],
        "wagtailcore.Task": [WORKFLOW[::-1]],
        "auth.Group": [pair[::-1] for pair in GROUPS],
    }
    rename(apps, reverse)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_outbound_email_attachments"),
        # After every migration of Wagtail's that finds these groups by their English name.
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(to_french, to_english)]
