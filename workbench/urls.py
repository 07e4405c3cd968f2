from django.urls import path

from workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("todo/count/", views.todo_count, name="todo_count"),
    path("todo/home/", views.home_todos, name="home_todos"),
    path("units-below/", views.home_units, name="home_units"),
    path("access-log/", views.access_log, name="access_log"),
]
