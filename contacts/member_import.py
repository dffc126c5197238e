"""The import of the members list staff keep in Excel (CSV or XLSX) into the register.

A file is read row by row (never whole: a CSV through a text stream, an XLSX with openpyxl's
read-only mode) and worked through by chunks of ``CHUNK`` rows: one query fetches the chunk's
existing organisations by SIREN and by name, one the owners of its domains, one the membership
years of its organisations; a real import then writes the chunk with bulk operations in one
transaction. Each row gets a verdict, kept as the import's report: created, updated (with what
changes), unchanged, or refused with French reasons (« SIREN invalide (clé de contrôle
fausse) »). The dry run (``apply=False``) writes nothing but the report.

What an import never does: remove a domain or a membership year, or empty a field (an empty
cell leaves the register as it is). So importing the same file twice changes nothing.

Both passes run in the worker (``run_member_import``, a django-tasks task); the file's bytes
are in the ``MemberImport`` row, so the worker needs no disk shared with the web servers.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

import openpyxl
from django_tasks import task

from wagtail.search.backends import get_search_backends

import pagecache.purge

from . import cleaning
from .identifiers import normalise_domain, normalise_siren, siren_is_valid, validate_domain
from .models import (
    MemberImport,
    MemberImportRow,
    Membership,
    Organisation,
    OrganisationDomain,
    OrganisationType,
)
from .organisations import attach_all

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
CHUNK = 500
Verdict = MemberImportRow.Verdict

# The columns, in the template's order: key, header, what the header may also be written as.
COLUMNS = [
    ("name", "Nom", ("nom", "raison sociale", "organisme")),
    ("short_name", "Nom court", ("nom court", "sigle")),
    ("organisation_type", "Type", ("type", "type d organisme")),
    ("siren", "SIREN", ("siren",)),
    ("domains", "Domaines", ("domaines", "domaine", "domaines e mail", "domaines des adresses")),
    ("address", "Adresse", ("adresse", "adresse postale")),
    ("website", "Site web", ("site web", "site", "site internet")),
    ("years", "Années d'adhésion", ("annees d adhesion", "adhesion", "annees", "adhesions")),
]
HEADERS = {key: header for key, header, _aliases in COLUMNS}
EXAMPLE_ROW = [
    "Habitat Exemple (démo)",
    "Habitat Exemple",
    "OPH",
    "552 100 554",
    "habitat-exemple.fr, idf.habitat-exemple.fr",
    "1 rue de l'Exemple\n75012 Paris",
    "https://www.habitat-exemple.fr",
    "2026, 2027",
]
# Lengths of the register's fields (contacts.models.Organisation).
MAX_LENGTHS = {"name": 200, "short_name": 60, "website": 200, "address": 2000}
FIELDS = ["name", "short_name", "organisation_type", "siren", "address", "website"]
FIELD_LABELS = {
    "name": "nom",
    "short_name": "nom court",
    "organisation_type": "type",
    "siren": "SIREN",
    "address": "adresse",
    "website": "site web",
}
FORMULA_STARTS = ("=", "+", "-", "@")
_SEPARATORS = re.compile(r"[,;\s]+")


class ImportFileError(Exception):
    """The file cannot be read as a members list: the French reason is the message."""


def _words(text):
    """``"Années d’adhésion "`` → ``"annees d adhesion"``: headers and types compared without
    case, accents or punctuation."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_HEADER_KEYS = {_words(alias): key for key, _header, aliases in COLUMNS for alias in aliases}
_TYPES = {
    **{_words(choice.value): choice.value for choice in OrganisationType},
    **{_words(choice.label): choice.value for choice in OrganisationType},
    "sem": OrganisationType.SEM,
    "epl": OrganisationType.SEM,
    "cooperative": OrganisationType.COOP,
    "coop hlm": OrganisationType.COOP,
    "federation": OrganisationType.ASSOCIATION,
    "collectivite": OrganisationType.LOCAL_AUTHORITY,
}


