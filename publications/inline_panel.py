"""Admin panels shared by the page types."""

from wagtail.admin.panels import InlinePanel


class FrenchInlinePanel(InlinePanel):
    """An inline panel whose button says "Ajouter une séance": Wagtail's French translation
    reads "Ajouter un(e) {label}", which cannot know the noun's gender. ``add_label`` is the
    noun with its article: "une séance", "un tarif"."""

    def __init__(self, relation_name, *args, add_label, **kwargs):
        super().__init__(relation_name, *args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "publications/panels/inline_panel.html"

        def get_context_data(self, parent_context=None):
            return {**super().get_context_data(parent_context), "add_label": self.panel.add_label}
