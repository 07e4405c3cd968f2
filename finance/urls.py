from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("", views.home, name="home"),
    path("budget/new/", views.budget_create, name="budget_create"),
    path("budget/<int:pk>/", views.budget_edit, name="budget_edit"),
    path("budget/<int:pk>/lines/", views.budget_line_add, name="budget_line_add"),
    path("budget/<int:pk>/approve/", views.budget_approve, name="budget_approve"),
    path("payments/", views.payments, name="payments"),
    path("payments/new/", views.payment_new, name="payment_new"),
    path("payments/<int:pk>/", views.payment_detail, name="payment"),
    path("payments/<int:pk>/voucher/", views.payment_voucher, name="payment_voucher"),
    path("payments/<int:pk>/voucher/add/", views.payment_voucher_add, name="payment_voucher_add"),
    path("payments/<int:pk>/decide/", views.payment_decide, name="payment_decide"),
    path("payments/<int:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("income/", views.incomes, name="incomes"),
    path("income/new/", views.income_new, name="income_new"),
    path("income/<int:pk>/reverse/", views.income_reverse, name="income_reverse"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report_export"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/standards/<int:pk>/remove/", views.standard_remove, name="standard_remove"),
    path("audits/", views.audits, name="audits"),
    path("audits/<int:pk>/", views.audit_detail, name="audit"),
    path("audits/<int:pk>/close/", views.audit_close, name="audit_close"),
    path("audits/<int:pk>/delete/", views.audit_delete, name="audit_delete"),
    path("audits/<int:pk>/report/", views.audit_report, name="audit_report"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding_close"),
]
