from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from orgs.models import OrgUnit, RoleAssignment


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    """For site administrators only; officers work in the product's own pages."""

    form = movenodeform_factory(OrgUnit)
    list_display = ("name", "code", "kind", "headcount", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "unit", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")
