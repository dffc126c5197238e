import html
import json
import re

import pytest

from tests.factories.events import EventIndexPageFactory

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def agenda(home):
    return EventIndexPageFactory(parent=home)


def visible_text(response):
    """The page's text as a visitor reads it: tags dropped, entities decoded, spaces plain."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", content))
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def json_ld(response):
    """The page's one JSON-LD block, parsed."""
    blocks = JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1
    return json.loads(blocks[0])
