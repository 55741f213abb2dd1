"""Commune rates are dated data the commune's administrators maintain; invoices and payments
are read-only records (they change only through the services, and are audited there)."""

from django.contrib import admin

from .models import CommuneRate, Invoice, InvoiceLine, Payment


@admin.register(CommuneRate)
class CommuneRateAdmin(admin.ModelAdmin):
    list_display = ("commune", "tax_code", "rate", "effective_from", "effective_to")
    list_filter = ("tax_code",)
    search_fields = ("commune__name_fr", "commune__name_ar", "commune__code", "tax_code")
    raw_id_fields = ("commune",)

    def get_readonly_fields(self, request, obj=None):
        # A rate an invoice was computed with is frozen: only its end date may still be set.
        if obj is not None and InvoiceLine.objects.filter(commune_rate=obj).exists():
            return [f.name for f in obj._meta.fields if f.name != "effective_to"]
        return []


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "dossier", "due", "total", "status", "issued_at", "paid_at")
    list_filter = ("status", "due")
    search_fields = ("number", "dossier__reference")
    inlines = [InvoiceLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("order_id", "invoice", "provider", "amount", "status", "started_at", "completed_at")
    list_filter = ("status", "provider")
    search_fields = ("order_id", "provider_transaction", "receipt_number", "invoice__number")
