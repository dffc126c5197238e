"""The event page's admin form: the rules that span the page and its sessions, in French."""

from wagtail.admin.forms import WagtailAdminPageForm

from .dates import long_date, time_of_day

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
        deadline = cleaned_data.get("registration_deadline")
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
