from django.contrib import admin

from core.models import OfficialDay


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "holiday", "year"]
    list_filter = ["year", "kind", "holiday"]
    date_hierarchy = "date"
    ordering = ["-date"]
