from django.urls import path

from rollups import views

app_name = "rollups"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("export/", views.statistics_export, name="export"),
]
