"""The people domain moved to contacts with its rows: a database built with the migrations of
before the move, holding a lead, a download request, a registration, a mail, an organisation
with a person, a theme and a lead manager allowed to erase, is migrated forward and every row
is found through the new models, the permission still held.

It builds its own database (a temporary SQLite file, or a new PostgreSQL database when
DATABASE_URL is PostgreSQL) and migrates it twice: slow, and the only proof that an existing
site keeps its data. Keep it (marked ``migrations``).
"""

import functools
import json
import os
import subprocess  # nosec B404 - runs manage.py
import sys
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

import pytest

pytestmark = pytest.mark.migrations

ALIAS = "forward_migration"
ROOT = Path(__file__).resolve().parents[2]
# Today's leaves, before contacts existed.
BEFORE = [
    ("home", "0004_french_workflow_and_group_names"),
    ("events", "0003_registration_mode_and_lead_managers"),
    ("publications", "0007_publication_date_help_text"),
    ("search", "0002_search_document_index"),
]


class EverythingToTheNewDatabase:
    """Routes every query there, so that has_perm reads the migrated rows."""

    def db_for_read(self, model, **hints):
        return ALIAS

    def db_for_write(self, model, **hints):
        return ALIAS

    def allow_relation(self, *objects, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return True


@pytest.fixture
def new_database(tmp_path, django_db_blocker):
    """A database of its own, empty, under the alias ALIAS; dropped afterwards."""
    default = connections.settings["default"]
    config = {**default, "TEST": {}}
    created_pg = None
    with django_db_blocker.unblock():
        if default["ENGINE"] == "django.db.backends.postgresql":
            created_pg = f"{default['NAME']}_forward_{uuid.uuid4().hex[:8]}"
            _pg_admin(default, f'CREATE DATABASE "{created_pg}"')
            config["NAME"] = created_pg
        else:
            config["NAME"] = str(tmp_path / "before.sqlite3")
        connections.settings[ALIAS] = config
        try:
            yield ALIAS
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
            if created_pg:
                _pg_admin(default, f'DROP DATABASE IF EXISTS "{created_pg}"')


def _pg_admin(default, statement):
    """Runs CREATE or DROP DATABASE from the server's maintenance database (autocommit)."""
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=default.get("USER") or None,
        password=default.get("PASSWORD") or None,
        host=default.get("HOST") or None,
        port=default.get("PORT") or None,
        autocommit=True,
    ) as admin:
        admin.execute(statement)


def _historical_apps(alias, targets):
    executor = MigrationExecutor(connections[alias])
    return executor.loader.project_state(targets).apps


def test_a_database_of_before_the_move_keeps_every_row_and_permission(new_database):
    # The migrations run in processes of their own on that database as their default (some
    # data migrations, Wagtail's among them, write to the default database whatever they run on).
    # One process migrates to before the move and fills the database, a second one migrates it
    # forward (each process start costs seconds).
    run = functools.partial(_manage, new_database)
    ids = json.loads(run("shell", "-c", BUILD_BEFORE).splitlines()[-1])
    run("migrate")

    with override_settings(DATABASE_ROUTERS=[EverythingToTheNewDatabase()]):
        _check_with_new_models(ids, ALIAS)


BUILD_BEFORE = (
    "import json; from django.core.management import call_command; "
    "from tests.contacts.test_forward_migration import BEFORE, _fill_with_historical_models, "
    "_historical_apps; "
    "[call_command('migrate', app, name, verbosity=0) for app, name in BEFORE]; "
    "print(json.dumps(_fill_with_historical_models(_historical_apps('default', BEFORE), "
    "'default')))"
)


