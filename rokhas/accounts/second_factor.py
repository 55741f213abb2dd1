"""Second factor (TOTP) for officials.

When ROKHAS_REQUIRE_OTP is on, an official may read files after signing in with a password,
but may act on them (check, give an opinion, decide) only once the session has been
verified with a TOTP code. The rule is applied by rokhas.dossiers.access, so it holds for
every entry point that carries a request user (web and API).
"""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership


def is_official(user) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, active=True).exists()


def required_for(user) -> bool:
    return bool(settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS) and is_official(user)


def satisfied(user) -> bool:
    """True unless the user is an official whose session still lacks its TOTP check.

    Users built outside a request (management commands run by the operator on the server)
    carry no `is_verified` and are not asked for a code."""
    if not required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return is_verified is None or bool(is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device offered at enrolment (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Rokhas", confirmed=False)
