"""The export log's filters in words ("Livre blanc : Habiter demain, Date de la demande : du
15/11/2026") rather than as stored ("paper = 14"), and the export log's own export.

Each list that can be exported registers its filter set for its dataset (the app that owns the
list does, so that this module needs no app above it); a filter's label, choices and model come
from there. Titles of chosen objects are looked up with one query per model for a whole page or
chunk of log entries, never one per entry.
"""

import datetime

import django_filters

from .exports import Columns
from .models import ExportLog

RANGE_SUFFIXES = {"from": "du", "after": "du", "min": "de", "to": "au", "before": "au", "max": "à"}
SEARCH_LABEL = "Recherche"
NO_FILTER = "aucun (toute la liste)"
BOOLEAN_WORDS = {"true": "oui", "false": "non", "1": "oui", "0": "non"}

_filtersets = {}


def register_filters(dataset, filterset_class):
    """Declares which filters a dataset's exports were made with."""
    _filtersets[dataset] = filterset_class


def _filter_for(dataset, key):
    """The filter a stored key belongs to, and the range word its suffix stands for."""
    filters = getattr(_filtersets.get(dataset), "base_filters", {})
    if key in filters:
        return filters[key], None
    name, _, suffix = key.rpartition("_")
    if name in filters and suffix in RANGE_SUFFIXES:
        return filters[name], RANGE_SUFFIXES[suffix]
    return None, None


def _french_date(value):
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _chosen_objects(logs):
    """{(model, pk as text): str(object)} for every object chosen in these logs' filters."""
    wanted = {}
    for log in logs:
        for key, value in (log.filters or {}).items():
            filter_, _ = _filter_for(log.dataset, key)
            if isinstance(filter_, django_filters.ModelChoiceFilter) and str(value).isdigit():
                wanted.setdefault(filter_.queryset.model, set()).add(int(value))
    names = {}
    for model, pks in wanted.items():
        for pk, instance in model._default_manager.in_bulk(pks).items():
            names[(model, str(pk))] = str(instance)
    return names


def _words(filter_, value, names):
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return names.get((filter_.queryset.model, str(value)), f"n° {value} (supprimé)")
    if isinstance(filter_, django_filters.BooleanFilter):
        return BOOLEAN_WORDS.get(str(value).lower(), str(value))
    if isinstance(filter_, django_filters.ChoiceFilter):
        return str(dict(filter_.extra.get("choices", ())).get(value, value))
    return str(value)


def _describe_one(log, names):
    parts = {}  # label -> words; a range's two ends ("du …", "au …") make one part
    for key, value in (log.filters or {}).items():
        if key == "q":
            parts[SEARCH_LABEL] = [f"« {value} »"]
            continue
        filter_, range_word = _filter_for(log.dataset, key)
        if filter_ is None:
            parts.setdefault(key, []).append(str(value))
        elif range_word:
            end = range_word in ("au", "à")
            parts.setdefault(str(filter_.label), []).insert(
                len(parts.get(str(filter_.label), [])) if end else 0,
                f"{range_word} {_french_date(value)}",
            )
        else:
            parts[str(filter_.label or key)] = [_words(filter_, value, names)]
    if not parts:
        return NO_FILTER
    return ", ".join(f"{label} : {' '.join(words)}" for label, words in parts.items())


def describe_filters(logs):
    """The filters of each log entry in words, in the entries' order."""
    logs = list(logs)
    names = _chosen_objects(logs)
    return [_describe_one(log, names) for log in logs]


def _describe_chunk(chunk):
    """The export log's export: its "Filtres" column in words, one lookup per chunk."""
    logs = [ExportLog(dataset=row["dataset"], filters=row["filters"]) for row in chunk]
    for row, words in zip(chunk, describe_filters(logs), strict=True):
        row["filters"] = words


EXPORT_LOG = Columns(
    [
        ("Date de l'export", "created_at"),
        ("Utilisateur", "username"),
        ("Liste exportée", "dataset"),
        ("Format", "format"),
        ("Origine", "source"),
        ("Filtres", "filters"),
        ("Lignes exportées", "row_count"),
        ("État", "status"),
    ],
    labels={
        "dataset": dict(ExportLog.Dataset.choices),
        "format": dict(ExportLog.Format.choices),
        "source": dict(ExportLog.Source.choices),
        "status": dict(ExportLog.Status.choices),
    },
    sheet_title="Journal des exports",
    file_stem="journal-des-exports",
    widths={"created_at": 17, "username": 18, "dataset": 28, "source": 24, "filters": 60},
    prepare=_describe_chunk,
)
