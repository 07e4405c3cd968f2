from django.urls import path

from plans import carry_views, views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("items/", views.assigned, name="assigned"),
    path("archive/", views.archive, name="archive"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/sections/add/", views.section_add, name="section_add"),
    path("sections/<int:pk>/", views.section_edit, name="section_edit"),
    path("sections/<int:pk>/move/", views.section_move, name="section_move"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("<int:pk>/targets/add/", views.target_add, name="target_add"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/items/carry/", carry_views.carry, name="carry"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/summary/", views.summary_create, name="summary_create"),
    path("summaries/<int:pk>/", views.summary, name="summary"),
    path("summaries/<int:pk>/redraft/", views.summary_redraft, name="summary_redraft"),
]
