from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("history/", views.history, name="history"),
    path("switch/", views.switch, name="switch"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/add/", views.add, name="add"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/move/targets/", views.move_targets, name="move_targets"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/roles/", views.roles, name="roles"),
    path("<int:pk>/roles/invite/", views.role_invite, name="role_invite"),
    path("roles/<int:pk>/link/", views.role_link_renew, name="role_link_renew"),
    path("roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
]
