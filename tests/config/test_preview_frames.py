"""The admin's preview side panel may frame a preview of any page; nobody may frame the site."""

from wagtail.models import Page

from tests.events.test_admin import event_form, session_form
from tests.factories.events import EventIndexPageFactory, EventPageFactory


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_framed_by_the_admin_only(response):
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    # Otherwise the public page's own policy: still no inline script.
    assert policy["script-src"] == ["'self'"]


def test_the_side_panel_frames_the_preview_of_an_edited_event(editor_client, home):
    event = EventPageFactory(parent=EventIndexPageFactory(parent=home))
    preview_url = f"/admin/pages/{event.pk}/edit/preview/"
    draft = event_form([session_form("19/01/2027")], title="Titre en aperçu", slug=event.slug)

    assert editor_client.post(preview_url, draft).json()["is_valid"]
    response = editor_client.get(preview_url, {"in_preview_panel": "true", "mode": ""})

    assert response.status_code == 200
    assert "Titre en aperçu" in response.content.decode()
    assert_framed_by_the_admin_only(response)
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # Wagtail's preview view sets it


def test_every_page_types_preview_may_be_framed_by_the_admin(editor_client, demo_site):
    pages = Page.objects.filter(depth__gt=1).specific()
    types = {type(page).__name__ for page in pages}
    assert {"HomePage", "StandardPage", "EventIndexPage", "EventPage"} <= types
    assert {"WhitePaperIndexPage", "WhitePaperPage"} <= types

    seen = set()
    for page in pages:
        if type(page) in seen:
            continue
        seen.add(type(page))
        revision = page.save_revision()
        response = editor_client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")

        assert response.status_code == 200, page
        assert page.title in response.content.decode().replace("&#x27;", "'"), page
        assert_framed_by_the_admin_only(response)


def test_public_pages_still_refuse_every_frame(client, editor_client, demo_site):
    for url in ["/", "/agenda/", "/livres-blancs/la-culture-de-service/"]:
        for visitor in [client, editor_client]:
            response = visitor.get(url)

            assert response.status_code == 200
            assert directives(response)["frame-ancestors"] == ["'none'"]
            assert response["X-Frame-Options"] == "DENY"
