from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_ratelimit.decorators import ratelimit

from liaison import search_views, site_views, views

console_patterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("stations/", views.StationTreeView.as_view(), name="station_tree"),
    path("stations/new/", views.StationCreateView.as_view(), name="station_create"),
    path("stations/<id:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path("stations/<id:pk>/children/", views.StationChildrenView.as_view(), name="station_children"),
    path("stations/<id:pk>/edit/", views.StationUpdateView.as_view(), name="station_update"),
    path(
        "stations/<id:pk>/deactivate/",
        views.StationActivationView.as_view(activate=False),
        name="station_deactivate",
    ),
    path(
        "stations/<id:pk>/reactivate/",
        views.StationActivationView.as_view(activate=True),
        name="station_reactivate",
    ),
    path("search/stations/", search_views.StationSearchView.as_view(), name="search_stations"),
    path("search/divisions/", search_views.DivisionSearchView.as_view(), name="search_divisions"),
    path("search/representatives/", search_views.RepresentativeSearchView.as_view(), name="search_representatives"),
    path("search/households/", search_views.HouseholdSearchView.as_view(), name="search_households"),
    path("search/officers/", search_views.OfficerSearchView.as_view(), name="search_officers"),
    path("search/groups/", search_views.GroupSearchView.as_view(), name="search_groups"),
    path("search/specialties/", search_views.SpecialtySearchView.as_view(), name="search_specialties"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/preferences/", views.NotificationPreferenceView.as_view(), name="notification_preferences"),
]

urlpatterns = [
    path("", include((console_patterns, "liaison"))),
    path("representatives/", include("representatives.urls")),
    path("voters/", include("voters.urls")),
    path("activities/", include("liaison.activities.urls")),
    path("suggestions/", include("suggestions.urls")),
    # Public pages at short addresses for the QR codes (/s/<slug>/, /r/<id>/) and their posters.
    path("", include("liaison.public.urls")),
    path(
        "accounts/login/",
        # Many sign-in attempts from one address answer 429 (axes also locks username + address).
        ratelimit(group="login", key="ip", rate="liaison.site_views.login_rate", method="POST")(
            auth_views.LoginView.as_view(redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", site_views.favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
