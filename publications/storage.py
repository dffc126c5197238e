"""Where white-paper PDFs are kept: a private folder on disk, or a private bucket (S3 API).

Either way a stored PDF has no URL, signed or not: its bytes leave only through the gated
download view (publications.views.download), which streams them.
"""

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage

NO_URL = "Private files have no public URL; serve them through the gated view."


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT, with no URL: only code that opens them can serve them."""

    def url(self, name):
        raise ValueError(NO_URL)

    def open_stream(self, name):
        """The file for the download view: read from the start, in chunks."""
        return self.open(name, "rb")


class PrivateS3Storage(S3Storage):
    """A private bucket: objects written with the ``private`` ACL and no URL at all, so that
    nothing (a template, an API, an admin widget) can hand out a link, signed or not."""

    default_acl = "private"
    querystring_auth = False
    file_overwrite = False  # two papers' "rapport.pdf" are two objects, as on disk

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)

    def open_stream(self, name):
        """The object's body as the server sends it, read in chunks: no copy in memory or on
        disk first (``open()`` downloads the whole object, which pypdf's seeks need)."""
        key = self._normalize_name(name)
        try:
            response = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"No object {key}") from error
            raise
        stream = File(response["Body"], name=name)
        stream.size = response["ContentLength"]
        return stream


class PublicS3Storage(S3Storage):
    """Images and their renditions: a bucket (or a prefix) anyone may read, through its own
    address or a CDN's domain (``custom_domain``), with plain URLs (no signature, so that a
    page's HTML and a CDN's copies stay the same)."""

    querystring_auth = False
    file_overwrite = False


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used and again after the setting changes (as
    Django does for ``default_storage``): the PDF field keeps this one object."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """The PDF field's storage (a callable, so that migrations do not name a backend)."""
    return _private
