"""PDFs and images on object storage (S3 API), against a real S3 server started on loopback
(moto's): the gate holds as on disk, the bucket refuses unsigned reads, images are public.

Each module run starts its own server on a free port, with its own bucket names, so that
xdist workers never share one."""

import io
import json
import os
import subprocess  # nosec B404
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest
from PIL import Image
from pypdf import PdfReader

from wagtail.images import get_image_model

from publications import services
from publications.models import DownloadRequest, WhitePaperPage
from publications.pdf import read_pdf_facts, render_first_page
from tests.factories.home import OrganisationFactory
from tests.factories.publications import WhitePaperPageFactory, pdf_file

from .conftest import VALID_FORM, hidden
from .test_admin import add_url, page_form
from .test_admin_files import autosave, draft_form, upload

REGION = "eu-west-3"


@dataclass
class S3Server:
    endpoint: str
    client: object
    media_bucket: str
    private_bucket: str

    def keys(self, bucket):
        listing = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def empty(self):
        for bucket in (self.media_bucket, self.private_bucket):
            for key in self.keys(bucket):
                self.client.delete_object(Bucket=bucket, Key=key)

    def storages(self, base):
        options = {
            "endpoint_url": self.endpoint,
            "region_name": REGION,
            "access_key": "club-tests",
            "secret_key": "club-tests-secret",
            "addressing_style": "path",
        }
        return {
            **base,
            "default": {
                "BACKEND": "publications.storage.PublicS3Storage",
                "OPTIONS": {**options, "bucket_name": self.media_bucket},
            },
            "private": {
                "BACKEND": "publications.storage.PrivateS3Storage",
                "OPTIONS": {**options, "bucket_name": self.private_bucket},
            },
        }


