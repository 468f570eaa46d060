"""Suggestions and the bodies that handle them. Only handling units exist so far."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HandlingUnit(models.Model):
    """A government body that handles and answers suggestions (承办单位)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    division = models.ForeignKey(
        "liaison.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="handling_units",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["name"]

    def __str__(self):
        return self.name
