"""Who may call the API at all. What a caller may do on a file is decided by
rokhas/dossiers/access.py, never here."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from rokhas.dossiers.access import is_official


class OfficialsUseSecondFactor(BasePermission):
    """When officials must pass a TOTP check (ROKHAS_REQUIRE_OTP), the API accepts an official
    only on a session verified with the second factor: a password (Basic) or a token alone
    would bypass it."""

    message = _("Officials must sign in with their second factor (TOTP) on the web before using the API.")

    def has_permission(self, request, view) -> bool:
        if not getattr(settings, "ROKHAS_REQUIRE_OTP_FOR_OFFICIALS", False):
            return True
        user = request.user
        if not user or not user.is_authenticated or not is_official(user):
            return True
        verified = getattr(user, "is_verified", None)  # set by django_otp's middleware on sessions
        return bool(callable(verified) and verified())
