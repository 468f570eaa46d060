from django.urls import path

from suggestions.views import public, review

app_name = "suggestions"

urlpatterns = [
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
