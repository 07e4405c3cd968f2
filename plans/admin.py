"""Plans for site administrators: officers work in the plan pages, this is for repairs."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import Plan, PlanSection, ScheduleItem, Target, YearSummary


class SectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["order", "level", "heading"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["order", "name", "op", "value", "measure", "metric", "actual_manual"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "year", "status", "source", "updated_at"]
    list_filter = ["status", "source", "year"]
    search_fields = ["title", "unit__name", "unit__code"]
    raw_id_fields = ["unit", "created_by"]
    list_select_related = ["unit"]
    inlines = [SectionInline, TargetInline]


@admin.register(ScheduleItem)
class ScheduleItemAdmin(SimpleHistoryAdmin):
    list_display = ["text", "plan", "unit", "month", "category", "status"]
    list_filter = ["status", "category", "plan__year"]
    search_fields = ["text", "plan__title", "unit__name"]
    raw_id_fields = ["plan", "unit", "done_by"]
    list_select_related = ["plan", "unit"]


@admin.register(YearSummary)
class YearSummaryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "year", "status", "updated_at"]
    list_filter = ["status", "year"]
    search_fields = ["title", "unit__name", "unit__code"]
    raw_id_fields = ["unit", "plan", "created_by"]
    list_select_related = ["unit"]
