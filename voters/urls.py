"""Pages of the voters app: voters and households, reception days and visits, the 1+M+N grid."""

from django.urls import path

from voters.views import reception

app_name = "voters"

urlpatterns: list = [
    path("reception/", reception.ReceptionCalendarView.as_view(), name="reception_calendar"),
    path("reception/new/", reception.ReceptionScheduleView.as_view(), name="reception_schedule"),
    path("reception/waiting/", reception.ReceptionDayListView.as_view(), name="reception_list"),
    path("reception/mine/", reception.MyReceptionView.as_view(), name="reception_mine"),
    path("reception/<id:pk>/", reception.ReceptionDayDetailView.as_view(), name="reception_detail"),
    path("reception/<id:pk>/invite/", reception.DutyInviteView.as_view(), name="reception_invite"),
    path("reception/<id:pk>/cancel/", reception.ReceptionCancelView.as_view(), name="reception_cancel"),
    path("reception/<id:pk>/log/", reception.ReceptionLogView.as_view(), name="reception_log"),
    path("reception/<id:pk>/log/draft/", reception.VisitDraftView.as_view(), name="visit_draft"),
    path("reception/duties/<id:pk>/answer/", reception.DutyRespondView.as_view(), name="duty_respond"),
    path("reception/calendar-link/renew/", reception.FeedRenewView.as_view(), name="reception_feed_renew"),
    path("reception/calendar-link/revoke/", reception.FeedRevokeView.as_view(), name="reception_feed_revoke"),
    path("reception/calendar/<str:token>.ics", reception.calendar_feed, name="reception_feed"),
    path("visits/", reception.VisitListView.as_view(), name="visit_list"),
    path("visits/<id:pk>/delete/", reception.VisitDeleteView.as_view(), name="visit_delete"),
]