def shown(value, limit=60):
    """A value as a report quotes it: on one line, cut if long."""
    text = cleaning.clean(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Reading the file ----------------------------------------------------------------------------


def read_rows(content, file_format):
    """``(estimate, rows)``: about how many rows the file holds (for the progress bar), and an
    iterator of ``(line, {key: raw text})`` for each non-empty row under the header (line 1),
    numbered as Excel shows them. Raises ImportFileError for a file that cannot be read."""
    if file_format == MemberImport.Format.XLSX:
        estimate, rows = _xlsx_rows(content)
    else:
        estimate, rows = max(content.count(b"\n") - 1, 0), _csv_rows(content)
    return estimate, _under_header(rows)


def _under_header(rows):
    header = next(rows, None)
    if header is None:
        raise ImportFileError("Le fichier est vide : la première ligne doit porter les en-têtes.")
    positions = {}
    for position, title in enumerate(header):
        key = _HEADER_KEYS.get(_words(title))
        if key and key not in positions:
            positions[key] = position
    if "name" not in positions:
        expected = ", ".join(f"« {header} »" for header in HEADERS.values())
        raise ImportFileError(
            "La colonne « Nom » est absente de la première ligne. Les en-têtes attendus sont : "
            f"{expected} (téléchargez le modèle)."
        )
    for line, cells in enumerate(rows, start=2):
        if line > MAX_ROWS + 1:
            raise ImportFileError(
                f"Le fichier compte plus de {MAX_ROWS:,} lignes : découpez-le.".replace(",", " ")
            )
        values = {
            key: _cell_text(cells[position], key) if position < len(cells) else ""
            for key, position in positions.items()
        }
        if any(value.strip() for value in values.values()):
            yield line, values


def _cell_text(value, key):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:09d}" if key == "siren" else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_rows(content):
    """(estimate, rows) of the first sheet, opened once: the estimate comes from the size the
    sheet declares (openpyxl reads it when it opens the sheet)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
    except Exception as error:
        raise ImportFileError(
            "Ce fichier n'est pas un classeur Excel lisible (.xlsx) : enregistrez-le de nouveau "
            "depuis Excel, ou en CSV."
        ) from error
    if sheet is None:
        workbook.close()
        return 0, iter(())
    return max((sheet.max_row or 0) - 1, 0), _sheet_rows(workbook, sheet)


def _sheet_rows(workbook, sheet):
    width = len(COLUMNS) * 4  # the known columns, wherever they are among a few others
    try:
        yield from sheet.iter_rows(values_only=True, max_col=width)
    except Exception as error:
        raise ImportFileError(
            "La lecture du classeur a échoué : enregistrez-le de nouveau depuis Excel."
        ) from error
    finally:
        workbook.close()


def _encoding(content):
    """UTF-8 (with or without BOM) when the bytes are UTF-8, else Windows-1252 as French Excel
    writes a CSV. Checked by pieces: the file is never decoded whole."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(content), 65536):
            decoder.decode(content[start : start + 65536])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _csv_rows(content):
    encoding = _encoding(content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, errors="replace", newline="")
    first_line = text.readline()
    text.seek(0)
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFileError(
            f"Le fichier CSV est illisible vers la ligne {reader.line_num} "
            "(un guillemet non fermé ou une cellule démesurée) : enregistrez-le de nouveau "
            "depuis Excel."
        ) from error


# --- One row ------------------------------------------------------------------------------------


@dataclass
class Row:
    """A row as read, its values cleaned, and what is wrong with it."""

    line: int
    values: dict = field(default_factory=dict)  # the register's fields given (non-empty)
    domains: list = field(default_factory=list)
    years: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def name(self):
        return self.values.get("name", "")

    @property
    def siren(self):
        return self.values.get("siren", "")


