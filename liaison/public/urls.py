"""Public pages at short addresses (they go into QR codes): /s/<slug>/ a station, /r/<id>/ a
representative; and the staff's posters of their codes (and of an activity's check-in page)."""

from django.urls import path, register_converter

from liaison.public import views


class QrFormatConverter:
    regex = "png|svg"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(QrFormatConverter, "qrfmt")

app_name = "public"

urlpatterns = [
    path("s/<slug:slug>/", views.StationPageView.as_view(), name="station"),
    path("r/<id:pk>/", views.RepresentativeCardView.as_view(), name="representative"),
    path("posters/station/<id:pk>/", views.StationPosterView.as_view(), name="station_poster"),
    path("posters/station/<id:pk>/qr.<qrfmt:fmt>", views.StationPosterView.as_view(), name="station_qr"),
    path("posters/representative/<id:pk>/", views.RepresentativePosterView.as_view(), name="representative_poster"),
    path(
        "posters/representative/<id:pk>/qr.<qrfmt:fmt>",
        views.RepresentativePosterView.as_view(),
        name="representative_qr",
    ),
    path("posters/activity/<id:pk>/", views.ActivityPosterView.as_view(), name="activity_poster"),
    path("posters/activity/<id:pk>/qr.<qrfmt:fmt>", views.ActivityPosterView.as_view(), name="activity_qr"),
]
