"""The mails contacts sends itself (contacts.mail): the news consent's confirmation and the
erasure's confirmation."""

from django.conf import settings

from . import mail


def news_confirmation_demo():
    return {
        "lead": {"first_name": "Camille", "email": "camille.martin@oph-exemple.fr"},
        "link": mail.site_url("/donnees/actualites/confirmer/exemple/"),
        "max_age_days": settings.NEWS_CONFIRM_MAX_AGE_DAYS,
    }


def erasure_confirmation_demo():
    return {
        "lead": {"first_name": "Camille", "email": "camille.martin@oph-exemple.fr"},
        "link": mail.site_url("/donnees/effacement/exemple/"),
        "max_age_days": settings.ERASURE_LINK_MAX_AGE_DAYS,
    }


NEWS_CONFIRMATION = mail.register(
    mail.Mail(
        name="contacts.news_confirmation",
        label="Confirmation de l'inscription aux actualités",
        recipients="la personne qui a coché « recevoir les actualités du club »",
        when="quand un formulaire coche les actualités pour une adresse qui ne les reçoit pas",
        demo=news_confirmation_demo,
        news=True,
    )
)

ERASURE_CONFIRMATION = mail.register(
    mail.Mail(
        name="contacts.erasure_confirmation",
        label="Confirmation d'une demande d'effacement",
        recipients="la personne qui demande l'effacement de ses données",
        when="quand elle le demande depuis la page « mes données »",
        demo=erasure_confirmation_demo,
    )
)
