from django.urls import path

from plans import calendar_views

urlpatterns = [
    path("calendar/", calendar_views.month_view, name="calendar"),
    path("calendar/<int:year>/", calendar_views.year_view, name="calendar_year"),
    path("calendar/<int:year>/<int:month>/", calendar_views.month_view, name="calendar_month"),
    path("calendar/subscribe/", calendar_views.subscribe, name="calendar_subscribe"),
    path("calendar/feed/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
]
