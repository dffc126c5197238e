"""The event page's admin form (the rules that span the page and its sessions, in French) and
the visitors' registration form."""

from django import forms
from django.utils.translation import ngettext_lazy

from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit

from wagtail.admin.forms import WagtailAdminPageForm

from contacts import cleaning
from contacts.forms import ContactForm, PersonFields, VisitorTextField
from contacts.identifiers import domain_of, is_public_provider, parent_domains
from contacts.organisations import organisations_of_domains

from . import membership
from .choices import PriceAudience
from .dates import long_date, time_of_day
from .models.inlines import EventPrice, EventSession

AT_LEAST_ONE_SESSION = (
    "Un événement a au moins une séance : ajoutez-en une dans l'onglet « Programme »."
)


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = self.formsets.get("sessions")
        if sessions is not None:
            # Django's own message ("Veuillez soumettre au moins 1 formulaire.") says nothing
            # of sessions.
            sessions.error_messages = {
                **sessions.error_messages,
                "too_few_forms": AT_LEAST_ONE_SESSION,
            }

    def clean(self):
        cleaned_data = super().clean()
        session_forms = self.kept_session_forms()
        for form in session_forms:
            check_session_times(form)
        dates = [
            form.cleaned_data["date"] for form in session_forms if form.cleaned_data.get("date")
        ]
        if cleaned_data.get("registration_mode") == "external" and not cleaned_data.get(
            "registration_url"
        ):
            self.add_error(
                "registration_url",
                "Indiquez l'adresse de la page d'inscription, ou choisissez un autre mode.",
            )
        opens_on = cleaned_data.get("registration_opens_on")
        deadline = cleaned_data.get("registration_deadline")
        if opens_on and deadline and opens_on > deadline:
            self.add_error(
                "registration_opens_on",
                "Les inscriptions ouvrent après leur date limite : choisissez une date "
                f"d'ouverture avant le {long_date(deadline, weekday=False)}.",
            )
        check_organisation_cap(self, cleaned_data)
        if deadline and dates and deadline > max(dates):
            self.add_error(
                "registration_deadline",
                f"La date limite d'inscription ({long_date(deadline, weekday=False)}) tombe "
                f"après la dernière séance : choisissez le {long_date(max(dates), weekday=False)} "
                "au plus tard.",
            )
        return cleaned_data

    def kept_session_forms(self):
        """The session forms that will be saved: filled in, not marked for deletion."""
        formset = self.formsets.get("sessions")
        if formset is None:
            return []
        formset.is_valid()  # cleans each session form once; the result is cached
        return [
            form
            for form in formset.forms
            if hasattr(form, "cleaned_data")
            and not (formset.can_delete and formset._should_delete_form(form))
            and (form.has_changed() or not form.empty_permitted)
        ]


def check_organisation_cap(form, cleaned_data):
    """The cap of seats per organisation: a lifting date needs a cap, a cap of 0 would close
    the registration."""
    cap = cleaned_data.get("seats_per_organisation")
    until_days = cleaned_data.get("seats_per_organisation_until_days")
    if cap is None and until_days is not None:
        form.add_error(
            "seats_per_organisation_until_days",
            "Sans limite de places par organisme, il n'y a rien à lever : indiquez le nombre "
            "de places par organisme, ou videz ce champ.",
        )
    if cap == 0:
        form.add_error(
            "seats_per_organisation",
            "Une limite de 0 place par organisme fermerait l'inscription à tous : indiquez au "
            "moins 1, ou laissez vide pour ne pas limiter.",
        )


def check_session_times(form):
    start = form.cleaned_data.get("start_time")
    end = form.cleaned_data.get("end_time")
    if start is None and end is not None:
        form.add_error(
            "start_time", "Indiquez aussi l'heure de début, ou laissez les deux heures vides."
        )
    elif start is not None and end is None:
        form.add_error(
            "end_time", "Indiquez aussi l'heure de fin, ou laissez les deux heures vides."
        )
    elif start is not None and end <= start:
        form.add_error(
            "end_time",
            f"La séance se termine avant de commencer : l'heure de fin ({time_of_day(end)}) "
            f"doit suivre l'heure de début ({time_of_day(start)}).",
        )


# --- The public registration form ---------------------------------------------------------------

