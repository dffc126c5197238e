"""Excerpts of a result's text with the searched words marked.

The backend says which pages match, not where: the words are found again here, the way a
visitor reads them: without accents or case, "atelier" marking "ateliers" and "proximite"
marking "proximité". French words too common to mean anything are never marked.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

WORD = re.compile(r"\w+")
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


def contains_match(text, query):
    query_stems = stems(query)
    return any(_matches(word, query_stems) for word in WORD.findall(text))


def excerpt(text, query, words=32):
    """About ``words`` words of ``text`` around the first searched word, searched words in
    <mark>; the start of the text when no searched word is in it. Safe HTML."""
    query_stems = stems(query)
    spans = [match.span() for match in WORD.finditer(text)]
    if not spans:
        return ""
    # Words are matched up to the first match, then within the excerpt only: a page's whole
    # indexed text can run to thousands of words.
    first = next(
        (
            index
            for index, (start, end) in enumerate(spans)
            if _matches(text[start:end], query_stems)
        ),
        0,
    )
    start_index = max(0, min(first - words // 4, len(spans) - words))
    end_index = min(len(spans), start_index + words)
    cut_start = spans[start_index][0] if start_index else 0
    cut_end = spans[end_index - 1][1] if end_index < len(spans) else len(text)

    parts = ["… " if start_index else ""]
    position = cut_start
    for start, end in spans[start_index:end_index]:
        if _matches(text[start:end], query_stems):
            parts.append(escape(text[position:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            position = end
    parts.append(escape(text[position:cut_end]))
    parts.append(" …" if end_index < len(spans) else "")
    # Safe: every piece is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703
