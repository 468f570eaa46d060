"""Pages of the voters app: voters and households, reception days and visits, the 1+M+N grid."""

from django.urls import path

from voters.views import grid as grid_views
from voters.views import people as people_views

app_name = "voters"

urlpatterns: list = [
    # Voters and households
    path("", people_views.VoterListView.as_view(), name="voter_list"),
    path("export/", people_views.VoterExportView.as_view(), name="voter_export"),
    path("new/", people_views.VoterCreateView.as_view(), name="voter_create"),
    path("<id:pk>/", people_views.VoterDetailView.as_view(), name="voter_detail"),
    path("<id:pk>/edit/", people_views.VoterUpdateView.as_view(), name="voter_update"),
    path("households/", people_views.HouseholdListView.as_view(), name="household_list"),
    path("households/new/", people_views.HouseholdCreateView.as_view(), name="household_create"),
    path("households/search/", people_views.HouseholdSearchView.as_view(), name="household_search"),
    path("households/<id:pk>/", people_views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<id:pk>/edit/", people_views.HouseholdUpdateView.as_view(), name="household_update"),
    # The 1+M+N grid
    path("grid/", grid_views.GridCoverageView.as_view(), name="grid_coverage"),
    path("grid/townships/<id:pk>/", grid_views.GridTownshipView.as_view(), name="grid_township"),
    path("grid/representatives/<id:pk>/", grid_views.GridRepresentativeView.as_view(), name="grid_representative"),
    path(
        "grid/representatives/search/",
        grid_views.RepresentativeSearchView.as_view(),
        name="grid_representative_search",
    ),
    path("grid/mine/", grid_views.OwnGridView.as_view(), name="grid_mine"),
    path("grid/visits/", grid_views.HouseholdVisitListView.as_view(), name="grid_visit_list"),
    path("grid/visits/new/", grid_views.HouseholdVisitCreateView.as_view(), name="grid_visit_create"),
]
