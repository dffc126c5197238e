"""The mails this app sends (contacts.mail)."""

from django.conf import settings

from contacts import mail


def download_link_demo():
    return {
        "lead": {"first_name": "Camille", "email": "camille.martin@oph-exemple.fr"},
        "paper_title": "La culture de service, un levier de la transformation des offices",
        "link": mail.site_url("/telechargement/exemple/"),
        "max_age_days": settings.DOWNLOAD_LINK_MAX_AGE_DAYS,
    }


DOWNLOAD_LINK = mail.register(
    mail.Mail(
        name="publications.download_link",
        label="Lien de téléchargement d'un livre blanc",
        recipients="la personne qui a demandé le livre blanc",
        when="à chaque demande d'un livre blanc (le service demandé : envoyé sans condition)",
        demo=download_link_demo,
    )
)
