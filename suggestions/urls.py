"""Pages of the suggestions app. Names are prefixed by side: unit_*, staff_* (list/detail),
public_*, review_*."""

from django.urls import path

from suggestions.views import files, public, review
from suggestions.views import intake as intake_views
from suggestions.views import staff as staff_views
from suggestions.views import unit as unit_views

app_name = "suggestions"

urlpatterns: list = [
    path("attachments/<id:pk>/", files.AttachmentView.as_view(), name="attachment"),
    # The handling unit's console
    path("unit/", unit_views.UnitListView.as_view(), name="unit_list"),
    path("unit/<id:pk>/", unit_views.UnitDetailView.as_view(), name="unit_detail"),
    path("unit/<id:pk>/answer/", unit_views.UnitAnswerView.as_view(), name="unit_answer"),
    path("unit/<id:pk>/extension/", unit_views.UnitExtensionView.as_view(), name="unit_extension"),
    path("unit/<id:pk>/return/", unit_views.UnitReturnView.as_view(), name="unit_return"),
    path("unit/<id:pk>/opinion/", unit_views.UnitOpinionView.as_view(), name="unit_opinion"),
    # Staff side: the list, a suggestion's page and its actions, intake
    path("", staff_views.SuggestionListView.as_view(), name="list"),
    path("new/", intake_views.SuggestionCreateView.as_view(), name="staff_create"),
    path("<id:pk>/", staff_views.SuggestionDetailView.as_view(), name="detail"),
    path("<id:pk>/act/<slug:action>/", staff_views.SuggestionActionView.as_view(), name="staff_action"),
    path("<id:pk>/cosign/", intake_views.CosignRespondView.as_view(), name="staff_cosign"),
    path("raised-items/<id:pk>/convert/", intake_views.RaisedItemConvertView.as_view(), name="staff_convert_item"),
    path("mine/", intake_views.MySuggestionsView.as_view(), name="staff_mine"),
    path("mine/propose/", intake_views.ProposalCreateView.as_view(), name="staff_proposal_create"),
    path("search/stations/", staff_views.StationSearchView.as_view(), name="staff_station_search"),
    path("search/suggestions/", staff_views.MergeTargetSearchView.as_view(), name="staff_merge_search"),
    path("search/units/", staff_views.UnitSearchView.as_view(), name="staff_unit_search"),
    path("search/voters/", intake_views.VoterSearchView.as_view(), name="staff_voter_search"),
    path(
        "search/representatives/", intake_views.RepresentativeSearchView.as_view(), name="staff_representative_search"
    ),
    path("search/cosigners/", intake_views.CosignerSearchView.as_view(), name="staff_cosigner_search"),
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
