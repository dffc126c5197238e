"""Every admin page an editor or a lead manager can reach by GET answers, and in French.

From the dashboard, the crawl follows every link (listings, sort headers, filters, pagination,
edit and create forms) and tries each choice of every filter form, skipping what changes state
on GET and what leaves the admin. Each page must answer below 500 and show none of the English
words below in its visible text."""

import re
from collections import Counter, deque
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from contacts.models import ExportLog
from events.models import EventPage, Registration
from publications.models import WhitePaperPage
from tests.factories.publications import DownloadRequestFactory, LeadFactory

PASSWORD = "un mot de passe assez long"

# English an editor must never read. Matched case-sensitively on whole words of the visible
# text, so that French words that contain them ("Additionner", "Éditer") do not count.
ENGLISH = [
    "Moderators approval",
    "Moderators",
    "Editors",
    "Password",
    "Status",
    "e.g http",
    "True",
    "False",
    "Help",
    "Submit",
    "Save draft",
    "Publish",
    "Add",
    "Edit",
    "Search",
    "Delete",
    "Cancel",
    "Settings",
    "Dashboard",
    "None",
    "Your pages",
    "Welcome to",
]

# English that no catalogue of Wagtail's or ours can correct, where it shows, and why. Each one
# is a known gap to fix in code (a custom view or a data fix), not a false positive.
ALLOWED = {
    ("None", "/admin/reports/aging-pages/"): "Wagtail prints a missing last publisher as None",
    ("None", "/admin/pages/search/"): "Wagtail's page search results table header",
}

# Elements whose text a script replaces before anyone sees it, with the reason.
SCRIPT_FILLED = {
    # Wagtail's side panel toggle counts errors; hidden, it holds "None" until the script
    # writes the count.
    "data-side-panel-toggle-counter",
}

# Paths whose GET changes something, or that are not pages of the admin.
SKIPPED_PATH = re.compile(
    r"/(delete|unpublish|logout|lock|unlock|copy|revert|unschedule|disable|enable"
    r"|approve|reject|cancel|workflow-history-detail|preview|view_draft|jsi18n|password_reset"
    r"|effacer)(/|$)"
    r"|^/admin/(api|sprite|icons)/"
)
# Query parameters that do not make another page (only a fragment or where to go back to).
IGNORED_PARAMS = {"_w_filter_fragment", "next", "p_next"}
MAX_PAGES = 900
MAX_PER_SHAPE = 4  # so many edit forms of the same kind, so many values of the same filter
# So many addresses of one path: a listing's filters, sort orders and pages combine into
# hundreds; the first ones reached (breadth first: each filter and each sort alone) are tried.
MAX_PER_PATH = 12


class _PageReader(HTMLParser):
    """The visible text of a page, its links and the choices of its GET forms."""

    INVISIBLE = {"script", "style", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.links = []
        self.forms = []  # (action, [(name, [values])])
        self._hidden_depth = 0
        self._hidden_element = None  # [tag, depth] of the script-filled element we are in
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden_element and tag == self._hidden_element[0]:
            self._hidden_element[1] += 1
        elif not self._hidden_element and SCRIPT_FILLED & attrs.keys() and tag not in self.VOID:
            self._hidden_element = [tag, 1]
        if tag in self.INVISIBLE:
            self._hidden_depth += 1
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = (attrs.get("action") or "", [])
            self.forms.append(self._form)
        elif self._form and tag == "select" and attrs.get("name"):
            self._select = (attrs["name"], [])
            self._form[1].append(self._select)
        elif self._select and tag == "option" and attrs.get("value"):
            self._select[1].append(attrs["value"])
        elif self._form and tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            choice = (attrs.get("name"), attrs.get("value"))
            if all(choice):
                self._form[1].append((choice[0], [choice[1]]))

    def handle_endtag(self, tag):
        if self._hidden_element and tag == self._hidden_element[0]:
            self._hidden_element[1] -= 1
            if not self._hidden_element[1]:
                self._hidden_element = None
        if tag in self.INVISIBLE:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._hidden_depth:
            # The sidebar's menu is JSON that a script turns into links.
            self.links += re.findall(r'"(/admin/[^"\s]*)"', data)
        elif not self._hidden_element:
            self.text.append(data)


def read_page(html):
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.text).split()), reader.links, reader.forms