def parse(line, raw):
    """A Row from the raw cells of ``line``: values cleaned and checked, reasons in French."""
    row = Row(line=line)
    texts = {}
    for key, value in raw.items():
        multiline = key == "address"
        header = HEADERS[key]
        if cleaning.forbidden(value, multiline=multiline):
            row.errors.append(
                f"la colonne « {header} » contient des caractères non permis "
                "(caractères de contrôle)"
            )
            value = ""
        value = cleaning.clean(value, multiline=multiline)
        if key in ("name", "short_name", "address") and value.startswith(FORMULA_STARTS):
            row.errors.append(
                f"la colonne « {header} » commence par « {value[0]} » comme une formule de "
                "tableur : saisissez le texte lui-même"
            )
            value = ""
        limit = MAX_LENGTHS.get(key)
        if limit and len(value) > limit:
            size = f"{len(value):,}".replace(",", " ")
            row.errors.append(f"la colonne « {header} » dépasse {limit} caractères ({size} reçus)")
            value = ""
        texts[key] = value

    if texts.get("name"):
        row.values["name"] = texts["name"]
    elif not any("« Nom »" in error for error in row.errors):
        row.errors.append("le nom est obligatoire")
    if texts.get("short_name"):
        row.values["short_name"] = texts["short_name"]
    if texts.get("address"):
        row.values["address"] = texts["address"]
    if kind := texts.get("organisation_type"):
        if value := _TYPES.get(_words(kind)):
            row.values["organisation_type"] = value
        else:
            known = ", ".join(choice.label for choice in OrganisationType)
            row.errors.append(f"type « {shown(kind)} » inconnu (types connus : {known})")
    if siren := texts.get("siren"):
        digits = normalise_siren(siren)
        if not re.fullmatch(r"\d{9}", digits):
            row.errors.append(f"SIREN invalide (9 chiffres attendus, « {shown(siren)} » reçu)")
        elif not siren_is_valid(digits):
            row.errors.append("SIREN invalide (clé de contrôle fausse)")
        else:
            row.values["siren"] = digits
    if website := texts.get("website"):
        url = website if re.match(r"^https?://", website, re.IGNORECASE) else f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(url)
            row.values["website"] = url
        except ValidationError:
            row.errors.append(
                f"site web « {shown(website)} » invalide "
                "(par exemple : https://www.habitat-exemple.fr)"
            )
    for text in _SEPARATORS.split(texts.get("domains", "")):
        if not text:
            continue
        domain = normalise_domain(text)
        try:
            if len(domain) > 253:
                raise ValidationError("too long", code="domain_format")
            validate_domain(domain)
        except ValidationError as error:
            if error.code == "domain_public":
                row.errors.append(f"le domaine {domain} est une messagerie grand public")
            else:
                row.errors.append(
                    f"domaine « {shown(text)} » invalide (par exemple : habitat-exemple.fr)"
                )
            continue
        if domain not in row.domains:
            row.domains.append(domain)
    for text in _SEPARATORS.split(texts.get("years", "")):
        if not text:
            continue
        if re.fullmatch(r"\d{4}", text) and 1990 <= int(text) <= 2100:
            if int(text) not in row.years:
                row.years.append(int(text))
        else:
            row.errors.append(f"année d'adhésion « {shown(text)} » invalide (par exemple : 2026)")
    return row


# --- A chunk of rows against the register -------------------------------------------------------


@dataclass
class Outcome:
    line: int
    verdict: str
    name: str
    details: list


@dataclass
class Plan:
    """What the import writes for a row: the organisation (None: a new one), the fields set,
    the domains and membership years added."""

    organisation: Organisation | None
    changes: dict
    domains: list
    years: list


