"""The admin listings' paginator at scale: a count that stops at COUNT_CAP rows.

Wagtail's paginator counts every row of a listing on every view (``SELECT COUNT(*)``), which
reads a million download requests to print « 1 000 000 demandes » under the table. This one
counts at most COUNT_CAP + 1 rows: below the cap, staff see the exact number, as before; above
it, « plus de 10 000 … » and at most COUNT_CAP / page size pages (a page number past them
shows the last one). Whoever needs a row further back narrows the list by its filters (a
paper, a period, an event), where the exact count comes back.
"""

from django.utils.formats import number_format
from django.utils.functional import cached_property

from wagtail.admin.paginator import WagtailPaginator

COUNT_CAP = 10_000


class CappedCountPaginator(WagtailPaginator):
    """``counted``: a queryset with the same rows as the listing but cheaper to count (the
    leads without their per-row aggregates); the listing itself by default."""

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self):
        counted = self.counted
        if not hasattr(counted, "query"):  # a list
            return len(counted)
        # Only the keys: no ordering, no joined rows, no per-row subquery in the count.
        return counted.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def capped(self):
        """Whether the listing holds more rows than the count went to."""
        return self.count > COUNT_CAP

    @cached_property
    def num_pages(self):
        if self.capped:
            return max(1, COUNT_CAP // self.per_page)
        return super().num_pages

    @cached_property
    def items_count_label(self):
        if self.capped:
            cap = number_format(COUNT_CAP, force_grouping=True)
            return f"plus de {cap} {self.verbose_name_plural}"
        return super().items_count_label
