"""Pages of the voters app: voters and households, reception days and visits, the 1+M+N grid."""

from django.urls import path

from voters.views import grid as grid_views
from voters.views import people as people_views
from voters.views import reception, visits

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
    path("households/<id:pk>/", people_views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<id:pk>/edit/", people_views.HouseholdUpdateView.as_view(), name="household_update"),
    # The 1+M+N grid
    path("grid/", grid_views.GridCoverageView.as_view(), name="grid_coverage"),
    path("grid/townships/<id:pk>/", grid_views.GridTownshipView.as_view(), name="grid_township"),
    path("grid/representatives/<id:pk>/", grid_views.GridRepresentativeView.as_view(), name="grid_representative"),
    path("grid/mine/", grid_views.OwnGridView.as_view(), name="grid_mine"),
    path("grid/visits/", grid_views.HouseholdVisitListView.as_view(), name="grid_visit_list"),
    path("grid/visits/new/", grid_views.HouseholdVisitCreateView.as_view(), name="grid_visit_create"),
    # Reception days and visits
    path("reception/", reception.ReceptionCalendarView.as_view(), name="reception_calendar"),
    path("reception/new/", reception.ReceptionScheduleView.as_view(), name="reception_schedule"),
    path("reception/waiting/", reception.ReceptionDayListView.as_view(), name="reception_list"),
    path("reception/mine/", reception.MyReceptionView.as_view(), name="reception_mine"),
    path("reception/<id:pk>/", reception.ReceptionDayDetailView.as_view(), name="reception_detail"),
    path("reception/<id:pk>/invite/", reception.DutyInviteView.as_view(), name="reception_invite"),
    path("reception/<id:pk>/cancel/", reception.ReceptionCancelView.as_view(), name="reception_cancel"),
    path("reception/<id:pk>/log/", visits.ReceptionLogView.as_view(), name="reception_log"),
    path("reception/<id:pk>/log/draft/", visits.VisitDraftView.as_view(), name="visit_draft"),
    path("reception/duties/<id:pk>/answer/", reception.DutyRespondView.as_view(), name="duty_respond"),
    path("reception/calendar-link/renew/", reception.FeedRenewView.as_view(), name="reception_feed_renew"),
    path("reception/calendar-link/revoke/", reception.FeedRevokeView.as_view(), name="reception_feed_revoke"),
    path("reception/calendar/<str:token>.ics", reception.calendar_feed, name="reception_feed"),
    path("visits/", visits.VisitListView.as_view(), name="visit_list"),
    path("visits/<id:pk>/delete/", visits.VisitDeleteView.as_view(), name="visit_delete"),
]
