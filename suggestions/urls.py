"""Pages of the suggestions app. Names are prefixed by side: unit_*, staff_* (list/detail),
public_*, review_*."""

from django.urls import path

from suggestions.views import unit as unit_views

app_name = "suggestions"

urlpatterns: list = [
    # The handling unit's console
    path("unit/", unit_views.UnitListView.as_view(), name="unit_list"),
    path("unit/<id:pk>/", unit_views.UnitDetailView.as_view(), name="unit_detail"),
    path("unit/<id:pk>/answer/", unit_views.UnitAnswerView.as_view(), name="unit_answer"),
    path("unit/<id:pk>/extension/", unit_views.UnitExtensionView.as_view(), name="unit_extension"),
    path("unit/<id:pk>/return/", unit_views.UnitReturnView.as_view(), name="unit_return"),
    path("unit/<id:pk>/opinion/", unit_views.UnitOpinionView.as_view(), name="unit_opinion"),
]
