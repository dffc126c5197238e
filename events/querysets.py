"""The agenda's listing rules, as queryset methods: ``EventPage.objects.live().upcoming(today)``.

"Today" is always passed in, read once per request by the caller, so that one page never mixes
two days and tests can choose theirs.
"""

import datetime

from django.db.models import BooleanField, Case, DateField, OuterRef, Subquery, When

from wagtail.query import PageQuerySet


class EventPageQuerySet(PageQuerySet):
    def dated(self):
        """Live events with a date: those a listing shows."""
        return self.live().filter(first_date__isnull=False)

    def for_listing(self):
        """Live, dated events with what a card shows (kind, venue) in the same query."""
        return self.dated().select_related("kind", "venue")

    def listing_paper(self, paper):
        """The events that list this white paper among theirs, the latest first."""
        return self.filter(related_papers__paper=paper).distinct().order_by("-first_date")

    def upcoming(self, today):
        """Events with a session today or later: a cycle under way is still upcoming."""
        return self.filter(last_date__gte=today)

    def past(self, today):
        return self.filter(last_date__lt=today)

    def in_year(self, year):
        """Events with a session in that year: a 2022/2023 cycle is in both."""
        return self.filter(
            first_date__lte=datetime.date(year, 12, 31), last_date__gte=datetime.date(year, 1, 1)
        )

    def with_next_date(self, today):
        """Annotates ``next_date``: the date of the first session from today on, or None."""
        sessions = self.model._meta.get_field("sessions").related_model.objects
        next_session = (
            sessions.filter(page=OuterRef("pk"), date__gte=today)
            .order_by("date", "start_time")
            .values("date")[:1]
        )
        # Past events have none: the CASE spares the database the subquery for each of them.
        return self.annotate(
            next_date=Case(
                When(last_date__gte=today, then=Subquery(next_session)),
                default=None,
                output_field=DateField(),
            )
        )

    def in_agenda_order(self, today):
        """Upcoming events by their next session, then past events, the latest first.

        Annotates ``is_past``, from which the agenda groups its cards.
        """
        return (
            self.with_next_date(today)
            .annotate(
                is_past=Case(
                    When(last_date__lt=today, then=True),
                    default=False,
                    output_field=BooleanField(),
                )
            )
            .order_by("is_past", "next_date", "-last_date", "-first_date", "title")
        )

    def years(self):
        """Every year in which these events have a session, the latest first: two dates per
        event are enough, since the dates between them fall in the years between."""
        years = set()
        for first, last in self.values_list("first_date__year", "last_date__year").distinct():
            if first is not None:
                years.update(range(first, last + 1))
        return sorted(years, reverse=True)
