"""Staff import a members file through its dry run: refused lines with their reasons, then the
import, and the imported organisation in the register."""

import re

from django.contrib.auth import get_user_model

from playwright.sync_api import expect

from tests.e2e.admin import log_in

from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"
MEMBERS_CSV = (
    "Nom;Nom court;Type;SIREN;Domaines;Adresse;Site web;Années d'adhésion\r\n"
    "Office Parcours Exemple (démo);OPE;OPH;775 678 907;parcours-exemple.fr;;;2026, 2027\r\n"
    "Coopérative au SIREN faux (démo);;Coopérative HLM;775678900;;;;2026\r\n"
    "Gmail Habitat (démo);;ESH;;gmail.com;;;\r\n"
).encode("utf-8-sig")


def test_staff_import_a_members_file_through_its_dry_run(page, site_url):
    get_user_model().objects.create_superuser("importatrice", password=PASSWORD)
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "importatrice", PASSWORD)

    page.goto(f"{site_url}/admin/snippets/contacts/organisation/")
    page.get_by_role("link", name="Importer des adhérents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des adhérents")
    expect(page.get_by_role("link", name="modèle Excel (.xlsx)")).to_be_visible()
    page.get_by_label("Fichier des adhérents (CSV ou Excel .xlsx)").set_input_files(
        {"name": "adherents.csv", "mimeType": "text/csv", "buffer": MEMBERS_CSV}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_text("Vérification terminée, rien n'est encore enregistré")).to_be_visible()
    report = page.locator("table.listing")
    expect(report).to_contain_text("ligne 3 : SIREN invalide (clé de contrôle fausse)")
    expect(report).to_contain_text("ligne 4 : le domaine gmail.com est une messagerie grand public")
    expect(report).to_contain_text("Office Parcours Exemple (démo)")
    page.get_by_role("link", name=re.compile(r"^Refusé \(2\)")).click()
    expect(report.locator("tbody tr")).to_have_count(2)

    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Import terminé")).to_be_visible()
    expect(page.get_by_text("1 organisme(s) créé(s)")).to_be_visible()
    page.get_by_role("link", name="Voir les organisations").click()
    expect(page.get_by_role("link", name="Office Parcours Exemple (démo)")).to_be_visible()
    expect(page.get_by_text("Coopérative au SIREN faux (démo)")).to_have_count(0)
