"""The image a shared link shows (Open Graph, Twitter cards), drawn locally when a page is
published.

- an event: its kind, title, dates and place, on the identity's background;
- a white paper: its cover (chosen or rendered from the PDF's first page) beside its title;
- every other page, and the pages without a page object (search, 404): the site's default
  image, the club's name.

Each image is 1200×630, a PNG in the default storage (media, or the image bucket on S3),
named with a hash of its bytes: a changed title gives a new address, so that no cache (ours,
a CDN's, a social network's) keeps the old one. ``ShareImage`` (home.models) keeps, per page,
the name of its current image; a page serve only reads it (``share_meta``, once per purge),
it never draws.

Drawn in the worker after a publish (``make_share_image``, enqueued by the ``page_published``
receiver); ``make_share_images`` (the management command, also run by ``load_demo_content``)
draws every page's in chunks, for pages published before this existed.
"""

import functools
import hashlib
import io
import logging
import unicodedata

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from django_tasks import task
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from wagtail.models import Page

import pagecache
from contacts.models import ContactSettings
from events.models import EventPage
from publications.models import WhitePaperPage

from .models import ShareImage

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# The identity's colours (static/css/tokens.css): --club-deep, white on it, --club-sun.
BACKGROUND = "#0b3a50"
TEXT = "#ffffff"
ACCENT = "#e8b04a"
FONT = "fonts/source-sans-3/source-sans-3-latin-700-normal.woff2"
FOLDER = "share-images"
# The drawn title: from this size down to the smallest, in steps, until it fits its box.
TITLE_SIZES = range(76, 39, -4)
CHUNK = 200
# More than the largest box holds at the smallest size: the rest would be cut anyway.
MAX_CHARACTERS = 400


# --- Text -------------------------------------------------------------------------------------


@functools.cache
def font(size):
    """The site's own font (staticfiles finders: node_modules' @fontsource), never a system's."""
    path = finders.find(FONT)
    if path is None:
        raise FileNotFoundError(f"{FONT} is missing: run `make install` (npm ci).")
    layout = (
        ImageFont.Layout.RAQM
        if ImageFont.core.HAVE_RAQM  # bidirectional text and shaping, when Pillow has them
        else ImageFont.Layout.BASIC
    )
    return ImageFont.truetype(path, size, layout_engine=layout)


@functools.lru_cache(maxsize=4096)
def _drawable(character):
    """Whether the font has a glyph for ``character`` (a missing one draws its empty box)."""
    probe = font(24)
    return bytes(probe.getmask(character)) != bytes(probe.getmask("\uffff"))


def drawable_text(text):
    """``text`` as the font can draw it: compatibility forms folded (ligatures, full-width
    letters), control, format, private and unassigned characters and lone combining marks
    removed, and so is what the font has no glyph for (emoji, scripts other than Latin); runs
    of spaces made one."""
    text = unicodedata.normalize("NFKC", str(text or "")[: 4 * MAX_CHARACTERS])
    kept = []
    for character in text:
        category = unicodedata.category(character)
        if character.isspace() or category == "Zs":
            kept.append(" ")
        elif category[0] in "CM" or not _drawable(character):
            continue
        else:
            kept.append(character)
    return " ".join("".join(kept).split())[:MAX_CHARACTERS]


def _wrap(text, face, width):
    """Lines of ``text`` no wider than ``width``; a word too long for one line is cut."""
    lines, line = [], ""
    for word in text.split(" "):
        while face.getlength(word) > width:  # a word longer than the line: cut it
            low, high = 1, len(word)  # the longest start that fits, by halves
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (
                    (middle, high) if face.getlength(word[:middle]) <= width else (low, middle - 1)
                )
            cut = low
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}".strip()
        if face.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def fit(text, width, height, sizes=TITLE_SIZES, leading=1.15):
    """(font, lines, line height) of ``text`` in a ``width``×``height`` box: the largest size at
    which it fits; at the smallest, the lines that fit, the last one ending with "…"."""
    for size in sizes:
        face = font(size)
        step = round(size * leading)
        lines = _wrap(text, face, width)
        if len(lines) * step <= height:
            return face, lines, step
    room = max(1, height // step)
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and face.getlength(f"{last} …") > width:
            last = last[:-1]
        lines[-1] = f"{last.rstrip()} …"
    return face, lines, step


def _lines(draw, lines, face, step, x, y, fill=TEXT):
    for line in lines:
        draw.text((x, y), line, font=face, fill=fill)
        y += step
    return y


# --- Drawings ---------------------------------------------------------------------------------


def _canvas():
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=ACCENT)
    return image, draw


