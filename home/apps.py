from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site et contenus partagés"

    def ready(self):
        from wagtail.signals import page_published

        from . import admin_permissions, share_images

        admin_permissions.connect()
        # Each publish draws the page's share image, in the worker (home.share_images).
        page_published.connect(share_images.page_published, dispatch_uid="home-share-image")
