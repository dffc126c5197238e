"""The import of the members list: the dry run's report row by row, the import, the same file
again, updates, refusals, hostile cells, encodings, permissions and the report's queries."""

import csv
import html
import io
import re

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import openpyxl
import pytest

from contacts import member_import
from contacts.models import (
    MemberImport,
    MemberImportRow,
    Membership,
    Organisation,
    OrganisationDomain,
    OrganisationLink,
    OrganisationType,
)
from tests.factories.publications import LeadFactory

UPLOAD = "/admin/importer-adherents/"
PASSWORD = "mot de passe assez long"
HEADER = [
    "Nom",
    "Nom court",
    "Type",
    "SIREN",
    "Domaines",
    "Adresse",
    "Site web",
    "Années d'adhésion",
]
# SIRENs whose check key is right (Luhn), and one whose key is wrong.
SIREN_A, SIREN_B, SIREN_C, SIREN_D = "775678907", "300001005", "412345670", "123456782"
BAD_KEY = "775678900"


def csv_bytes(rows, *, header=HEADER, encoding="utf-8-sig", delimiter=";"):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return output.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(client, content, name):
    """Uploads a file; the dry run runs at once (tests run tasks immediately)."""
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return MemberImport.objects.latest("pk")


def text_of(response):
    """A page's text, as read: tags dropped, entities decoded, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def report_text(client, an_import, query=""):
    response = client.get(f"{UPLOAD}{an_import.pk}/{query}")
    assert response.status_code == 200
    return text_of(response)


def verdicts(an_import):
    return dict(an_import.rows.values_list("line", "verdict"))


def register():
    """What the register holds, to compare before and after."""
    return {
        "organisations": sorted(
            Organisation.objects.values_list(
                "name", "short_name", "organisation_type", "siren", "address", "website"
            )
        ),
        "domains": sorted(OrganisationDomain.objects.values_list("organisation__name", "domain")),
        "years": sorted(Membership.objects.values_list("organisation__name", "year")),
    }


@pytest.fixture
def habitat_y(db):
    """An organisation already in the register, with a domain and a membership year."""
    organisation = Organisation.objects.create(
        name="Habitat Y",
        short_name="HY",
        organisation_type=OrganisationType.ESH,
        siren=SIREN_D,
        address="2 rue Haute\n69000 Lyon",
    )
    OrganisationDomain.objects.create(organisation=organisation, domain="habitat-y.fr")
    Membership.objects.create(organisation=organisation, year=2025)
    return organisation


def mixed_rows():
    """Good and bad rows; the comments give each one's line number in the file."""
    return [
        # 2: created
        [
            "Office Exemple",
            "OE",
            "OPH",
            SIREN_A,
            "office-exemple.fr; idf.office-exemple.fr",
            "1 rue Basse\n75012 Paris",
            "www.office-exemple.fr",
            "2026, 2027",
        ],
        # 3: updated (found by its SIREN): short name and a year added
        ["Habitat Y", "Habitat Y Lyon", "ESH", SIREN_D, "", "", "", "2025 2026"],
        # 4: refused, wrong check key
        ["Coop Faux SIREN", "", "Coopérative HLM", BAD_KEY, "", "", "", "2026"],
        # 5: refused, a public provider's domain
        ["Société Gmail", "", "ESH", "", "gmail.com", "", "", ""],
        # 6: refused, a domain another organisation holds
        ["Voleur de domaine", "", "", "", "habitat-y.fr", "", "", ""],
        # 7: refused, the SIREN of line 2
        ["Doublon SIREN", "", "", SIREN_A, "", "", "", ""],
        # 8: refused, no name
        ["", "Sans nom", "OPH", "", "", "", "", ""],
        # 9: refused, unknown type and bad year
        ["Type inconnu", "", "Bailleur", "", "", "", "", "20x6"],
        # 10: created, type by its label, no domain
        ["SEM Exemple", "", "sem / epl", SIREN_B, "", "", "", "2026"],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_dry_run_reports_each_row_then_the_import_writes_and_again_changes_nothing(
    editor_client, habitat_y, file_format
):
    content = (csv_bytes if file_format == "csv" else xlsx_bytes)(mixed_rows())
    before = register()

    checked = upload(editor_client, content, f"adherents.{file_format}")

    assert checked.state == MemberImport.State.CHECKED
    assert register() == before  # a dry run writes nothing to the register
    create, update, refused = "create", "update", "refused"
    assert verdicts(checked) == {
        2: create, 3: update, 4: refused, 5: refused, 6: refused, 7: refused, 8: refused,
        9: refused, 10: create,
    }  # fmt: skip
    assert (checked.created_count, checked.updated_count, checked.refused_count) == (2, 1, 6)
    text = report_text(editor_client, checked)
    assert "Vérification terminée, rien n'est encore enregistré" in text
    for message in [
        "ligne 4 : SIREN invalide (clé de contrôle fausse)",
        "ligne 5 : le domaine gmail.com est une messagerie grand public",
        "ligne 6 : domaine habitat-y.fr déjà rattaché à Habitat Y",
        "ligne 7 : même SIREN que la ligne 2",
        "ligne 8 : le nom est obligatoire",
        "ligne 9 : type « Bailleur » inconnu",
        "ligne 9 : année d'adhésion « 20x6 » invalide",
        "nom court : « HY » → « Habitat Y Lyon »",
        "années d'adhésion ajoutées : 2026",
    ]:
        assert message in text
    refused_only = report_text(editor_client, checked, "?verdict=refused")
    assert "Office Exemple" not in refused_only and "Coop Faux SIREN" in refused_only

    response = editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    assert response.status_code == 302
    checked.refresh_from_db()
    assert checked.state == MemberImport.State.DONE
    assert (checked.created_count, checked.updated_count, checked.refused_count) == (2, 1, 6)
    office = Organisation.objects.get(siren=SIREN_A)
    assert (office.name, office.short_name, office.organisation_type) == (
        "Office Exemple",
        "OE",
        "oph",
    )
    assert office.address == "1 rue Basse\n75012 Paris"
    assert office.website == "https://www.office-exemple.fr"
    assert sorted(office.domains.values_list("domain", flat=True)) == [
        "idf.office-exemple.fr",
        "office-exemple.fr",
    ]
    assert sorted(office.memberships.values_list("year", flat=True)) == [2026, 2027]
    assert Organisation.objects.get(siren=SIREN_B).organisation_type == OrganisationType.SEM
    habitat_y.refresh_from_db()
    assert habitat_y.short_name == "Habitat Y Lyon"
    assert habitat_y.address == "2 rue Haute\n69000 Lyon"  # an empty cell changes nothing
    assert sorted(habitat_y.memberships.values_list("year", flat=True)) == [2025, 2026]
    assert not Organisation.objects.filter(name__in=["Coop Faux SIREN", "Société Gmail"]).exists()
    assert "Import terminé" in report_text(editor_client, checked)
    after_import = register()

    again = upload(editor_client, content, f"adherents.{file_format}")
    assert set(verdicts(again).values()) == {"unchanged", "refused"}
    assert again.unchanged_count == 3
    editor_client.post(f"{UPLOAD}{again.pk}/importer/")
    again.refresh_from_db()
    assert again.state == MemberImport.State.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert register() == after_import


@pytest.mark.django_db
def test_an_update_changes_only_what_differs_and_never_removes(editor_client, habitat_y):
    content = csv_bytes(
        [["habitat y", "", "OPH", "", "habitat-y-lyon.fr", "", "habitat-y.fr", "2024"]]
    )
    checked = upload(editor_client, content, "maj.csv")
    text = report_text(editor_client, checked)
    assert verdicts(checked) == {2: "update"}
    assert "type : « ESH » → « OPH »" in text
    assert "site web ajouté : « https://habitat-y.fr »" in text
    assert "domaines ajoutés : habitat-y-lyon.fr" in text
    assert "nom :" not in text  # found by its name: only the case differs

    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    habitat_y.refresh_from_db()
    assert habitat_y.name == "Habitat Y"
    assert (habitat_y.short_name, habitat_y.siren) == ("HY", SIREN_D)  # empty cells: kept
    assert habitat_y.organisation_type == OrganisationType.OPH
    assert sorted(habitat_y.domains.values_list("domain", flat=True)) == [
        "habitat-y-lyon.fr",
        "habitat-y.fr",
    ]
    assert sorted(habitat_y.memberships.values_list("year", flat=True)) == [2024, 2025]


@pytest.mark.django_db
def test_a_row_that_contradicts_the_register_is_refused(editor_client, habitat_y):
    Organisation.objects.create(name="Autre Office", siren=SIREN_C)
    content = csv_bytes(
        [
            # Autre Office's name with another SIREN than its own
            ["Autre Office", "", "", SIREN_A, "", "", "", ""],
            # Autre Office's SIREN, renamed to the name Habitat Y holds
            ["HABITAT Y", "", "", SIREN_C, "", "", "", ""],
            # a domain given by two lines
            ["Nouveau A", "", "", "", "commun.fr", "", "", ""],
            ["Nouveau B", "", "", "", "commun.fr", "", "", ""],
        ]
    )
    checked = upload(editor_client, content, "contradictions.csv")
    text = report_text(editor_client, checked)
    assert verdicts(checked) == {2: "refused", 3: "refused", 4: "create", 5: "refused"}
    assert f"ligne 2 : l'organisme « Autre Office » porte déjà le SIREN {SIREN_C}" in text
    assert "ligne 3 : le nom « HABITAT Y » est déjà celui d'un autre organisme" in text
    assert "ligne 5 : domaine commun.fr déjà donné à la ligne 4" in text


@pytest.mark.django_db
def test_hostile_cells_are_refused_and_break_no_page(editor_client, habitat_y):
    long_name = "Office " + "x" * 10_000
    content = csv_bytes(
        [
            ["Nul\x00Office", "", "", "", "", "", "", ""],
            ["Contrôle\x1b[31m", "", "", "", "", "", "", ""],
            [long_name, "", "", "", "", "", "", ""],
            ['=HYPERLINK("https://pirate.example";"clic")', "", "", "", "", "", "", ""],
            ["Office \u202eeD", "@SUM(1)", "", "", "", "", "", ""],
            ["Office correct", "", "", "", "a" * 300 + ".fr", "", "javascript:alert(1)", ""],
            ["Office <script>alert(1)</script>", "", "", "", "", "", "", "2026\x00"],
        ]
    )
    checked = upload(editor_client, content, "hostile\x00<script>.csv")

    assert checked.state == MemberImport.State.CHECKED
    assert set(verdicts(checked).values()) == {"refused"}
    text = report_text(editor_client, checked)
    assert "ligne 2 : la colonne « Nom » contient des caractères non permis" in text
    assert "ligne 3 : la colonne « Nom » contient des caractères non permis" in text
    assert "ligne 4 : la colonne « Nom » dépasse 200 caractères (10 007 reçus)" in text
    assert "ligne 5 : la colonne « Nom » commence par « = » comme une formule" in text
    assert "ligne 6 : la colonne « Nom court » commence par « @ »" in text
    assert "ligne 7 : domaine « aaaa" in text
    assert "ligne 7 : site web « javascript:alert(1) » invalide" in text
    assert "ligne 8 : la colonne « Années d'adhésion » contient des caractères non permis" in text
    page = editor_client.get(f"{UPLOAD}{checked.pk}/").content.decode()
    assert "<script>alert" not in page
    names = list(checked.rows.values_list("name", flat=True))
    assert all(len(name) <= 200 and "\x00" not in name and "\u202e" not in name for name in names)
    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    assert Organisation.objects.count() == 1
    for url in (UPLOAD, f"{UPLOAD}{checked.pk}/", "/admin/snippets/contacts/organisation/"):
        assert editor_client.get(url).status_code == 200


@pytest.mark.django_db
def test_an_excel_formula_is_refused_not_evaluated(editor_client):
    content = xlsx_bytes(
        [
            ['=HYPERLINK("https://pirate.example","clic")', "", "", "", "", "", "", ""],
            ["Office Exemple", "", "", 775678907, "", "", "", 2026],  # numbers, as Excel keeps them
        ]
    )
    checked = upload(editor_client, content, "formule.xlsx")
    assert verdicts(checked) == {2: "refused", 3: "create"}
    assert "ligne 2 : la colonne « Nom » commence par « = »" in report_text(editor_client, checked)
    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    office = Organisation.objects.get()
    assert (office.name, office.siren) == ("Office Exemple", SIREN_A)
    assert list(office.memberships.values_list("year", flat=True)) == [2026]


@pytest.mark.django_db
def test_a_windows_1252_csv_with_commas_and_loose_headers(editor_client):
    header = ["  NOM ", "type d'organisme", "Siren", "domaine", "annees d’adhesion"]
    rows = [
        [
            "Société d'HLM Évry-Courcouronnes",
            "Coopérative HLM",
            "775 678 907",
            "evry-hlm.fr",
            "2026",
        ],
        ["Fédération Île-de-France", "fédération ou association", "", "", ""],
    ]
    content = csv_bytes(rows, header=header, encoding="cp1252", delimiter=",")
    checked = upload(editor_client, content, "excel-français.csv")
    assert verdicts(checked) == {2: "create", 3: "create"}
    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    evry = Organisation.objects.get(siren=SIREN_A)
    assert evry.name == "Société d'HLM Évry-Courcouronnes"
    assert evry.organisation_type == OrganisationType.COOP
    assert Organisation.objects.get(name="Fédération Île-de-France").organisation_type == (
        OrganisationType.ASSOCIATION
    )


@pytest.mark.django_db
def test_files_that_cannot_be_read_get_a_french_message(editor_client, settings):
    response = editor_client.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", b"not a zip")})
    assert "n'est pas un classeur Excel .xlsx" in text_of(response)
    response = editor_client.post(UPLOAD, {"file": SimpleUploadedFile("a.xls", b"Nom\n")})
    assert "Choisissez un fichier CSV (.csv) ou Excel (.xlsx)" in text_of(response)
    big = b"Nom\n" + b"x" * member_import.MAX_BYTES
    response = editor_client.post(UPLOAD, {"file": SimpleUploadedFile("gros.csv", big)})
    assert "la limite est de 5 Mo" in text_of(response)
    assert MemberImport.objects.count() == 0

    failed = upload(editor_client, csv_bytes([["x"]], header=["Raison"]), "sans-nom.csv")
    assert failed.state == MemberImport.State.FAILED
    assert "La colonne « Nom » est absente" in report_text(editor_client, failed)
    broken = b"PK\x03\x04" + b"\x00" * 100
    failed = upload(editor_client, broken, "casse.xlsx")
    assert failed.state == MemberImport.State.FAILED
    assert "n'est pas un classeur Excel lisible" in failed.error


@pytest.mark.django_db
def test_the_templates_download_and_import_as_they_are(editor_client):
    response = editor_client.get(f"{UPLOAD}modele.csv")
    assert response["Content-Disposition"] == 'attachment; filename="modele-adherents.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER and rows[1][0] == "Habitat Exemple (démo)"
    response = editor_client.get(f"{UPLOAD}modele.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    checked = upload(editor_client, response.content, "modele.xlsx")
    assert verdicts(checked) == {2: "create"}


@pytest.mark.django_db
def test_the_import_attaches_leads_and_purges_the_cache_once(editor_client, monkeypatch):
    lead = LeadFactory(email="marie@idf.office-exemple.fr")
    purges = []
    monkeypatch.setattr(member_import.pagecache.purge, "purge", lambda: purges.append(1))
    rows = [[f"Office {n}", "", "", "", f"office-{n}.fr", "", "", ""] for n in range(5)]
    rows.append(["Office Exemple", "", "", "", "office-exemple.fr", "", "", "2026"])
    content = csv_bytes(rows)
    checked = upload(editor_client, content, "a.csv")
    assert purges == []
    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    checked.refresh_from_db()
    lead.refresh_from_db()
    assert lead.linked_organisation.name == "Office Exemple"
    assert lead.organisation_link == OrganisationLink.DOMAIN
    assert checked.leads_attached == 1
    assert purges == [1]
    again = upload(editor_client, content, "a.csv")
    editor_client.post(f"{UPLOAD}{again.pk}/importer/")
    assert purges == [1]  # nothing changed: nothing purged


@pytest.mark.django_db
def test_a_file_is_worked_through_by_chunks_that_remember_earlier_lines(django_user_model):
    rows = [[f"Office {n}", "", "", "", f"office-{n}.fr", "", "", "2026"] for n in range(7)]
    rows.append(["Office 0 bis", "", "", "", "office-1.fr", "", "", ""])
    an_import = MemberImport.objects.create(
        file_name="a.csv",
        file_format="csv",
        content=csv_bytes(rows),
        state=MemberImport.State.IMPORTING,
    )
    member_import.run(an_import, apply=True, chunk_size=3)
    assert (an_import.state, an_import.created_count, an_import.refused_count) == ("done", 7, 1)
    assert an_import.rows.get(line=9).details == ["domaine office-1.fr déjà donné à la ligne 3"]
    assert Organisation.objects.count() == 7
    assert Membership.objects.count() == 7


@pytest.mark.django_db
def test_the_status_endpoint_says_how_far_the_worker_is(editor_client):
    running = MemberImport.objects.create(
        file_name="a.csv",
        file_format="csv",
        content=b"",
        state=MemberImport.State.CHECKING,
        total_rows=200,
        processed_rows=50,
    )
    assert editor_client.get(f"{UPLOAD}{running.pk}/etat/").json() == {
        "state": "checking",
        "state_label": "vérification en cours",
        "running": True,
        "processed": 50,
        "total": 200,
        "percent": 25,
    }
    page = editor_client.get(f"{UPLOAD}{running.pk}/").content.decode()
    assert "<progress" in page and "js/member-import-progress.js" in page
    # The import button does nothing while the check runs.
    editor_client.post(f"{UPLOAD}{running.pk}/importer/")
    running.refresh_from_db()
    assert running.state == MemberImport.State.CHECKING


@pytest.fixture
def checked_import(db):
    return MemberImport.objects.create(
        file_name="a.csv", file_format="csv", content=b"", state=MemberImport.State.CHECKED
    )


@pytest.mark.django_db
def test_staff_without_the_rights_get_403(client, django_user_model, checked_import):
    user = django_user_model.objects.create_user("lectrice", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_organisation"),  # change alone is not enough
    )
    client.force_login(user)
    for url in (
        "",
        "modele.csv",
        "modele.xlsx",
        f"{checked_import.pk}/",
        f"{checked_import.pk}/etat/",
    ):
        assert client.get(UPLOAD + url).status_code == 403, url
    content = csv_bytes([["Office", "", "", "", "", "", "", ""]])
    assert client.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", content)}).status_code == 403
    assert client.post(f"{UPLOAD}{checked_import.pk}/importer/").status_code == 403
    checked_import.refresh_from_db()
    assert checked_import.state == MemberImport.State.CHECKED
    listing = client.get("/admin/snippets/contacts/organisation/").content.decode()
    assert "Importer des adhérents" not in listing

    user.user_permissions.add(Permission.objects.get(codename="add_organisation"))
    user = django_user_model.objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 200
    assert (
        "Importer des adhérents"
        in client.get("/admin/snippets/contacts/organisation/").content.decode()
    )


@pytest.mark.django_db
def test_the_posts_need_the_csrf_token(django_user_model, checked_import):
    user = django_user_model.objects.create_superuser("editrice", password=PASSWORD)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    content = csv_bytes([["Office", "", "", "", "", "", "", ""]])
    assert client.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", content)}).status_code == 403
    assert client.post(f"{UPLOAD}{checked_import.pk}/importer/").status_code == 403
    checked_import.refresh_from_db()
    assert checked_import.state == MemberImport.State.CHECKED
    assert MemberImport.objects.count() == 1


@pytest.mark.django_db
def test_the_report_and_the_upload_page_keep_their_queries_bounded(
    editor_client, checked_import, django_assert_max_num_queries
):
    MemberImportRow.objects.bulk_create(
        MemberImportRow(
            member_import=checked_import,
            line=line,
            verdict=["create", "update", "unchanged", "refused"][line % 4],
            name=f"Office {line}",
            details=[f"raison {line}", "autre raison"],
        )
        for line in range(2, 2002)
    )
    for _ in range(12):
        MemberImport.objects.create(
            file_name="b.csv", file_format="csv", content=b"x" * 1000, state="done"
        )
    with django_assert_max_num_queries(12):
        response = editor_client.get(f"{UPLOAD}{checked_import.pk}/?verdict=refused&p=2")
    text = report_text(editor_client, checked_import, "?verdict=refused&p=2")
    assert response.status_code == 200
    assert "Page 2 sur 5" in text and "ligne 403 : raison 403" in text
    with django_assert_max_num_queries(12):
        assert editor_client.get(UPLOAD).status_code == 200


@pytest.mark.django_db
def test_staff_follow_the_worker_from_the_upload_to_the_report(editor_client, settings):
    """With a real worker the upload answers at once: the page shows the progress until the
    worker has run the task, then the report."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    content = csv_bytes([["Office Exemple", "", "OPH", "", "", "", "", "2026"]])
    waiting = upload(editor_client, content, "a.csv")
    assert waiting.state == MemberImport.State.CHECKING
    response = editor_client.get(f"{UPLOAD}{waiting.pk}/")
    assert "Vérification en cours" in text_of(response)
    assert f"{UPLOAD}{waiting.pk}/importer/" not in response.content.decode()  # no button yet
    assert editor_client.get(f"{UPLOAD}{waiting.pk}/etat/").json()["running"] is True

    member_import.run_member_import.call(waiting.pk, False)  # what the worker runs
    assert editor_client.get(f"{UPLOAD}{waiting.pk}/etat/").json()["running"] is False
    assert "Vérification terminée" in report_text(editor_client, waiting)
    editor_client.post(f"{UPLOAD}{waiting.pk}/importer/")
    assert not Organisation.objects.exists()  # enqueued, not run yet
    member_import.run_member_import.call(waiting.pk, True)
    member_import.run_member_import.call(waiting.pk, True)  # a second delivery does nothing
    assert Organisation.objects.get().name == "Office Exemple"
    assert "Import terminé" in report_text(editor_client, waiting)


@pytest.mark.django_db
def test_a_name_is_matched_whatever_its_case_accents_included(editor_client):
    elan = Organisation.objects.create(name="Élan Habitat")
    content = csv_bytes([["ÉLAN HABITAT", "EH", "", "", "elan-habitat.fr", "", "", "2026"]])
    checked = upload(editor_client, content, "a.csv")
    assert verdicts(checked) == {2: "update"}
    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    assert Organisation.objects.get() == elan
    elan.refresh_from_db()
    assert (elan.name, elan.short_name) == ("Élan Habitat", "EH")


@pytest.mark.django_db
def test_a_file_too_long_is_refused_whole(editor_client, monkeypatch):
    monkeypatch.setattr(member_import, "MAX_ROWS", 3)
    content = csv_bytes([[f"Office {n}", "", "", "", "", "", "", ""] for n in range(4)])
    checked = upload(editor_client, content, "long.csv")
    assert checked.state == MemberImport.State.FAILED
    assert "Le fichier compte plus de 3 lignes : découpez-le." in report_text(
        editor_client, checked
    )
    editor_client.post(f"{UPLOAD}{checked.pk}/importer/")
    assert not Organisation.objects.exists()