class Importer:
    """Works a file through by chunks; remembers across chunks what earlier lines claimed (a
    SIREN, a name, a domain, an organisation), so that a file cannot contradict itself."""

    def __init__(self, apply):
        self.apply = apply
        self.sirens, self.names, self.domains, self.organisations = {}, {}, {}, {}
        self.changed = False
        self._by_name = None

    @property
    def by_name(self):
        """Every organisation's id by its name in lower case, read once (a few thousand
        short strings): the database's LOWER() folds only ASCII on SQLite, Python's folds
        « Élan » too."""
        if self._by_name is None:
            self._by_name = {
                name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")
            }
        return self._by_name

    def run_chunk(self, rows):
        """The outcomes of ``rows`` (Row), written to the register when ``apply``."""
        valid = [row for row in rows if not row.errors]
        sirens = {row.siren for row in valid if row.siren}
        ids = {self.by_name[name] for row in valid if (name := row.name.lower()) in self.by_name}
        found = Organisation.objects.filter(Q(siren__in=sirens) | Q(pk__in=ids))
        by_siren, by_name = {}, {}
        for organisation in found:
            if organisation.siren:
                by_siren[organisation.siren] = organisation
            by_name[organisation.name.lower()] = organisation
        wanted_domains = {domain for row in valid for domain in row.domains}
        owners = {
            domain: (organisation_id, name)
            for domain, organisation_id, name in OrganisationDomain.objects.filter(
                domain__in=wanted_domains
            ).values_list("domain", "organisation_id", "organisation__name")
        }
        years = {}
        for organisation_id, year in Membership.objects.filter(
            organisation__in={o.pk for o in by_name.values()}
        ).values_list("organisation_id", "year"):
            years.setdefault(organisation_id, set()).add(year)

        outcomes, creations, updates = [], [], []
        for row in rows:
            outcome, plan = self._judge(row, by_siren, by_name, owners, years)
            outcomes.append(outcome)
            if plan and plan.organisation is None:
                creations.append((row, plan))
            elif plan:
                updates.append((row, plan))
        if self.apply and (creations or updates):
            self._write(creations, updates)
        return outcomes

    def _first(self, seen, key, line):
        """The earlier line that claimed ``key``, or None (then ``line`` claims it)."""
        earlier = seen.setdefault(key, line)
        return earlier if earlier != line else None

    def _judge(self, row, by_siren, by_name, owners, years):
        """(Outcome, Plan) for one row; the plan is None when nothing is to be written."""
        errors = list(row.errors)
        if row.siren and (earlier := self._first(self.sirens, row.siren, row.line)):
            errors.append(f"même SIREN que la ligne {earlier}")
        if row.name and (earlier := self._first(self.names, row.name.lower(), row.line)):
            errors.append(f"même nom que la ligne {earlier}")
        for domain in row.domains:
            if earlier := self._first(self.domains, domain, row.line):
                errors.append(f"domaine {domain} déjà donné à la ligne {earlier}")
        name = shown(row.name or "", 200)
        if errors:
            return Outcome(row.line, Verdict.REFUSED, name, errors), None

        organisation = by_siren.get(row.siren) if row.siren else None
        by_siren_match = organisation is not None
        if organisation is None:
            organisation = by_name.get(row.name.lower())
            if organisation and row.siren and organisation.siren:
                errors.append(
                    f"l'organisme « {shown(organisation.name)} » porte déjà le SIREN "
                    f"{organisation.siren}, différent de celui de la ligne"
                )
        elif (
            organisation.name.lower() != row.name.lower()
            and (namesake := by_name.get(row.name.lower()))
            and namesake.pk != organisation.pk
        ):
            errors.append(
                f"le nom « {shown(row.name)} » est déjà celui d'un autre organisme que celui de "
                f"ce SIREN ({shown(organisation.name)})"
            )
        if organisation and (earlier := self._first(self.organisations, organisation.pk, row.line)):
            errors.append(f"même organisme que la ligne {earlier}")
        own_id = organisation.pk if organisation else None
        for domain in row.domains:
            owner = owners.get(domain)
            if owner and owner[0] != own_id:
                errors.append(f"domaine {domain} déjà rattaché à {shown(owner[1])}")
        if errors:
            return Outcome(row.line, Verdict.REFUSED, name, errors), None

        if organisation is None:
            details = self._summary(row)
            plan = Plan(None, dict(row.values), row.domains, row.years)
            return Outcome(row.line, Verdict.CREATE, name, details), plan

        changes, details = {}, []
        for key in FIELDS:
            wanted = row.values.get(key)
            current = getattr(organisation, key)
            if not wanted or wanted == current:
                continue
            if key == "name" and not by_siren_match:
                continue  # found by this name: only its case differs
            if key == "siren" and current:
                continue  # a different SIREN was refused above
            changes[key] = wanted
            details.append(self._change(key, organisation, current, wanted))
        new_domains = [domain for domain in row.domains if domain not in owners]
        new_years = sorted(set(row.years) - years.get(organisation.pk, set()))
        if new_domains:
            details.append("domaines ajoutés : " + ", ".join(new_domains))
        if new_years:
            details.append("années d'adhésion ajoutées : " + ", ".join(map(str, new_years)))
        name = shown(organisation.name if not changes.get("name") else row.name, 200)
        if not details:
            return Outcome(row.line, Verdict.UNCHANGED, name, []), None
        plan = Plan(organisation, changes, new_domains, new_years)
        return Outcome(row.line, Verdict.UPDATE, name, details), plan

    @staticmethod
    def _change(key, organisation, current, wanted):
        label = FIELD_LABELS[key]
        if key == "organisation_type":
            current = organisation.get_organisation_type_display() if current else ""
            wanted = OrganisationType(wanted).label
        if not current:
            return f"{label} ajouté : « {shown(wanted)} »"
        return f"{label} : « {shown(current)} » → « {shown(wanted)} »"

    @staticmethod
    def _summary(row):
        details = []
        if kind := row.values.get("organisation_type"):
            details.append(f"type : {OrganisationType(kind).label}")
        if row.siren:
            details.append(f"SIREN : {row.siren}")
        if row.domains:
            details.append("domaines : " + ", ".join(row.domains))
        if row.years:
            details.append("années d'adhésion : " + ", ".join(map(str, sorted(row.years))))
        return details

    def _write(self, creations, updates):
        """One chunk's creations and updates: bulk inserts and one bulk update."""
        new = Organisation.objects.bulk_create(
            [Organisation(**plan.changes) for _row, plan in creations]
        )
        for organisation, (_row, plan) in zip(new, creations, strict=True):
            plan.organisation = organisation
        changed, fields = [], set()
        for _row, plan in updates:
            if plan.changes:
                for key, value in plan.changes.items():
                    setattr(plan.organisation, key, value)
                fields |= set(plan.changes)
                changed.append(plan.organisation)
        if changed:
            Organisation.objects.bulk_update(changed, sorted(fields))
        for organisation in [*new, *changed]:
            self.by_name[organisation.name.lower()] = organisation.pk
        plans = [plan for _row, plan in creations + updates]
        OrganisationDomain.objects.bulk_create(
            OrganisationDomain(organisation=plan.organisation, domain=domain)
            for plan in plans
            for domain in plan.domains
        )
        Membership.objects.bulk_create(
            Membership(organisation=plan.organisation, year=year)
            for plan in plans
            for year in plan.years
        )
        # The admin's search finds organisations by name: new ones and renamed ones only.
        renamed = [plan.organisation for _row, plan in updates if "name" in plan.changes]
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Organisation, [*new, *renamed])
        self.changed = True


