from django.contrib import admin
from django.urls import include, path

from accounts.views import language

urlpatterns = [
    path("", include("workbench.urls")),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("members/", include("members.urls")),
    path("plans/", include("plans.urls")),
    path("activities/", include("activities.urls")),
    path("federation/", include("federation.urls")),
    path("democracy/", include("democracy.urls")),
    path("care/", include("care.urls")),
    path("finance/", include("finance.urls")),
    path("assessments/", include("assessments.urls")),
    path("safety/", include("safety.urls")),
    path("contracts/", include("contracts.urls")),
    path("statistics/", include("rollups.urls")),
    # The members' own side: /join/<unit code>/ (public) and /me/.
    path("", include("portal.urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/setlang/", language, name="set_language"),
    path("admin/", admin.site.urls),
]

# No /media/ route, even in development: uploads are private (core.files) and served by views that
# apply the access rule. The error pages are core's, in the product's layout.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
