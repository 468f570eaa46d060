"""The models of the liaison app, one module per subject; every public name is re-exported here."""

from liaison.models.network import (
    Activity,
    ActivityInvitation,
    Division,
    Expense,
    FundPurpose,
    Notification,
    NotificationPreference,
    RoleGrant,
    Station,
    StationBudget,
    TreePathMixin,
    User,
    receipt_upload_to,
)

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
