from django.urls import path

from federation import views

app_name = "federation"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("calls/<int:pk>/remind/", views.call_remind, name="call_remind"),
    path("calls/<int:pk>/deadline/", views.call_deadline, name="call_deadline"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/withdraw/", views.call_withdraw, name="call_withdraw"),
    path("calls/<int:pk>/export/", views.call_export, name="call_export"),
    path("filings/<int:pk>/", views.filing, name="filing"),
    path("filings/<int:pk>/review/", views.filing_review, name="filing_review"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/", views.target, name="target"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
