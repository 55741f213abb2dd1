from django.contrib import admin

from .models import HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name_fr", "name_ar", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_ar", "note"]
    date_hierarchy = "date"