def _signature(draw, site_name, x=MARGIN):
    """The club's name at the foot, as the wordmark would sign it."""
    face, lines, _step = fit(drawable_text(site_name), WIDTH - x - MARGIN, 40, sizes=[32, 26])
    if lines:
        draw.text((x, HEIGHT - MARGIN - 34), lines[0], font=face, fill=TEXT)


def draw_default(site_name):
    image, draw = _canvas()
    name = drawable_text(site_name)
    face, lines, step = fit(name, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - 120, sizes=[96, 84])
    y = (HEIGHT - len(lines) * step) // 2 - 40
    y = _lines(draw, lines, face, step, MARGIN, y)
    tagline = "Événements et livres blancs des dirigeants du logement social"
    small = font(34)
    for line in _wrap(tagline, small, WIDTH - 2 * MARGIN):
        draw.text((MARGIN, y + 24), line, font=small, fill=TEXT)
        y += 44
    return image


def draw_event(title, kind, dates, place, site_name):
    image, draw = _canvas()
    width = WIDTH - 2 * MARGIN
    y = MARGIN
    label = drawable_text(kind).upper()
    if label:
        face, lines, _step = fit(label, width, 40, sizes=[30, 24])
        draw.text((MARGIN, y), lines[0], font=face, fill=ACCENT)
    y += 64
    details = [text for text in (drawable_text(dates), drawable_text(place)) if text]
    detail_face = font(36)
    detail_lines = [line for text in details for line in _wrap(text, detail_face, width)][:3]
    room = HEIGHT - y - MARGIN - 60 - 48 * len(detail_lines) - 24
    face, lines, step = fit(drawable_text(title), width, room)
    y = _lines(draw, lines, face, step, MARGIN, y) + 24
    _lines(draw, detail_lines, detail_face, 48, MARGIN, y)
    _signature(draw, site_name)
    return image


def draw_paper(title, cover, site_name):
    """The cover, fitted whole on the left (its proportions kept), the title on the right; the
    title alone when there is no cover to read."""
    image, draw = _canvas()
    x = MARGIN
    if cover is not None:
        box = (460, HEIGHT - 2 * MARGIN + 20)
        cover = ImageOps.contain(cover.convert("RGB"), box, Image.Resampling.LANCZOS)
        top = (HEIGHT - 14 - cover.height) // 2
        image.paste(cover, (MARGIN, top))
        x = MARGIN + cover.width + 56
    width = WIDTH - x - MARGIN
    draw.text((x, MARGIN), "LIVRE BLANC", font=font(30), fill=ACCENT)
    face, lines, step = fit(drawable_text(title), width, HEIGHT - 2 * MARGIN - 150)
    _lines(draw, lines, face, step, x, MARGIN + 64)
    _signature(draw, site_name, x=x)
    return image


def open_cover(paper):
    """The paper's cover as a Pillow image, or None when it has none or it cannot be read."""
    cover = paper.cover
    if cover is None:
        return None
    try:
        with cover.open_file() as file:
            picture = Image.open(file)
            picture.draft("RGB", (920, 1160))  # a JPEG decodes at a fraction of its size
            picture.load()
            return picture
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("Share image: the cover of page %s could not be read", paper.pk)
        return None


def drawing_for(page, site_name):
    """The image of ``page`` (specific), or None when it shows the default one."""
    if isinstance(page, EventPage):
        kind = page.kind.name if page.kind_id else ""
        return draw_event(
            page.title, kind, page.dates_label(page.programme), page.place_label, site_name
        )
    if isinstance(page, WhitePaperPage):
        return draw_paper(page.title, open_cover(page), site_name)
    return None


