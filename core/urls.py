from django.urls import path

from core import export_views, health

app_name = "core"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("exports/<int:pk>/", export_views.export_job, name="export"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<int:pk>/cancel/", export_views.export_cancel, name="export_cancel"),
    path("exports/<int:pk>/retry/", export_views.export_retry, name="export_retry"),
    path("exports/<int:pk>/delete/", export_views.export_delete, name="export_delete"),
]
