"""Signals other apps answer, so that contacts never imports them.

``lead_erased`` is sent by ``contacts.services.erase_lead`` inside its transaction, before the
lead's row is deleted: each app that holds rows about the person (publications' download
requests, events' registrations) anonymises them, as pretix's data shredders do. A receiver
returns how many of its rows it kept, anonymised (for the staff's message); an exception rolls
the whole erasure back.
"""

from django.dispatch import Signal

# Sent with ``lead`` (the Lead about to be deleted); the sender is the Lead class.
lead_erased = Signal()

# Sent by the app that took a registration, inside its transaction, once per booking, with
# ``lead`` (the person), ``title`` (what they registered for), ``details`` (a list of short
# lines: each seat and its status), ``key`` (unique per booking) and ``admin_url`` (where staff
# see it). contacts.notifications tells the lead managers who asked for it at once.
registration_made = Signal()
