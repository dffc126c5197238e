import ipaddress
import logging
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.html import format_html

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field
from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS

from . import cleaning
from .models import OrganisationType

logger = logging.getLogger(__name__)

NEWS_TEXT = (
    "Je souhaite recevoir les actualités du club (événements, publications). "
    "Facultatif : vous pouvez vous désinscrire à tout moment."
)
TOO_FAST = (
    "Le formulaire a été envoyé trop vite. Vérifiez vos informations puis envoyez-le à nouveau."
)
EXPIRED_FORM = "Le formulaire a expiré. Vérifiez vos informations puis envoyez-le à nouveau."
ALREADY_SENT = (
    "Ce formulaire a déjà été envoyé. Pour une nouvelle demande, vérifiez les informations "
    "puis envoyez-le à nouveau."
)
REFUSED = "Votre demande n'a pas pu être enregistrée."
NO_PUBLIC_DOMAIN = (
    "Indiquez une adresse dont le domaine est un nom public, par exemple prenom.nom@organisme.fr."
)

# --- The fill-time token ------------------------------------------------------------------------
#
# Each rendered form carries a signed token: when it was rendered, a random id, and the path of
# the page it was rendered in (the form posts to that page). A submission is refused when it
# comes back faster than LEAD_FORM_MIN_SECONDS after the render (a bot), when it comes from
# another page's form, or when the token is older than FORM_TOKEN_MAX_AGE.
#
# Single use: the first submission that is valid in every other way claims the token's id in
# the default cache (``cache.add``, for the token's remaining lifetime), with a digest of who
# sent it. The same person sending it again (a double click, a retry, a full event that they
# try again) is let through, and the services answer with what was stored the first time;
# anybody else with that token is refused and gets a fresh token, which has to wait its own
# minimum time. A form re-rendered with errors keeps its token, start time included: a person
# who fixes one field sends it again at once, and a bot gains nothing from sending errors.
# With the cache down, the token is accepted (and the failure logged): a lead is never lost to
# a cache outage; the rate limit still holds.

# The salt the tokens were first signed with: changing it would refuse every open form.
_STARTED_SALT = "publications.form-started"
FORM_TOKEN_MAX_AGE = 7 * 24 * 3600


def sign_form_start(scope, started=None):
    """A fresh token for a form rendered now (or at ``started``) in the page at ``scope``."""
    payload = {"at": started or time.time(), "id": secrets.token_urlsafe(12), "for": scope}
    return signing.dumps(payload, salt=_STARTED_SALT)


def read_form_start(token):
    """(started, id, scope) of a token we signed, or None."""
    try:
        payload = signing.loads(token, salt=_STARTED_SALT, max_age=FORM_TOKEN_MAX_AGE)
        return float(payload["at"]), str(payload["id"]), str(payload["for"])
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None


def claim_form_start(token_id, started, sender):
    """Whether ``sender`` may use the token ``token_id``: the first to claim it, or the same
    one again."""
    key = f"form-started:{token_id}"
    digest = salted_hmac(_STARTED_SALT, sender).hexdigest()[:20]
    remaining = max(1, int(started + FORM_TOKEN_MAX_AGE - time.time()))
    try:
        if cache.add(key, digest, timeout=remaining):
            return True
        claimed_by = cache.get(key)
    except Exception:  # a cache that raises: never lose a lead to it
        logger.warning("Fill-time token not checked for reuse: cache unavailable", exc_info=True)
        return True
    # Nothing stored although the add failed: the cache does not answer (the project's Redis
    # backend answers a miss then) or the claim just expired. Never lose a lead to it.
    return claimed_by is None or claimed_by == digest


def request_referrer(request):
    """Where the visitor came from (the Referer header), cleaned like any visitor text."""
    return cleaning.clean(request.headers.get("referer", ""), max_length=500)


# Filled per visitor into a cached page (settings.PAGE_CACHE_SLOTS, pagecache.slots).


def form_started_slot(request):
    return sign_form_start(request.path)


def referrer_slot(request):
    return request_referrer(request)


class VisitorTextField(forms.CharField):
    """Text a visitor sends, through contacts.cleaning.

    On one line (a name, an organisation): a control character is refused with a French
    message, whitespace runs become one space. ``multiline`` (a comment): control characters
    are dropped silently, line breaks and tabs kept. ``truncate`` (a hidden field the browser
    fills, the referrer): cleaned silently and cut to ``max_length``, never refused.
    """

    def __init__(self, *, multiline=False, truncate=False, **kwargs):
        self.multiline = multiline
        self.truncate = truncate
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if self.truncate:
            return cleaning.clean(value, max_length=self.max_length, multiline=self.multiline)
        if not self.multiline and cleaning.forbidden(value):
            raise forms.ValidationError(cleaning.CONTROL_CHARACTERS, code="control_characters")
        return cleaning.clean(value, multiline=self.multiline)


