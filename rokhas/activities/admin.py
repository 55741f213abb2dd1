from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fr", "name_ar", "regime", "category", "procedure", "active")
    list_filter = ("regime", "category", "active")
    search_fields = ("code", "name_fr", "name_ar", "search_key")
