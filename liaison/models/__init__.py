"""The models of the liaison app, one module per subject; every public name is re-exported here."""

from liaison.models.activities import (
    Activity,
    ActivityInvitation,
    Expense,
    FundPurpose,
    StationBudget,
    receipt_upload_to,
)
from liaison.models.network import Division, RoleGrant, Station, TreePathMixin, User
from liaison.models.notifications import Notification, NotificationPreference

__all__ = [
    "Activity",
    "ActivityInvitation",
    "Division",
    "Expense",
    "FundPurpose",
    "Notification",
    "NotificationPreference",
    "RoleGrant",
    "Station",
    "StationBudget",
    "TreePathMixin",
    "User",
    "receipt_upload_to",
]
