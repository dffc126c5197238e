"""The reminders an event sends before each séance, as editors type them: "7, 1" (a week and a
day before), "3", or nothing at all (no reminder)."""

from django.core.exceptions import ValidationError

DEFAULT = "7, 1"
LONGEST = 60  # days: a reminder sent earlier than that would be an invitation


def parse(text):
    """ "7, 1" → [7, 1], longest first; "" → []. Raises ValidationError in French."""
    days = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= LONGEST:
            raise ValidationError(
                f"« {part} » n'est pas un nombre de jours entre 1 et {LONGEST}. Écrivez les "
                "jours séparés par des virgules, par exemple : 7, 1 ; ou laissez vide pour "
                "n'envoyer aucun rappel."
            )
        days.add(int(part))
    return sorted(days, reverse=True)


def validate(text):
    parse(text)
