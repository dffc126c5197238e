"""Large admin exports written by the worker (issue #25): past the threshold the export is a
job with a progress page, then a download kept a day, for its starter only; the same export
asked twice is one job; the log records it, failed too; hostile filters do not break it."""

import threading
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

import pytest

from contacts import export_jobs, exports
from contacts.models import ExportJob, ExportLog
from publications.models import DownloadRequest
from tests.exports import body, csv_rows, formula_cells, hostile_texts, workbook
from tests.factories.publications import DownloadRequestFactory, LeadFactory

from .conftest import visible_text

LIST = "/admin/demandes/"
QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def background(settings):
    """Exports of more than 3 rows go to the worker."""
    settings.EXPORT_BACKGROUND_ROWS = 3
    return settings


@pytest.fixture
def queued(background):
    """A worker that has not run yet: tasks wait in the queue until the test runs them."""
    background.TASKS = QUEUE
    return background


@pytest.fixture
def requests(db):
    created = timezone.make_aware(timezone.datetime(2026, 3, 14, 9, 30))
    for index in range(5):
        DownloadRequestFactory(
            lead=LeadFactory(
                first_name=f'=HYPERLINK("http://evil.example","{index}")',
                last_name=f"Nom {index}",
                email=f"personne{index}@oph-exemple.fr",
            ),
            paper_title=f"Livre {index % 2}",
        )
    DownloadRequest.objects.update(created_at=created)
    return DownloadRequest.objects.all()


def job_url(job, tail=""):
    return f"/admin/exports-en-preparation/{job.pk}/{tail}"


def run_worker():
    """What the worker does with the queue: each job, once."""
    for job in ExportJob.objects.filter(state=ExportJob.State.QUEUED):
        export_jobs.run_export_job.call(job.pk)


def test_under_the_threshold_the_export_is_a_direct_download(manager_client, requests, settings):
    settings.EXPORT_BACKGROUND_ROWS = 5
    response = manager_client.get(f"{LIST}?export=csv")
    assert response.status_code == 200 and response.streaming
    assert len(csv_rows(response)) == 6
    assert not ExportJob.objects.exists()
    assert ExportLog.objects.get().status == ExportLog.Status.DONE


