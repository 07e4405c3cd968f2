from django.urls import path

from safety import views

app_name = "safety"

urlpatterns = [
    path("", views.index, name="index"),
    path("enroll/", views.enroll, name="enroll"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("hazards/", views.hazards, name="hazards"),
    path("hazards/<int:pk>/", views.hazard_detail, name="hazard"),
    path("hazards/<int:pk>/close/", views.hazard_close, name="hazard_close"),
    path("hazards/<int:pk>/return/", views.hazard_return, name="hazard_return"),
    path("hazards/<int:pk>/photo/<str:which>/", views.hazard_photo, name="hazard_photo"),
]
