"""Permission names in French, as the admin's group form shows them.

Django names a model's permissions "Can add page", "Can change page"… and Wagtail names its
own "Publish any page"…, in English, stored in the database when ``migrate`` creates them:
no catalogue translates them. After every ``migrate`` they are renamed from the model's
French name ("Peut ajouter : page"); a name an app chose in French is left as it is.
"""

from django.db.models.signals import post_migrate
from django.utils import translation

BUILTIN_VERBS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}
# Wagtail's own permissions, by codename.
WAGTAIL_NAMES = {
    "access_admin": "Peut accéder à l'administration",
    "choose_document": "Peut choisir un document",
    "choose_image": "Peut choisir une image",
    "bulk_delete_page": "Supprimer des pages avec leurs sous-pages",
    "lock_page": "Verrouiller et déverrouiller les pages que l'on a verrouillées",
    "publish_page": "Publier toute page",
    "unlock_page": "Déverrouiller toute page",
}


def french_name(permission, model):
    if permission.codename in WAGTAIL_NAMES and model._meta.app_label.startswith("wagtail"):
        return WAGTAIL_NAMES[permission.codename]
    action, _, model_name = permission.codename.partition("_")
    if action in BUILTIN_VERBS and model_name == model._meta.model_name:
        return f"Peut {BUILTIN_VERBS[action]} : {model._meta.verbose_name}"[:255]
    return permission.name


def rename_permissions(using="default", **kwargs):
    from django.contrib.auth.models import Permission

    renamed = []
    with translation.override("fr"):
        for permission in Permission.objects.using(using).select_related("content_type"):
            model = permission.content_type.model_class()
            if model is None:  # a model removed since
                continue
            name = french_name(permission, model)
            if name != permission.name:
                permission.name = name
                renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"], batch_size=500)


def connect():
    post_migrate.connect(rename_permissions, dispatch_uid="home_french_permission_names")