def english_in(text):
    found = []
    for word in ENGLISH:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            found.append(word)
    return found


def normalise(base, href):
    """The admin URL a link leads to, with its query sorted, or None if the crawl skips it."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    if not url.path.startswith("/admin/") or SKIPPED_PATH.search(url.path):
        return None
    query = sorted(
        (key, value)
        for key, value in parse_qsl(url.query, keep_blank_values=True)
        if key not in IGNORED_PARAMS
    )
    return url.path + (f"?{urlencode(query)}" if query else "")


def shape(url):
    """What URLs of the same kind share: the path with its ids, and the query's names."""
    path, _, query = url.partition("?")
    names = sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)})
    return re.sub(r"/\d+/", "/N/", path), tuple(names)


def crawl(client):
    """Visits the admin from its dashboard; returns the pages seen and the problems found."""
    queue, seen, per_shape, problems = deque(["/admin/"]), {"/admin/"}, {}, {}
    per_path = Counter()
    while queue and len(seen) <= MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code >= 500:
            problems.setdefault((response.status_code, shape(url)[0]), url)
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text, links, forms = read_page(response.content.decode())
        for word in english_in(text):
            if any(word == known and url.startswith(where) for known, where in ALLOWED):
                continue
            at = text.find(word)
            context = text[max(0, at - 50) : at + 50]
            problems.setdefault((word, shape(url)[0]), f"{url}: …{context}…")
        targets = list(links)
        for action, fields in forms:
            for name, values in fields:
                targets += [f"{action or url}?{urlencode({name: value})}" for value in values]
        for target in targets:
            found = normalise(url, target)
            if found is None or found in seen:
                continue
            kind = shape(found)
            if per_shape.get(kind, 0) >= MAX_PER_SHAPE or per_path[kind[0]] >= MAX_PER_PATH:
                continue
            per_shape[kind] = per_shape.get(kind, 0) + 1
            per_path[kind[0]] += 1
            seen.add(found)
            queue.append(found)
    return seen, problems


def report(problems):
    return "\n".join(f"{kind} {where}" for (kind, _), where in sorted(problems.items(), key=str))


@pytest.fixture
def admin_content(demo_site):
    """The demo site, plus leads, requests, registrations and exports, so listings have rows
    (more than one page of them for the requests)."""
    papers = list(WhitePaperPage.objects.all())
    events = list(EventPage.objects.all())
    for number in range(60):
        lead = LeadFactory(
            first_name=f"Prénom{number}",
            organisation_type=["oph", "esh", "autre"][number % 3],
            news_opt_in=number % 2 == 0,
        )
        DownloadRequestFactory(lead=lead, paper=papers[number % len(papers)])
        if number % 4 == 0:
            Registration.objects.create(
                event=events[number % len(events)],
                lead=lead,
                status=["confirmed", "waiting", "cancelled"][number % 3],
                consent_text="J'accepte.",
            )
    for dataset in ExportLog.Dataset.values:
        ExportLog.objects.create(
            username="admin", format="csv", source="admin", dataset=dataset, row_count=3
        )
    ExportLog.objects.update(created_at=timezone.now() - timedelta(days=1))
    return demo_site


@pytest.fixture
def log_in(client, django_user_model):
    def as_user(username, *, superuser=False, group=None):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        client.raise_request_exception = False  # a 500 is reported with its URL, not raised
        return client

    return as_user


def test_every_admin_page_a_superuser_reaches_answers_in_french(admin_content, log_in):
    seen, problems = crawl(log_in("admin", superuser=True))

    assert len(seen) > 200  # the crawl went through the whole admin, not one page
    assert {"/admin/guide/", "/admin/leads/", "/admin/inscriptions/", "/admin/users/"} <= seen
    assert not problems, report(problems)


def test_every_admin_page_a_lead_manager_reaches_answers_in_french(admin_content, log_in):
    seen, problems = crawl(log_in("gestionnaire", group="Gestionnaires de leads"))

    assert {"/admin/demandes/", "/admin/leads/", "/admin/exports-leads/"} <= seen
    assert not problems, report(problems)
