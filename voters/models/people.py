"""Voters and households: the people representatives serve (选民 / 户).

Personal data: keep only what the work needs, mask phones in lists (`access.sees_full_voter_phones`
decides who reads them in full), and record who changed what (history).
Reception days, visits and the 1+M+N grid build on these two models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.history import ChangedOnlyHistoricalRecords as HistoricalRecords
from liaison.models import Division, Station


class Household(models.Model):
    """A household (户): the unit of the 1+M+N grid (seed 001)."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="households",
        help_text=_("The station or point whose area the household lives in."),
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    # The township-level division the household lies in, kept by the services (for the grid's
    # coverage per township without walking the division tree).
    township = models.ForeignKey(
        Division,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    head_name = models.CharField(_("head of household"), max_length=50)
    address = models.CharField(_("address"), max_length=200)
    member_count = models.PositiveSmallIntegerField(_("members"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["division", "address", "pk"]
        indexes = [models.Index(fields=["station", "division"]), models.Index(fields=["township"])]

    def __str__(self):
        return f"{self.head_name}（{self.address}）"

    def get_absolute_url(self):
        return reverse("voters:household_detail", args=[self.pk])


class Voter(models.Model):
    """A voter or resident known to a station, with their consent to be contacted.

    Anonymous visitors are not stored as voters: a visit without a voter is anonymous.
    """

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="voters",
        help_text=_("The station that keeps this contact record."),
    )
    name = models.CharField(_("full name"), max_length=50)
    # Pinyin initials of the name ("wjg" for 王建国), kept by the services, for search.
    name_initials = models.CharField(max_length=20, editable=False, default="")
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    division = models.ForeignKey(
        Division,
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="voters",
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        related_name="members",
        null=True,
        blank=True,
    )
    consents_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "name_initials"])

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["name", "pk"]
        constraints = [
            # Duplicate detection by phone: one contact record per phone number in the instance.
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="voter_phone_unique"),
        ]
        indexes = [
            models.Index(fields=["station", "name"]),
            models.Index(fields=["name_initials"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("voters:voter_detail", args=[self.pk])
