"""The PNG favicons and the web manifest's icons, drawn from static/img/favicon.svg.

Rendered by Debian's Chromium (Playwright, as the browser tests drive it), so that each PNG is
the SVG itself at its size: run again after the SVG changes, and commit static/favicons/.

    .venv/bin/python scripts/favicons.py
"""

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "static" / "img" / "favicon.svg"
OUT = ROOT / "static" / "favicons"
CHROMIUM = "/usr/bin/chromium"
# The SVG's background: the apple-touch icon is square and opaque (iOS rounds it itself).
BACKGROUND = "#0b4f6c"
ICONS = [
    ("icon-32.png", 32, "transparent"),
    ("apple-touch-icon.png", 180, BACKGROUND),
    ("icon-192.png", 192, "transparent"),
    ("icon-512.png", 512, "transparent"),
]


def main():
    source = "data:image/svg+xml;base64," + base64.b64encode(SVG.read_bytes()).decode()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, size, background in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                f'<body style="margin:0;background:{background}">'
                f'<img src="{source}" width="{size}" height="{size}" style="display:block"></body>'
            )
            page.screenshot(path=str(OUT / name), omit_background=background == "transparent")
            page.close()
            print(f"static/favicons/{name}")
        browser.close()


if __name__ == "__main__":
    main()
