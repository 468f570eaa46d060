from django.urls import path
from django_ratelimit.decorators import ratelimit

from representatives.views import evaluation, groups, imports, mobile_register, performance, refresh, reports, roster

app_name = "representatives"

urlpatterns = [
    # --- roster (list, detail, create, edit, end service, corrections) ---
    path("", roster.RepresentativeListView.as_view(), name="list"),
    path("new/", roster.RepresentativeCreateView.as_view(), name="create"),
    path("<id:pk>/", roster.RepresentativeDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", roster.RepresentativeUpdateView.as_view(), name="update"),
    path("<id:pk>/end/", roster.RepresentativeEndServiceView.as_view(), name="end_service"),
    path("<id:pk>/account/", roster.RepresentativeLinkUserView.as_view(), name="link_user"),
    path(
        "<id:pk>/correction/",
        ratelimit(
            group="correction_request", key="user_or_ip", rate="liaison.site_views.correction_rate", method="POST"
        )(roster.CorrectionRequestView.as_view()),
        name="correction_request",
    ),
    path("corrections/", roster.CorrectionListView.as_view(), name="correction_list"),
    path("corrections/<id:pk>/", roster.CorrectionDetailView.as_view(), name="correction_detail"),
    path("corrections/<id:pk>/resolve/", roster.CorrectionDetailView.as_view(), name="correction_resolve"),
    path("me/", roster.MyRecordView.as_view(), name="me"),
    # --- import / export ---
    path("import/", imports.ImportStartView.as_view(), name="import"),
    path("import/template/", imports.ImportTemplateView.as_view(), name="import_template"),
    path("import/<id:pk>/", imports.ImportDetailView.as_view(), name="import_detail"),
    path("import/<id:pk>/confirm/", imports.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/<id:pk>/resolve/", imports.ImportResolveView.as_view(), name="import_resolve"),
    path("import/<id:pk>/progress/", imports.ImportProgressView.as_view(), name="import_progress"),
    path("export/", imports.RepresentativeExportView.as_view(), name="export"),
    # --- groups ---
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/new/", groups.GroupCreateView.as_view(), name="group_create"),
    path("groups/<id:pk>/", groups.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<id:pk>/edit/", groups.GroupUpdateView.as_view(), name="group_update"),
    path("groups/<id:pk>/members/", groups.GroupMembersView.as_view(), name="group_members"),
    # --- mobile register, joint meetings, refresh campaigns, mobility report ---
    path("register/", mobile_register.RegisterListView.as_view(), name="register"),
    path("register/print/", mobile_register.RegisterPrintView.as_view(), name="register_print"),
    path("register/export/", mobile_register.RegisterExportView.as_view(), name="register_export"),
    path("register/<id:pk>/", mobile_register.RegisterDetailView.as_view(), name="register_detail"),
    path("register/<id:pk>/edit/", mobile_register.RegisterUpdateView.as_view(), name="register_update"),
    path("register/<id:pk>/verify/", mobile_register.RegisterVerifyView.as_view(), name="register_verify"),
    path("register/joint-meetings/new/", mobile_register.JointMeetingRecordView.as_view(), name="joint_meeting_record"),
    path("reports/mobility/", reports.MobilityReportView.as_view(), name="mobility_report"),
    path("refresh/", refresh.RefreshListView.as_view(), name="refresh_list"),
    path("refresh/open/", refresh.RefreshOpenView.as_view(), name="refresh_open"),
    path("refresh/mine/", refresh.RefreshMineView.as_view(), name="refresh_mine"),
    path("refresh/<id:pk>/", refresh.RefreshDetailView.as_view(), name="refresh_detail"),
    path("refresh/<id:pk>/close/", refresh.RefreshCloseView.as_view(), name="refresh_close"),
    path("refresh/confirmations/<id:pk>/", refresh.RefreshConfirmView.as_view(), name="refresh_confirm"),
    # --- performance records, points rules, handbook, report-backs, annual evaluation ---
    path("performance/", performance.RecordListView.as_view(), name="performance_list"),
    path("performance/mine/", performance.MyPerformanceView.as_view(), name="performance_mine"),
    path("<id:pk>/performance/new/", performance.RecordCreateView.as_view(), name="performance_create"),
    path("performance/<id:pk>/verify/", performance.RecordVerifyView.as_view(), name="performance_verify"),
    path("performance/<id:pk>/delete/", performance.RecordDeleteView.as_view(), name="performance_delete"),
    path("performance/<id:pk>/evidence/", performance.EvidenceView.as_view(), name="performance_evidence"),
    path("<id:pk>/handbook/<int:year>/", performance.HandbookView.as_view(), name="handbook"),
    path(
        "performance/stations/<id:station>/handbooks/<int:year>/",
        performance.StationHandbooksView.as_view(),
        name="station_handbooks",
    ),
    path("<id:pk>/handbook/<int:year>/pdf/", performance.HandbookPdfView.as_view(), name="handbook_pdf"),
    path(
        "performance/stations/<id:station>/handbooks/<int:year>/pdf/",
        performance.StationHandbooksPdfView.as_view(),
        name="station_handbooks_pdf",
    ),
    path("performance/rules/", performance.RulesView.as_view(), name="points_rules"),
    path("performance/rules/new/", performance.RulesEditView.as_view(), name="points_rules_create"),
    path("performance/rules/<id:pk>/", performance.RulesEditView.as_view(), name="points_rules_update"),
    path("performance/rules/<id:pk>/delete/", performance.RulesDeleteView.as_view(), name="points_rules_delete"),
    path("performance/quarterly/", performance.QuarterlyPointsView.as_view(), name="quarterly_points"),
    path("report-backs/", evaluation.ReportBackPlanView.as_view(), name="report_back_plan"),
    path("report-backs/<id:pk>/held/", evaluation.ReportBackHeldView.as_view(), name="report_back_held"),
    path("report-backs/<id:pk>/undo/", evaluation.ReportBackUndoView.as_view(), name="report_back_undo"),
    path("evaluations/", evaluation.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/<id:pk>/", evaluation.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluations/<id:pk>/publish/", evaluation.EvaluationPublishView.as_view(), name="evaluation_publish"),
    path(
        "evaluations/entries/<id:pk>/nominate/",
        evaluation.EvaluationNominateView.as_view(),
        name="evaluation_nominate",
    ),
]
