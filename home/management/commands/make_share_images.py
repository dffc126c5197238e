from django.core.management.base import BaseCommand

from home import share_images


class Command(BaseCommand):
    help = (
        "(Re)draws the share image of every live event and white paper, and the site's default "
        f"one, {share_images.CHUNK} pages at a time; an image that has not changed is kept."
    )

    def handle(self, *args, **options):
        made, pages = share_images.make_all(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Images de partage : {made} dessinée(s) ou changée(s), {pages} page(s) vue(s)."
            )
        )
