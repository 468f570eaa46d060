"""The site's URLs plus the floor view: the benchmark's own URLconf, never the site's.

The floor is what a list page costs at the least in this process and database: one SQL query of
50 representatives joined to their station, rendered by a minimal template. Every page is
measured right after it, and reported as a multiple of it.

The layout view is the floor's rows inside the site's own layout (`base.html`: the signed-in
user's navigation, the unread badge, the stylesheets): what any console page pays before its own
content, measured as a reference row of the table.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from liaison.urls import urlpatterns as site_urlpatterns
from representatives.models import Representative

FLOOR_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>floor</title><table>"
    "{% for rep in reps %}<tr><td>{{ rep.name }}</td><td>{{ rep.home_station.name }}</td></tr>{% endfor %}"
    "</table>"
)


LAYOUT_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<table>'
    "{% for rep in reps %}<tr><td>{{ rep.name }}</td><td>{{ rep.home_station.name }}</td></tr>{% endfor %}"
    "</table>{% endblock %}"
)


def layout(request):
    reps = list(Representative.objects.select_related("home_station").order_by("pk")[:50])
    return HttpResponse(LAYOUT_TEMPLATE.render({"reps": reps}, request))


def floor(request):
    reps = list(Representative.objects.select_related("home_station").order_by("pk")[:50])
    return HttpResponse(FLOOR_TEMPLATE.render({"reps": reps}))


urlpatterns = [path("bench/floor/", floor), path("bench/layout/", layout), *site_urlpatterns]