REGISTRATION_CONSENT_TEXT = (
    "J'ai pris connaissance de la politique de confidentialité et j'accepte que mes informations "
    "soient utilisées pour traiter mon inscription à cet événement et m'en tenir informé."
)
EMAIL_HELP = "La confirmation et le lien pour annuler vous seront envoyés à cette adresse."
EMAIL_HELP_MEMBER_PRICE = (
    " Le tarif adhérent est appliqué si votre adresse professionnelle appartient à un organisme "
    "adhérent du club."
)
EMAIL_HELP_MEMBERS_ONLY = (
    " Cet événement est réservé aux adhérents du club : votre adresse professionnelle permet de "
    "reconnaître votre organisme."
)
SAYS_MEMBER_HELP = (
    "Si le club ne reconnaît pas votre adresse, l'inscription se fait au tarif adhérent, que "
    "le club confirmera. Inutile pour une adresse reconnue : le tarif adhérent s'applique seul."
)
MEMBER_PRICE_FOR_MEMBERS = (
    "Le tarif « {audience} » est réservé aux adhérents : cochez « Mon organisme est adhérent du "
    "club » si c'est votre cas, le club le confirmera."
)


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.heading or obj} – {obj.when}"
        places = getattr(obj, "places_label", "")
        return f"{label} ({places})" if places else label


class PriceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.audience} : {obj.amount_label}" + (f" {obj.note}" if obj.note else "")
        return f"{label} ({obj.applies_when})" if obj.applies_when else label


