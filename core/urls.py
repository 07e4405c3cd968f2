from django.urls import path

from core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("todo/", views.todo, name="todo"),
    path("todo/count/", views.todo_count, name="todo_count"),
    path("access-log/", views.access_log, name="access_log"),
]