def unsigned_get(url):
    """What anyone on the internet gets for a URL: status and body, no credentials."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  # nosec B310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def s3_server():
    """An S3 API server on a free loopback port: a private bucket (public access blocked) for
    the PDFs, a public one (read by anyone, by bucket policy) for images and renditions."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="club-tests",
        aws_secret_access_key="club-tests-secret",  # noqa: S106  # nosec B106
    )
    suffix = uuid.uuid4().hex[:8]
    s3 = S3Server(endpoint, client, f"club-media-{suffix}", f"club-private-{suffix}")
    location = {"LocationConstraint": REGION}
    client.create_bucket(Bucket=s3.private_bucket, CreateBucketConfiguration=location)
    client.put_public_access_block(
        Bucket=s3.private_bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    client.create_bucket(Bucket=s3.media_bucket, CreateBucketConfiguration=location)
    client.put_bucket_policy(
        Bucket=s3.media_bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{s3.media_bucket}/*",
                    }
                ],
            }
        ),
    )
    yield s3
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """The site's images and PDFs on the S3 server for one test, with empty buckets."""
    s3_server.empty()
    settings.STORAGES = s3_server.storages(settings.STORAGES)
    return s3_server


def pdf_upload(pages):
    content = pdf_file(pages=pages).read()
    return SimpleUploadedFile("rapport.pdf", content, content_type="application/pdf"), content


def png_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (720, 1020), (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("couverture.png", buffer.getvalue(), content_type="image/png")


def request_paper(paper):
    """A visitor, not signed in, asks for the paper as a browser would: the download link the
    thank-you page gives them."""
    visitor = Client()
    form = visitor.get(f"{paper.url}?formulaire=complet")
    data = {**VALID_FORM, "started": hidden(form.content.decode(), "started")}
    response = visitor.post(paper.url, data)
    assert response.status_code == 302, response.content
    thank_you = visitor.get(response["Location"])
    assert thank_you.status_code == 200
    return visitor, thank_you.context["download_url"], thank_you.content.decode()


@pytest.fixture
def uploaded_paper(s3, editor_client, catalogue, django_capture_on_commit_callbacks):
    """A paper an editor published through the admin's form, with a 7-page PDF."""
    upload, content = pdf_upload(7)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(add_url(catalogue), page_form(OrganisationFactory(), upload))
    assert response.status_code == 302, response.context["form"].errors
    return WhitePaperPage.objects.get(slug="numerique-proximite"), content


def test_an_uploaded_pdf_lives_in_the_private_bucket_with_its_facts_and_cover(s3, uploaded_paper):
    paper, content = uploaded_paper

    assert s3.keys(s3.private_bucket) == [paper.pdf.name]
    assert paper.pdf.name.startswith("livres-blancs/")
    assert paper.pdf_pages == 7
    assert paper.pdf_size == len(content)
    assert paper.format_line == "Version PDF - 7 pages - 2021 - Français"
    cover = paper.generated_cover
    assert cover is not None
    assert cover.file.name in s3.keys(s3.media_bucket)  # the cover is public, the PDF is not
    assert not any(key.endswith(".pdf") for key in s3.keys(s3.media_bucket))
    status, body = unsigned_get(cover.file.url)
    assert status == 200
    assert Image.open(io.BytesIO(body)).size[0] == 720


def test_a_visitor_downloads_the_same_bytes_through_the_token(
    s3, uploaded_paper, django_assert_max_num_queries
):
    paper, content = uploaded_paper
    visitor, link, thank_you_html = request_paper(paper)

    with django_assert_max_num_queries(6):
        response = visitor.get(link)

    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body == content
    assert len(PdfReader(io.BytesIO(body)).pages) == 7
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="numerique-proximite.pdf"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert DownloadRequest.objects.get().download_count == 1
    # Nothing the visitor was shown points at the bucket.
    assert s3.endpoint not in thank_you_html and s3.private_bucket not in thank_you_html


def test_the_bucket_refuses_the_pdf_without_a_signature(s3, uploaded_paper):
    paper, content = uploaded_paper
    key = paper.pdf.name

    for url in (
        f"{s3.endpoint}/{s3.private_bucket}/{key}",
        f"{s3.endpoint}/{s3.private_bucket}/{key}?response-content-type=application/pdf",
    ):
        status, body = unsigned_get(url)
        assert status == 403, url
        assert content not in body
    with pytest.raises(ValueError):
        paper.pdf.url  # noqa: B018  # no URL, signed or not, to hand out
    page_html = Client().get(paper.url).content.decode()
    assert s3.private_bucket not in page_html and key not in page_html


def test_a_reused_link_serves_again_and_an_expired_one_offers_a_fresh_link(s3, uploaded_paper):
    paper, content = uploaded_paper
    visitor, link, _ = request_paper(paper)

    for _ in range(2):  # as on disk: the link serves until it expires
        assert b"".join(visitor.get(link).streaming_content) == content
    assert DownloadRequest.objects.get().download_count == 2

    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        old_link = services.download_url(DownloadRequest.objects.get())
    expired = visitor.get(old_link)
    assert expired.status_code == 410
    assert "a expiré" in expired.content.decode()
    assert content not in expired.content

    altered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    assert visitor.get(altered).status_code == 403
    assert DownloadRequest.objects.get().download_count == 2


def test_a_pdf_missing_from_the_bucket_gets_the_french_404(s3, uploaded_paper):
    paper, _ = uploaded_paper
    visitor, link, _ = request_paper(paper)
    s3.client.delete_object(Bucket=s3.private_bucket, Key=paper.pdf.name)

    response = visitor.get(link)

    assert response.status_code == 404
    assert DownloadRequest.objects.get().download_count == 0


def test_a_replaced_pdf_is_removed_from_the_bucket(
    s3, uploaded_paper, editor_client, django_capture_on_commit_callbacks
):
    paper, _ = uploaded_paper
    first = paper.pdf.name
    upload, content = pdf_upload(12)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/pages/{paper.pk}/edit/", page_form(paper.publisher, upload)
        )

    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.pdf_pages == 12
    assert s3.keys(s3.private_bucket) == [paper.pdf.name]
    assert paper.pdf.name != first
    visitor, link, _ = request_paper(paper)
    assert b"".join(visitor.get(link).streaming_content) == content


def test_autosaves_keep_one_object_and_one_cover(
    s3, editor_client, catalogue, django_capture_on_commit_callbacks
):
    publisher = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        created = autosave(editor_client, add_url(catalogue), draft_form(publisher, upload(7)))
        for _ in range(2):  # the browser sends the chosen file again with each autosave
            autosave(
                editor_client,
                f"/admin/pages/{created['pk']}/edit/",
                draft_form(publisher, upload(7), overwrite_revision_id=created["revision_id"]),
            )

    assert len(s3.keys(s3.private_bucket)) == 1
    assert len([key for key in s3.keys(s3.media_bucket) if "couverture" in key]) == 1


def test_pages_and_cover_are_read_from_a_stored_object(s3, catalogue):
    paper = WhitePaperPageFactory(parent=catalogue, pdf=pdf_file(pages=5))
    assert s3.keys(s3.private_bucket) == [paper.pdf.name]

    with paper.pdf.open("rb") as stored:  # an object, no local path
        assert read_pdf_facts(stored).pages == 5
        cover = render_first_page(stored, title=paper.title)

    assert cover.file.name in s3.keys(s3.media_bucket)
    assert cover.width == 720


def test_an_image_uploaded_in_the_admin_renders_from_the_public_bucket(s3, editor_client, paper):
    response = editor_client.post(
        "/admin/images/add/", {"title": "Couverture du livre blanc", "file": png_upload()}
    )
    assert response.status_code == 302, response.content
    image = get_image_model().objects.get(title="Couverture du livre blanc")
    assert image.file.name in s3.keys(s3.media_bucket)
    paper.cover_image = image
    paper.save_revision().publish()

    html = Client().get(paper.url).content.decode()

    public_prefix = f"{s3.endpoint}/{s3.media_bucket}/"
    assert public_prefix in html
    url = public_prefix + html.split(public_prefix, 1)[1].split('"')[0].split(" ")[0]
    status, body = unsigned_get(url)
    assert status == 200
    assert Image.open(io.BytesIO(body)).width <= 720


def test_the_environment_names_the_buckets_and_the_images_domain():
    """The variables alone put images and PDFs on object storage, and the images' domain in
    the pages' content security policy."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
        "S3_REGION": "fr-par",
        "S3_ACCESS_KEY_ID": "key",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_MEDIA_BUCKET": "club-media",
        "S3_MEDIA_CUSTOM_DOMAIN": "images.club.example",
        "S3_PRIVATE_BUCKET": "club-private",
    }
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import storages\n"
        "media, private = storages['default'], storages['private']\n"
        "print(json.dumps({'media': [type(media).__name__, media.bucket_name,"
        " media.url('original_images/a.png')],"
        " 'private': [type(private).__name__, private.bucket_name, private.default_acl,"
        " private.endpoint_url],"
        " 'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))\n"
    )
    result = subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    facts = json.loads(result.stdout.strip().splitlines()[-1])

    assert facts["media"] == [
        "PublicS3Storage",
        "club-media",
        "https://images.club.example/original_images/a.png",
    ]
    assert facts["private"] == [
        "PrivateS3Storage",
        "club-private",
        "private",
        "https://s3.fr-par.scw.cloud",
    ]
    assert "https://images.club.example" in facts["img_src"]
