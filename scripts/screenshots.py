"""Every public page type at 375 px and 1280 px, full page, as PNGs under var/screenshots/.

Run by ``make screenshots``, for reviewing the site's look. Builds the demo content
(``load_demo_content``) in a fresh SQLite database and media folder of a temporary directory,
serves them with the production stack (gunicorn, DEBUG off, whitenoise) on a free port, and
drives Debian's Chromium headless through Playwright, as the browser tests do
(tests/e2e/conftest.py: /usr/bin/chromium, never a downloaded browser). The white paper's
thank-you page is reached by filling its form, as a visitor would.

    .venv/bin/python scripts/screenshots.py            # every page type
    .venv/bin/python scripts/screenshots.py --out DIR  # somewhere else than var/screenshots/
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the benchmark's server helpers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
WIDTHS = {375: 740, 1280: 800}  # width: the window's height (the shot is the full page)
PAPER = bench.PAPER
# (file name, address): one of each public page type of the demo content.
PAGES = [
    ("accueil", "/"),
    ("agenda", "/agenda/"),
    ("evenement", "/agenda/quel-projet-de-proximite-pour-les-territoires/"),
    ("cycle", "/agenda/revisiter-la-proximite/"),
    ("livres-blancs", "/livres-blancs/"),
    ("livre-blanc", PAPER),
    ("recherche", "/recherche/?q=service"),
    ("page-de-contenu", "/le-club/"),
    ("404", "/cette-page-n-existe-pas/"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=bench.VAR / "screenshots")
    return parser.parse_args()


def shoot(page, out, name, width):
    path = out / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    print(f"  {path.relative_to(bench.ROOT) if path.is_relative_to(bench.ROOT) else path}")


def thank_you(page, base, out, width):
    """Fills the paper's form (after the form's minimum fill time) and shoots where it lands."""
    page.goto(base + PAPER)
    form = page.locator("#demande")
    form.get_by_label("Prénom").fill("Marie")
    form.get_by_role("textbox", name=re.compile(r"^Nom\b")).fill("Dupont")
    form.get_by_label("E-mail professionnel").fill(f"marie.dupont.{width}@oph-exemple.fr")
    form.get_by_role("textbox", name=re.compile(r"^Organisme\b")).fill("OPH Exemple")
    form.get_by_label("Type d'organisme").select_option(label="OPH")
    form.get_by_label("Fonction").fill("Directrice de la proximité")
    form.locator("input[type=checkbox]").first.check()
    time.sleep(2.5)  # LEAD_FORM_MIN_SECONDS: a form sent at once is a bot's
    # The thank-you page starts the PDF's download by itself: let it, then shoot the page.
    with page.expect_download():
        form.locator("[type=submit]").first.click()
    page.wait_for_url(re.compile(r"merci/\?lien="))
    shoot(page, out, "merci", width)


def take(base, out):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    locale="fr-FR",
                    accept_downloads=True,
                )
                context.set_default_timeout(20_000)
                page = context.new_page()
                for name, path in PAGES:
                    page.goto(base + path, wait_until="networkidle")
                    shoot(page, out, name, width)
                try:
                    thank_you(page, base, out, width)
                except Exception as error:  # noqa: BLE001 - the other shots are still worth it
                    print(f"  merci-{width}.png not taken: {error}")
                context.close()
        finally:
            browser.close()


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Terminated: gunicorn stopped."))
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install it with `make chromium`.")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="club-screenshots-") as tmp:
        # A site of its own, whatever DATABASE_URL or REDIS_URL say: the shots need the demo only.
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        env = bench.child_env()
        env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'site.sqlite3'}"
        env["DJANGO_MEDIA_ROOT"] = str(Path(tmp) / "media")
        env["DJANGO_PRIVATE_MEDIA_ROOT"] = str(Path(tmp) / "private")
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "load_demo_content")
        bench.manage(env, "collectstatic", "--noinput", "-v0")
        port = bench.free_port()
        server = bench.start_server(env, port, Path(tmp) / "gunicorn.log")
        try:
            # localhost, as the site's own address in the demo (and Lighthouse) is.
            bench.wait_until_up(f"http://127.0.0.1:{port}", server)
            take(f"http://localhost:{port}", args.out)
        finally:
            bench.stop_server(server)
    print(f"Screenshots in {args.out}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn stopped.")
    except subprocess.CalledProcessError as error:
        sys.exit(f"{' '.join(error.cmd)} failed with code {error.returncode}")