# --- The task -----------------------------------------------------------------------------------

COUNT_FIELDS = {
    Verdict.CREATE: "created_count",
    Verdict.UPDATE: "updated_count",
    Verdict.UNCHANGED: "unchanged_count",
    Verdict.REFUSED: "refused_count",
}


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(member_import, apply, chunk_size=CHUNK):
    """Checks (``apply=False``) or imports the file of ``member_import``, chunk after chunk,
    its progress and report saved after each; then, after an import that changed the
    register, attaches the leads to their organisations and purges the page cache once."""
    MemberImportRow.objects.filter(member_import=member_import).delete()
    counts = dict.fromkeys(COUNT_FIELDS.values(), 0)
    processed = 0
    importer = Importer(apply=apply)
    try:
        estimate, rows = read_rows(bytes(member_import.content), member_import.file_format)
        MemberImport.objects.filter(pk=member_import.pk).update(
            total_rows=estimate, processed_rows=0, error="", **counts
        )
        for chunk in _chunks(rows, chunk_size):
            parsed = [parse(line, raw) for line, raw in chunk]
            with transaction.atomic():
                outcomes = importer.run_chunk(parsed)
                MemberImportRow.objects.bulk_create(
                    MemberImportRow(
                        member_import=member_import,
                        line=outcome.line,
                        verdict=outcome.verdict,
                        name=outcome.name,
                        details=outcome.details,
                    )
                    for outcome in outcomes
                )
                for outcome in outcomes:
                    counts[COUNT_FIELDS[outcome.verdict]] += 1
                processed += len(outcomes)
                MemberImport.objects.filter(pk=member_import.pk).update(
                    processed_rows=processed, total_rows=max(estimate, processed), **counts
                )
    except ImportFileError as error:
        return _finish(member_import, MemberImport.State.FAILED, error=str(error))
    except IntegrityError:
        return _finish(
            member_import,
            MemberImport.State.FAILED,
            error="Le registre a changé pendant l'import (un organisme ou un domaine a été "
            "saisi en même temps) : relancez l'import ; les lignes déjà importées seront "
            "« inchangées ».",
        )
    attached = 0
    if apply and importer.changed:
        attached = attach_all()
        pagecache.purge.purge()
    state = MemberImport.State.DONE if apply else MemberImport.State.CHECKED
    return _finish(member_import, state, total_rows=processed, leads_attached=attached)


