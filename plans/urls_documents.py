from django.urls import path

from plans import document_views, import_views

urlpatterns = [
    path("import/", import_views.import_plan, name="import"),
    path("import/reading/<int:pk>/", import_views.import_read, name="import_read"),
    path("<int:pk>/plan.docx", document_views.plan_docx, name="plan_docx"),
    path("summaries/<int:pk>/summary.docx", document_views.summary_docx, name="summary_docx"),
    path("archive/<int:unit_pk>/<int:year>.zip", document_views.archive_zip, name="archive_zip"),
]
