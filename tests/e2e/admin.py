"""Signing in to the admin in the browser, as staff do."""


def log_in(page, site_url, username, password):
    page.goto(f"{site_url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{site_url}/admin/")
