from django import forms

from crispy_forms.layout import Layout, Submit

from contacts.forms import BotTrapMixin, ContactForm

CONSENT_TEXT = (
    "J'ai pris connaissance de la politique de confidentialité et j'accepte que mes informations "
    "soient utilisées pour m'envoyer ce livre blanc et suivre les demandes de téléchargement."
)
QUICK_CONSENT_TEXT = (
    "En demandant ce livre blanc, j'accepte que mes informations déjà enregistrées soient "
    "utilisées pour me l'envoyer, conformément à la politique de confidentialité."
)


class DownloadRequestForm(ContactForm):
    consent_text = CONSENT_TEXT
    consent_required = "Votre accord est nécessaire pour recevoir le livre blanc."
    email_help = "Le lien de téléchargement vous sera aussi envoyé à cette adresse."

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
