"""The admin's login form, whose password field Wagtail leaves without a translated label."""

from django.utils.translation import gettext_lazy

from wagtail.admin.forms.auth import LoginForm


class FrenchLoginForm(LoginForm):
    """Wagtail's form declares ``password`` without a label, so Django names it from the field
    ("Password"), which no catalogue translates; Django's own label is translated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")
