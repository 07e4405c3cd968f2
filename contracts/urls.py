from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.contract_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/document/", views.document, name="document"),
]
