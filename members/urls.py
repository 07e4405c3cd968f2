from django.urls import path

from members import import_views, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("add/", views.member_add, name="add"),
    path("export/", views.export, name="export"),
    path("export/start/", views.export_start, name="export_start"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/reveal/", views.member_reveal, name="reveal"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/status/", views.member_status, name="status"),
    path("<int:pk>/transfer/", views.transfer_start, name="transfer_start"),
    path("<int:pk>/transfer/units/", views.transfer_units, name="transfer_units"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<int:pk>/mapping/", import_views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/sheet/", import_views.import_sheet, name="import_sheet"),
    path("import/<int:pk>/run/", import_views.import_run, name="import_run"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("import/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("import/<int:pk>/failed-rows/", import_views.import_failed_rows, name="import_failed_rows"),
]
