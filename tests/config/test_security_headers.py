"""Every public page type carries the security headers production sends."""

import pytest

PUBLIC_PAGES = [
    "/",
    "/le-club/",
    "/livres-blancs/",
    "/livres-blancs/la-culture-de-service/",
    "/recherche/?q=service",
    "/page-qui-n-existe-pas/",
]


@pytest.fixture
def production_security(settings):
    """The security settings of config/settings/production.py (test_settings.py checks that
    production really has these values), applied to the test settings."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_security_headers(client, demo_site, production_security, url):
    response = client.get(url, secure=True)

    assert response.status_code in (200, 404)
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_and_http_only(client, demo_site, production_security):
    response = client.get("/livres-blancs/la-culture-de-service/", secure=True)

    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_admin_has_its_own_policy(client, demo_site):
    response = client.get("/admin/login/")

    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
