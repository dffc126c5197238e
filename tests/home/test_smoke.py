import pytest


@pytest.mark.parametrize(
    "url", ["/", "/le-club/", "/livres-blancs/", "/livres-blancs/la-culture-de-service/"]
)
def test_demo_pages_render(client, demo_site, url):
    assert client.get(url).status_code == 200
