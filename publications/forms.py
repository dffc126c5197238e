import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.functional import cached_property
from django.utils.html import format_html

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS

from .models import OrganisationType

CONSENT_TEXT = (
    "J'ai pris connaissance de la politique de confidentialité et j'accepte que mes informations "
    "soient utilisées pour m'envoyer ce livre blanc et suivre les demandes de téléchargement."
)
QUICK_CONSENT_TEXT = (
    "En demandant ce livre blanc, j'accepte que mes informations déjà enregistrées soient "
    "utilisées pour me l'envoyer, conformément à la politique de confidentialité."
)
NEWS_TEXT = (
    "Je souhaite recevoir les actualités du club (événements, publications). "
    "Facultatif : vous pouvez vous désinscrire à tout moment."
)
TOO_FAST = (
    "Le formulaire a été envoyé trop vite. Vérifiez vos informations puis envoyez-le à nouveau."
)
EXPIRED_FORM = "Le formulaire a expiré. Vérifiez vos informations puis envoyez-le à nouveau."
REFUSED = "Votre demande n'a pas pu être enregistrée."

_STARTED_SALT = "publications.form-started"


def sign_form_start():
    return signing.dumps(time.time(), salt=_STARTED_SALT)


# Filled per visitor into a cached page (settings.PAGE_CACHE_SLOTS, config.page_cache).


def form_started_slot(request):
    return sign_form_start()


def referrer_slot(request):
    return request.headers.get("referer", "")[:500]


class BotTrapMixin(forms.Form):
    """A honeypot field people never see, and a signed start time bots do not wait for."""

    website = forms.CharField(
        label="Ne pas remplir ce champ",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # Where the visitor came from before the paper's page (the form posts to the page itself).
    referrer = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", sign_form_start())

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def clean_started(self):
        # A form that sat in a tab for a day is still a person's: keep the check to "too fast".
        token = self.cleaned_data.get("started", "")
        try:
            started = signing.loads(token, salt=_STARTED_SALT, max_age=7 * 24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(EXPIRED_FORM, code="expired") from None
        if time.time() - float(started) < settings.LEAD_FORM_MIN_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        # A fresh start time, so that a form sent back with errors can be sent again at once.
        self.data = self.data.copy()
        self.data["started"] = sign_form_start()
        return token


class ContactForm(BotTrapMixin, forms.Form):
    """Who the visitor is, their consent and the bot traps: what every form that makes a lead
    asks (the white-paper request here, the event registration in events.forms).

    Subclasses say what the consent is for (``consent_text``) and lay the form out with
    ``contact_layout()`` and ``trap_layout()``.
    """

    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(
        label="E-mail professionnel",
        max_length=254,
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@organisme.fr."
        },
    )
    organisation = forms.CharField(label="Organisme", max_length=200)
    organisation_type = forms.ChoiceField(
        label="Type d'organisme", choices=[("", "Choisissez…"), *OrganisationType.choices]
    )
    job_title = forms.CharField(label="Fonction", max_length=200)
    phone = forms.RegexField(
        label="Téléphone (facultatif)",
        required=False,
        max_length=30,
        regex=r"^\+?[0-9 .()-]{6,30}$",
        error_messages={"invalid": "Saisissez un numéro de téléphone, par exemple 01 23 45 67 89."},
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)
    news_opt_in = forms.BooleanField(label=NEWS_TEXT, required=False)

    consent_text = CONSENT_TEXT
    consent_required = "Votre accord est nécessaire pour recevoir le livre blanc."
    email_help = "Le lien de téléchargement vous sera aussi envoyé à cette adresse."
    autocomplete = {
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "organisation": "organization",
        "job_title": "organization-title",
        "phone": "tel",
    }

    def __init__(self, *args, privacy_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, token in self.autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        for name, field in self.fields.items():
            if name != "consent":
                field.error_messages["required"] = "Ce champ est obligatoire."
        self.fields["email"].help_text = self.email_help
        self.fields["email"].widget.attrs["inputmode"] = "email"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["consent"].label = self.consent_text
        self.fields["consent"].error_messages["required"] = self.consent_required
        if privacy_url:
            self.fields["consent"].help_text = format_html(
                '<a href="{}">Lire la politique de confidentialité</a>', privacy_url
            )

    @cached_property
    def helper(self):
        """crispy's layout (``layout()``), built when the form is rendered: a valid POST, which
        redirects, never builds it."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # the template's <form> has its own token
        helper.layout = self.layout()
        return helper

    def layout(self):
        raise NotImplementedError

    @staticmethod
    def contact_layout():
        return [
            Div(
                Div(Field("first_name"), css_class="col-sm-6"),
                Div(Field("last_name"), css_class="col-sm-6"),
                css_class="row",
            ),
            "email",
            Div(
                Div(Field("organisation"), css_class="col-sm-6"),
                Div(Field("organisation_type"), css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div(Field("job_title"), css_class="col-sm-6"),
                Div(Field("phone"), css_class="col-sm-6"),
                css_class="row",
            ),
        ]

    @staticmethod
    def trap_layout():
        return [
            Div(Field("website"), css_class="visually-hidden", aria_hidden="true"),
            "started",
            "referrer",
        ]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        domain = email.rsplit("@", 1)[-1].lower()
        if domain in DISPOSABLE_DOMAINS:
            raise forms.ValidationError(
                "Les adresses jetables ne sont pas acceptées : "
                "indiquez votre adresse professionnelle.",
                code="disposable",
            )
        return email

    def clean_first_name(self):
        return self._clean_text("first_name")

    def clean_last_name(self):
        return self._clean_text("last_name")

    def clean_organisation(self):
        return self._clean_text("organisation")

    def clean_job_title(self):
        return self._clean_text("job_title")

    def _clean_text(self, name):
        value = " ".join(self.cleaned_data[name].split())
        if not value:
            raise forms.ValidationError("Ce champ est obligatoire.", code="required")
        if any(ord(char) < 32 for char in value):
            raise forms.ValidationError("Ce champ contient des caractères non permis.")
        return value


class DownloadRequestForm(ContactForm):
    def __init__(self, *args, submit_label="Obtenir le livre blanc", **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label

    def layout(self):
        return Layout(
            *self.contact_layout(),
            "consent",
            "news_opt_in",
            *self.trap_layout(),
            Submit("submit", self.submit_label, css_class="btn-primary btn-lg"),
        )


class QuickRequestForm(BotTrapMixin, forms.Form):
    """For a returning visitor the site remembers: one click, their details already on file."""

    quick = forms.CharField(widget=forms.HiddenInput, initial="1")
