"""Signal receivers: each only calls a service."""

from . import services


def fill_seats_after_publish(sender, instance, **kwargs):
    """A published event may have more places than before: the waiting list gets them."""
    services.fill_from_waiting_list(instance)
