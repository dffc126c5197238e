"""The admin's forms for staff operations on registrations (events.staff, events.viewsets):
the same fields and checks as the public form where they apply (the person's details of
contacts.forms, the prices and membership of events.membership), in French."""

from django import forms

from contacts.forms import ContactForm, PersonFields, VisitorTextField
from contacts.models import Lead

from . import membership
from .choices import SessionStatus
from .forms import PriceChoiceField, SessionChoiceField, _choices
from .models.inlines import EventPrice, EventSession

NEW_PERSON_FIELDS = ("first_name", "last_name", "organisation", "organisation_type", "job_title")
NOTE_HELP = "Par exemple : par téléphone. Visible dans l'historique de l'inscription."


def notify_field(label):
    """Whether to mail the person: yes unless staff say no (a form posted without the
    field, an older page, notifies as before)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("oui", "Oui, envoyer l'e-mail"), ("non", "Non, pas d'e-mail")],
        coerce=lambda value: value != "non",
        empty_value=True,
        required=False,
        initial="oui",
        widget=forms.RadioSelect,
    )


class NoteFields(forms.Form):
    note = VisitorTextField(
        label="Note (facultatif)", required=False, max_length=500, help_text=NOTE_HELP
    )


class StaffRegistrationForm(PersonFields, NoteFields):
    """A booking staff take for someone: an existing lead found by e-mail (the other fields
    may stay empty: they are kept), or a new person's details, as the public form asks them."""

    field_order = [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "organisation_type",
        "job_title",
        "says_member",
        "price",
        "sessions",
        "accessibility_needs",
        "comment",
        "note",
        "notify",
    ]
    organisation = ContactForm.base_fields["organisation"]
    organisation_type = ContactForm.base_fields["organisation_type"]
    says_member = forms.BooleanField(
        label="La personne dit que son organisme est adhérent du club", required=False
    )
    price = PriceChoiceField(
        label="Tarif",
        queryset=EventPrice.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    sessions = SessionChoiceField(
        label="Séances",
        queryset=EventSession.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_needs = VisitorTextField(
        label="Besoins d'accessibilité (facultatif)",
        required=False,
        multiline=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = VisitorTextField(
        label="Commentaire de la personne (facultatif)",
        required=False,
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notify = notify_field("Envoyer la confirmation par e-mail à la personne")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["email"].help_text = (
            "Une personne déjà connue est retrouvée par son adresse : ses autres champs peuvent "
            "rester vides."
        )
        for name in NEW_PERSON_FIELDS:
            self.fields[name].required = False
        self.prices = membership.offered(list(event.prices.all()))
        price_field = self.fields["price"]
        price_field.queryset = EventPrice.objects.filter(page=event)
        price_field.choices = _choices(price_field, self.prices)
        price_field.error_messages["invalid_choice"] = "Choisissez un des tarifs de cet événement."
        if not self.prices:
            del self.fields["price"]
        else:
            price_field.required = membership.needs_a_choice(self.prices)
        if event.registers_per_session:
            sessions = [
                session
                for session in event.sessions.order_by("sort_order")
                if session.effective_status != SessionStatus.CANCELLED
            ]
            field = self.fields["sessions"]
            field.queryset = EventSession.objects.filter(page=event)
            field.choices = _choices(field, sessions)
            field.error_messages.update(
                required="Choisissez au moins une séance.",
                invalid_choice="Choisissez une des séances de cet événement.",
            )
        else:
            del self.fields["sessions"]

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if not email:
            return cleaned_data
        email = email.lower()
        cleaned_data["email"] = email
        known = Lead.objects.filter(email__iexact=email).exists()
        if not known:
            for name in NEW_PERSON_FIELDS:
                if name not in self.errors and not cleaned_data.get(name):
                    self.add_error(
                        name, "Ce champ est obligatoire pour une personne encore inconnue."
                    )
        if self.errors:
            return cleaned_data
        verdict = membership.judge(
            self.event, self.prices, email, says_member=cleaned_data.get("says_member", False)
        )
        if verdict.refusal:
            raise forms.ValidationError(verdict.refusal, code="members_only")
        allowed = membership.applicable(self.prices, verdict.member_price)
        chosen = cleaned_data.get("price")
        if chosen is None:
            chosen = allowed[0] if len(allowed) == 1 else None
        elif chosen not in allowed:
            self.add_error("price", "Ce tarif ne s'applique pas à cette personne.")
        cleaned_data["price"] = chosen
        cleaned_data["membership"] = verdict.membership
        cleaned_data["register_organisation"] = verdict.organisation
        cleaned_data["is_member"] = verdict.member_price
        return cleaned_data

    @property
    def details(self):
        """What contacts.services.save_lead takes: the fields typed (a known person's
        empty fields are left as they are)."""
        data = self.cleaned_data
        return {
            "email": data["email"],
            **{name: data[name] for name in NEW_PERSON_FIELDS if data.get(name)},
        }


class ChangeRegistrationForm(NoteFields):
    """A registration's séance (per séance) and price, among the event's."""

    session = forms.ModelChoiceField(
        label="Séance", queryset=EventSession.objects.none(), empty_label=None
    )
    may_wait = forms.BooleanField(
        label="Mettre en liste d'attente si la séance est complète", required=False
    )
    price = PriceChoiceField(
        label="Tarif",
        queryset=EventPrice.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, registration, **kwargs):
        event = registration.event
        initial = {"session": registration.session_id, "price": registration.price_id}
        super().__init__(*args, initial=initial, **kwargs)
        if event.registers_per_session:
            field = self.fields["session"]
            field.queryset = EventSession.objects.filter(page=event).order_by("sort_order")
            field.label_from_instance = lambda session: f"{session.heading or session}"
            field.error_messages["invalid_choice"] = "Choisissez une des séances de cet événement."
        else:
            del self.fields["session"]
            del self.fields["may_wait"]
        prices = list(event.prices.all())
        if prices:
            field = self.fields["price"]
            field.queryset = EventPrice.objects.filter(page=event)
            field.choices = _choices(field, prices)
            field.required = registration.price_id is not None
            field.error_messages["invalid_choice"] = "Choisissez un des tarifs de cet événement."
        else:
            del self.fields["price"]


class CancelForm(forms.Form):
    notify = notify_field("Prévenir la personne par e-mail")


class PromoteForm(NoteFields):
    notify = notify_field("Envoyer la confirmation par e-mail à la personne")
    over_capacity = forms.BooleanField(
        label="Confirmer au-delà de la capacité",
        required=False,
        help_text="Seulement si la séance est complète et que vous acceptez une personne de plus.",
    )