def _finish(member_import, state, **fields):
    MemberImport.objects.filter(pk=member_import.pk).update(
        state=state, finished_at=timezone.now(), **fields
    )
    member_import.refresh_from_db()
    return member_import


@task()
def run_member_import(import_id, apply):
    """The worker's pass over one import: the dry run, or the import itself."""
    member_import = MemberImport.objects.filter(pk=import_id).first()
    if member_import is None:
        return None
    expected = MemberImport.State.IMPORTING if apply else MemberImport.State.CHECKING
    if member_import.state != expected:  # enqueued twice, or already done
        return member_import.state
    try:
        return run(member_import, apply=apply).state
    except Exception:
        _finish(
            member_import,
            MemberImport.State.FAILED,
            error="Une erreur inattendue a interrompu le traitement : l'équipe technique en "
            "est avertie ; les lignes déjà importées le restent.",
        )
        raise


def start_check(*, content, file_name, file_format, user):
    """Records an uploaded file and enqueues its dry run. Returns the MemberImport."""
    member_import = MemberImport.objects.create(
        created_by=user,
        file_name=file_name,
        file_format=file_format,
        content=content,
        state=MemberImport.State.CHECKING,
    )
    run_member_import.enqueue(member_import.pk, False)
    return member_import


def start_import(member_import, user):
    """Enqueues the import of a checked file; False when it is not (or no longer) ready (a
    second click, another member of staff first)."""
    taken = MemberImport.objects.filter(
        pk=member_import.pk, state=MemberImport.State.CHECKED
    ).update(state=MemberImport.State.IMPORTING, imported_by=user, processed_rows=0)
    if taken:
        run_member_import.enqueue(member_import.pk, True)
    return bool(taken)


# --- Templates to download ----------------------------------------------------------------------


def template_csv():
    """The template as French Excel opens it: UTF-8 with a BOM, ``;`` between columns."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS.values())
    writer.writerow(EXAMPLE_ROW)
    return codecs.BOM_UTF8 + output.getvalue().encode("utf-8")


def template_xlsx():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Adhérents"
    sheet.append(list(HEADERS.values()))
    sheet.append(EXAMPLE_ROW)
    for cell in sheet[2]:
        cell.number_format = "@"  # text: a SIREN or "2026, 2027" stays as typed
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
