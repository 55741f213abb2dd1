from django.contrib import admin

from .models import SignerCredential


@admin.register(SignerCredential)
class SignerCredentialAdmin(admin.ModelAdmin):
    list_display = ["label", "user", "subject_cn", "storage", "not_after", "revoked_at"]
    list_filter = ["storage"]
    search_fields = ["label", "subject_cn", "serial_number", "user__username"]
    # The certificate is what a CA issued: it is replaced, never edited.
    readonly_fields = ["certificate_pem", "subject_cn", "serial_number", "not_before", "not_after",
                       "created_at"]
    raw_id_fields = ["user"]
