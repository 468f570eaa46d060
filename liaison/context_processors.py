from django.utils.functional import SimpleLazyObject

from liaison import access, selectors


def navigation(request):
    """What the navigation shows: only what the user's roles may use, and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "station_console": access.has_capability(user, access.Capability.STATION_CONSOLE),
            "roster": access.has_capability(user, access.Capability.ROSTER),
            "county_reports": access.has_capability(user, access.Capability.COUNTY_REPORTS),
            "own_record": access.is_representative(user),
            "reception": access.uses_reception(user),
            "reception_staff": access.has_capability(user, access.Capability.RECEPTION),
            "evaluation": access.has_capability(user, access.Capability.EVALUATION),
            "points_rules": access.may_edit_points_rules(user),
            "admin": user.is_superuser,
            "suggestion_review": access.has_capability(user, access.Capability.SUGGESTION_REVIEW),
            "unit_console": bool(access.handling_unit_ids(user)),
            "suggestions": access.has_capability(user, access.Capability.SUGGESTIONS),
            "roles": sorted({grant.get_role_display() for grant in access.grants(user)}),
        },
        # Counted when the page shows it, unless the view counted already (the dashboard's inbox
        # panel passes its own `unread_count`, which hides this one: one query, not two).
        "unread_count": SimpleLazyObject(lambda: selectors.notification_unread_count(user=user)),
    }