class FillTimeTokenField(forms.Field):
    """The signed token, read as it came (a plain Field: no length or NUL check of its own,
    the signature decides)."""

    widget = forms.HiddenInput

    def to_python(self, value):
        return value if isinstance(value, str) else ""


class BotTrapMixin(forms.Form):
    """A honeypot field people never see, and a signed, single-use start time bots do not wait
    for (see above). ``scope``: the path of the page the form is in."""

    website = forms.CharField(
        label="Ne pas remplir ce champ",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = FillTimeTokenField(required=False)
    # Where the visitor came from before the paper's page (the form posts to the page itself).
    referrer = VisitorTextField(
        widget=forms.HiddenInput, required=False, max_length=500, truncate=True
    )

    def __init__(self, *args, scope="", **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self._token = None
        if not self.is_bound:
            self.initial.setdefault("started", sign_form_start(scope))

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def clean_started(self):
        # A form that sat in a tab for days is still a person's: the token lives a week.
        read = read_form_start(self.cleaned_data.get("started", ""))
        if read is None or read[2] != self.scope:
            self._fresh_token()
            raise forms.ValidationError(EXPIRED_FORM, code="expired")
        self._token = read
        if time.time() - read[0] < settings.LEAD_FORM_MIN_SECONDS:
            # The same token comes back with the form: sent again, it is no longer too fast.
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        return self.cleaned_data["started"]

    def is_valid(self):
        """Valid, and the token is this sender's: the first valid submission claims it."""
        if not super().is_valid():
            return False
        started, token_id, _ = self._token
        if claim_form_start(token_id, started, self.sender()):
            return True
        self._fresh_token()
        self.add_error("started", forms.ValidationError(ALREADY_SENT, code="replayed"))
        return False

    def sender(self):
        """Who sends the form, for the token's single use ("": the form does not say)."""
        return ""

    def _fresh_token(self):
        # Rendered back with a new token, timed from now.
        self.data = self.data.copy()
        self.data["started"] = sign_form_start(self.scope)

    @property
    def error_summary(self):
        """The message above a form sent back: the refusal itself when no field is marked."""
        field_errors = [name for name in self.errors if name not in ("__all__", "started")]
        parts = [*self.non_field_errors(), *self.errors.get("started", [])]
        if field_errors:
            count = len(field_errors)
            parts.insert(
                0,
                f"Le formulaire contient {count} erreur{'s' if count > 1 else ''} : "
                "corrigez les champs signalés ci-dessous.",
            )
        return " ".join(str(part) for part in parts)


class PersonFields(forms.Form):
    """Who a person is at work: what the contact form asks, and what a colleague registered
    with someone else is asked (events.forms)."""

    first_name = VisitorTextField(label="Prénom", max_length=100)
    last_name = VisitorTextField(label="Nom", max_length=100)
    email = forms.EmailField(
        label="E-mail professionnel",
        max_length=254,
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@organisme.fr."
        },
    )
    job_title = VisitorTextField(label="Fonction", max_length=200)


class ContactForm(BotTrapMixin, PersonFields):
    """Who the visitor is, their consent and the bot traps: what every form that makes a lead
    asks (the white-paper request in publications.forms, the event registration in
    events.forms).

    Subclasses say what the consent is for (``consent_text``) and lay the form out with
    ``contact_layout()`` and ``trap_layout()``.
    """

    field_order = [
        "first_name",
        "last_name",
        "email",
        "organisation",
        "organisation_type",
        "job_title",
    ]
    organisation = VisitorTextField(label="Organisme", max_length=200)
    organisation_type = forms.ChoiceField(
        label="Type d'organisme", choices=[("", "Choisissez…"), *OrganisationType.choices]
    )
    phone = forms.RegexField(
        label="Téléphone (facultatif)",
        required=False,
        max_length=30,
        regex=r"^\+?[0-9 .()-]{6,30}$",
        error_messages={"invalid": "Saisissez un numéro de téléphone, par exemple 01 23 45 67 89."},
    )
    consent = forms.BooleanField()
    news_opt_in = forms.BooleanField(label=NEWS_TEXT, required=False)

    # What the consent is for, said by each form that makes a lead.
    consent_text = ""
    consent_required = "Votre accord est nécessaire."
    email_help = ""
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
        email = cleaning.clean(self.cleaned_data["email"])
        domain = email.rsplit("@", 1)[-1].lower()
        if _is_ip_literal(domain) or "." not in domain.strip("."):
            raise forms.ValidationError(NO_PUBLIC_DOMAIN, code="no_public_domain")
        if domain in DISPOSABLE_DOMAINS:
            raise forms.ValidationError(
                "Les adresses jetables ne sont pas acceptées : "
                "indiquez votre adresse professionnelle.",
                code="disposable",
            )
        return email

    def sender(self):
        return self.cleaned_data.get("email", "").lower()


def _is_ip_literal(domain):
    """a@[127.0.0.1], a@[IPv6:::1], a@127.0.0.1: an address, not a public name."""
    if domain.startswith("["):
        return True
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        return False
    return True
