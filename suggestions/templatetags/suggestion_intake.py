"""The reception day page's seam: may this reader turn the day's raised items into suggestions,
and with which categories (two queries per page, whatever the number of items)."""

from django import template

from liaison import access
from suggestions.selectors import staff as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def raised_item_intake(context, day) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not access.suggestion_stations(user).filter(pk=day.station_id).exists():
        return {"may_convert": False, "categories": []}
    return {"may_convert": True, "categories": list(selectors.categories_active())}