def _manage(alias, *args):
    """``manage.py *args`` on the new database, with the test settings; its standard output."""
    config = connections.settings[alias]
    if config["ENGINE"] == "django.db.backends.postgresql":
        auth = config.get("USER") or ""
        if config.get("PASSWORD"):
            auth += f":{config['PASSWORD']}"
        host = f"{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}"
        url = f"postgresql://{auth + '@' if auth else ''}{host}/{config['NAME']}"
    else:
        url = f"sqlite:///{config['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args, "--verbosity", "0"]
        if args[0] == "migrate"
        else [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _fill_with_historical_models(apps, db):
    """One row of each kind the move concerns, written as the code of before wrote them."""
    get = apps.get_model
    theme = get("home", "Theme").objects.using(db).create(name="Proximité", slug="proximite")
    organisation = get("home", "Organisation").objects.using(db).create(name="Fédération des OPH")
    person = (
        get("home", "Person")
        .objects.using(db)
        .create(first_name="Anne", last_name="Martin", organisation=organisation)
    )
    lead = (
        get("publications", "Lead")
        .objects.using(db)
        .create(
            email="anne.martin@oph-exemple.fr",
            first_name="Anne",
            last_name="Martin",
            organisation="OPH Exemple",
            organisation_type="oph",
            job_title="Directrice",
        )
    )
    download_request = (
        get("publications", "DownloadRequest")
        .objects.using(db)
        .create(
            lead=lead,
            paper_title="Habiter demain",
            consent_text="J'accepte.",
            page_url="https://club.example.org/livres-blancs/habiter-demain/",
        )
    )
    ContentType = get("contenttypes", "ContentType")
    event_type, _ = ContentType.objects.using(db).get_or_create(
        app_label="events", model="eventpage"
    )
    kind = (
        get("events", "EventKind")
        .objects.using(db)
        .create(name="Atelier du club", slug="atelier-du-club")
    )
    event = (
        get("events", "EventPage")
        .objects.using(db)
        .create(
            title="Atelier proximité",
            draft_title="Atelier proximité",
            slug="atelier-proximite",
            path="00010099",
            depth=2,
            content_type=event_type,
            locale=get("wagtailcore", "Locale").objects.using(db).first(),
            kind=kind,
        )
    )
    # modelcluster's relation defers .add() to a save: write the row of the table itself.
    themes = get("events", "EventPage").themes.through
    themes.objects.using(db).create(eventpage_id=event.pk, theme_id=theme.pk)
    get("events", "EventPerson").objects.using(db).create(page=event, person=person)
    registration = (
        get("events", "Registration")
        .objects.using(db)
        .create(event=event, lead=lead, status="confirmed", consent_text="J'accepte.")
    )
    mail = (
        get("home", "OutboundEmail")
        .objects.using(db)
        .create(to=lead.email, subject="Votre livre blanc", body="Le lien…")
    )
    Permission = get("auth", "Permission")
    erase = Permission.objects.using(db).get(
        content_type__app_label="publications", codename="erase_lead"
    )
    group = get("auth", "Group").objects.using(db).create(name="Délégués à la protection")
    group.permissions.add(erase)
    user = get("auth", "User").objects.using(db).create(username="dpo", is_active=True)
    user.groups.add(group)
    managers = get("auth", "Group").objects.using(db).get(name="Gestionnaires de leads")
    manager = get("auth", "User").objects.using(db).create(username="gestionnaire")
    manager.groups.add(managers)
    return {
        "theme": theme.pk,
        "organisation": organisation.pk,
        "person": person.pk,
        "lead": lead.pk,
        "request": download_request.pk,
        "event": event.pk,
        "registration": registration.pk,
        "mail": mail.pk,
        "user": user.pk,
        "manager": manager.pk,
    }


def _check_with_new_models(ids, db):
    from contacts.models import ContactSettings, Lead, Organisation, OutboundEmail, Person, Theme
    from events.models import EventPage, EventPerson, Registration
    from publications.models import DownloadRequest

    lead = Lead.objects.using(db).get(pk=ids["lead"])
    assert lead.email == "anne.martin@oph-exemple.fr"
    download_request = DownloadRequest.objects.using(db).get(pk=ids["request"])
    assert download_request.lead_id == lead.pk
    assert list(lead.requests.using(db).values_list("pk", flat=True)) == [ids["request"]]
    # The leads list's stored counts were filled from the requests (publications 0010).
    assert (lead.request_count, lead.last_request_at) == (1, download_request.created_at)
    registration = Registration.objects.using(db).get(pk=ids["registration"])
    assert (registration.lead_id, registration.event_id) == (lead.pk, ids["event"])
    mail = OutboundEmail.objects.using(db).get(pk=ids["mail"])
    assert mail.to == lead.email and mail.sent_at is None
    person = Person.objects.using(db).get(pk=ids["person"])
    assert person.organisation == Organisation.objects.using(db).get(pk=ids["organisation"])
    event = EventPage.objects.using(db).get(pk=ids["event"])
    theme = Theme.objects.using(db).get(pk=ids["theme"])
    # Through the page's relations as Wagtail reads them (modelcluster's, on the default
    # database), the same rows through the tables kept.
    themes = EventPage.themes.through.objects.using(db).filter(eventpage_id=event.pk)
    assert list(themes.values_list("theme__name", flat=True)) == [theme.name]
    people = EventPerson.objects.using(db).filter(page_id=event.pk)
    assert list(people.values_list("person__last_name", flat=True)) == [person.last_name]
    # The settings the move split from home's are there, with their defaults.
    assert ContactSettings.objects.using(db).count() <= 1

    User = get_user_model()
    user = User.objects.using(db).get(pk=ids["user"])
    assert user.has_perm("contacts.erase_lead")
    manager = User.objects.using(db).get(pk=ids["manager"])
    assert manager.has_perm("contacts.view_lead")
    assert manager.has_perm("contacts.view_exportlog")
    assert manager.has_perm("contacts.view_outboundemail")
    assert manager.has_perm("publications.export_downloadrequest")
    assert manager.has_perm("events.view_registration")
    assert not manager.has_perm("contacts.erase_lead")
