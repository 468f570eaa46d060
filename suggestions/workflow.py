"""The suggestion's state machine: which action may move it from which state to which.

Pure data and one check; the services (`suggestions.services`) lock the row, call `check` on the
state they read under the lock, write, and add a `Transition`. So an impossible step, or the second
of two people acting on the same suggestion at once, is refused with a message and changes nothing.

    submitted -> accepted | declined | merged | settled
    accepted  -> assigned | merged
    assigned  -> answered | accepted (the lead unit returns it as misrouted)
    answered  -> closed (satisfied / partly satisfied, or closed by county staff)
              -> assigned (unsatisfied, the first time: re-handling)
              -> unsatisfied (unsatisfied again: waits for county staff)
    unsatisfied -> closed (county staff, with a note)

Steps that do not change the state (a co-handler's opinion, an extension, supervision) are
timeline entries from a state to itself, allowed only in the states listed for them.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suggestions.models import Suggestion

S = Suggestion.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset[str]
    targets: frozenset[str]


def _action(name, label, sources, targets) -> Action:
    return Action(name, label, frozenset(sources), frozenset(targets))


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _action("submit", gettext_lazy("Submitted"), [""], [S.SUBMITTED]),
        _action("accept", gettext_lazy("Accepted"), [S.SUBMITTED], [S.ACCEPTED]),
        _action("decline", gettext_lazy("Declined"), [S.SUBMITTED], [S.DECLINED]),
        _action("merge", gettext_lazy("Merged into another suggestion"), [S.SUBMITTED, S.ACCEPTED], [S.MERGED]),
        _action("settle", gettext_lazy("Settled on the spot"), [S.SUBMITTED], [S.SETTLED]),
        _action("assign", gettext_lazy("Assigned to a handling unit"), [S.ACCEPTED], [S.ASSIGNED]),
        _action("return", gettext_lazy("Returned as misrouted"), [S.ASSIGNED], [S.ACCEPTED]),
        _action("co_opinion", gettext_lazy("Co-handler's opinion sent"), [S.ASSIGNED], [S.ASSIGNED]),
        _action("extension_request", gettext_lazy("Extension requested"), [S.ASSIGNED], [S.ASSIGNED]),
        _action("extension_decide", gettext_lazy("Extension decided"), [S.ASSIGNED], [S.ASSIGNED]),
        _action("answer", gettext_lazy("Answered"), [S.ASSIGNED], [S.ANSWERED]),
        _action("rate", gettext_lazy("Rated"), [S.ANSWERED], [S.CLOSED, S.ASSIGNED, S.UNSATISFIED]),
        _action("close", gettext_lazy("Closed by county staff"), [S.ANSWERED, S.UNSATISFIED], [S.CLOSED]),
        _action("supervise", gettext_lazy("Put under supervision"), [S.ACCEPTED, S.ASSIGNED, S.ANSWERED], []),
    ]
}

OPEN_STATES = frozenset({S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.ANSWERED, S.UNSATISFIED})
FINAL_STATES = frozenset({S.DECLINED, S.MERGED, S.SETTLED, S.CLOSED})


def check(action_name: str, status: str, target: str | None = None) -> Action:
    """The action if it may run on a suggestion in `status` (and lead to `target`); otherwise a
    ValidationError saying, in the user's language, why not. Changes nothing."""
    action = ACTIONS[action_name]
    if status not in action.sources:
        raise ValidationError(
            _(
                "This suggestion is %(status)s: “%(action)s” is not possible now. "
                "Reload the page to see its current state."
            )
            % {"status": Suggestion.Status(status).label if status else "—", "action": action.label},
            code="invalid_transition",
        )
    if target is not None and action.targets and target not in action.targets:
        raise ValidationError(_("This step cannot lead to that state."), code="invalid_transition")
    return action


def allowed_actions(status: str) -> list[str]:
    """The actions possible from a state (the page offers only these; who may is access.py's)."""
    return [a.name for a in ACTIONS.values() if status in a.sources]
