"""Pages of the suggestions app. Names are prefixed by side: unit_*, staff_* (list/detail),
public_*, review_*."""

from django.urls import path

from suggestions.views import public, review
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
    # --- public pages (no login): the QR codes' form, tracking by code, published answers ---
    path("public/new/", public.PublicSuggestionFormView.as_view(), name="public_form"),
    path("public/submitted/", public.PublicSubmittedView.as_view(), name="public_submitted"),
    path("public/track/", public.PublicTrackView.as_view(), name="public_track"),
    path("public/track/<str:code>/", public.PublicTrackDetailView.as_view(), name="public_track_detail"),
    path("public/station/<slug:slug>/answers/", public.PublishedAnswersView.as_view(), name="public_answers"),
    # --- county review console ---
    path("review/", review.ReviewFiguresView.as_view(), name="review_figures"),
    path("review/figures.xlsx", review.ReviewFiguresExportView.as_view(), name="review_figures_export"),
    path("review/list/", review.ReviewListView.as_view(), name="review_list"),
    path("review/list.xlsx", review.ReviewListExportView.as_view(), name="review_list_export"),
    path("review/deadlines/", review.ReviewDeadlinesView.as_view(), name="review_deadlines"),
    path("review/supervision/", review.ReviewSupervisionView.as_view(), name="review_supervision"),
]
