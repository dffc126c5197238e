import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Creates the admin account if no superuser exists: DJANGO_SUPERUSER_USERNAME and "
        "DJANGO_SUPERUSER_PASSWORD, else 'admin' with a random password printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Un compte administrateur existe déjà : rien n'a changé.")
            return
        username = settings.SUPERUSER_USERNAME or "admin"
        password = settings.SUPERUSER_PASSWORD
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Compte administrateur créé : {username}"))
        if generated:
            self.stdout.write(
                f"Mot de passe (affiché une seule fois, notez-le) : {password}\n"
                "Pour choisir le vôtre : DJANGO_SUPERUSER_PASSWORD=… make run"
            )
