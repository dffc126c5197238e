"""Any query gets a page, never a 500 (hypothesis): quotes, SQL, emoji, control characters."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

profile = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@profile
@given(
    query=st.text(max_size=2000),
    kind=st.one_of(st.none(), st.sampled_from(["evenements", "pages", "livres-blancs"]), st.text()),
    page=st.one_of(st.none(), st.text(max_size=20), st.integers().map(str)),
)
@example(query="'; DROP TABLE wagtailcore_page; --", kind=None, page=None)
@example(query='"unbalanced', kind="evenements", page="2")
@example(query="logement 🏠 social \x00\x1b[31m", kind=None, page="-1")
@example(query="a" * 5000, kind=None, page="99999999999999999999")
@example(query="proximité & | ! ( ) :* <->", kind="pages", page=None)
def test_any_search_gets_a_page(client, paper, query, kind, page):
    params = (
        {"q": query}
        | ({"type": kind} if kind is not None else {})
        | ({"page": page} if page is not None else {})
    )
    response = client.get("/recherche/", params)

    assert response.status_code == 200
    suggestions = client.get("/recherche/suggestions/", {"q": query})
    assert suggestions.status_code == 200
    assert isinstance(suggestions.json()["results"], list)
