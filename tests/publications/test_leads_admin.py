"""Rules 4 and 5: only lead managers see and export leads; exports are logged and safe."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from contacts.models import ExportLog, Lead
from publications.models import DownloadRequest, PaperDailyViews
from tests.factories.publications import DownloadRequestFactory, LeadFactory

PASSWORD = "un mot de passe assez long"
LEAD_URLS = [
    "/admin/demandes/",
    "/admin/demandes/?export=csv",
    "/admin/demandes/?export=xlsx",
    "/admin/leads/",
    "/admin/leads/inspect/{lead}/",
    "/admin/exports-leads/",
]


@pytest.fixture
def lead(paper):
    lead = LeadFactory(first_name="Marie", last_name="Dupont", email="marie@oph-exemple.fr")
    DownloadRequestFactory(lead=lead, paper=paper)
    return lead


@pytest.fixture
def make_user(django_user_model):
    def make(username, *, group=None, superuser=False, editor=False):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        user.is_superuser = superuser
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        if editor:
            user.groups.add(Group.objects.get(name="Éditeurs"))
        return user

    return make


@pytest.fixture
def manager_client(client, make_user):
    client.force_login(make_user("gestionnaire", group="Gestionnaires de leads"))
    return client


def urls_for(lead):
    return [url.format(lead=lead.pk) for url in LEAD_URLS]


# --- Who sees what --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, lead):
    for url in urls_for(lead):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_editors_see_nothing_of_leads(client, lead, make_user):
    client.force_login(make_user("editrice", editor=True))

    for url in urls_for(lead):
        assert client.get(url).status_code in (302, 403), url
    home = client.get("/admin/").content.decode()
    assert "/admin/demandes/" not in home
    assert "Demandes de livres blancs" not in home
    assert ExportLog.objects.count() == 0


def test_lead_managers_see_and_export(manager_client, lead):
    for url in urls_for(lead):
        assert manager_client.get(url).status_code == 200, url
    home = manager_client.get("/admin/").content.decode()
    assert "/admin/demandes/" in home
    assert "Demandes de livres blancs" in home  # the dashboard panel


def test_superusers_see_and_export(client, lead, make_user):
    client.force_login(make_user("admin", superuser=True))

    for url in urls_for(lead):
        assert client.get(url).status_code == 200, url


def test_a_viewer_without_the_export_permission_cannot_export(client, lead, make_user):
    user = make_user("lectrice")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_downloadrequest"),
    )
    client.force_login(user)

    assert client.get("/admin/demandes/").status_code == 200
    assert "export=csv" not in client.get("/admin/demandes/").content.decode()
    assert client.get("/admin/demandes/?export=csv").status_code in (302, 403)
    assert ExportLog.objects.count() == 0


@pytest.mark.parametrize("superuser", [False, True])
def test_nobody_adds_or_edits_leads_by_hand(client, lead, make_user, superuser):
    client.force_login(make_user("quelquun", group="Gestionnaires de leads", superuser=superuser))
    request = DownloadRequest.objects.get()

    for url in (
        "/admin/leads/new/",
        f"/admin/leads/edit/{lead.pk}/",
        f"/admin/leads/delete/{lead.pk}/",
        "/admin/demandes/new/",
        f"/admin/demandes/edit/{request.pk}/",
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"/admin/leads/edit/{lead.pk}/", {"first_name": "X"}).status_code in (
        302,
        403,
    )
    lead.refresh_from_db()
    assert lead.first_name == "Marie"


def test_a_leads_page_shows_their_requests_and_consent(manager_client, lead):
    html = manager_client.get(f"/admin/leads/inspect/{lead.pk}/").content.decode()

    assert "marie@oph-exemple.fr" in html
    assert "Un livre blanc" in html
    assert "J&#x27;accepte." in html


# --- The list -------------------------------------------------------------------------------


def test_search_and_filters(manager_client, lead, catalogue):
    from tests.factories.publications import WhitePaperPageFactory

    other_paper = WhitePaperPageFactory(parent=catalogue, slug="autre")
    DownloadRequestFactory(
        lead=LeadFactory(last_name="Martin", organisation_type="esh"), paper=other_paper
    )

    def names(query):
        response = manager_client.get(f"/admin/demandes/{query}")
        return {row.lead.last_name for row in response.context["object_list"]}

    assert names("?q=dupont") == {"Dupont"}
    assert names(f"?paper={other_paper.pk}") == {"Martin"}
    assert names("?organisation_type=esh") == {"Martin"}
    assert names("?ordering=lead__last_name") == {"Dupont", "Martin"}


# --- Exports --------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+33 1 23 45 67 89", "-2+3", "@SUM(A1)", "\tcaché", "\rretour"]


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for French Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_suits_french_excel(manager_client, lead):
    response = manager_client.get("/admin/demandes/?export=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, row = read_csv(response)
    assert header[:5] == ["Date de la demande", "Livre blanc", "Prénom", "Nom", "E-mail"]
    request = DownloadRequest.objects.get()
    assert row[0] == timezone.localtime(request.created_at).strftime("%d/%m/%Y %H:%M")
    assert row[2:5] == ["Marie", "Dupont", "marie@oph-exemple.fr"]
    assert row[6] == "OPH"


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_no_cell_can_run_as_a_formula(manager_client, paper, dangerous):
    lead = LeadFactory(
        first_name=dangerous, last_name=dangerous, organisation=dangerous, job_title=dangerous
    )
    DownloadRequestFactory(lead=lead, paper=paper, utm_source=dangerous)

    (_, row) = read_csv(manager_client.get("/admin/demandes/?export=csv"))
    workbook = load_workbook(
        io.BytesIO(b"".join(manager_client.get("/admin/demandes/?export=xlsx").streaming_content))
    )
    xlsx_row = [cell.value for cell in list(workbook.active.iter_rows())[1]]

    # XML reads a carriage return back as a line feed: the cell still starts with "'".
    for cells, expected in (
        (row, "'" + dangerous),
        (xlsx_row, "'" + dangerous.replace("\r", "\n")),
    ):
        texts = [cell for cell in cells if isinstance(cell, str)]
        assert expected in texts
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in texts)
    for cell in list(workbook.active.iter_rows())[1]:
        assert cell.data_type != "f"


def test_xlsx_opens_with_openpyxl(manager_client, lead):
    response = manager_client.get("/admin/demandes/?export=xlsx")

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][2:5] == ("Prénom", "Nom", "E-mail")
    assert rows[1][2:5] == ("Marie", "Dupont", "marie@oph-exemple.fr")
    assert rows[1][0] == timezone.localtime(DownloadRequest.objects.get().created_at).replace(
        tzinfo=None, microsecond=0
    ) or rows[1][0].replace(microsecond=0)


def test_an_export_holds_only_the_filtered_rows_and_is_logged(manager_client, lead, paper):
    DownloadRequestFactory(lead=LeadFactory(organisation_type="esh"), paper=paper)

    rows = read_csv(manager_client.get("/admin/demandes/?organisation_type=esh&export=csv"))

    assert len(rows) == 2
    assert rows[1][6] == "ESH"
    log = ExportLog.objects.get()
    assert log.username == "gestionnaire"
    assert log.format == "csv"
    assert log.source == "admin"
    assert log.filters == {"organisation_type": "esh"}
    assert log.row_count == 1
    assert "gestionnaire" in manager_client.get("/admin/exports-leads/").content.decode()


def test_the_export_command_uses_the_same_filters(lead, paper, tmp_path, capsys):
    DownloadRequestFactory(lead=LeadFactory(organisation_type="esh"), paper=paper)

    call_command("export_leads", organisation_type="esh", output=str(tmp_path / "l.csv"))
    call_command("export_leads", format="xlsx", output=str(tmp_path / "l.xlsx"))

    text = (tmp_path / "l.csv").read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 2
    assert load_workbook(tmp_path / "l.xlsx").active.max_row == 3
    assert list(ExportLog.objects.values_list("source", "row_count").order_by("pk")) == [
        ("command", 1),
        ("command", 2),
    ]


def test_the_export_command_refuses_bad_filters(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Filtres non valables"):
        call_command("export_leads", since="hier")


# --- Personal-data rights ---------------------------------------------------------------------


def test_a_person_is_erased_and_the_counts_stay(client, lead, paper, make_user):
    client.force_login(make_user("dpo", superuser=True))

    response = client.post(f"/admin/leads/{lead.pk}/effacer/")

    assert response.status_code == 302
    assert not Lead.objects.exists()
    request = DownloadRequest.objects.get()
    assert request.lead is None and request.paper == paper
    assert request.referrer == "" and request.page_url == ""


def test_lead_managers_cannot_erase_without_the_permission(manager_client, lead):
    assert manager_client.post(f"/admin/leads/{lead.pk}/effacer/").status_code in (302, 403)
    assert Lead.objects.exists()


def test_purge_removes_leads_past_the_retention(paper, capsys):
    old = LeadFactory(email="ancien@oph-exemple.fr")
    DownloadRequestFactory(lead=old, paper=paper)
    DownloadRequest.objects.filter(lead=old).update(
        created_at=timezone.now() - timedelta(days=37 * 31)
    )
    recent = LeadFactory(email="recent@oph-exemple.fr")
    DownloadRequestFactory(lead=recent, paper=paper)

    call_command("purge_leads", dry_run=True)
    assert "1 lead(s)" in capsys.readouterr().out
    assert Lead.objects.count() == 2

    call_command("purge_leads")
    assert list(Lead.objects.values_list("email", flat=True)) == ["recent@oph-exemple.fr"]
    assert DownloadRequest.objects.count() == 2


def test_purge_follows_the_site_setting(paper):
    from contacts.models import ContactSettings

    settings = ContactSettings.load()
    settings.lead_retention_months = 1
    settings.save()
    lead = LeadFactory()
    DownloadRequestFactory(lead=lead, paper=paper)
    DownloadRequest.objects.update(created_at=timezone.now() - timedelta(days=40))

    call_command("purge_leads")

    assert not Lead.objects.exists()


# --- Dashboard and report -------------------------------------------------------------------


def test_page_views_are_counted_for_the_report(client, paper, submit):
    client.get(paper.url)
    client.get(paper.url)
    submit()  # reads the form once more (a view), then posts it (not a view)

    assert PaperDailyViews.objects.get(paper=paper).views == 3


def test_the_report_shows_weekly_requests_and_conversion(manager_client, lead, paper):
    PaperDailyViews.objects.create(paper=paper, day=timezone.localdate(), views=4)
    DownloadRequest.objects.update(download_count=2)
    call_command("recount_paper_totals")  # written past the services, as in bulk

    response = manager_client.get("/admin/rapport-leads/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Un livre blanc" in html
    row = response.context["papers"][0]
    assert (row.views, row.requests, row.downloads) == (4, 1, 2)
    assert (row.request_rate, row.download_rate) == (25, 100)
    assert sum(bar.count for bar in row.weekly) == 1
    assert "<svg" in html and 'role="img"' in html


def test_editors_do_not_get_the_report(client, lead, make_user):
    client.force_login(make_user("editrice", editor=True))

    assert client.get("/admin/rapport-leads/").status_code in (302, 403)
