"""The event page's admin form (the rules that span the page and its sessions, in French) and
the visitors' registration form."""

from django import forms

from crispy_forms.layout import Fieldset, Layout, Submit

from wagtail.admin.forms import WagtailAdminPageForm

from contacts.forms import ContactForm, VisitorTextField

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
MEMBER_CHOICES = [("oui", "Oui, mon organisme est adhérent du club"), ("non", "Non")]


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.heading or obj} – {obj.when}"
        places = getattr(obj, "places_label", "")
        return f"{label} ({places})" if places else label


class PriceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.audience} : {obj.amount_label}" + (f" {obj.note}" if obj.note else "")


class RegistrationForm(ContactForm):
    """The contact fields and consent of the white-paper form, then what the event needs:
    membership, the price, the sessions of a cycle taken session by session, accessibility
    needs and a comment."""

    is_member = forms.TypedChoiceField(
        label="Votre organisme est-il adhérent du club ?",
        choices=MEMBER_CHOICES,
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
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
    email_help = "La confirmation et le lien pour annuler vous seront envoyés à cette adresse."

    def __init__(self, *args, prices, sessions=None, submit_label="Je m'inscris", **kwargs):
        """``prices``: the prices offered at registration; ``sessions``: the sessions one can
        still choose, for a registration per session (None: the whole event)."""
        super().__init__(*args, **kwargs)
        self.fields["is_member"].error_messages["required"] = (
            "Indiquez si votre organisme est adhérent du club."
        )
        price_field = self.fields["price"]
        price_field.queryset = EventPrice.objects.filter(pk__in=[p.pk for p in prices])
        # Shown from the prices the page already holds; the queryset only checks an answer.
        price_field.choices = _choices(price_field, prices)
        price_field.error_messages["required"] = "Choisissez le tarif qui s'applique à vous."
        price_field.error_messages["invalid_choice"] = "Choisissez un des tarifs proposés."
        if not prices:
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
        event_fields = [name for name in ("is_member", "price", "sessions") if name in self.fields]
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
        price = cleaned_data.get("price")
        is_member = cleaned_data.get("is_member")
        if price is not None and is_member is not None and not price.is_offered_to(is_member):
            who = "aux adhérents" if price.offered_to == "members" else "aux non-adhérents"
            self.add_error("price", f"Le tarif « {price.audience} » est réservé {who}.")
        return cleaned_data


def _choices(field, objects):
    """A model choice field's choices from objects already fetched, without a query."""
    choices = [(obj.pk, field.label_from_instance(obj)) for obj in objects]
    if getattr(field, "empty_label", None) is not None:
        choices.insert(0, ("", field.empty_label))
    return choices
