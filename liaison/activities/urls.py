from django.urls import path

from liaison.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/", views.ActivityCreateView.as_view(), name="create"),
    path("mine/", views.MyActivitiesView.as_view(), name="mine"),
    path("<id:pk>/", views.ActivityDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", views.ActivityUpdateView.as_view(), name="update"),
    path("<id:pk>/invite/", views.ActivityInviteView.as_view(), name="invite"),
    path("<id:pk>/invite/search/", views.RepresentativeSearchView.as_view(), name="invite_search"),
    path("<id:pk>/uninvite/", views.ActivityUninviteView.as_view(), name="uninvite"),
    path("<id:pk>/announce/", views.ActivityAnnounceView.as_view(), name="announce"),
    path("<id:pk>/cancel/", views.ActivityCancelView.as_view(), name="cancel"),
    path("<id:pk>/attendance/", views.AttendanceRecordView.as_view(), name="attendance"),
    path("<id:pk>/expenses/", views.ExpenseCreateView.as_view(), name="expense_create"),
    path("<id:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("expenses/<id:pk>/delete/", views.ExpenseDeleteView.as_view(), name="expense_delete"),
    path("expenses/<id:pk>/receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("funds/", views.BudgetReportView.as_view(), name="budget_report"),
    path("funds/budget/", views.BudgetSetView.as_view(), name="budget_set"),
]
