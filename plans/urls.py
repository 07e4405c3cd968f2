"""The plans app's URLs, gathered from its parts so that each part keeps its own list."""

from plans import urls_calendar, urls_documents, urls_plans

app_name = "plans"

urlpatterns = [*urls_plans.urlpatterns, *urls_calendar.urlpatterns, *urls_documents.urlpatterns]
