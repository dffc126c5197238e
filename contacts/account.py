"""The lead managers' choice, in their Wagtail account settings, of how they hear of new leads
and registrations (contacts.notifications)."""

from django import forms

from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from .models import StaffNotificationPreference
from .notifications import LEAD_MANAGERS


class StaffNotificationsForm(forms.ModelForm):
    class Meta:
        model = StaffNotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        help_texts = {
            "frequency": "Les e-mails partent à l'adresse de votre compte.",
        }


class StaffNotificationsPanel(BaseSettingsPanel):
    name = "staff_notifications"
    title = "Nouveaux leads et inscriptions"
    tab = notifications_tab
    order = 150
    form_class = StaffNotificationsForm

    def is_active(self):
        return self.user.groups.filter(name=LEAD_MANAGERS).exists()

    def get_form(self):
        preference = StaffNotificationPreference.objects.filter(user=self.user).first()
        instance = preference or StaffNotificationPreference(user=self.user)
        if self.request.method == "POST":
            return self.form_class(self.request.POST, instance=instance, prefix=self.name)
        return self.form_class(instance=instance, prefix=self.name)
