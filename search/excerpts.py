"""Excerpts of a result's text with the searched words marked.

The backend says which pages match, not where: the words are found again here, the way a
visitor reads them: without accents or case, "atelier" marking "ateliers" and "proximite"
marking "proximité". French words too common to mean anything are never marked.
"""

import re
import unicodedata
from collections import deque
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")
# Words PostgreSQL's French configuration ignores too; marking them would mark every line.
STOP_WORDS = frozenset(
    """a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
    toi ton tu un une vos votre vous c d j l n s t y""".split()  # noqa: SIM905 (a word list)
)
# A trailing "s" or "x" is the French plural: "ateliers" and "atelier" share "atelier".
PLURAL_ENDINGS = ("s", "x")
MIN_PREFIX_LENGTH = 4


def fold(text):
    """Lower case without accents: "Proximité" → "proximite"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def stems(query):
    """The folded, singular forms of the query's meaningful words."""
    found = []
    for word in WORD.findall(fold(query)):
        if word in STOP_WORDS:
            continue
        if len(word) > MIN_PREFIX_LENGTH and word.endswith(PLURAL_ENDINGS):
            word = word[:-1]
        if word not in found:
            found.append(word)
    return found


@lru_cache(maxsize=8192)
def _fold_word(word):
    return fold(word)


def _matches(word, query_stems):
    folded = _fold_word(word)  # the same words come back from text to text
    return any(
        folded.startswith(stem) if len(stem) >= MIN_PREFIX_LENGTH else folded == stem
        for stem in query_stems
    )


def _window(text, query_stems, words):
    """(the spans of the excerpt's words, whether words precede them, whether words follow,
    whether a searched word is among them), ``text`` read up to the excerpt's end only: a page's
    whole indexed text can run to thousands of words, and its first match is often near the
    start. The excerpt starts ``words // 4`` words before the first match, or fewer when the
    text holds fewer, or earlier when it ends sooner; without a match, it is the start."""
    found = WORD.finditer(text)
    head = []  # the first words, the excerpt of a text without a match
    recent = deque(maxlen=words)  # the last words read
    first = end = None
    seen = 0
    for match in found:
        span = match.span()
        recent.append(span)
        seen += 1
        if len(head) < words:
            head.append(span)
        if first is None and _matches(match.group(), query_stems):
            first = seen - 1
            end = max(first - words // 4, 0) + words
        if end is not None and seen >= end:
            break
    if first is None:
        return head, False, seen > len(head), False
    window = list(recent)
    follows = seen >= end and next(found, None) is not None
    return window, seen > len(window), follows, True


def _spaced(text):
    """Runs of white space as one space (line breaks of an indexed text included)."""
    return SPACES.sub(" ", text)


def _marked(text, query, words, only_a_match):
    query_stems = stems(query)
    spans, precedes, follows, matched = _window(text, query_stems, words)
    if only_a_match and not matched:
        return None
    if not spans:
        return ""
    # Cut at the first and last words shown, or at the text's ends, white space left out.
    cut_start = spans[0][0] if precedes else len(text) - len(text.lstrip())
    cut_end = spans[-1][1] if follows else len(text.rstrip())
    parts = ["… " if precedes else ""]
    position = cut_start
    for start, end in spans:
        if _matches(text[start:end], query_stems):
            parts.append(escape(_spaced(text[position:start])))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            position = end
    parts.append(escape(_spaced(text[position:cut_end])))
    parts.append(" …" if follows else "")
    # Safe: every piece is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703


def excerpt(text, query, words=32):
    """About ``words`` words of ``text`` around the first searched word, searched words in
    <mark>, white space as single spaces; the start of the text when no searched word is in
    it. Safe HTML."""
    return _marked(text, query, words, only_a_match=False)


def excerpt_of_match(text, query, words=32):
    """``excerpt`` when a searched word is in ``text``, else None."""
    return _marked(text, query, words, only_a_match=True)
