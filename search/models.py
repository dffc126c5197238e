"""The vocabulary of the index: every word a page's indexed text holds, for « Vouliez-vous
dire … » (search.spelling). Kept up to date as pages are indexed (search.backends). A word no
page holds any more stays: offered, it finds nothing, as the page then says."""

from django.db import models


class Word(models.Model):
    word = models.CharField("mot (sans accents)", max_length=40, unique=True)
    form = models.CharField("mot tel qu'écrit", max_length=40)

    class Meta:
        verbose_name = "mot indexé"
        verbose_name_plural = "mots indexés"

    def __str__(self):
        return self.form
