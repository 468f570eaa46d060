"""A representative's home: proposals waiting for their co-signature and answers to their own
proposals waiting for their rating (registered in SuggestionsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.dashboards import Panel, Stat
from suggestions.selectors import staff as selectors


def representative_suggestions_panel(user) -> Panel | None:
    rep = selectors.own_representative(user=user)
    if rep is None:
        return None
    to_cosign = selectors.cosign_invitations(rep=rep).count()
    to_rate = selectors.proposals_to_rate(rep=rep).count()
    mine = reverse("suggestions:staff_mine")
    return Panel(
        title=_("My suggestions"),
        stats=[
            Stat(_("Proposals to co-sign"), to_cosign, f"{mine}?show=cosign", urgent=bool(to_cosign)),
            Stat(_("Answers to rate"), to_rate, f"{mine}?show=rate", urgent=bool(to_rate)),
            Stat(_("Submit a proposal"), _("Write"), reverse("suggestions:staff_proposal_create")),
        ],
        order=2,
    )
