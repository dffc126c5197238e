"""The one place where what a visitor sends is made safe to store and to show again.

Every text that comes from a visitor (the fields of the white-paper and registration forms, the
UTM parameters, the referrer, the search box, a cookie read back) goes through here before it
is stored or rendered: Unicode normalised (NFC), NUL and control characters removed (newline and
tab are kept in multi-line fields only), the page cache's slot marker made impossible, the
length bounded. Two ways to use it:

- ``clean()`` silently cleans: provenance (UTM, referrer), free text (a comment), the search box;
- ``forbidden()`` says whether a value holds what a form should refuse with a French message
  (a name with a control character is a mistake or a bot, not something to guess about).
"""

import unicodedata
import uuid

# pagecache.slots fills markers "__page_slot_<name>__" anywhere in a page: a visitor's text
# must never be able to spell one. The prefix is broken by dropping one of its underscores.
SLOT_MARKER = "__page_slot_"
_SLOT_MARKER_BROKEN = "_page_slot_"

# Kept in multi-line fields; everywhere else a line break or a tab becomes a space.
_MULTILINE_KEPT = frozenset("\n\t")
# Unicode categories never kept: controls (Cc, NUL and C1 included) and surrogates (Cs: a lone
# one cannot be encoded in UTF-8, PostgreSQL refuses it). Newer emoji, unknown to this Python's
# Unicode tables, are kept.
_DROPPED_CATEGORIES = frozenset(("Cc", "Cs"))
# Format characters (Cf) that reorder or hide text: bidirectional overrides and isolates.
_DROPPED_FORMATS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

CONTROL_CHARACTERS = "Ce champ contient des caractères non permis (caractères de contrôle)."


def clean(value, *, max_length=None, multiline=False):
    """``value`` made safe: NFC, no control character, no slot marker, at most ``max_length``
    characters (None: a form field's own length check refuses what is too long). On one line
    (runs of whitespace become one space) unless ``multiline``, where line breaks (``\\r\\n``
    and ``\\r`` become ``\\n``) and tabs are kept."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = "".join(char for char in text if char in _MULTILINE_KEPT or _kept(char))
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    else:
        text = " ".join("".join(_on_one_line(char) for char in text).split())
    text = _without_slot_marker(text)
    return text[:max_length].strip() if max_length is not None else text


def uuid_or_none(value):
    """A cookie or a link read back as the UUID it should hold, or None for anything else."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def forbidden(value, *, multiline=False):
    """Whether ``value`` holds a character a form field refuses: a control character (NUL
    included) other than whitespace, a lone surrogate or a bidirectional override.
    Whitespace controls (line break, tab) are not refused: ``clean()`` turns them into spaces
    on one line."""
    allowed = (_MULTILINE_KEPT | {"\r"}) if multiline else frozenset(" \t\n\r\x0b\x0c")
    return any(char not in allowed and not _kept(char) for char in str(value))


def _on_one_line(char):
    # A control character (a NUL between two words, a line break) separates; an override goes.
    if char in _DROPPED_FORMATS:
        return ""
    return char if _kept(char) else " "


def _kept(char):
    return unicodedata.category(char) not in _DROPPED_CATEGORIES and char not in _DROPPED_FORMATS


def _without_slot_marker(text):
    # Dropping an underscore can make a new marker ("___page_slot_"): repeat until none is left.
    while SLOT_MARKER in text:
        text = text.replace(SLOT_MARKER, _SLOT_MARKER_BROKEN)
    return text
