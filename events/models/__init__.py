from .agenda import EventIndexPage
from .attendance import Attendance
from .event_page import EventPage
from .inlines import (
    EventOrganisation,
    EventPerson,
    EventPrice,
    EventRelatedPaper,
    EventSession,
)
from .messages import RegistrantMessage
from .registration import Places, Registration
from .snippets import EventKind, Venue
from .transfers import SeatTransfer

__all__ = [
    "Attendance",
    "EventIndexPage",
    "EventKind",
    "EventOrganisation",
    "EventPage",
    "EventPerson",
    "EventPrice",
    "EventRelatedPaper",
    "EventSession",
    "Places",
    "RegistrantMessage",
    "Registration",
    "SeatTransfer",
    "Venue",
]
