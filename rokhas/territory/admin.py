from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Commune, Province, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar"]
    search_fields = ["code", "name_fr", "name_ar"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name_fr", "name_ar"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "province", "population", "population_year",
                    "guichet_unique"]
    list_filter = ["kind", "province__region"]
    search_fields = ["code", "name_fr", "name_ar", "search_text"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]

    @admin.display(boolean=True, description=_("guichet unique"))
    def guichet_unique(self, obj: Commune) -> bool:
        return obj.has_guichet_unique