class RegistrationForm(ContactForm):
    """The contact fields and consent of the white-paper form, then what the event needs: the
    price (chosen from the register of members: see events.membership), the sessions of a cycle
    taken session by session, accessibility needs and a comment.

    Valid, its ``cleaned_data`` holds the ``membership`` found, the ``register_organisation``
    of the address, ``is_member`` (the member price applies) and the ``price``.
    ``refused_for_members`` says that the event is for members and the address is not one's:
    the page offers to ask for an exception."""

    says_member = forms.BooleanField(label="Mon organisme est adhérent du club", required=False)
    price = PriceChoiceField(
        label="Tarif",
        queryset=EventPrice.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    sessions = SessionChoiceField(
        label="Séances auxquelles vous vous inscrivez",
        queryset=EventSession.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_needs = VisitorTextField(
        label="Besoins d'accessibilité (facultatif)",
        required=False,
        multiline=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple : accès en fauteuil roulant, boucle magnétique",
    )
    comment = VisitorTextField(
        label="Commentaire (facultatif)",
        required=False,
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    consent_text = REGISTRATION_CONSENT_TEXT
    consent_required = "Votre accord est nécessaire pour vous inscrire."
    email_help = EMAIL_HELP

    def __init__(self, *args, event, prices, sessions=None, submit_label="Je m'inscris", **kwargs):
        """``event``: the page registered to; ``prices``: the prices offered at registration;
        ``sessions``: the sessions one can still choose, for a registration per session (None:
        the whole event)."""
        super().__init__(*args, **kwargs)
        self.event = event
        self.prices = membership.offered(prices)
        self.for_members = membership.is_for_members(event, self.prices)
        self.refused_for_members = False
        matters = membership.membership_matters(event, self.prices)
        if self.for_members:
            self.fields["email"].help_text = EMAIL_HELP + EMAIL_HELP_MEMBERS_ONLY
        elif matters:
            self.fields["email"].help_text = EMAIL_HELP + EMAIL_HELP_MEMBER_PRICE
        # Asked only where it changes something: an address the register cannot place, on an
        # event with a member price that is not for members only.
        if not matters or self.for_members:
            del self.fields["says_member"]
        else:
            self.fields["says_member"].help_text = SAYS_MEMBER_HELP
        price_field = self.fields["price"]
        price_field.queryset = EventPrice.objects.filter(pk__in=[p.pk for p in self.prices])
        # Shown from the prices the page already holds; the queryset only checks an answer.
        price_field.choices = _choices(price_field, self.prices)
        price_field.error_messages["required"] = "Choisissez le tarif qui s'applique à vous."
        price_field.error_messages["invalid_choice"] = "Choisissez un des tarifs proposés."
        # Without a choice to make (one price for members, one for the others), the price is
        # chosen from the address: the page lists the prices and when each applies.
        if not membership.needs_a_choice(self.prices):
            del self.fields["price"]
        if sessions is None:
            del self.fields["sessions"]
        else:
            self.fields["sessions"].queryset = EventSession.objects.filter(
                pk__in=[s.pk for s in sessions]
            ).order_by("sort_order")
            self.fields["sessions"].choices = _choices(self.fields["sessions"], sessions)
            self.fields["sessions"].error_messages.update(
                required="Choisissez au moins une séance.",
                invalid_choice="Cette séance n'est plus proposée à l'inscription.",
            )
        self.submit_label = submit_label

    def layout(self):
        event_fields = [
            name for name in ("says_member", "price", "sessions") if name in self.fields
        ]
        return Layout(
            Fieldset("Vos coordonnées", *self.contact_layout()),
            Fieldset("Votre inscription", *event_fields, "accessibility_needs", "comment"),
            # The colleagues' rows (colleague_formset), from the view's context.
            HTML('{% include "events/includes/colleagues.html" %}'),
            "consent",
            "news_opt_in",
            *self.trap_layout(),
            Submit("submit", self.submit_label, css_class="btn-primary btn-lg"),
        )

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if not email or self.errors:
            return cleaned_data  # the register is asked once the rest is right
        verdict = membership.judge(
            self.event, self.prices, email, says_member=cleaned_data.get("says_member", False)
        )
        if verdict.refusal:
            self.refused_for_members = True
            raise forms.ValidationError(verdict.refusal, code="members_only")
        if cleaned_data.get("says_member") and verdict.organisation and not verdict.member_price:
            self.add_error(
                "says_member",
                membership.not_a_member(
                    verdict.organisation, membership.reference_date(self.event).year
                ),
            )
            return cleaned_data
        cleaned_data["price"] = self._price(cleaned_data.get("price"), verdict)
        cleaned_data["membership"] = verdict.membership
        cleaned_data["register_organisation"] = verdict.organisation
        cleaned_data["is_member"] = verdict.member_price
        return cleaned_data

    def _price(self, chosen, verdict):
        """The price that applies: the visitor's choice when they have one, checked against
        the register; else the one price for their membership."""
        allowed = membership.applicable(self.prices, verdict.member_price)
        if "price" not in self.fields:
            return allowed[0] if allowed else None
        if chosen is None or chosen in allowed:
            return chosen
        if chosen.offered_to == PriceAudience.MEMBERS:
            if verdict.organisation is not None:
                year = membership.reference_date(self.event).year
                self.add_error("price", membership.not_a_member(verdict.organisation, year))
            else:
                self.add_error("price", MEMBER_PRICE_FOR_MEMBERS.format(audience=chosen.audience))
            return None
        # A member who chose the non-member price: the member price, when there is one.
        member_prices = [p for p in allowed if p.offered_to == PriceAudience.MEMBERS]
        if len(member_prices) == 1:
            return member_prices[0]
        self.add_error("price", f"Le tarif « {chosen.audience} » est réservé aux non-adhérents.")
        return None


def _choices(field, objects):
    """A model choice field's choices from objects already fetched, without a query."""
    choices = [(obj.pk, field.label_from_instance(obj)) for obj in objects]
    if getattr(field, "empty_label", None) is not None:
        choices.insert(0, ("", field.empty_label))
    return choices


class ExceptionRequestForm(ContactForm):
    """Someone who may not register to an event for members asks the club for an exception:
    who they are and why, with the contact form's cleaning and bot traps. Nothing is stored:
    the request is mailed to the club's staff."""

    message = VisitorTextField(
        label="Votre message",
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Par exemple : votre organisme adhère cette année, ou vous remplacez un "
        "collègue d'un organisme adhérent",
    )

    email_help = "L'équipe du club vous répondra à cette adresse."
    # Only what the staff need to answer: the rest of the contact form is not asked.
    not_asked = ("organisation_type", "job_title", "phone", "consent", "news_opt_in")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.not_asked:
            del self.fields[name]

    def layout(self):
        return Layout(
            Div(
                Div(Field("first_name"), css_class="col-sm-6"),
                Div(Field("last_name"), css_class="col-sm-6"),
                css_class="row",
            ),
            "email",
            "organisation",
            "message",
            *self.trap_layout(),
            Submit("submit", "Envoyer ma demande", css_class="btn-primary btn-lg"),
        )


# --- Colleagues registered in the same booking --------------------------------------------------

COLLEAGUES_PREFIX = "collegues"
PUBLIC_ADDRESS = (
    "Indiquez l'adresse professionnelle de ce collègue : une messagerie grand public "
    "({domain}) ne dit pas à quel organisme il appartient."
)
OTHER_ORGANISATION = (
    "Cette adresse n'est pas à votre organisme ({domain}) : on n'inscrit avec soi que des "
    "collègues du même organisme, les autres s'inscrivent de leur côté."
)
BOOKER_PUBLIC = (
    "Pour inscrire des collègues, indiquez plus haut votre adresse professionnelle : une "
    "messagerie grand public ne dit pas à quel organisme vous appartenez."
)
SAME_AS_BOOKER = "C'est votre propre adresse : indiquez celle de votre collègue."
TWICE = "Cette adresse figure déjà plus haut : chaque collègue n'est inscrit qu'une fois."


class ColleagueForm(PersonFields):
    """One colleague: who they are. Their organisation and its type are the booker's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = "Ce champ est obligatoire."
        self.fields["email"].widget.attrs["inputmode"] = "email"
        for name in self.fields:
            self.fields[name].widget.attrs["autocomplete"] = "off"  # not the booker's own

    def clean_email(self):
        return cleaning.clean(self.cleaned_data["email"]).lower()


class BaseColleagueFormSet(forms.BaseFormSet):
    """The colleagues a booker registers with them: empty rows are left out; each address must
    be at the booker's organisation (the same domain or a subdomain of it, or the same
    organisation in the register), never a public provider's, never twice nor the booker's.

    Set ``booker_email`` (the booker's cleaned address) before ``is_valid()``."""

    booker_email = ""
    default_error_messages = {
        "missing_management_form": (
            "Les lignes « Collègue » du formulaire sont incomplètes : rechargez la page, puis "
            "indiquez à nouveau vos collègues."
        ),
        "too_many_forms": ngettext_lazy(
            "Vous pouvez inscrire au plus %(num)d collègue avec vous.",
            "Vous pouvez inscrire au plus %(num)d collègues avec vous.",
            "num",
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", COLLEAGUES_PREFIX)
        super().__init__(*args, **kwargs)
        for index, form in enumerate(self.forms, start=1):
            form.number = index

    @property
    def colleagues_shown(self):
        """Whether the rows are shown open: the visitor filled some in, or they are refused."""
        return bool(self.non_form_errors()) or any(form.has_changed() for form in self.forms)

    @property
    def colleagues(self):
        """The cleaned rows that name someone, in the form's order."""
        return [
            form.cleaned_data for form in self.forms if form.has_changed() and form.cleaned_data
        ]

    def clean(self):
        if any(self.errors):
            return
        filled = [form for form in self.forms if form.has_changed()]
        if not filled:
            return
        booker = (self.booker_email or "").lower()
        booker_domain = domain_of(booker)
        if not booker_domain or is_public_provider(booker_domain):
            raise forms.ValidationError(BOOKER_PUBLIC, code="booker_public")
        seen = set()
        unmatched = []
        for form in filled:
            email = form.cleaned_data["email"]
            domain = domain_of(email)
            if email == booker:
                form.add_error("email", SAME_AS_BOOKER)
            elif email in seen:
                form.add_error("email", TWICE)
            elif is_public_provider(domain):
                form.add_error("email", PUBLIC_ADDRESS.format(domain=domain))
            elif booker_domain not in parent_domains(domain):
                unmatched.append(form)
            seen.add(email)
        if unmatched:
            # The register may know both domains as one organisation's: one query for all.
            owners = organisations_of_domains(
                [booker_domain, *(domain_of(form.cleaned_data["email"]) for form in unmatched)]
            )
            booker_organisation = owners.get(booker_domain)
            for form in unmatched:
                owner = owners.get(domain_of(form.cleaned_data["email"]))
                if booker_organisation is None or owner != booker_organisation:
                    form.add_error("email", OTHER_ORGANISATION.format(domain=booker_domain))


def colleague_formset(max_colleagues, data=None):
    """The colleagues' rows of a registration form: ``max_colleagues`` of them (None when the
    event takes none). A POST without the rows (an old page, a client that never showed them)
    registers no colleague."""
    if not max_colleagues:
        return None
    formset_class = forms.formset_factory(
        ColleagueForm,
        formset=BaseColleagueFormSet,
        extra=max_colleagues,
        max_num=max_colleagues,
        absolute_max=max_colleagues,
        validate_max=True,
    )
    if data is not None and f"{COLLEAGUES_PREFIX}-TOTAL_FORMS" not in data:
        data = None
    return formset_class(data)


class TransferForm(PersonFields):
    """The booking's page (events.self_service): the colleague a person hands their seat to.
    Which colleague may take it is checked by ``self_service.check_colleague``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="transfert", **kwargs)
        del self.fields["job_title"]  # the colleague says it themselves when they confirm
        for field in self.fields.values():
            field.error_messages["required"] = "Ce champ est obligatoire."
            field.widget.attrs["autocomplete"] = "off"
        self.fields["first_name"].label = "Prénom de votre collègue"
        self.fields["last_name"].label = "Nom de votre collègue"
        self.fields["email"].label = "E-mail professionnel de votre collègue"
        self.fields["email"].help_text = (
            "Une adresse de votre organisme, par exemple prenom.nom@votre-organisme.fr : votre "
            "collègue y reçoit le lien pour confirmer."
        )
        self.fields["email"].widget.attrs["inputmode"] = "email"


class TransferAcceptForm(ContactForm):
    """The colleague's confirmation page: who they are and their own consent, as a
    registration asks (the address is the one the seat was handed to)."""

    consent_text = REGISTRATION_CONSENT_TEXT
    consent_required = "Votre accord est nécessaire pour reprendre la place."

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].initial = email
        self.fields["email"].help_text = "La place vous est cédée à cette adresse."

    def layout(self):
        return Layout(
            Fieldset("Vos coordonnées", *self.contact_layout()),
            "consent",
            "news_opt_in",
            *self.trap_layout(),
            Submit("submit", "Je reprends la place", css_class="btn-primary btn-lg"),
        )
