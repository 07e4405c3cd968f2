from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("titles/", views.titles, name="titles"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("schemes/<int:scheme_pk>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/enter/", views.round_enter, name="round_enter"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/objections/", views.objection_add, name="objection_add"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("rounds/<int:pk>/ranking.xlsx", views.round_ranking_xlsx, name="ranking_xlsx"),
    path("rounds/<int:pk>/notice.docx", views.round_notice_docx, name="notice_docx"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/self-evaluation.docx", views.self_evaluation_docx, name="self_evaluation_docx"),
    path("checks/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("checks/<int:pk>/review/", views.check_review, name="review"),
    path("checks/<int:pk>/visits/", views.visit_add, name="visit_add"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
]
