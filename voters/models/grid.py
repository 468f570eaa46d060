"""The 1+M+N grid (seed 001, 紧水滩镇 "代表+网格"): each county representative links several
township representatives, each township representative several households; representatives
visit their households and log it.

The ranges (3-5 township representatives per county one, 10-20 households per township one) are
settings (`GRID_RANGES`), not rules of the data: the coverage report shows who is outside them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from representatives.models import Representative
from voters.models.people import Household


class GridLink(models.Model):
    """The "1+M" part: a county representative links a township representative (one county
    representative per township representative)."""

    county_representative = models.ForeignKey(
        Representative,
        verbose_name=_("county representative"),
        on_delete=models.CASCADE,
        related_name="grid_township_links",
    )
    township_representative = models.OneToOneField(
        Representative,
        verbose_name=_("township representative"),
        on_delete=models.CASCADE,
        related_name="grid_county_link",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grid link")
        verbose_name_plural = _("grid links")
        ordering = ["county_representative", "pk"]

    def __str__(self):
        return f"{self.county_representative} → {self.township_representative}"


class HouseholdLink(models.Model):
    """The "M+N" part: a township representative is linked to a household (one per household)."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("township representative"),
        on_delete=models.CASCADE,
        related_name="grid_household_links",
    )
    household = models.OneToOneField(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="grid_link"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household link")
        verbose_name_plural = _("household links")
        ordering = ["representative", "pk"]

    def __str__(self):
        return f"{self.representative} → {self.household}"


class HouseholdVisit(models.Model):
    """A representative's visit to a household (走访). The performance-records issue counts these:
    `voters.selectors.grid.household_visits_for_performance` is the seam."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="visits"
    )
    representative = models.ForeignKey(
        Representative, verbose_name=_("representative"), on_delete=models.PROTECT, related_name="household_visits"
    )
    visited_on = models.DateField(_("date of visit"))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["representative", "visited_on"]),
            models.Index(fields=["household", "visited_on"]),
            # The visit list's order (liaison.pagination), walked backwards.
            models.Index(fields=["visited_on", "id"], name="householdvisit_list_order"),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.representative} → {self.household}"