def alt_for(page, site_name):
    if isinstance(page, EventPage):
        return f"{page.title} – {page.dates_label(page.programme)}"
    if isinstance(page, WhitePaperPage):
        return f"Couverture du livre blanc « {page.title} »"
    return site_name


# --- Storage ----------------------------------------------------------------------------------


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # optimize=True: 5 % smaller, three times slower
    return buffer.getvalue()


def _store(prefix, content):
    """The storage name of ``content``, saved unless an identical one is already there."""
    digest = hashlib.sha256(content).hexdigest()[:16]
    name = f"{FOLDER}/{prefix}-{digest}.png"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # a concurrent save of the same bytes got the name first
            default_storage.delete(saved)
    return name


def _remember(page_id, name, alt):
    """Points the page (None: the default) at ``name``; True when it changed. Saving the row
    purges the pages that show it (home.models.ShareImage)."""
    row = ShareImage.objects.filter(page_id=page_id).first()
    if row is not None and row.file == name and row.alt == alt:
        return False
    row = row or ShareImage(page_id=page_id)
    row.file, row.alt, row.width, row.height = name, alt[:255], WIDTH, HEIGHT
    row.save()
    return True


def site_name():
    return ContactSettings.load().organisation_name


def make_default(name=None):
    name = name or site_name()
    return _remember(None, _store("site", png_bytes(draw_default(name))), name)


def make_for_page(page, name=None):
    """Draws ``page``'s image and points it there; True when its image changed. A page that
    shows the default one has no row of its own."""
    name = name or site_name()
    image = drawing_for(page, name)
    if image is None:
        deleted, _rows = ShareImage.objects.filter(page_id=page.pk).delete()
        return bool(deleted)
    return _remember(page.pk, _store(f"page-{page.pk}", png_bytes(image)), alt_for(page, name))


@task()
def make_share_image(page_id):
    """The worker's job after a publish: the page's image, and the default if it has none."""
    page = Page.objects.filter(pk=page_id, live=True).first()
    name = site_name()
    with transaction.atomic():
        if not ShareImage.objects.filter(page__isnull=True).exists():
            make_default(name)
        if page is not None:
            make_for_page(page.specific, name)


def page_published(sender, instance, **kwargs):
    """Each publish draws the page's image in the worker (committed with the publish)."""
    if settings.SHARE_IMAGES_ON_PUBLISH:
        make_share_image.enqueue(instance.pk)


def make_all(stdout=None):
    """Every live page's image and the default, ``CHUNK`` pages at a time: (made, pages)."""
    name = site_name()
    made = int(make_default(name))
    count = 0
    for model in (EventPage, WhitePaperPage):
        ids = list(model.objects.live().order_by("pk").values_list("pk", flat=True))
        for done, start in enumerate(range(0, len(ids), CHUNK), start=1):
            chunk = ids[start : start + CHUNK]
            pages = model.objects.filter(pk__in=chunk).order_by("pk")
            if model is EventPage:
                pages = pages.select_related("kind", "venue")
            else:
                pages = pages.select_related("cover_image", "generated_cover")
            with transaction.atomic():
                for page in pages:
                    made += make_for_page(page, name)
                    count += 1
            if stdout is not None:
                done = min(done * CHUNK, len(ids))
                stdout.write(f"  {model._meta.verbose_name_plural} : {done} sur {len(ids)}")
    return made, count


# --- Reading, for the templates ---------------------------------------------------------------


def _shown(page_id):
    """The image a page shows (its own, else the default) as template values, {} if none."""
    mine = Q(page_id=page_id) if page_id is not None else Q(pk__in=[])
    rows = {row.page_id: row for row in ShareImage.objects.filter(mine | Q(page__isnull=True))}
    row = rows.get(page_id) or rows.get(None)
    if row is None:
        return {}
    return {
        "url": default_storage.url(row.file),
        "width": row.width,
        "height": row.height,
        "alt": row.alt,
    }


def shown_image(page_id):
    """What ``_shown`` says, kept until the next purge (saving a ShareImage purges)."""
    return pagecache.versioned(f"share-image:{page_id or 'site'}", lambda: _shown(page_id))
