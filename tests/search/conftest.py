import pytest

from tests.factories.events import EventIndexPageFactory


def publish(page):
    """Publishes as an editor does: the index then holds the page's inline objects too."""
    page.save_revision().publish()
    return page


def result_titles(response):
    return [card.title for card in response.context["cards"]]


@pytest.fixture
def agenda(home):
    return EventIndexPageFactory(parent=home)
