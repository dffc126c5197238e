"""The words of a query and of an indexed text, the same way on every database.

A query is read as its meaningful words: folded (lower case, no accents), without the French
words too common to mean anything (PostgreSQL's ``french_unaccent`` configuration drops the
same ones, so that "all the words" means the same on both databases), at most ``MAX_WORDS``.

On SQLite the index and the query both pass through Snowball's French stemmer (``stem``), as
PostgreSQL's ``french_stem`` does: "bailleurs" and "bailleur" are both "bailleur", "ateliers"
and "atelier" both "ateli".
"""

import re
from functools import lru_cache

import snowballstemmer

from .excerpts import fold

WORD = re.compile(r"\w+")
MAX_WORDS = 8
# A vocabulary word (search.models.Word): long enough to be mistyped, short enough to be a word.
VOCABULARY_LENGTHS = range(3, 41)

# PostgreSQL 15's french.stop, as it applies after unaccent (its accented entries never match).
STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi
    mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
    une vos votre vous c d j l m n s t y suis es est sommes sont serai seras sera serons serez
    seront serais serait serions seriez seraient fus fut furent sois soit soyons soyez soient
    fusse fusses fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons
    avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais
    avait avions aviez avaient eut eurent aie aies ait ayons ayez aient eusse eusses eussions
    eussiez eussent""".split()  # noqa: SIM905 (a word list)
)

_french = snowballstemmer.stemmer("french")


def query_words(terms):
    """The query's meaningful words, folded, each once, in the visitor's order."""
    found = []
    for word in WORD.findall(fold(terms)):
        if word not in STOP_WORDS and word not in found:
            found.append(word)
    return found[:MAX_WORDS]


@lru_cache(maxsize=65536)
def stem(word):
    """The French stem of a folded word (the same word comes back from text to text)."""
    return _french.stemWord(word)


def stemmed_text(text):
    """``text`` as the SQLite index holds it: its folded words, stemmed, space-separated."""
    return " ".join(stem(word) for word in WORD.findall(fold(text)))


def vocabulary(text):
    """{folded word: the word as written, in lower case} for the words of ``text`` that a
    suggestion may offer (letters only, of a word's length)."""
    found = {}
    for written in WORD.findall(text.casefold()):
        if len(written) in VOCABULARY_LENGTHS and written.isalpha():
            found.setdefault(fold(written), written)
    return found
