"""The event page's admin form (the rules that span the page and its sessions, in French) and
the visitors' registration form."""

from django import forms

from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit

from wagtail.admin.forms import WagtailAdminPageForm

from contacts.forms import ContactForm, VisitorTextField

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
