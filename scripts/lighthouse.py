"""Lighthouse on each public page type, mobile and desktop: the four scores in one table.

Run by ``make lighthouse``, which installs tools/lighthouse (npm ci, pinned) and needs Debian's
Chromium (``make chromium``; CHROME_PATH=/usr/bin/chromium, never a downloaded browser).
Serves the demo content with the production stack (gunicorn, DEBUG off, whitenoise, its own
database var/lighthouse.sqlite3 and media var/lighthouse/), then audits each page over
http://localhost (Lighthouse counts localhost as a secure origin). Reports are kept in
var/lighthouse/<page>-<form factor>.report.json.

    .venv/bin/python scripts/lighthouse.py
    .venv/bin/python scripts/lighthouse.py --page "livre blanc" --page /agenda/ --device mobile

--page (a label of the table or a path, repeatable) and --device audit only those, to compare
one page before and after a change without the whole four minutes.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the benchmark's server helpers

LIGHTHOUSE = bench.ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
OUT = bench.VAR / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    ("FCP", "first-contentful-paint"),
    ("LCP", "largest-contentful-paint"),
    ("TBT", "total-blocking-time"),
    ("CLS", "cumulative-layout-shift"),
)
PAGES = [(label, path) for label, path in bench.PAGES if label]


def audit(base, label, path, form_factor):
    report = OUT / f"{label.replace(' ', '-')}-{form_factor}.report.json"
    command = [
        str(LIGHTHOUSE),
        base + path,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for _ in range(2):  # Chromium sometimes loses a trace (NO_NAVSTART): once more then
        report.unlink(missing_ok=True)
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode == 0 and report.exists():
            break
    if result.returncode != 0 or not report.exists():
        print(result.stderr[-2000:])
        return None, [], ""
    data = json.loads(report.read_text())
    scores = {name: round(100 * (data["categories"][name]["score"] or 0)) for name in CATEGORIES}
    failing = sorted(
        audit["id"]
        for name in CATEGORIES
        for ref in data["categories"][name]["auditRefs"]
        if ref["weight"] > 0
        for audit in [data["audits"][ref["id"]]]
        if audit["score"] is not None and audit["score"] < 0.9
    )
    # The figures behind the performance score: what to compare when it is not 100.
    metrics = "  ".join(
        f"{name} {data['audits'][audit_id]['displayValue']}" for name, audit_id in METRICS
    )
    return scores, failing, metrics


def parse_args():
    parser = argparse.ArgumentParser(description="Lighthouse on each public page type.")
    parser.add_argument(
        "--page",
        action="append",
        metavar="LABEL_OR_PATH",
        help="only this page type (its label in the table, or its path); repeatable",
    )
    parser.add_argument("--device", choices=("mobile", "desktop"), help="only this form factor")
    args = parser.parse_args()
    pages = PAGES
    if args.page:
        pages = [(label, path) for label, path in PAGES if label in args.page or path in args.page]
        unknown = set(args.page) - {name for page in pages for name in page}
        if unknown:
            known = ", ".join(f"{label} ({path})" for label, path in PAGES)
            sys.exit(f"Unknown page {', '.join(sorted(unknown))}; known: {known}.")
    devices = (args.device,) if args.device else ("mobile", "desktop")
    return pages, devices


def main():
    pages, devices = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Terminated: gunicorn stopped."))
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `make lighthouse` (npm ci in tools/lighthouse).")
    OUT.mkdir(parents=True, exist_ok=True)
    env = bench.child_env()
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{bench.VAR / 'lighthouse.sqlite3'}"
    env["DJANGO_MEDIA_ROOT"] = str(OUT / "media")
    env["DJANGO_PRIVATE_MEDIA_ROOT"] = str(OUT / "private")
    bench.manage(env, "migrate", "--noinput", "-v0")
    bench.manage(env, "load_demo_content")
    bench.manage(env, "collectstatic", "--noinput", "-v0")

    port = bench.free_port()
    base = f"http://localhost:{port}"
    server = bench.start_server(env, port, bench.VAR / "lighthouse-gunicorn.log")
    rows = []
    try:
        bench.wait_until_up(f"http://127.0.0.1:{port}", server)
        for label, path in pages:
            bench.get(base + path)  # fills the page cache, as a visitor before would have
            for form_factor in devices:
                print(f"lighthouse {path} ({form_factor})", flush=True)
                scores, failing, metrics = audit(base, label, path, form_factor)
                rows.append((label, form_factor, scores, failing, metrics))
    finally:
        bench.stop_server(server)

    width = max(len(label) for label, _ in pages) + 2
    header = "".join(f"{name:>16}" for name in CATEGORIES)
    print(f"\n{'page':<{width}}{'device':<9}{header}")
    for label, form_factor, scores, failing, metrics in rows:
        if scores is None:
            print(f"{label:<{width}}{form_factor:<9}  failed (see above)")
            continue
        line = "".join(f"{scores[name]:>16}" for name in CATEGORIES)
        print(f"{label:<{width}}{form_factor:<9}{line}")
        print(f"{'':<{width}}{'':<9}  {metrics}")
        if failing:
            print(f"{'':<{width}}{'':<9}  below 90: {', '.join(failing)}")
    if any(scores is None or min(scores.values()) < 100 for _, _, scores, _, _ in rows):
        print("\nNot every score is 100: the reports are in var/lighthouse/.")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn stopped.")
