from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Rokhas", {"fields": ("kind", "cin", "phone", "professional_number", "preferred_language")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "kind", "is_active")
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "name_fr", "commune", "province", "region", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_fr", "name_ar")
    raw_id_fields = ("commune", "province", "region")
    inlines = [MembershipInline]
