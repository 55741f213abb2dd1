from django.contrib import admin

from .models import Dossier


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: files change only through the domain services (and their audit)."""

    list_display = ("reference", "title", "commune", "status", "legal_due_date", "filed_at")
    list_filter = ("status", "procedure_version__procedure")
    search_fields = ("reference", "title")
    raw_id_fields = ("commune", "applicant", "owner")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
