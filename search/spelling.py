"""« Vouliez-vous dire … » : the nearest indexed word to a word that no page holds.

The words come from the vocabulary that indexing keeps (search.models.Word, folded, with the
form first seen). On PostgreSQL, ``pg_trgm`` finds the nearest by trigrams through its GIN index
(search/migrations/0003); elsewhere rapidfuzz compares the word with the whole vocabulary, in
Python (SQLite serves development, where the vocabulary is small).
"""

from django.db import connection

from rapidfuzz import fuzz, process

from .excerpts import fold
from .models import Word
from .words import VOCABULARY_LENGTHS, WORD

# How alike a suggestion must be: pg_trgm's similarity (0 to 1), rapidfuzz's ratio (0 to 100).
MIN_SIMILARITY = 0.3
MIN_RATIO = 75


def nearest(word):
    """The written form of the indexed word nearest to ``word`` (folded), or None."""
    if len(word) not in VOCABULARY_LENGTHS or not word.isalpha():
        return None
    if connection.vendor == "postgresql":
        table = Word._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT form FROM {table} WHERE word %% %s AND word <> %s"  # noqa: S608  # nosec B608
                " AND similarity(word, %s) >= %s"
                " ORDER BY similarity(word, %s) DESC, abs(length(word) - length(%s)), word"
                " LIMIT 1",
                [word, word, word, MIN_SIMILARITY, word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    vocabulary = dict(Word.objects.values_list("word", "form"))
    vocabulary.pop(word, None)
    best = process.extractOne(word, list(vocabulary), scorer=fuzz.ratio, score_cutoff=MIN_RATIO)
    return vocabulary[best[0]] if best else None


def corrected(terms, unknown):
    """``terms`` with each unknown word replaced by its nearest indexed word; None when no
    unknown word has one."""
    replacements = {}
    for word in unknown:
        suggestion = nearest(word)
        if suggestion:
            replacements[word] = suggestion
    if not replacements:
        return None
    return " ".join(replacements.get(fold(word), word) for word in WORD.findall(terms))
