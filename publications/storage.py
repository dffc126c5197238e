from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT, with no URL: only code that opens them can serve them.

    On object storage the equivalent is a private bucket (django-storages with
    ``default_acl="private"`` and ``querystring_auth`` off, so no URL is ever signed).
    """

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through the gated view.")


def private_storage():
    """Callable storage, so that tests and deployments can swap STORAGES["private"]."""
    return storages["private"]
