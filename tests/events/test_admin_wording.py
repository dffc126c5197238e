"""The admin's add buttons read as French: "Ajouter une séance", never "Ajouter un(e) Séance"."""


def test_add_buttons_name_the_noun_with_its_article(editor_client, agenda, catalogue):
    event_form = editor_client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/")
    paper_form = editor_client.get(f"/admin/pages/add/publications/whitepaperpage/{catalogue.pk}/")

    html = event_form.content.decode() + paper_form.content.decode()
    for label in [
        "Ajouter une séance",
        "Ajouter un tarif",
        "Ajouter une personne",
        "Ajouter une organisation",
        "Ajouter un livre blanc",
        "Ajouter un auteur",
    ]:
        assert label in html
    assert "un(e)" not in html
