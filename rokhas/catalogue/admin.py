"""The catalogue is data: administrators can add a version with new deadlines or documents."""

from django.contrib import admin

from .models import (
    CommissionSeat,
    DocumentType,
    Procedure,
    ProcedureVersion,
    ProjectClass,
    RequiredDocument,
    ReturnReason,
)


class ProjectClassInline(admin.StackedInline):
    model = ProjectClass
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class CommissionSeatInline(admin.TabularInline):
    model = CommissionSeat
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "version", "effective_from", "effective_to")
    inlines = [ProjectClassInline, RequiredDocumentInline, CommissionSeatInline]

    def get_readonly_fields(self, request, obj=None):
        # A version files were filed on is frozen: the law in force for them must not move.
        if obj is not None and obj.dossiers.exists():
            return [f.name for f in obj._meta.fields]
        return []


admin.site.register(Procedure)
admin.site.register(DocumentType)
admin.site.register(ReturnReason)