def test_over_the_threshold_the_export_is_a_job_with_its_progress_page(
    manager_client, requests, queued, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = manager_client.get(f"{LIST}?export=xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    log = ExportLog.objects.get()
    assert (log.status, log.format, log.dataset) == ("running", "xlsx", "requests")

    page = manager_client.get(job_url(job))
    text = visible_text(page)
    assert "0 ligne(s) écrite(s) sur …" in text
    content = page.content.decode()
    assert 'role="progressbar"' in content and 'aria-valuenow="0"' in content
    assert "Actualiser la page" in content  # without JavaScript
    assert manager_client.get(job_url(job, "etat/")).json() == {
        "state": "queued",
        "state_label": "en attente",
        "running": True,
        "written": 0,
        "total": 0,
        "written_label": "0",
        "total_label": "…",
        "percent": 0,
    }
    assert manager_client.get(job_url(job, "fichier/")).status_code == 404  # not written yet

    run_worker()

    status = manager_client.get(job_url(job, "etat/")).json()
    assert (status["running"], status["written"], status["total"], status["percent"]) == (
        False,
        5,
        5,
        100,
    )
    text = visible_text(manager_client.get(job_url(job)))
    assert "Le fichier est prêt : 5 ligne(s)" in text and "Télécharger le fichier" in text
    log.refresh_from_db()
    assert (log.status, log.row_count) == ("done", 5)


def test_the_written_file_is_the_filtered_list_safe_to_open(manager_client, requests, background):
    """Run at once (the tests' immediate worker): the file opens with openpyxl, its formulas
    neutralised, its dates real dates in the French format, its header bold and frozen."""
    response = manager_client.get(f"{LIST}?export=xlsx&paper_title=&q=oph-exemple")
    job = ExportJob.objects.get()
    assert response["Location"] == job_url(job)
    download = manager_client.get(job_url(job, "fichier/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="demandes-')
    sheet = workbook(download).active
    rows = [list(row) for row in sheet.iter_rows()]
    assert len(rows) == 6
    assert not formula_cells([[cell.value for cell in row] for row in rows])
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert '\'=HYPERLINK("http://evil.example","0")' in [cell.value for row in rows for cell in row]
    date_cell = rows[1][0]
    assert date_cell.value == timezone.datetime(2026, 3, 14, 9, 30)
    assert date_cell.number_format == exports.DATETIME_FORMAT
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in rows[0])


def test_a_csv_job_is_for_french_excel(manager_client, requests, background):
    manager_client.get(f"{LIST}?export=csv")
    job = ExportJob.objects.get()
    rows = csv_rows(manager_client.get(job_url(job, "fichier/")))
    assert len(rows) == 6 and rows[1][0] == "14/03/2026 09:30"
    assert not formula_cells(rows)


def test_the_same_export_asked_again_is_the_same_job(manager_client, requests, queued):
    first = manager_client.get(f"{LIST}?export=xlsx&p=2")
    second = manager_client.get(f"{LIST}?ordering=-created_at&export=xlsx", follow=True)
    job = ExportJob.objects.get()
    assert first["Location"] == second.redirect_chain[0][0] == job_url(job)
    assert "Cet export est déjà en préparation" in visible_text(second)
    assert ExportLog.objects.count() == 1

    # Another format, other filters, another member of staff: other exports.
    manager_client.get(f"{LIST}?export=csv")
    manager_client.get(f"{LIST}?export=xlsx&organisation_type=oph")
    assert ExportJob.objects.count() == 3

    run_worker()
    manager_client.get(f"{LIST}?export=xlsx")  # done: asking again writes a fresh file
    assert ExportJob.objects.count() == 4


def test_two_running_jobs_cannot_share_a_fingerprint(requests, make_user):
    user = make_user("gestionnaire", group="Gestionnaires de leads")

    def job():
        log = ExportLog.objects.create(format="xlsx", source="admin", user=user)
        return ExportJob.objects.create(log=log, user=user, key="k" * 64, path=LIST)

    first = job()
    with pytest.raises(IntegrityError), transaction.atomic():
        job()
    ExportJob.objects.filter(pk=first.pk).update(state=ExportJob.State.DONE)
    job()  # once the first is done, the same export may run again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections: PostgreSQL")
def test_two_requests_at_the_same_moment_make_one_job(make_user, queued, monkeypatch):
    user = make_user("gestionnaire", group="Gestionnaires de leads")
    for _ in range(5):
        DownloadRequestFactory()
    both_looked = threading.Barrier(2, timeout=10)
    fingerprint = export_jobs.fingerprint

    def looked_together(*args):
        # Both requests have their fingerprint before either looks for a running job.
        key = fingerprint(*args)
        both_looked.wait()
        return key

    monkeypatch.setattr(export_jobs, "fingerprint", looked_together)
    answers = []

    def ask():
        client = Client()
        client.force_login(user)
        try:
            answers.append(client.get(f"{LIST}?export=xlsx")["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    job = ExportJob.objects.get()
    assert answers == [job_url(job)] * 2
    assert ExportLog.objects.count() == 1


def test_only_its_starter_downloads_the_file(client, requests, background, make_user):
    starter = make_user("gestionnaire", group="Gestionnaires de leads")
    colleague = make_user("collegue", group="Gestionnaires de leads")
    editor = make_user("editrice", group="Éditeurs")
    client.force_login(starter)
    client.get(f"{LIST}?export=xlsx")
    job = ExportJob.objects.get()
    client.logout()
    for tail in ("", "etat/", "fichier/"):
        response = client.get(job_url(job, tail))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    for other in (colleague, editor):
        client.force_login(other)
        for tail in ("", "etat/", "fichier/"):
            assert client.get(job_url(job, tail)).status_code == 404, (other, tail)
        client.logout()
    # The starter who lost the export permission loses the file.
    client.force_login(starter)
    assert client.get(job_url(job, "fichier/")).status_code == 200
    starter.groups.remove(Group.objects.get(name="Gestionnaires de leads"))
    starter.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(type(starter).objects.get(pk=starter.pk))
    refused = client.get(job_url(job, "fichier/"))  # the admin's refusal: back to the dashboard
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


def test_the_file_is_kept_a_day_then_removed_and_the_log_stays(
    manager_client, requests, background
):
    manager_client.get(f"{LIST}?export=xlsx")
    job = ExportJob.objects.get()
    storage = export_jobs.storage()
    assert job.file_name.startswith("exports/") and storage.exists(job.file_name)
    with pytest.raises(ValueError):
        storage.url(job.file_name)  # private: no URL at all

    assert export_jobs.prune(now=timezone.now() + timedelta(hours=23)) == (0, 0)
    assert storage.exists(job.file_name)
    assert export_jobs.prune(now=timezone.now() + timedelta(hours=25)) == (1, 0)

    assert not storage.exists(job.file_name)
    job.refresh_from_db()
    assert job.state == ExportJob.State.EXPIRED
    assert manager_client.get(job_url(job, "fichier/")).status_code == 404
    assert "Ce fichier a été supprimé" in visible_text(manager_client.get(job_url(job)))
    log = ExportLog.objects.get()
    assert (log.status, log.row_count) == ("done", 5)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_full_disk_fails_the_job_and_its_log(
    manager_client, requests, queued, monkeypatch, export_format
):
    # The worker's disk is full: every write to the file in the making fails (ENOSPC).
    monkeypatch.setattr(
        export_jobs.tempfile,
        "TemporaryFile",
        lambda: open("/dev/full", "w+b"),  # noqa: SIM115
    )
    manager_client.get(f"{LIST}?export={export_format}")
    job = ExportJob.objects.get()
    with pytest.raises(OSError, match="No space left"):
        run_worker()

    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED
    assert not job.file_name
    assert ExportLog.objects.get().status == "failed"  # never « réussi » for a file not kept
    assert "L'export a échoué après" in visible_text(manager_client.get(job_url(job)))
    export_jobs.run_export_job.call(job.pk)  # a second delivery does nothing
    assert ExportJob.objects.get().state == ExportJob.State.FAILED


def test_a_job_whose_worker_died_is_marked_failed_by_the_clock(manager_client, requests, queued):
    manager_client.get(f"{LIST}?export=xlsx")
    job = ExportJob.objects.get()
    long_ago = timezone.now() - timedelta(minutes=16)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, touched_at=long_ago)
    fresh = ExportLog.objects.create(format="csv", source="admin")
    ExportJob.objects.create(log=fresh, key="f" * 64, path=LIST, state=ExportJob.State.RUNNING)

    call_command("prune_export_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert ExportJob.objects.get(pk=job.pk).state == ExportJob.State.FAILED
    assert ExportLog.objects.get(pk=job.log_id).status == ExportLog.Status.FAILED
    assert ExportJob.objects.get(log=fresh).state == ExportJob.State.RUNNING  # still moving
    assert ExportLog.objects.get(pk=fresh.pk).status == ExportLog.Status.RUNNING


@pytest.mark.parametrize(
    "query",
    [
        "q=%00nul%00&paper_title=%00",
        "paper_title=" + "é" * 20_000 + "&organisation_type=" + "x" * 5_000,
        "paper_title=%E2%80%AE%F0%9F%98%80%0B%1B&created_at_after=pas-une-date",
        "organisation_type=%00&news_opt_in=%C3%A9&paper=%00",
    ],
)
def test_hostile_filter_values_do_not_break_the_job(manager_client, requests, background, query):
    response = manager_client.get(f"{LIST}?{query}&export=xlsx")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.DONE
    download = manager_client.get(job_url(job, "fichier/"))
    assert download.status_code == 200 and workbook(download).active.max_row >= 1
    log = ExportLog.objects.get()
    assert log.status == ExportLog.Status.DONE
    assert all(
        "\x00" not in key + value and len(value) <= 200 for key, value in log.filters.items()
    )
    assert manager_client.get(job_url(job)).status_code == 200


def test_hostile_stored_values_are_written_safe(manager_client, background, db):
    for text in hostile_texts():
        DownloadRequestFactory(lead=LeadFactory(first_name=text, organisation=text))
    manager_client.get(f"{LIST}?export=xlsx")
    job = ExportJob.objects.get()
    rows = [
        list(row) for row in workbook(manager_client.get(job_url(job, "fichier/"))).active.values
    ]
    assert len(rows) == len(hostile_texts()) + 1
    assert not formula_cells(rows)


def test_the_progress_page_and_its_status_have_a_budget(
    manager_client, queued, django_assert_max_num_queries, db
):
    for _ in range(40):
        DownloadRequestFactory()
    manager_client.get(f"{LIST}?export=xlsx")
    job = ExportJob.objects.get()
    for tail in ("", "etat/"):
        with django_assert_max_num_queries(12):
            assert manager_client.get(job_url(job, tail)).status_code == 200
    run_worker()
    for tail in ("", "etat/", "fichier/"):
        with django_assert_max_num_queries(12):
            response = manager_client.get(job_url(job, tail))
            assert response.status_code == 200
            body(response)
